/* worker_tail: consume, decode (or sample), push rows, wake the UI.
 *
 * DESIGN: the worker struct is shared between the thread that started it
 * (pause, stop) and the worker thread through two atomics; everything else
 * is the worker thread's. */
#define _GNU_SOURCE /* uselocale */
#include "worker_tail.h"
#include "clock.h"
#include "log.h"
#include "tail_decode.h"
#include "tail_source.h"
#include "xmalloc.h"

#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 500
#define WAKE_MS 50
#define SAMPLE_CHECK_MS 500
#define BACKLOG_HIGH 20000
#define BACKLOG_LOW 2000
#define STRIDE_MAX 1024

struct ks_tail_worker {
    pthread_t thread;
    atomic_bool stop;
    atomic_bool pause;
    ks_tail *tail;
    ks_store *store;
    char *bootstrap, *registry, *topic;
    ks_props props;
    ks_tail_opts opts;
    int timeout_ms;
};

static bool stopping(void *ctx)
{
    ks_tail_worker *w = ctx;
    return atomic_load(&w->stop);
}

typedef struct run_state {
    ks_tail_source *src;
    ks_tail_decoder *dec;
    ks_tail_row **rows;
    int stride;       /* decode one message in `stride` */
    uint64_t counter; /* messages seen, for the stride */
    int64_t last_wake, last_check;
    int64_t seen;
    bool lost; /* the "all brokers are down" warning is shown */
    rd_kafka_message_t *held[BATCH]; /* a batch that came in as the pause began */
    int nheld;
} run_state;

static void wake(ks_tail_worker *w, run_state *rs, bool force)
{
    int64_t now = clock_mono_ms();
    if (force || now - rs->last_wake >= WAKE_MS) {
        rs->last_wake = now;
        if (w->store)
            store_wake(w->store);
    }
}

static void adjust_sampling(ks_tail_worker *w, run_state *rs)
{
    int64_t now = clock_mono_ms();
    int backlog, stride = rs->stride;

    if (now - rs->last_check < SAMPLE_CHECK_MS)
        return;
    rs->last_check = now;
    backlog = tail_source_backlog(rs->src);
    if (backlog > BACKLOG_HIGH && stride < STRIDE_MAX)
        stride *= 2;
    else if (backlog < BACKLOG_LOW && stride > 1)
        stride /= 2;
    if ((stride > 1) != (rs->stride > 1))
        tail_set_sampling(w->tail, stride > 1);
    rs->stride = stride;
}

/* One batch: returns false when the tail is finished. */
static bool step(ks_tail_worker *w, run_state *rs)
{
    rd_kafka_message_t *msgs[BATCH];
    ks_tail_counts counts = {0};
    ks_tail_row row;
    char warning[400];
    int n, nrows = 0, want = BATCH;
    if (atomic_load(&w->pause)) { /* see tail_source_serve() */
        tail_source_serve(rs->src);
        clock_sleep_ms(100);
        return true;
    }
    if (rs->nheld) {
        n = rs->nheld;
        memcpy(msgs, rs->held, sizeof(*msgs) * (size_t)n);
        rs->nheld = 0;
    } else {
        if (w->opts.count && w->opts.count - rs->seen < want)
            want = (int)(w->opts.count - rs->seen);
        n = tail_source_next(rs->src, msgs, want, 100);
        /* the pause came while this batch was awaited: once the view says
         * paused, nothing new may show; these wait for the resume */
        if (n > 0 && atomic_load(&w->pause)) {
            memcpy(rs->held, msgs, sizeof(*msgs) * (size_t)n);
            rs->nheld = n;
            return true;
        }
    }
    for (int i = 0; i < n; i++) {
        rd_kafka_message_t *m = msgs[i];
        counts.scanned++;
        counts.bytes += m->key_len + m->len;
        if (rs->stride > 1 && rs->counter++ % (uint64_t)rs->stride != 0) {
            counts.sampled++;
        } else {
            tail_decoder_row(rs->dec, m, w->topic, &row);
            counts.decode_errors += (row.key.error != NULL) + (row.value.error != NULL);
            rs->rows[nrows++] = tail_row_dup(&row);
        }
        rd_kafka_message_destroy(m);
    }
    rs->seen += n;
    if (n > 0) {
        tail_push(w->tail, rs->rows, nrows, &counts);
        tail_set_progress(w->tail, tail_source_partitions(rs->src),
                          tail_source_partitions_done(rs->src));
        wake(w, rs, false);
    }
    if (tail_source_take_error(rs->src, warning, sizeof(warning))) {
        tail_set_state(w->tail, KS_TAIL_RUNNING, warning);
        wake(w, rs, true);
    }
    /* librdkafka reports "all brokers down" to the error callback, not in
     * the message stream: say it while it lasts, clear it when it is over */
    bool lost = n == 0 && tail_source_cluster_lost(rs->src, 2000);
    if (lost != rs->lost && (lost || n > 0)) {
        tail_set_state(w->tail, KS_TAIL_RUNNING,
                       lost ? "cannot reach the cluster: all brokers are down (retrying)" : "");
        rs->lost = lost;
        wake(w, rs, true);
    }
    adjust_sampling(w, rs);
    if ((w->opts.count && rs->seen >= w->opts.count) || tail_source_done(rs->src)) {
        tail_set_progress(w->tail, tail_source_partitions(rs->src),
                          tail_source_partitions_done(rs->src));
        tail_set_state(w->tail, KS_TAIL_DONE, "");
        return false;
    }
    return true;
}

static void *worker_main(void *arg)
{
    ks_tail_worker *w = arg;
    sigset_t all;
    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    run_state rs = {.stride = 1};
    char err[512];

    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL); /* signals belong to the UI thread */
    if (c)
        uselocale(c); /* numbers in JSON use '.', whatever the UI's locale */
    rs.src = tail_source_open(
        &(ks_tail_source_cfg){
            .kafka = {.bootstrap = w->bootstrap, .props = &w->props},
            .topic = w->topic,
            .opts = &w->opts,
            .timeout_ms = w->timeout_ms,
            .queue_kbytes = 8192, /* the view samples: memory matters more than throughput */
            .stopping = stopping,
            .stopping_ctx = w,
        },
        err, sizeof(err));
    if (!rs.src) {
        if (!atomic_load(&w->stop)) {
            tail_set_state(w->tail, KS_TAIL_FAILED, err);
            log_printf(KS_SEV_ERROR, "tail", "%s", err);
        }
        wake(w, &rs, true);
        goto out;
    }
    rs.dec = tail_decoder_new(w->registry, w->opts.key_fmt, w->opts.value_fmt);
    rs.rows = xmalloc(sizeof(*rs.rows) * BATCH);
    tail_set_progress(w->tail, tail_source_partitions(rs.src), tail_source_partitions_done(rs.src));
    tail_set_state(w->tail, KS_TAIL_RUNNING, "");
    wake(w, &rs, true);
    while (!atomic_load(&w->stop) && step(w, &rs))
        ;
    wake(w, &rs, true);
    for (int i = 0; i < rs.nheld; i++)
        rd_kafka_message_destroy(rs.held[i]);
    free(rs.rows);
    tail_decoder_free(rs.dec);
    tail_source_close(rs.src);
out:
    if (c) {
        uselocale(LC_GLOBAL_LOCALE);
        freelocale(c);
    }
    return NULL;
}

ks_tail_worker *tail_worker_start(const ks_tail_worker_cfg *cfg, ks_tail *tail, ks_store *store)
{
    ks_tail_worker *w = xcalloc(1, sizeof(*w));

    w->tail = tail;
    w->store = store;
    w->bootstrap = xstrdup(cfg->bootstrap);
    w->registry = xstrdup(cfg->registry);
    w->topic = xstrdup(cfg->topic);
    if (cfg->props)
        props_copy(&w->props, cfg->props);
    tail_opts_copy(&w->opts, cfg->opts);
    w->timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : 10000;
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0)
        ks_fatal("cannot start the tail thread");
    return w;
}

void tail_worker_pause(ks_tail_worker *w, bool pause)
{
    if (w)
        atomic_store(&w->pause, pause);
}

void tail_worker_stop(ks_tail_worker *w)
{
    if (!w)
        return;
    atomic_store(&w->stop, true);
    pthread_join(w->thread, NULL);
    free(w->bootstrap);
    free(w->registry);
    free(w->topic);
    props_free(&w->props);
    tail_opts_free(&w->opts);
    free(w);
}
