/* lagclock: consumer lag in time, from the log-end offsets seen poll after poll.
 *
 * DESIGN: Kafka keeps no "when was offset N written" index that a client can
 * ask cheaply, and fetching the message at every committed offset each round
 * costs one fetch per lagging partition. Instead, as kafka-lag-exporter
 * does, ksight remembers when each partition's log end reached which offset
 * (a sample each time it moved) and reads a group's committed offset off
 * that curve: the message at the committed offset was written when the log
 * end passed it, interpolated between the two samples around it; the time
 * lag is now minus that. Exact to about one poll interval. A committed
 * offset older than the first sample gives a lower bound (ksight has been
 * watching that long and the message was already there), marked at_least.
 *
 * Samples per partition are bounded (LAGCLOCK_SAMPLES); when full, every
 * other sample of the older half is dropped, so the curve reaches back
 * further at a coarser step. A log end that goes backwards (the topic was
 * recreated) restarts the partition. Partitions absent from
 * LAGCLOCK_FORGET_ROUNDS rounds are forgotten. Samples come from the groups
 * poll and from the cluster poll (every partition's high watermark); the
 * older of two conflicting samples is ignored.
 *
 * Ownership: the caller owns the clock; one thread at a time (the poller's).
 * No locks, no I/O. */
#ifndef KS_LAGCLOCK_H
#define KS_LAGCLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"

#define LAGCLOCK_SAMPLES 32
#define LAGCLOCK_FORGET_ROUNDS 64
#define LAGCLOCK_MAX_PARTITIONS 50000 /* from the cluster part; groups' are always kept */

typedef struct ks_lagclock ks_lagclock;

ks_lagclock *lagclock_new(void);
void lagclock_free(ks_lagclock *lc); /* NULL is fine */

/* Records every partition's high watermark of c (the cluster poll's, at its
 * taken_ms; the same part twice is a no-op), so that a group that appears
 * far behind on a topic nobody read before still gets an exact time lag.
 * NULL is fine. */
void lagclock_observe_cluster(ks_lagclock *lc, const ks_cluster *c);

/* Records the log end of every offset of gs (a part not yet published) as
 * seen at now_ms, then fills in each offset's and each group's time lag
 * (a group's is its largest partition's). Offsets without a valid lag get
 * none. */
void lagclock_apply(ks_lagclock *lc, ks_groups *gs, int64_t now_ms);

/* The usual round for a groups part about to be published to store: the
 * store's latest cluster part is observed, then gs is filled in at its
 * taken_ms (now if unset). */
struct ks_store;
void lagclock_fill(ks_lagclock *lc, struct ks_store *store, ks_groups *gs);

/* The time lag of committed offset c on a partition whose samples are
 * ends[i] reached at times[i] (ascending, n >= 1, the newest last), at
 * now_ms. Returns false when nothing can be said; *at_least when it is a
 * lower bound. Exposed for tests. */
bool lagclock_estimate(const int64_t *ends, const int64_t *times, int n, int64_t c,
                       int64_t now_ms, int64_t *lag_ms, bool *at_least);

#endif
