/* diff: old vs new snapshot -> timeline events.
 *
 * DESIGN: stateless and pure apart from timeline_push(). The store listener
 * calls it on the publishing thread, serialised by the store's publish lock,
 * so it needs no lock of its own and must stay fast: a part is compared only
 * when its pointer changed, sorted arrays are merged in one pass.
 * A part that is NULL or carries no data (a failed first poll) is a baseline:
 * the next part with data is compared with nothing and emits no flood of
 * "created" events. One diff emits at most a bounded number of events; the
 * rest are summarised per topic or group and then in one line. */
#ifndef KS_DIFF_H
#define KS_DIFF_H

#include <stdint.h>

#include "model.h"
#include "timeline.h"

/* Most events one call pushes before it summarises the rest in one line. */
#define DIFF_MAX_EVENTS 256

/* @locality any thread (the publisher's). old and snap are borrowed; either may
 * have NULL parts; old may be NULL (treated as empty). */
void diff_snapshots(const ks_snapshot *old, const ks_snapshot *snap, ks_timeline *tl,
                    int64_t now_ms);

#endif
