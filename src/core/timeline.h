/* timeline: a bounded ring of events (diffs between snapshots, log lines).
 *
 * DESIGN: written by publishing threads (through the store listener) and by
 * the log; read by the UI thread, which copies events out under the lock.
 * Events are fixed-size so pushing never allocates; the oldest is dropped. */
#ifndef KS_TIMELINE_H
#define KS_TIMELINE_H

#include <stdint.h>

typedef enum ks_event_kind {
    KS_EV_LOG = 0,
    KS_EV_BROKER_DOWN,
    KS_EV_BROKER_UP,
    KS_EV_CONTROLLER_MOVED,
    KS_EV_TOPIC_CREATED,
    KS_EV_TOPIC_DELETED,
    KS_EV_PARTITIONS_ADDED,
    KS_EV_LEADER_MOVED,
    KS_EV_ISR_SHRANK,
    KS_EV_ISR_EXPANDED,
    KS_EV_UNDER_REPLICATED,
    KS_EV_RECOVERED,
    KS_EV_OFFLINE,
    KS_EV_GROUP_NEW,
    KS_EV_GROUP_GONE,
    KS_EV_GROUP_STATE,
    KS_EV_GROUP_GENERATION,
    KS_EV_MEMBER_JOINED,
    KS_EV_MEMBER_LEFT,
    KS_EV_ASSIGNMENT,
    KS_EV_ZK_ROLE,
    KS_EV_QUORUM_LOST,
    KS_EV_QUORUM_REGAINED,
    KS_EV_REGISTRY_DOWN,
    KS_EV_REGISTRY_UP,
    KS_EV_SOURCE_ERROR,
    KS_EV_SOURCE_OK,
    KS_EV__COUNT
} ks_event_kind;

typedef enum ks_severity { KS_SEV_INFO, KS_SEV_WARN, KS_SEV_ERROR } ks_severity;

typedef struct ks_event {
    uint64_t seq;       /* increases by one per push */
    int64_t time_ms;    /* wall clock */
    ks_event_kind kind;
    ks_severity severity;
    char subject[96];   /* topic-partition, group id, broker, server: what it is about */
    char text[224];     /* one line, plain ASCII-safe text (sanitised by the writer) */
} ks_event;

typedef struct ks_timeline ks_timeline;

ks_timeline *timeline_new(int capacity);
void timeline_free(ks_timeline *tl);

/* @locality any thread. */
void timeline_push(ks_timeline *tl, int64_t time_ms, ks_event_kind kind, ks_severity severity,
                   const char *subject, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* @locality any thread. Copies up to max events, newest first; returns count. */
int timeline_copy(ks_timeline *tl, ks_event *out, int max);
uint64_t timeline_seq(ks_timeline *tl); /* seq of the newest event, 0 when empty */

const char *event_kind_name(ks_event_kind kind); /* "isr-shrank", "broker-down", ... */

#endif
