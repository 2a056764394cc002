/* load_int: the private layout of ks_load, shared by load.c (counters,
 * stats, ticks) and load_rebalance.c (the rebalance timeline). Nothing
 * outside those two files includes it. */
#ifndef KS_LOAD_INT_H
#define KS_LOAD_INT_H

#include "load.h"

#include <pthread.h>

#define LOAD_WINDOW_TICKS 5 /* "recent" percentiles cover the last 5 ticks */

/* What the lock guards about a member besides its atomic counters. */
typedef struct load_member_priv {
    bool used;  /* slot taken in this run */
    bool alive; /* joining or running (counts for completeness) */
    char member_id[128];
    bool generation_valid;
    int32_t generation;
    ks_pset owned;
    double rate; /* last tick */
    uint64_t prev_consumed;
} load_member_priv;

/* Something changed: a new version, and waiters in load_wait() wake. */
void load_bump(ks_load *load);

struct ks_load {
    pthread_mutex_t lock;
    atomic_bool read_only;
    ks_timeline *tl;
    atomic_uint_fast64_t version;
    pthread_mutex_t bell_lock; /* with `bell`: load_wait() sleeps until version moves */
    pthread_cond_t bell;
    atomic_int interval_ms;

    /* ---- the run, under lock ---- */
    ks_load_state state;
    char error[256];
    char run_id[24];
    ks_load_spec spec;
    int64_t started_wall_ms, started_mono_ms;
    int npartitions;
    bool producers_done, drained;
    int drained_nmembers; /* member slots when `drained` was decided */
    bool stop_taken;      /* load_take_drained_stop() answered yes for this run */
    ks_audit *audit;      /* created by load_run_begin, freed by the next one */

    /* ---- lock-free, per worker ---- */
    ks_load_producer producers[KS_LOAD_MAX_PRODUCERS];
    ks_load_member members[KS_LOAD_MAX_MEMBERS];
    atomic_uint_fast64_t couriers[KS_LOAD_MAX_COURIERS];
    atomic_uint_fast64_t courier_other;
    atomic_uint_fast64_t foreign;
    atomic_int_fast64_t positions[KS_LOAD_MAX_PARTITIONS];
    atomic_int_fast64_t last_consume_ms;

    /* ---- members and rebalances, under lock ---- */
    load_member_priv mp[KS_LOAD_MAX_MEMBERS];
    int nmembers;
    ks_load_rebalance reb[KS_LOAD_MAX_REBALANCES]; /* ring */
    uint64_t reb_count;                            /* records ever created in the run */
    int reb_assigned;                              /* records with at least one assignment */
    int reb_open;                                  /* ring index of the open record, -1 none */
    int64_t unowned_since[KS_LOAD_MAX_PARTITIONS]; /* wall ms, 0 = owned or never */
    char pending_cause[96];
    int64_t pending_trigger_ms;

    /* ---- computed by load_tick, under lock ---- */
    int64_t prev_tick_ms;
    uint64_t prev_produced[KS_LOAD_MAX_PRODUCERS];
    double producer_rate[KS_LOAD_MAX_PRODUCERS];
    uint64_t prev_produced_sum, prev_produced_bytes, prev_consumed_sum, prev_consumed_bytes;
    double produce_rate, produce_mbps, consume_rate, consume_mbps;
    int nhistory, history_pos;
    float history_produce[KS_LOAD_HISTORY], history_consume[KS_LOAD_HISTORY];
    ks_histogram *prod_now, *e2e_now; /* merged at the tick */
    ks_histogram *prod_win[LOAD_WINDOW_TICKS], *e2e_win[LOAD_WINDOW_TICKS];
    int win_pos, win_fill;
    ks_load_quantiles produce_latency, produce_recent, e2e_latency, e2e_recent;
    bool audit_valid;
    ks_audit_counts audit_all;
    ks_audit_counts audit_thread[KS_LOAD_MAX_PRODUCERS];
    uint64_t audit_bytes;
};

/* load_rebalance.c: reset the timeline for a new run. @locks lock held */
void load_rebalance_reset(ks_load *load);

#endif
