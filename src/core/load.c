/* load: the shared load-run object: counters, ticks and the copy-out.
 *
 * DESIGN: see load.h. Workers write atomics in their own ks_load_producer /
 * ks_load_member; everything derived (rates, windows, audit summary) is
 * computed by load_tick() on the monitor thread under `lock`, so
 * load_stats() is a cheap copy for the UI thread. The rebalance timeline
 * lives in load_rebalance.c on the same struct (load_int.h). */
#include "load.h"
#include "load_int.h"
#include "xmalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RELAXED memory_order_relaxed

static const char *const err_names[LOAD_ERR__COUNT] = {
    "queue-full", "timed-out", "not-enough-replicas", "no-leader", "transport", "purged",
    "commit",     "other"};

const char *load_err_name(ks_load_err err)
{
    return (unsigned)err < LOAD_ERR__COUNT ? err_names[err] : "?";
}

const char *load_worker_state_name(ks_load_worker_state st)
{
    static const char *const names[] = {"idle",    "joining", "running", "flushing",
                                        "leaving", "done",    "killed",  "failed"};
    return (unsigned)st < sizeof(names) / sizeof(names[0]) ? names[st] : "?";
}

const char *load_state_name(ks_load_state st)
{
    static const char *const names[] = {"idle",     "starting", "running", "draining",
                                        "stopping", "done",     "failed"};
    return (unsigned)st < sizeof(names) / sizeof(names[0]) ? names[st] : "?";
}

void load_bump(ks_load *load)
{
    atomic_fetch_add_explicit(&load->version, 1, RELAXED);
    /* under the bell lock, so that a waiter between its version check and
     * its wait cannot miss this */
    pthread_mutex_lock(&load->bell_lock);
    pthread_cond_broadcast(&load->bell);
    pthread_mutex_unlock(&load->bell_lock);
}

void load_notify(ks_load *load)
{
    load_bump(load);
}

uint64_t load_wait(ks_load *load, uint64_t seen, int timeout_ms)
{
    struct timespec until;
    uint64_t v;

    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L)
        until.tv_sec++, until.tv_nsec -= 1000000000L;
    pthread_mutex_lock(&load->bell_lock);
    while ((v = load_version(load)) == seen &&
           pthread_cond_timedwait(&load->bell, &load->bell_lock, &until) == 0)
        ;
    pthread_mutex_unlock(&load->bell_lock);
    return load_version(load);
}

static void counters_reset(ks_load *load)
{
    for (int t = 0; t < KS_LOAD_MAX_PRODUCERS; t++) {
        ks_load_producer *p = &load->producers[t];
        atomic_store(&p->produced, 0);
        atomic_store(&p->acked, 0);
        atomic_store(&p->failed, 0);
        atomic_store(&p->unconfirmed, 0);
        atomic_store(&p->bytes, 0);
        for (int e = 0; e < LOAD_ERR__COUNT; e++)
            atomic_store(&p->errors[e], 0);
        atomic_store(&p->state, LOAD_WORKER_IDLE);
        atomic_store(&p->first_us, 0);
        atomic_store(&p->last_us, 0);
        histogram_init(&p->latency);
    }
    for (int m = 0; m < KS_LOAD_MAX_MEMBERS; m++) {
        ks_load_member *mb = &load->members[m];
        atomic_store(&mb->state, LOAD_WORKER_IDLE);
        atomic_store(&mb->consumed, 0);
        atomic_store(&mb->bytes, 0);
        atomic_store(&mb->commits, 0);
        atomic_store(&mb->rebalances, 0);
        for (int e = 0; e < LOAD_ERR__COUNT; e++)
            atomic_store(&mb->errors[e], 0);
        atomic_store(&mb->last_partition, -1);
        atomic_store(&mb->last_offset, -1);
        histogram_init(&mb->e2e);
    }
    for (int c = 0; c < KS_LOAD_MAX_COURIERS; c++)
        atomic_store(&load->couriers[c], 0);
    atomic_store(&load->courier_other, 0);
    atomic_store(&load->foreign, 0);
    for (int p = 0; p < KS_LOAD_MAX_PARTITIONS; p++)
        atomic_store(&load->positions[p], -1);
    atomic_store(&load->last_consume_ms, 0);
}

ks_load *load_new(void)
{
    ks_load *load = xcalloc(1, sizeof(*load));

    pthread_mutex_init(&load->lock, NULL);
    pthread_mutex_init(&load->bell_lock, NULL);
    {
        pthread_condattr_t ca;
        pthread_condattr_init(&ca);
        pthread_condattr_setclock(&ca, CLOCK_MONOTONIC); /* load_wait's deadline */
        pthread_cond_init(&load->bell, &ca);
        pthread_condattr_destroy(&ca);
    }
    load_spec_defaults(&load->spec);
    load->prod_now = xmalloc(sizeof(ks_histogram));
    load->e2e_now = xmalloc(sizeof(ks_histogram));
    histogram_init(load->prod_now);
    histogram_init(load->e2e_now);
    for (int i = 0; i < LOAD_WINDOW_TICKS; i++) {
        load->prod_win[i] = xmalloc(sizeof(ks_histogram));
        load->e2e_win[i] = xmalloc(sizeof(ks_histogram));
    }
    counters_reset(load);
    load->reb_open = -1;
    return load;
}

void load_free(ks_load *load)
{
    if (!load)
        return;
    audit_free(load->audit);
    free(load->prod_now);
    free(load->e2e_now);
    for (int i = 0; i < LOAD_WINDOW_TICKS; i++) {
        free(load->prod_win[i]);
        free(load->e2e_win[i]);
    }
    pthread_mutex_destroy(&load->lock);
    pthread_mutex_destroy(&load->bell_lock);
    pthread_cond_destroy(&load->bell);
    free(load);
}

void load_set_read_only(ks_load *load, bool read_only)
{
    atomic_store(&load->read_only, read_only);
    load_bump(load);
}

void load_set_timeline(ks_load *load, ks_timeline *tl)
{
    load->tl = tl;
}

bool load_read_only(const ks_load *load)
{
    return atomic_load(&((ks_load *)load)->read_only);
}

uint64_t load_version(ks_load *load)
{
    return atomic_load_explicit(&load->version, RELAXED);
}

void load_run_begin(ks_load *load, const ks_load_spec *spec, const char *run_id, int npartitions,
                    int64_t now_wall_ms)
{
    pthread_mutex_lock(&load->lock);
    audit_free(load->audit);
    load->audit = audit_new(spec->producers > 0 ? spec->producers : 1, npartitions);
    load->spec = *spec;
    snprintf(load->run_id, sizeof(load->run_id), "%s", run_id);
    load->state = LOAD_STARTING;
    load->error[0] = '\0';
    load->started_wall_ms = now_wall_ms;
    load->started_mono_ms = 0;
    load->npartitions = npartitions;
    load->producers_done = spec->producers == 0;
    load->drained = false;
    load->stop_taken = false;
    atomic_store(&load->interval_ms, spec->interval_ms);
    counters_reset(load);
    memset(load->mp, 0, sizeof(load->mp));
    load->nmembers = 0;
    load_rebalance_reset(load);
    load->prev_tick_ms = 0;
    memset(load->prev_produced, 0, sizeof(load->prev_produced));
    memset(load->producer_rate, 0, sizeof(load->producer_rate));
    load->prev_produced_sum = load->prev_produced_bytes = 0;
    load->prev_consumed_sum = load->prev_consumed_bytes = 0;
    load->produce_rate = load->produce_mbps = load->consume_rate = load->consume_mbps = 0;
    load->nhistory = load->history_pos = 0;
    histogram_init(load->prod_now);
    histogram_init(load->e2e_now);
    load->win_pos = load->win_fill = 0;
    memset(&load->produce_latency, 0, sizeof(load->produce_latency));
    load->produce_recent = load->e2e_latency = load->e2e_recent = load->produce_latency;
    load->audit_valid = spec->consumers > 0;
    memset(&load->audit_all, 0, sizeof(load->audit_all));
    memset(load->audit_thread, 0, sizeof(load->audit_thread));
    load->audit_bytes = 0;
    pthread_mutex_unlock(&load->lock);
    load_bump(load);
}

void load_set_state(ks_load *load, ks_load_state st)
{
    pthread_mutex_lock(&load->lock);
    load->state = st;
    pthread_mutex_unlock(&load->lock);
    load_bump(load);
}

ks_load_state load_state(ks_load *load)
{
    pthread_mutex_lock(&load->lock);
    ks_load_state st = load->state;
    pthread_mutex_unlock(&load->lock);
    return st;
}

void load_set_error(ks_load *load, const char *fmt, ...)
{
    va_list ap;
    pthread_mutex_lock(&load->lock);
    va_start(ap, fmt);
    vsnprintf(load->error, sizeof(load->error), fmt, ap);
    va_end(ap);
    pthread_mutex_unlock(&load->lock);
    load_bump(load);
}

void load_set_producers_done(ks_load *load)
{
    pthread_mutex_lock(&load->lock);
    load->producers_done = true;
    pthread_mutex_unlock(&load->lock);
    load_bump(load);
}

void load_set_drained(ks_load *load, bool drained, int nmembers)
{
    pthread_mutex_lock(&load->lock);
    load->drained = drained;
    load->drained_nmembers = nmembers;
    pthread_mutex_unlock(&load->lock);
    load_bump(load);
}

bool load_take_drained_stop(ks_load *load)
{
    bool due;

    pthread_mutex_lock(&load->lock);
    due = load->spec.stop_when_drained && !load->stop_taken && load->state == LOAD_DRAINING &&
          load->producers_done && load->drained && load->drained_nmembers == load->nmembers;
    if (due)
        load->stop_taken = true;
    pthread_mutex_unlock(&load->lock);
    return due;
}

ks_audit *load_audit(ks_load *load)
{
    return load->audit;
}

ks_load_producer *load_producer(ks_load *load, int t)
{
    return t >= 0 && t < KS_LOAD_MAX_PRODUCERS ? &load->producers[t] : NULL;
}

ks_load_member *load_member(ks_load *load, int m)
{
    return m >= 0 && m < KS_LOAD_MAX_MEMBERS ? &load->members[m] : NULL;
}

void load_set_interval(ks_load *load, int ms)
{
    atomic_store(&load->interval_ms, ms < 0 ? 0 : ms);
    load_bump(load);
}

int load_interval(const ks_load *load)
{
    return atomic_load_explicit(&((ks_load *)load)->interval_ms, RELAXED);
}

void load_courier_update(ks_load *load, int id)
{
    if (id >= 0 && id < KS_LOAD_MAX_COURIERS)
        atomic_fetch_add_explicit(&load->couriers[id], 1, RELAXED);
    else
        atomic_fetch_add_explicit(&load->courier_other, 1, RELAXED);
}

void load_foreign(ks_load *load, uint64_t n)
{
    atomic_fetch_add_explicit(&load->foreign, n, RELAXED);
}

void load_position(ks_load *load, int32_t p, int64_t next_offset)
{
    if (p < 0 || p >= KS_LOAD_MAX_PARTITIONS)
        return;
    int_fast64_t cur = atomic_load_explicit(&load->positions[p], RELAXED);
    while (next_offset > cur && !atomic_compare_exchange_weak_explicit(
                                    &load->positions[p], &cur, next_offset, RELAXED, RELAXED))
        ;
}

int64_t load_position_get(ks_load *load, int32_t p)
{
    if (p < 0 || p >= KS_LOAD_MAX_PARTITIONS)
        return -1;
    return atomic_load_explicit(&load->positions[p], RELAXED);
}

int64_t load_last_consume_ms(ks_load *load)
{
    return atomic_load_explicit(&load->last_consume_ms, RELAXED);
}

void load_consumed_now(ks_load *load, int64_t mono_ms)
{
    atomic_store_explicit(&load->last_consume_ms, mono_ms, RELAXED);
}

/* ---- the tick ---- */

static ks_load_quantiles quantiles(const ks_histogram *h)
{
    ks_load_quantiles q = {0};
    bool valid;
    q.p50_ms = (double)histogram_quantile(h, 0.50, &valid) / 1000.0;
    q.valid = valid;
    if (!valid)
        return q;
    q.count = histogram_count(h);
    q.p95_ms = (double)histogram_quantile(h, 0.95, NULL) / 1000.0;
    q.p99_ms = (double)histogram_quantile(h, 0.99, NULL) / 1000.0;
    q.max_ms = (double)histogram_max(h) / 1000.0;
    return q;
}

static uint64_t ld(atomic_uint_fast64_t *v)
{
    return atomic_load_explicit(v, RELAXED);
}

/* @locks lock held */
static void tick_histograms(ks_load *load)
{
    ks_histogram *oldest_p, *oldest_e, win;

    histogram_init(load->prod_now);
    histogram_init(load->e2e_now);
    for (int t = 0; t < KS_LOAD_MAX_PRODUCERS; t++)
        histogram_merge(load->prod_now, &load->producers[t].latency);
    for (int m = 0; m < load->nmembers; m++)
        histogram_merge(load->e2e_now, &load->members[m].e2e);
    load->produce_latency = quantiles(load->prod_now);
    load->e2e_latency = quantiles(load->e2e_now);
    /* the window: now minus the copy taken LOAD_WINDOW_TICKS ticks ago */
    oldest_p = load->prod_win[load->win_pos];
    oldest_e = load->e2e_win[load->win_pos];
    if (load->win_fill < LOAD_WINDOW_TICKS) {
        histogram_init(oldest_p); /* not that many ticks yet: since the start */
        histogram_init(oldest_e);
        load->win_fill++;
    }
    histogram_diff(&win, load->prod_now, oldest_p);
    load->produce_recent = quantiles(&win);
    histogram_diff(&win, load->e2e_now, oldest_e);
    load->e2e_recent = quantiles(&win);
    histogram_copy(oldest_p, load->prod_now);
    histogram_copy(oldest_e, load->e2e_now);
    load->win_pos = (load->win_pos + 1) % LOAD_WINDOW_TICKS;
}

void load_tick(ks_load *load, int64_t now_mono_ms, int64_t now_wall_ms)
{
    (void)now_wall_ms;
    pthread_mutex_lock(&load->lock);
    double dt = load->prev_tick_ms ? (double)(now_mono_ms - load->prev_tick_ms) / 1000.0 : 0;
    uint64_t produced = 0, pbytes = 0, consumed = 0, cbytes = 0;

    if (!load->started_mono_ms)
        load->started_mono_ms = now_mono_ms;
    for (int t = 0; t < KS_LOAD_MAX_PRODUCERS; t++) {
        uint64_t n = ld(&load->producers[t].produced);
        if (dt > 0)
            load->producer_rate[t] = (double)(n - load->prev_produced[t]) / dt;
        load->prev_produced[t] = n;
        produced += n;
        pbytes += ld(&load->producers[t].bytes);
    }
    for (int m = 0; m < load->nmembers; m++) {
        uint64_t n = ld(&load->members[m].consumed);
        if (dt > 0)
            load->mp[m].rate = (double)(n - load->mp[m].prev_consumed) / dt;
        load->mp[m].prev_consumed = n;
        consumed += n;
        cbytes += ld(&load->members[m].bytes);
    }
    if (dt > 0) {
        load->produce_rate = (double)(produced - load->prev_produced_sum) / dt;
        load->produce_mbps = (double)(pbytes - load->prev_produced_bytes) / dt / 1e6;
        load->consume_rate = (double)(consumed - load->prev_consumed_sum) / dt;
        load->consume_mbps = (double)(cbytes - load->prev_consumed_bytes) / dt / 1e6;
        load->history_produce[load->history_pos] = (float)load->produce_rate;
        load->history_consume[load->history_pos] = (float)load->consume_rate;
        load->history_pos = (load->history_pos + 1) % KS_LOAD_HISTORY;
        if (load->nhistory < KS_LOAD_HISTORY)
            load->nhistory++;
    }
    load->prev_produced_sum = produced;
    load->prev_produced_bytes = pbytes;
    load->prev_consumed_sum = consumed;
    load->prev_consumed_bytes = cbytes;
    load->prev_tick_ms = now_mono_ms;
    tick_histograms(load);
    if (load->audit && load->audit_valid) {
        audit_summarize(load->audit, &load->audit_all, load->audit_thread, KS_LOAD_MAX_PRODUCERS);
        load->audit_bytes = audit_bytes(load->audit);
    }
    pthread_mutex_unlock(&load->lock);
    load_bump(load);
}

/* ---- the copy-out ---- */

void load_stats(ks_load *load, ks_load_stats *out)
{
    memset(out, 0, sizeof(*out));
    out->version = load_version(load);
    out->read_only = load_read_only(load);
    out->interval_ms = load_interval(load);
    pthread_mutex_lock(&load->lock);
    out->state = load->state;
    snprintf(out->error, sizeof(out->error), "%s", load->error);
    snprintf(out->run_id, sizeof(out->run_id), "%s", load->run_id);
    out->spec = load->spec;
    out->started_ms = load->started_wall_ms;
    out->elapsed_ms = load->prev_tick_ms && load->started_mono_ms
                          ? load->prev_tick_ms - load->started_mono_ms
                          : 0;
    out->npartitions = load->npartitions;
    out->producers_done = load->producers_done;
    /* a member that joined since the decision has not been waited for */
    out->drained = load->drained && load->drained_nmembers == load->nmembers;

    out->nproducers = load->spec.producers;
    int64_t first = 0, last = 0;
    for (int t = 0; t < out->nproducers && t < KS_LOAD_MAX_PRODUCERS; t++) {
        ks_load_producer *p = &load->producers[t];
        ks_load_producer_stats *ps = &out->producer[t];
        ps->state = atomic_load(&p->state);
        ps->produced = ld(&p->produced);
        ps->acked = ld(&p->acked);
        ps->failed = ld(&p->failed);
        ps->unconfirmed = ld(&p->unconfirmed);
        ps->rate = load->producer_rate[t];
        out->produced += ps->produced;
        out->acked += ps->acked;
        out->failed += ps->failed;
        out->unconfirmed += ps->unconfirmed;
        out->bytes += ld(&p->bytes);
        for (int e = 0; e < LOAD_ERR__COUNT; e++)
            out->errors[e] += ld(&p->errors[e]);
        int64_t f = atomic_load(&p->first_us), l = atomic_load(&p->last_us);
        if (f && (!first || f < first))
            first = f;
        if (l > last)
            last = l;
    }
    uint64_t settled = out->acked + out->failed + out->unconfirmed;
    out->in_flight = out->produced > settled ? out->produced - settled : 0;
    if (first && last > first)
        out->produce_avg_rate = (double)out->produced * 1e6 / (double)(last - first);
    out->produce_rate = load->produce_rate;
    out->produce_mbps = load->produce_mbps;
    out->produce_latency = load->produce_latency;
    out->produce_latency_recent = load->produce_recent;

    out->nmembers = load->nmembers;
    for (int m = 0; m < load->nmembers; m++) {
        ks_load_member *mb = &load->members[m];
        ks_load_member_stats *ms = &out->member[m];
        load_member_priv *mp = &load->mp[m];
        ms->state = atomic_load(&mb->state);
        if (ms->state == LOAD_WORKER_STARTING || ms->state == LOAD_WORKER_RUNNING)
            out->nalive++;
        snprintf(ms->member_id, sizeof(ms->member_id), "%s", mp->member_id);
        ms->generation_valid = mp->generation_valid;
        ms->generation = mp->generation;
        ms->rebalances = ld(&mb->rebalances);
        ms->assigned = mp->owned;
        ms->nassigned = load_pset_count(&mp->owned);
        ms->consumed = ld(&mb->consumed);
        ms->bytes = ld(&mb->bytes);
        ms->commits = ld(&mb->commits);
        ms->commit_errors = ld(&mb->errors[LOAD_ERR_COMMIT]);
        ms->rate = mp->rate;
        ms->last_partition = atomic_load(&mb->last_partition);
        ms->last_offset = atomic_load(&mb->last_offset);
        ms->last_valid = ms->last_partition >= 0;
        out->consumed += ms->consumed;
        out->consumed_bytes += ms->bytes;
        for (int e = 0; e < LOAD_ERR__COUNT; e++)
            out->errors[e] += ld(&mb->errors[e]);
        if (mp->generation_valid && (!out->generation_valid || mp->generation > out->generation)) {
            out->generation_valid = true;
            out->generation = mp->generation;
        }
    }
    out->foreign = ld(&load->foreign);
    out->consume_rate = load->consume_rate;
    out->consume_mbps = load->consume_mbps;
    out->e2e_latency = load->e2e_latency;
    out->e2e_latency_recent = load->e2e_recent;
    out->rebalances = load->reb_assigned;
    out->rebalancing = load->reb_open >= 0 || load->pending_cause[0];

    out->ncouriers = load->spec.producers * load->spec.couriers;
    if (out->ncouriers > KS_LOAD_MAX_COURIERS)
        out->ncouriers = KS_LOAD_MAX_COURIERS;
    for (int c = 0; c < KS_LOAD_MAX_COURIERS; c++)
        out->courier_updates[c] = ld(&load->couriers[c]);
    out->courier_other = ld(&load->courier_other);

    out->nhistory = load->nhistory;
    for (int i = 0; i < load->nhistory; i++) {
        int at = (load->history_pos - load->nhistory + i + KS_LOAD_HISTORY) % KS_LOAD_HISTORY;
        out->history_produce[i] = load->history_produce[at];
        out->history_consume[i] = load->history_consume[at];
    }

    out->audit_valid = load->audit_valid;
    out->audit = load->audit_all;
    memcpy(out->audit_thread, load->audit_thread, sizeof(out->audit_thread));
    out->audit_bytes = load->audit_bytes;
    pthread_mutex_unlock(&load->lock);
}
