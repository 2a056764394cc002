/* load: the object shared by the load workers (producer threads, consumer
 * group members, the run monitor) and the UI's load view or `ksight load`.
 *
 * DESIGN: one ks_load lives as long as the program (main creates it, hands
 * it to the load service and to the UI). A run resets it and fills it:
 *   - counters that workers bump without locks (atomics in ks_load_producer
 *     and ks_load_member, one struct per thread, plus lock-free histograms);
 *   - the rebalance timeline and member identities, under the load lock,
 *     fed by the consumers' rebalance callbacks;
 *   - the delivery audit (audit.h), owned here for the duration of a run;
 *   - rates, windows and the audit summary, computed by load_tick() (the
 *     run monitor calls it about once a second).
 * The UI never reads the atomics itself: load_stats() and load_rebalances()
 * copy one consistent picture out under the lock, as plain data.
 * Lock order: load lock, then audit lock. No function here does I/O. */
#ifndef KS_LOAD_H
#define KS_LOAD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit.h"
#include "histogram.h"
#include "timeline.h"

#define KS_LOAD_MAX_PRODUCERS 64
#define KS_LOAD_MAX_MEMBERS 64 /* member slots per run */
#define KS_LOAD_MAX_PARTITIONS 256
#define KS_LOAD_MAX_COURIERS 1024 /* courier ids counted one by one; others summed */
#define KS_LOAD_MAX_REBALANCES 64 /* newest kept */
#define KS_LOAD_HISTORY 120       /* one point per tick (about a second) */
#define KS_LOAD_NAME_MAX 250      /* topic and group names (Kafka allows 249) */

/* ---- the run's settings, as the load form edits them ---- */

typedef enum ks_send_mode {
    KS_SEND_FIRE_AND_FORGET, /* produce, never wait; only failures are looked at */
    KS_SEND_SYNC,            /* wait for each message's delivery report */
    KS_SEND_ASYNC,           /* delivery callback per message */
} ks_send_mode;

typedef enum ks_commit_mode {
    KS_COMMIT_AUTO,  /* enable.auto.commit */
    KS_COMMIT_SYNC,  /* commit after processing each poll batch, wait */
    KS_COMMIT_ASYNC, /* commit after processing each poll batch, don't wait */
} ks_commit_mode;

typedef enum ks_payload_format { KS_FORMAT_JSON, KS_FORMAT_AVRO } ks_payload_format;

typedef enum ks_assignor {
    KS_ASSIGNOR_RANGE,
    KS_ASSIGNOR_ROUNDROBIN,
    KS_ASSIGNOR_COOPERATIVE_STICKY,
} ks_assignor;

typedef struct ks_load_spec {
    char topic[KS_LOAD_NAME_MAX];
    int partitions;  /* when the topic must be created (workbook: 3) */
    int replication; /* idem (workbook: 2; capped by the broker count) */
    /* producers */
    int producers;    /* threads, 0..KS_LOAD_MAX_PRODUCERS */
    int64_t messages; /* per thread, 0 = until stopped */
    int interval_ms;  /* pause between sends of one thread */
    ks_send_mode mode;
    int acks; /* 0, 1 or -1 (all) */
    bool idempotent;
    char compression[16]; /* none, gzip, snappy, lz4, zstd */
    int linger_ms;        /* -1: librdkafka's default (0 in sync mode) */
    int batch_size;       /* bytes, -1: librdkafka's default */
    ks_payload_format format;
    int couriers;      /* distinct couriers (keys) per producer thread */
    bool audit_header; /* messages carry the audit header (default); off
                        * only for producer-only runs: pure throughput */
    /* consumers */
    int consumers;                /* group members at start, 0..KS_LOAD_MAX_MEMBERS */
    char group[KS_LOAD_NAME_MAX]; /* "" = ksight-load-<run id> */
    int poll_ms;                  /* pause between poll batches */
    ks_commit_mode commit;
    char offset_reset[16]; /* earliest, latest */
    ks_assignor assignor;
    int session_timeout_ms; /* 0: librdkafka's default */
    /* run */
    bool stop_when_drained; /* the headless command stops the run once drained */
    int quiet_ms;           /* drained = caught up and none of the run's messages for this long */
} ks_load_spec;

void load_spec_defaults(ks_load_spec *spec);
/* Applies "key=value;key=value" over spec. Keys: topic partitions replication
 * producers messages interval_ms mode acks idempotent compression linger_ms
 * batch_size format couriers audit_header consumers group poll_ms commit
 * offset_reset assignor session_timeout_ms stop_when_drained quiet_ms. Returns 0, or -1
 * with errstr naming the key (spec then partly applied). */
int load_spec_parse(ks_load_spec *spec, const char *text, char *errstr, size_t errstr_size);
/* The whole spec in the form load_spec_parse reads. Caller frees. */
char *load_spec_format(const ks_load_spec *spec);
/* Rejects impossible combinations (idempotence with acks 0/1, consumers
 * without the audit header, no topic, no thread at all, counts out of
 * range). 0 or -1 with errstr. */
int load_spec_check(const ks_load_spec *spec, char *errstr, size_t errstr_size);

const char *load_send_mode_name(ks_send_mode mode);   /* "fire-and-forget", "sync", "async" */
const char *load_commit_name(ks_commit_mode commit);  /* "auto", "sync", "async" */
const char *load_assignor_name(ks_assignor assignor); /* librdkafka's names */
const char *load_format_name(ks_payload_format format);
const char *load_acks_name(int acks); /* "0", "1", "all" */

/* ---- partition sets (a member's assignment), plain bitmaps ---- */

typedef struct ks_pset {
    uint64_t w[KS_LOAD_MAX_PARTITIONS / 64];
} ks_pset;

void load_pset_clear(ks_pset *set);
void load_pset_add(ks_pset *set, int32_t partition); /* ignored out of range */
void load_pset_del(ks_pset *set, int32_t partition);
bool load_pset_has(const ks_pset *set, int32_t partition);
int load_pset_count(const ks_pset *set);
bool load_pset_empty(const ks_pset *set);
/* "0-2,5,7" ("-" when empty); returns the length (truncated like snprintf). */
int load_pset_format(const ks_pset *set, char *buf, size_t size);

/* ---- live counters, written by the workers ---- */

typedef enum ks_load_err {
    LOAD_ERR_QUEUE_FULL, /* local queue full: the thread waited and retried */
    LOAD_ERR_TIMED_OUT,  /* message.timeout.ms expired */
    LOAD_ERR_REPLICAS,   /* not enough (in-sync) replicas */
    LOAD_ERR_LEADER,     /* no leader / not leader */
    LOAD_ERR_TRANSPORT,  /* connection to the broker failed */
    LOAD_ERR_PURGED,     /* still queued when the run was stopped */
    LOAD_ERR_COMMIT,     /* a consumer's commit failed */
    LOAD_ERR_OTHER,
    LOAD_ERR__COUNT
} ks_load_err;

const char *load_err_name(ks_load_err err); /* "queue-full", "timed-out", ... */

typedef enum ks_load_worker_state {
    LOAD_WORKER_IDLE = 0, /* slot unused */
    LOAD_WORKER_STARTING, /* consumer: joining the group */
    LOAD_WORKER_RUNNING,
    LOAD_WORKER_FLUSHING, /* producer: all sent, waiting for delivery reports */
    LOAD_WORKER_LEAVING,  /* consumer: closing (LeaveGroup) */
    LOAD_WORKER_DONE,     /* producer finished; consumer left cleanly */
    LOAD_WORKER_KILLED,   /* consumer destroyed without LeaveGroup */
    LOAD_WORKER_FAILED,   /* could not start; see the run's error */
} ks_load_worker_state;

const char *load_worker_state_name(ks_load_worker_state st);

/* One producer thread. @locality written by its thread, read by any. */
typedef struct ks_load_producer {
    atomic_uint_fast64_t produced;    /* handed to librdkafka */
    atomic_uint_fast64_t acked;       /* delivery confirmed (acks 1/all) */
    atomic_uint_fast64_t failed;      /* delivery failed */
    atomic_uint_fast64_t unconfirmed; /* acks=0: delivered with no acknowledgement */
    atomic_uint_fast64_t bytes;       /* key + value bytes handed to librdkafka */
    atomic_uint_fast64_t errors[LOAD_ERR__COUNT];
    atomic_int state;                      /* ks_load_worker_state */
    atomic_int_fast64_t first_us, last_us; /* monotonic: first send, last report */
    ks_histogram latency;                  /* us from produce() to delivery report */
} ks_load_producer;

/* One consumer-group member. @locality written by its thread, read by any. */
typedef struct ks_load_member {
    atomic_int state; /* ks_load_worker_state */
    atomic_uint_fast64_t consumed, bytes, commits, rebalances;
    atomic_uint_fast64_t errors[LOAD_ERR__COUNT];
    atomic_int last_partition; /* -1 before the first message */
    atomic_int_fast64_t last_offset;
    ks_histogram e2e; /* us from the produce timestamp header */
} ks_load_member;

/* ---- the rebalance timeline ---- */

typedef enum ks_load_member_event {
    LOAD_MEMBER_JOINING, /* thread started, subscribing */
    LOAD_MEMBER_LEAVING, /* asked to close cleanly */
    LOAD_MEMBER_LEFT,    /* closed: LeaveGroup sent */
    LOAD_MEMBER_KILLED,  /* destroyed without LeaveGroup */
} ks_load_member_event;

typedef struct ks_load_rebalance_member {
    int member;       /* slot index */
    bool reported;    /* its assign callback for this generation arrived */
    bool gone;        /* leaving, left or killed by the end of this rebalance */
    ks_pset revoked;  /* taken away in this rebalance */
    ks_pset assigned; /* given in this rebalance (the whole set for eager
                       * assignors, the increment for cooperative-sticky) */
    ks_pset owned;    /* what it owns once the rebalance is done */
} ks_load_rebalance_member;

/* One rebalance of the run's group, as seen by its members' callbacks. */
typedef struct ks_load_rebalance {
    uint64_t seq; /* 1, 2, ... in the run */
    bool generation_valid;
    int32_t generation; /* the group generation the members joined */
    int64_t trigger_ms; /* wall: the join, leave or kill that caused it
                         * (= start_ms when no such event was seen) */
    int64_t start_ms;   /* wall: the first callback of the rebalance */
    int64_t end_ms;     /* wall: the last callback so far */
    bool stopped_valid;
    int64_t stopped_ms; /* longest time one partition had no owner */
    char cause[96];     /* "member 3 joined", "member 1 killed", ... */
    bool complete;      /* every live member reported this generation */
    bool cover_ok;      /* complete, and each partition owned exactly once */
    int unowned;        /* partitions owned by nobody at the end */
    int multiowned;     /* partitions owned by two members or more */
    int nmembers;
    ks_load_rebalance_member members[KS_LOAD_MAX_MEMBERS];
} ks_load_rebalance;

/* ---- what a view draws: one consistent copy ---- */

typedef enum ks_load_state {
    LOAD_IDLE = 0,
    LOAD_STARTING, /* creating the topic, registering the schema */
    LOAD_RUNNING,
    LOAD_DRAINING, /* producers done, consumers catching up */
    LOAD_STOPPING,
    LOAD_DONE,
    LOAD_FAILED, /* see error */
} ks_load_state;

const char *load_state_name(ks_load_state st);

typedef struct ks_load_quantiles {
    bool valid; /* false: nothing recorded (print "-") */
    uint64_t count;
    double p50_ms, p95_ms, p99_ms, max_ms;
} ks_load_quantiles;

typedef struct ks_load_member_stats {
    ks_load_worker_state state;
    char member_id[128]; /* the coordinator's id, "" before joining */
    bool generation_valid;
    int32_t generation;  /* last generation this member joined */
    uint64_t rebalances; /* assignments it received */
    ks_pset assigned;
    int nassigned;
    uint64_t consumed, bytes, commits, commit_errors;
    double rate; /* messages/s over the last tick */
    bool last_valid;
    int32_t last_partition;
    int64_t last_offset;
} ks_load_member_stats;

typedef struct ks_load_producer_stats {
    ks_load_worker_state state;
    uint64_t produced, acked, failed, unconfirmed;
    double rate; /* sends/s over the last tick */
} ks_load_producer_stats;

typedef struct ks_load_stats {
    uint64_t version; /* changes whenever something did */
    ks_load_state state;
    char error[256]; /* why the run failed or a start was refused */
    bool read_only;
    char run_id[24];
    ks_load_spec spec;  /* as running (group filled in) */
    int64_t started_ms; /* wall */
    int64_t elapsed_ms;
    int interval_ms; /* current pause between sends */
    int npartitions;
    bool producers_done;
    bool drained; /* producers done and consumers caught up */

    /* producers */
    int nproducers;
    uint64_t produced, acked, failed, unconfirmed, in_flight, bytes;
    uint64_t errors[LOAD_ERR__COUNT];  /* producers' and members' */
    double produce_rate, produce_mbps; /* last tick */
    double produce_avg_rate;           /* whole run: produced / sending time */
    ks_load_quantiles produce_latency, produce_latency_recent; /* run, last ~5 s */
    ks_load_producer_stats producer[KS_LOAD_MAX_PRODUCERS];

    /* consumers */
    int nmembers;                               /* slots used in this run */
    int nalive;                                 /* starting or running */
    uint64_t consumed, consumed_bytes, foreign; /* foreign: other runs' records */
    double consume_rate, consume_mbps;
    ks_load_quantiles e2e_latency, e2e_latency_recent;
    ks_load_member_stats member[KS_LOAD_MAX_MEMBERS];
    bool generation_valid;
    int32_t generation; /* highest generation any member joined */
    bool rebalancing;   /* a rebalance is open, or a join/leave/kill has
                         * happened that the group has not answered yet */
    int rebalances;     /* rebalances that assigned partitions (a group's
                         * first join counts; the final close does not) */

    /* the workbook's map: updates per courier id */
    int ncouriers; /* ids 0 .. ncouriers-1 */
    uint64_t courier_updates[KS_LOAD_MAX_COURIERS];
    uint64_t courier_other; /* ids beyond the table */

    /* sparklines, oldest first */
    int nhistory;
    float history_produce[KS_LOAD_HISTORY]; /* messages/s */
    float history_consume[KS_LOAD_HISTORY];

    /* delivery audit (final once drained) */
    bool audit_valid; /* a run with consumers has started */
    ks_audit_counts audit;
    ks_audit_counts audit_thread[KS_LOAD_MAX_PRODUCERS];
    uint64_t audit_bytes;
} ks_load_stats;

/* ---- the object ---- */

typedef struct ks_load ks_load;

ks_load *load_new(void);
void load_free(ks_load *load); /* after the service stopped; NULL is fine */

/* @locality main thread, before any worker. */
void load_set_read_only(ks_load *load, bool read_only);
void load_set_timeline(ks_load *load, ks_timeline *tl); /* borrowed; NULL: none */
bool load_read_only(const ks_load *load);               /* @locality any thread */

/* @locality any thread: copies out under the lock. */
void load_stats(ks_load *load, ks_load_stats *out);
/* Up to max rebalances, oldest first; returns the count. */
int load_rebalances(ks_load *load, ks_load_rebalance *out, int max);
uint64_t load_version(ks_load *load); /* cheap: redraw when it changed */
/* Waits until the version differs from seen, or timeout_ms passed; returns
 * the version. For loops that would otherwise poll. */
uint64_t load_wait(ks_load *load, uint64_t seen, int timeout_ms);
/* Wakes load_wait()ers: a worker finished (the version moves). */
void load_notify(ks_load *load);

/* ---- the run, @locality the load service (one run at a time) ---- */

/* Resets everything for a new run with nproducers threads on a topic of
 * npartitions; creates the audit. Returns the spec it keeps. */
void load_run_begin(ks_load *load, const ks_load_spec *spec, const char *run_id, int npartitions,
                    int64_t now_wall_ms);
void load_set_state(ks_load *load, ks_load_state st);
ks_load_state load_state(ks_load *load);
void load_set_error(ks_load *load, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void load_set_producers_done(ks_load *load);
/* nmembers: the member slots the decision saw (ks_load_stats.nmembers);
 * the decision no longer counts once another member has joined. */
void load_set_drained(ks_load *load, bool drained, int nmembers);
/* True once per run, when its spec says stop_when_drained and the run has
 * drained: the front-end (the dashboard) then sends KS_CMD_LOAD_STOP. The
 * service never stops a run by itself (service_load.h). */
bool load_take_drained_stop(ks_load *load);
/* @locality any worker of the run; the pointers stay valid until the next
 * load_run_begin (they point into the ks_load). */
ks_audit *load_audit(ks_load *load);
ks_load_producer *load_producer(ks_load *load, int t);
ks_load_member *load_member(ks_load *load, int m);

/* Pause between sends, read by producer threads before every send. */
void load_set_interval(ks_load *load, int ms);
int load_interval(const ks_load *load);

/* ---- fed by consumers, @locality any worker ---- */
void load_courier_update(ks_load *load, int courier_id);
void load_foreign(ks_load *load, uint64_t n);
/* The consumed position of a partition: max over all reports. */
void load_position(ks_load *load, int32_t partition, int64_t next_offset);
int64_t load_position_get(ks_load *load, int32_t partition); /* -1 unknown */
int64_t load_last_consume_ms(ks_load *load);                 /* monotonic ms of the last record */
void load_consumed_now(ks_load *load, int64_t mono_ms);

/* A member's life: starts, is asked to leave, left, was killed. */
void load_member_event(ks_load *load, int m, ks_load_member_event ev, int64_t now_wall_ms);
void load_member_id(ks_load *load, int m, const char *member_id);
/* A rebalance callback of member m: assign (true) or revoke (false) of
 * parts[0..n) of the load topic; incremental for cooperative-sticky;
 * generation -1 when unknown. */
void load_rebalance(ks_load *load, int m, bool assign, bool incremental, int32_t generation,
                    const int32_t *parts, int n, int64_t now_wall_ms);

/* ---- @locality the run monitor, about once a second ---- */
void load_tick(ks_load *load, int64_t now_mono_ms, int64_t now_wall_ms);

#endif
