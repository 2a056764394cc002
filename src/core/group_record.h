/* group_record: one observed rebalance of a consumer group, and how it is
 * derived from two or three observations of the group.
 *
 * DESIGN: pure functions over ks_group values, no locks, no globals. A
 * record is plain data with three heap arrays (pool, entries, tps) that hold
 * offsets, not pointers, so a copy is three memcpy()s. The owner of a record
 * is whoever filled it (the history, or a reader's copy); free it with
 * group_record_free(). Assignments are compared as sets: what a member owns
 * after minus what it owned before is "assigned", the reverse "revoked";
 * describes taken while the group rebalances carry no assignment, so only
 * Stable observations are compared. */
#ifndef KS_GROUP_RECORD_H
#define KS_GROUP_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

#define GH_MAX_STATES 8
#define GH_MAX_ENTRIES 256 /* member entries per record */
#define GH_MAX_TPS 2048    /* partitions in a record's lists, all members together */

/* Group states as observed; GH_GONE: the group left the list. */
typedef enum gh_state {
    GH_STABLE,
    GH_PREPARING,
    GH_COMPLETING,
    GH_EMPTY,
    GH_DEAD,
    GH_UNKNOWN,
    GH_GONE,
} gh_state;

/* One partition; topic is an offset into the record's pool. */
typedef struct gh_tp {
    uint32_t topic;
    int32_t partition;
} gh_tp;

/* One member's part in a rebalance. Lists are ranges [first, first + n) of
 * the record's tps array. */
typedef struct gh_entry {
    uint32_t member_id, client_id; /* offsets into the record's pool */
    bool joined, left;
    int assigned, nassigned; /* owned after, not before */
    int revoked, nrevoked;   /* owned before, not after */
    int owned, nowned;       /* the whole assignment after (empty when it left) */
} gh_entry;

typedef struct gh_record {
    uint64_t seq;    /* observed rebalance number in this group: 1, 2, ... */
    uint64_t closed; /* history-wide order of closing, 0 while open */
    bool open;
    bool generation_valid;
    int32_t generation;       /* the coordinator's: from its log, or the model's */
    int generations;          /* coordinator generations it spans (>1: some were too quick
                                 to be polled); 0: unknown */
    int64_t stable_before_ms; /* last seen stable before it; 0: the group was new */
    int64_t start_ms;         /* first observation showing it (true start in between) */
    int64_t end_ms;           /* observation that closed it (the latest while open) */
    bool stopped_valid;       /* false: consumption did not resume (Empty, gone) or just began */
    int64_t stopped_min_ms, stopped_max_ms; /* how long partitions had no owner: bounds */
    gh_state states[GH_MAX_STATES];         /* passed through, in order, repeats merged */
    int nstates;
    gh_state end_state;
    int members_before, members_after;
    int njoined, nleft, nmoved; /* exact; nmoved: partitions whose owner changed */
    bool assignment_known;      /* a Stable observation gave the assignment after */
    bool cover_valid;           /* checked: the record closed Stable */
    bool cover_ok;              /* every partition consumed is owned by exactly one member */
    int uncovered, duplicated;  /* partitions with no owner, with more than one */
    bool cooperative;           /* cooperative assignor: unmoved partitions kept flowing */
    bool replayed;              /* from the coordinator's log, written before ksight
                                   started: one instant (start = end), no states seen */
    int truncated;              /* member entries and partitions not kept (bounds) */
    char *pool;                 /* offset 0: the group id; then NUL-terminated strings */
    size_t pool_len, pool_cap;
    gh_entry *entries; /* members before and after, sorted by member id */
    int nentries;
    gh_tp *tps;
    int ntps, tps_cap;
} gh_record;

/* Recomputes r's members, lists, counts and cover from the group before the
 * rebalance (last seen Stable; NULL for a group new to the history), the
 * latest observation (members) and the observation giving the assignment
 * after (latest when Stable, else the last Stable one since, or NULL).
 * Leaves seq, times and states alone. @locality any; r owned by the caller. */
void group_record_build(gh_record *r, const char *group_id, const ks_group *before,
                        const ks_group *latest, const ks_group *after);

/* Deep copy of src into dst (dst's old contents are not freed). */
void group_record_copy(gh_record *dst, const gh_record *src);

/* Frees the arrays of each of n records; not the records themselves. */
void group_record_free(gh_record *recs, int n);

static inline const char *group_record_str(const gh_record *r, uint32_t off)
{
    return r->pool ? r->pool + off : "";
}

gh_state group_record_state(const char *state); /* model state name -> gh_state */
const char *group_record_state_name(gh_state state);

/* "orders 0-2,5 payments 1" from tps[first, first + n), into buf; without
 * the topic names ("0-2,5") when topics is false. */
const char *group_record_tps_format(const gh_record *r, int first, int n, bool topics, char *buf,
                                    size_t size);

/* True when every partition in the record is of one topic (or there are none). */
bool group_record_one_topic(const gh_record *r);

/* One line: "rebalance #3 (observed): 3->2 members, left c-2, 4 partitions
 * moved, consumption stopped 3.0-4.1 s" (no group id), into buf. */
const char *group_record_summary(const gh_record *r, char *buf, size_t size);

#endif
