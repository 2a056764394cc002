/* group_history: a rebalance timeline per consumer group, derived from
 * successive groups parts (DescribeConsumerGroups snapshots).
 *
 * DESIGN: fed by the store listener on the publishing thread (serialised by
 * the store's publish lock); read by the UI or CLI thread. Everything is
 * guarded by the history's own mutex and readers get copies. A record opens
 * when a group leaves Stable, or when its members or assignments differ
 * between two snapshots; it closes when the group is Stable again with every
 * partition it consumed owned exactly once (or Stable twice with the same
 * incomplete assignment: cover BAD), Empty, or gone. librdkafka 2.0.2's
 * describe has no generation id, so records carry an *observed* sequence;
 * the coordinator's generation only when ks_group.generation_valid.
 *
 * Ownership: the history holds references to the groups parts it compares
 * against (the last observation of each group, and the last stable one
 * before an open record); they are released as newer parts arrive and by
 * group_history_free(). Records own their arrays (see group_record_free()).
 * Bounds: GH_MAX_GROUPS groups (the least recently seen is dropped),
 * GH_MAX_RECORDS per group (oldest dropped); a record's own bounds are in
 * group_record.h. */
#ifndef KS_GROUP_HISTORY_H
#define KS_GROUP_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "timeline.h"

#include "group_record.h"

#define GH_MAX_GROUPS 1024
#define GH_MAX_RECORDS 32

typedef struct ks_group_history ks_group_history;

/* tl (may be NULL) gets one KS_EV_GROUP_GENERATION event per closed record;
 * borrowed until group_history_free(). */
ks_group_history *group_history_new(ks_timeline *tl);
void group_history_free(ks_group_history *h); /* NULL is fine */

/* @locality the publishing thread (store listener), calls never overlap.
 * @locks takes the history's lock.
 * old and now are borrowed for the call; old is only compared with now (no
 * change, no work): the history keeps its own previous observations. The
 * first groups part with data is a baseline. A NULL now (a new cluster)
 * forgets everything. A part that failed without data is skipped; a group
 * whose describe failed is skipped this round. Cost: O(groups x members)
 * per call, plus the assignments of the groups with an open record. */
void group_history_observe(ks_group_history *h, const ks_groups *old, const ks_groups *now,
                           int64_t now_ms);

/* @locality any thread (the coordinator log reader's). @locks the history's lock.
 * The coordinator wrote generation of group (read from __consumer_offsets,
 * coordlog.h); deleted: a tombstone. Records then carry true generations: the
 * newest one the coordinator wrote since the record opened, and how many it
 * wrote in between. A group not yet polled is remembered (within the bounds).
 * written_ms: the record's timestamp (the broker's clock); a generation
 * written before the poll that closed the newest record is that record's.
 * replay: written before ksight started (history, no record of ours). */
void group_history_coordinator(ks_group_history *h, const char *group, int32_t generation,
                               int64_t written_ms, bool deleted, bool replay);

/* @locality any thread (the coordinator log reader's). @locks the history's lock.
 * The coordinator's log, replayed at start, holds group g (part: one group,
 * referenced while it is the group's latest) as written at generation:
 * members and their assignments, Stable (or Empty without members). Each
 * replayed generation after the previous one becomes a closed record marked
 * replayed (joined, left, assigned, revoked, cover; no duration, no states),
 * so the timeline reaches back to what the log still holds (compaction keeps
 * the newest record of a group, and whatever its active segment has). Only
 * before the group's first record of ours; a first replayed generation
 * other than 1 is the base of the next, not a record. */
void group_history_replayed(ks_group_history *h, const ks_groups *part, int32_t generation,
                            int64_t written_ms);

/* @locality any thread. The latest generation the coordinator wrote for
 * group, if known. */
bool group_history_generation(ks_group_history *h, const char *group, int32_t *generation);

/* @locality any thread. The newest record of group: when it ended (its
 * latest observation while open), whether it is still open, and how many
 * rebalances the group has had since ksight started. False if none. */
bool group_history_latest(ks_group_history *h, const char *group, int64_t *end_ms, bool *open,
                          uint64_t *count);

/* @locality any thread. @locks takes the history's lock.
 * Copies of up to max records of group, newest first (an open one
 * included); returns the count. The caller frees them with group_record_free(). */
int group_history_get(ks_group_history *h, const char *group, gh_record *out, int max);

/* @locality any thread. @locks takes the history's lock.
 * Copies of up to max records closed after *cursor, in closing order, and
 * advances *cursor (start with 0). Records dropped by the bounds are skipped. */
int group_history_closed(ks_group_history *h, uint64_t *cursor, gh_record *out, int max);

/* @locality any thread. Increases with every observation that changed a record. */
uint64_t group_history_version(ks_group_history *h);

#endif
