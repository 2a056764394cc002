/* worker_produce: producer threads of a load run (see worker_produce.h).
 *
 * DESIGN: each thread owns its rd_kafka_t, topic handle and main queue, and
 * serves that queue itself (enabled_events=DR): delivery reports and error
 * events are handled on the thread that produced, which is the only writer
 * of its ks_load_producer and of its audit sequences. The ks_producers
 * struct is shared by the threads (read-only config, the stop flag, the
 * running count) and the service that owns it. */
#include "worker_produce.h"
#include "audit.h"
#include "clock.h"
#include "courier.h"
#include "load_kafka.h"
#include "log.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct prod_thread {
    ks_kafka_state kst; /* kafka_new's opaque */
    struct ks_producers *owner;
    int t;
    pthread_t thread;
    ks_load_producer *ctr;
    ks_audit *audit;
    rd_kafka_t *rk;
    rd_kafka_topic_t *rkt;
    rd_kafka_queue_t *queue;
    bool waiting, wait_done; /* sync mode: the report of wait_seq arrived */
    uint64_t wait_seq;
    bool fatal;
    uint64_t bytes; /* the thread's own count, published to ctr->bytes */
    ks_courier_walk walk;
    struct chunk *chunk; /* header-less flat-out sends, see produce_chunk() */
} prod_thread;

/* Messages handed to librdkafka in one rd_kafka_produce_batch() call. */
#define CHUNK_MAX 64

struct chunk {
    rd_kafka_message_t msgs[CHUNK_MAX];
    char keys[CHUNK_MAX][16];
    char vals[CHUNK_MAX][COURIER_JSON_MAX];
};

struct ks_producers {
    ks_produce_cfg cfg;
    atomic_bool stop;
    atomic_int running;
    int n;
    prod_thread *threads;
};

static int64_t wall_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void count_error(prod_thread *pt, ks_load_err kind)
{
    atomic_fetch_add_explicit(&pt->ctr->errors[kind], 1, memory_order_relaxed);
}

static void handle_reports(prod_thread *pt, rd_kafka_event_t *ev)
{
    const rd_kafka_message_t *m;
    int acks = pt->owner->cfg.spec.acks;
    bool ff = pt->owner->cfg.spec.mode == KS_SEND_FIRE_AND_FORGET;

    while ((m = rd_kafka_event_message_next(ev))) {
        uint64_t seq = (uint64_t)(uintptr_t)m->_private;
        if (m->err) {
            atomic_fetch_add_explicit(&pt->ctr->failed, 1, memory_order_relaxed);
            count_error(pt, load_kafka_err_kind(m->err));
            audit_failed(pt->audit, pt->t, seq);
        } else if (ff) {
            /* fire-and-forget looks at failures only; what did not fail is
             * counted delivered once everything is settled */
        } else if (acks == 0) {
            /* sent, but nobody acknowledged anything */
            atomic_fetch_add_explicit(&pt->ctr->unconfirmed, 1, memory_order_relaxed);
        } else {
            audit_acked(pt->audit, pt->t, seq);
            histogram_record(&pt->ctr->latency, (uint64_t)rd_kafka_message_latency(m));
            atomic_fetch_add_explicit(&pt->ctr->acked, 1, memory_order_relaxed);
        }
        if (pt->waiting && seq == pt->wait_seq)
            pt->wait_done = true;
    }
    atomic_store_explicit(&pt->ctr->last_us, clock_mono_us(), memory_order_relaxed);
}

/* Serves the queue: waits up to timeout_ms for the first event, then takes
 * whatever else is ready. */
static void serve(prod_thread *pt, int timeout_ms)
{
    rd_kafka_event_t *ev = rd_kafka_queue_poll(pt->queue, timeout_ms);
    int budget = 1000;

    while (ev) {
        switch (rd_kafka_event_type(ev)) {
        case RD_KAFKA_EVENT_DR:
            handle_reports(pt, ev);
            break;
        case RD_KAFKA_EVENT_ERROR:
            count_error(pt, load_kafka_error(&pt->kst, ev));
            if (rd_kafka_event_error_is_fatal(ev))
                pt->fatal = true; /* e.g. idempotence broken: the handle is unusable */
            break;
        default:
            break;
        }
        rd_kafka_event_destroy(ev);
        ev = --budget > 0 ? rd_kafka_queue_poll(pt->queue, 0) : NULL;
    }
}

static bool stopping(prod_thread *pt)
{
    return pt->fatal || atomic_load_explicit(&pt->owner->stop, memory_order_relaxed);
}

/* Serves the queue for ms milliseconds (the pause between sends). */
static void pause_for(prod_thread *pt, int ms)
{
    int64_t until = clock_mono_ms() + ms, left;
    while (!stopping(pt) && (left = until - clock_mono_ms()) > 0)
        serve(pt, left > 100 ? 100 : (int)left);
}

/* RUN/THREAD/SEQ/TS into buf; returns the length. */
static int audit_header(char *buf, const char *run_id, int t, uint64_t seq)
{
    char *p = buf;
    size_t n = strlen(run_id);

    memcpy(p, run_id, n), p += n;
    *p++ = '/';
    p += courier_u64(p, (uint64_t)t);
    *p++ = '/';
    p += courier_u64(p, seq);
    *p++ = '/';
    p += courier_u64(p, (uint64_t)wall_us());
    return (int)(p - buf);
}

/* The key and value of message seq: the next step of the courier walk. */
static void courier_message(prod_thread *pt, uint64_t seq, char key[16], int *klen,
                            char val[COURIER_JSON_MAX], int *vlen)
{
    const ks_produce_cfg *cfg = &pt->owner->cfg;
    ks_courier_pos pos;
    int id = courier_walk_next(&pt->walk, seq, &pos);

    *klen = courier_key(key, 16, id);
    if (cfg->spec.format == KS_FORMAT_AVRO)
        *vlen = courier_avro((uint8_t *)val, COURIER_JSON_MAX, cfg->schema_id, id, &pos);
    else
        *vlen = courier_json(val, COURIER_JSON_MAX, id, &pos);
}

static rd_kafka_resp_err_t produce_one(prod_thread *pt, uint64_t seq)
{
    const ks_produce_cfg *cfg = &pt->owner->cfg;
    char key[16], val[COURIER_JSON_MAX], hdr[WORKER_PRODUCE_HEADER_MAX];
    int klen, vlen, hlen;

    courier_message(pt, seq, key, &klen, val, &vlen);
    for (;;) {
        rd_kafka_resp_err_t err;
        if (cfg->spec.audit_header) {
            hlen = audit_header(hdr, cfg->run_id, pt->t, seq);
            err = rd_kafka_producev(
                pt->rk, RD_KAFKA_V_RKT(pt->rkt), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                RD_KAFKA_V_KEY(key, (size_t)klen), RD_KAFKA_V_VALUE(val, (size_t)vlen),
                RD_KAFKA_V_HEADER(WORKER_PRODUCE_HEADER, hdr, hlen),
                RD_KAFKA_V_OPAQUE((void *)(uintptr_t)seq), RD_KAFKA_V_END);
        } else {
            /* a producer-only run that asked for the bare workbook message */
            err = rd_kafka_producev(
                pt->rk, RD_KAFKA_V_RKT(pt->rkt), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                RD_KAFKA_V_KEY(key, (size_t)klen), RD_KAFKA_V_VALUE(val, (size_t)vlen),
                RD_KAFKA_V_OPAQUE((void *)(uintptr_t)seq), RD_KAFKA_V_END);
        }
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
            /* this thread is the only writer: a plain store, no locked add */
            pt->bytes += (uint64_t)(klen + vlen);
            atomic_store_explicit(&pt->ctr->bytes, pt->bytes, memory_order_relaxed);
        }
        if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL || stopping(pt))
            return err;
        /* back-pressure: let librdkafka send, then try again */
        count_error(pt, LOAD_ERR_QUEUE_FULL);
        serve(pt, 10);
    }
}

/* Counts a send librdkafka refused. */
static void send_failed(prod_thread *pt, uint64_t seq, rd_kafka_resp_err_t err)
{
    atomic_fetch_add_explicit(&pt->ctr->failed, 1, memory_order_relaxed);
    count_error(pt, load_kafka_err_kind(err));
    audit_failed(pt->audit, pt->t, seq);
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
        log_printf(KS_SEV_WARN, pt->kst.name, "produce: %s", rd_kafka_err2str(err));
}

/* Sends messages seq .. seq+n-1 in one rd_kafka_produce_batch() call (and
 * more while the queue is full). Only for flat-out runs without the audit
 * header: the batch call takes no headers, and it saves producev()'s
 * argument walk and a topic lock per message. A stop while the queue is
 * full counts what is left as failed. */
static void produce_chunk(prod_thread *pt, uint64_t seq, int n)
{
    struct chunk *c = pt->chunk;
    int first = 0;

    for (int i = 0; i < n; i++) {
        int klen, vlen;
        courier_message(pt, seq + (uint64_t)i, c->keys[i], &klen, c->vals[i], &vlen);
        c->msgs[i] = (rd_kafka_message_t){
            .payload = c->vals[i],
            .len = (size_t)vlen,
            .key = c->keys[i],
            .key_len = (size_t)klen,
            ._private = (void *)(uintptr_t)(seq + (uint64_t)i),
        };
        pt->bytes += (uint64_t)(klen + vlen);
    }
    while (first < n) {
        int left = n - first, retry = -1;
        if (rd_kafka_produce_batch(pt->rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY,
                                   c->msgs + first, left) == left)
            break;
        for (int i = first; i < n; i++) {
            rd_kafka_resp_err_t err = c->msgs[i].err;
            if (!err)
                continue;
            if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL && retry < 0 && !stopping(pt)) {
                retry = i; /* this one and every later one go again, in order */
                break;
            }
            send_failed(pt, seq + (uint64_t)i, err);
            pt->bytes -= c->msgs[i].len + c->msgs[i].key_len;
        }
        if (retry < 0)
            break;
        count_error(pt, LOAD_ERR_QUEUE_FULL);
        serve(pt, 10); /* back-pressure: let librdkafka send */
        for (int i = retry; i < n; i++)
            c->msgs[i].err = RD_KAFKA_RESP_ERR_NO_ERROR;
        first = retry;
    }
    atomic_store_explicit(&pt->ctr->bytes, pt->bytes, memory_order_relaxed);
}

/* Waits for every outstanding report; on stop, for flush_timeout_ms, then
 * purges. Returns true when the queue emptied. */
static bool settle(prod_thread *pt)
{
    int64_t deadline = -1;

    while (rd_kafka_outq_len(pt->rk) > 0) {
        if (stopping(pt) && deadline < 0)
            deadline = clock_mono_ms() + pt->owner->cfg.flush_timeout_ms;
        if (deadline >= 0 && clock_mono_ms() >= deadline)
            break;
        serve(pt, 100); /* each batch of reports wakes it */
    }
    if (rd_kafka_outq_len(pt->rk) == 0)
        return true;
    rd_kafka_purge(pt->rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    deadline = clock_mono_ms() + 2000;
    while (rd_kafka_outq_len(pt->rk) > 0 && clock_mono_ms() < deadline)
        serve(pt, 100);
    return rd_kafka_outq_len(pt->rk) == 0;
}

static bool open_handle(prod_thread *pt)
{
    const ks_load_spec *spec = &pt->owner->cfg.spec;
    char client_id[32], linger[16], batch[16], err[512];
    const char *extra[32];
    int n = 0;

    snprintf(client_id, sizeof(client_id), "ksight-load-p%d", pt->t);
    extra[n++] = "client.id", extra[n++] = client_id;
    extra[n++] = "enabled_events", extra[n++] = "1"; /* RD_KAFKA_EVENT_DR */
    extra[n++] = "topic.metadata.refresh.interval.ms", extra[n++] = "10000";
    extra[n++] = "acks", extra[n++] = load_acks_name(spec->acks);
    extra[n++] = "enable.idempotence", extra[n++] = spec->idempotent ? "true" : "false";
    extra[n++] = "compression.type", extra[n++] = spec->compression;
    if (spec->linger_ms >= 0 || spec->mode == KS_SEND_SYNC) {
        snprintf(linger, sizeof(linger), "%d", spec->linger_ms >= 0 ? spec->linger_ms : 0);
        extra[n++] = "linger.ms", extra[n++] = linger;
    }
    if (spec->batch_size >= 0) {
        snprintf(batch, sizeof(batch), "%d", spec->batch_size);
        extra[n++] = "batch.size", extra[n++] = batch;
    }
    extra[n] = NULL;

    snprintf(pt->kst.name, sizeof(pt->kst.name), "load-p%d", pt->t);
    pt->rk = kafka_new(RD_KAFKA_PRODUCER, &pt->owner->cfg.kafka, &pt->kst, extra, err, sizeof(err));
    if (!pt->rk) {
        load_set_error(pt->owner->cfg.load, "producer %d: %s", pt->t, err);
        log_printf(KS_SEV_ERROR, pt->kst.name, "%s", err);
        return false;
    }
    pt->rkt = rd_kafka_topic_new(pt->rk, spec->topic, NULL);
    pt->queue = rd_kafka_queue_get_main(pt->rk);
    return true;
}

static void close_handle(prod_thread *pt)
{
    if (pt->queue)
        rd_kafka_queue_destroy(pt->queue);
    if (pt->rkt)
        rd_kafka_topic_destroy(pt->rkt);
    if (pt->rk)
        rd_kafka_destroy(pt->rk);
    pt->queue = NULL, pt->rkt = NULL, pt->rk = NULL;
}

static void *prod_main(void *arg)
{
    prod_thread *pt = arg;
    const ks_load_spec *spec = &pt->owner->cfg.spec;
    ks_load *load = pt->owner->cfg.load;
    uint64_t seq = 0;

    atomic_store(&pt->ctr->state, LOAD_WORKER_STARTING);
    if (!open_handle(pt)) {
        atomic_store(&pt->ctr->state, LOAD_WORKER_FAILED);
        atomic_fetch_sub(&pt->owner->running, 1);
        return NULL;
    }
    if (!spec->audit_header && spec->mode != KS_SEND_SYNC)
        pt->chunk = xmalloc(sizeof(*pt->chunk));
    courier_walk_init(&pt->walk, pt->t * spec->couriers, spec->couriers,
                      (uint64_t)clock_mono_us() * 2654435761u + (uint64_t)pt->t + 1);
    atomic_store(&pt->ctr->state, LOAD_WORKER_RUNNING);
    atomic_store(&pt->ctr->first_us, clock_mono_us());
    for (seq = 0; spec->messages == 0 || seq < (uint64_t)spec->messages; seq++) {
        if (stopping(pt))
            break;
        if (pt->chunk && load_interval(load) <= 0) {
            uint64_t n = CHUNK_MAX;
            if (spec->messages && n > (uint64_t)spec->messages - seq)
                n = (uint64_t)spec->messages - seq;
            audit_sent(pt->audit, pt->t, seq + n); /* before a consumer can see them */
            atomic_store_explicit(&pt->ctr->produced, seq + n, memory_order_relaxed);
            produce_chunk(pt, seq, (int)n);
            seq += n - 1;
            serve(pt, 0); /* reports are served every chunk */
            continue;
        }
        audit_sent(pt->audit, pt->t, seq + 1); /* before a consumer can see it */
        atomic_store_explicit(&pt->ctr->produced, seq + 1, memory_order_relaxed);
        rd_kafka_resp_err_t err = produce_one(pt, seq);
        if (err) {
            send_failed(pt, seq, err);
        } else if (spec->mode == KS_SEND_SYNC) {
            pt->waiting = true;
            pt->wait_seq = seq;
            pt->wait_done = false;
            while (!pt->wait_done && !stopping(pt))
                serve(pt, 100);
            pt->waiting = false;
        }
        int ms = load_interval(load);
        if (ms > 0)
            pause_for(pt, ms);
        else if ((seq & 127) == 127)
            serve(pt, 0); /* flat out: reports are served every 128 sends */
    }
    atomic_store(&pt->ctr->state, LOAD_WORKER_FLUSHING);
    if (settle(pt) && spec->mode == KS_SEND_FIRE_AND_FORGET) {
        /* only failures were looked at: the rest was delivered */
        uint64_t produced = atomic_load(&pt->ctr->produced);
        uint64_t failed = atomic_load(&pt->ctr->failed);
        if (spec->acks != 0) {
            audit_acked_rest(pt->audit, pt->t);
            atomic_store(&pt->ctr->acked, produced - failed);
        } else {
            atomic_store(&pt->ctr->unconfirmed, produced - failed);
        }
    }
    atomic_store(&pt->ctr->last_us, clock_mono_us());
    /* every report is in: done now, the handle's teardown need not be waited
     * for (worker_produce_stop() joins the thread) */
    atomic_store(&pt->ctr->state, LOAD_WORKER_DONE);
    atomic_fetch_sub(&pt->owner->running, 1);
    load_notify(load); /* the monitor asks for the drain targets now, not at its next step */
    close_handle(pt);
    free(pt->chunk);
    pt->chunk = NULL;
    return NULL;
}

ks_producers *worker_produce_start(const ks_produce_cfg *cfg)
{
    ks_producers *p = xcalloc(1, sizeof(*p));

    p->cfg = *cfg;
    if (p->cfg.flush_timeout_ms <= 0)
        p->cfg.flush_timeout_ms = 5000;
    p->n = cfg->spec.producers;
    atomic_init(&p->stop, false);
    atomic_init(&p->running, p->n);
    p->threads = xcalloc((size_t)(p->n ? p->n : 1), sizeof(*p->threads));
    for (int t = 0; t < p->n; t++) {
        prod_thread *pt = &p->threads[t];
        char name[16];
        pt->owner = p;
        pt->t = t;
        pt->ctr = load_producer(cfg->load, t);
        pt->audit = load_audit(cfg->load);
        snprintf(name, sizeof(name), "ks-prod-%d", t % 100);
        load_kafka_thread_start(&pt->thread, prod_main, pt, name);
    }
    return p;
}

bool worker_produce_done(ks_producers *p)
{
    return !p || atomic_load(&p->running) == 0;
}

void worker_produce_stop(ks_producers *p)
{
    if (!p)
        return;
    atomic_store(&p->stop, true);
    for (int t = 0; t < p->n; t++)
        pthread_join(p->threads[t].thread, NULL);
    free(p->threads);
    free(p);
}
