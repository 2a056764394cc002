/* coordlog: the group coordinator's log, __consumer_offsets, read for the
 * generations of classic consumer groups.
 *
 * DESIGN: DescribeGroups has no generation id, but the coordinator writes a
 * group metadata record (key version 2) each time a rebalance completes or
 * the group empties. One thread assigns every partition of
 * __consumer_offsets from the beginning (the replay tells each group's
 * current generation), then follows it, decodes those records with
 * dec_groupmeta and hands each to a callback. Offset commits, the bulk of
 * the topic, are skipped on their key's first two bytes. A cluster that
 * refuses the topic (ACLs) leaves the reader in error; callers fall back to
 * observed sequences. The thread owns its handle; the callback runs on it. */
#ifndef KS_COORDLOG_H
#define KS_COORDLOG_H

#include <stdbool.h>
#include <stdint.h>

#include "dec_groupmeta.h"
#include "kafka_conf.h"

typedef struct ks_coordlog ks_coordlog;

/* One group metadata record: group id (NUL-terminated), its decoded value
 * (borrowed for the call; a tombstone when the group was deleted), the
 * record's timestamp, and whether it is history (read before the end the
 * reader found at start, and written before it started) or news. */
typedef void (*ks_coordlog_fn)(void *ctx, const char *group, const dec_groupmeta *gm,
                               int64_t ts_ms, bool replay);

/* Starts the reader; opts is copied (its strings are borrowed and must
 * outlive the reader). Returns NULL only if the handle cannot be made
 * (errstr says why). */
ks_coordlog *coordlog_start(const ks_kafka_opts *opts, ks_coordlog_fn fn, void *ctx,
                            char *errstr, size_t errstr_size);

/* A ks_coordlog_fn that feeds a ks_group_history (ctx) its generations. */
void coordlog_to_history(void *ctx, const char *group, const dec_groupmeta *gm, int64_t ts_ms,
                         bool replay);

/* Stops and joins the thread. NULL is fine. */
void coordlog_stop(ks_coordlog *cl);

typedef struct ks_coordlog_stats {
    bool caught_up;      /* the replay reached the end found at start */
    uint64_t records;    /* group metadata records decoded */
    uint64_t bad;        /* records that did not decode (each logged once) */
    char error[256];     /* why the log cannot be read, "" when it can */
} ks_coordlog_stats;

/* @locality any thread. */
void coordlog_stats(ks_coordlog *cl, ks_coordlog_stats *out);

#endif
