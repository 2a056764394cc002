/* worker_consume: consumer-group members of a load run (see worker_consume.h).
 *
 * DESIGN: a member thread owns its rd_kafka_t and consumer queue; every
 * callback-like thing (messages, rebalances, commit results, errors) is an
 * event it polls, so all of a member's state is touched by its thread only.
 * The service thread talks to a member through one atomic request (run,
 * leave, kill) and joins it. Audit records are batched per poll round and
 * handed to the audit under its lock once per batch. */
#include "worker_consume.h"
#include "audit.h"
#include "clock.h"
#include "courier.h"
#include "load_kafka.h"
#include "log.h"
#include "worker_produce.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BATCH 512

enum { REQ_RUN, REQ_LEAVE, REQ_KILL };

typedef struct member {
    ks_kafka_state kst; /* kafka_new's opaque */
    struct ks_consumers *owner;
    int m;
    pthread_t thread;
    bool started, joined;
    atomic_int request;
    atomic_bool finished;
    ks_load_member *ctr;
    rd_kafka_t *rk;
    rd_kafka_queue_t *queue;
    int nrecs;
    ks_audit_record recs[BATCH];
    int processed; /* messages since the last manual commit */
} member;

struct ks_consumers {
    ks_consume_cfg cfg;
    int nused;
    member *members[KS_LOAD_MAX_MEMBERS];
};

/* ---- the generation, from the group metadata's serialised form ---- */

#define CGMD_MAGIC "CGMDv2:"
#define CGMD_GEN_AT (sizeof(CGMD_MAGIC) - 1)

/* The generation stored in a serialised group metadata, or -1. */
static int32_t cgmd_generation(const rd_kafka_consumer_group_metadata_t *cgmd)
{
    void *buf = NULL;
    size_t size = 0;
    int32_t gen = -1;
    rd_kafka_error_t *err = rd_kafka_consumer_group_metadata_write(cgmd, &buf, &size);

    if (err) {
        rd_kafka_error_destroy(err);
        return -1;
    }
    if (size >= CGMD_GEN_AT + 4 && !memcmp(buf, CGMD_MAGIC, CGMD_GEN_AT))
        memcpy(&gen, (char *)buf + CGMD_GEN_AT, sizeof(gen));
    rd_kafka_mem_free(NULL, buf);
    return gen;
}

/* Whether the layout is the one we read: a probe with a known generation
 * must come back. Decided once. */
static bool cgmd_layout_ok(void)
{
    static atomic_int ok = -1;
    int v = atomic_load(&ok);
    if (v < 0) {
        rd_kafka_consumer_group_metadata_t *probe = rd_kafka_consumer_group_metadata_new_with_genid(
            "ksight-probe", 0x4b536731, "ksight-member", NULL);
        v = probe && cgmd_generation(probe) == 0x4b536731;
        if (probe)
            rd_kafka_consumer_group_metadata_destroy(probe);
        atomic_store(&ok, v);
        if (!v)
            log_printf(KS_SEV_WARN, "load",
                       "this librdkafka's group metadata layout is unknown: generations will "
                       "show as unknown");
    }
    return v;
}

int32_t worker_consume_generation(void *handle)
{
    rd_kafka_t *rk = handle;
    if (!cgmd_layout_ok())
        return -1;
    rd_kafka_consumer_group_metadata_t *cgmd = rd_kafka_consumer_group_metadata(rk);
    if (!cgmd)
        return -1;
    int32_t gen = cgmd_generation(cgmd);
    rd_kafka_consumer_group_metadata_destroy(cgmd);
    return gen;
}

/* ---- messages ---- */

static int64_t wall_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* A decimal number from *p up to the separator sep (or the end); advances
 * *p past it. False when there is no number. */
static bool parse_u64(const char **p, const char *end, char sep, uint64_t *out)
{
    uint64_t v = 0;
    int digits = 0;

    while (*p < end && **p != sep) {
        if (**p < '0' || **p > '9' || ++digits > 19)
            return false;
        v = v * 10 + (uint64_t)(**p - '0');
        (*p)++;
    }
    if (*p < end)
        (*p)++; /* the separator */
    *out = v;
    return digits > 0;
}

/* The run's audit header: RUN/THREAD/SEQ/TS (worker_produce.h). False when
 * the message has none, or another run's. */
static bool audit_header(const rd_kafka_message_t *m, const char *run_id, uint64_t *t,
                         uint64_t *seq, uint64_t *ts)
{
    rd_kafka_headers_t *hdrs = NULL;
    const void *val;
    size_t size, rl = strlen(run_id);

    if (rd_kafka_message_headers(m, &hdrs) != RD_KAFKA_RESP_ERR_NO_ERROR ||
        rd_kafka_header_get_last(hdrs, WORKER_PRODUCE_HEADER, &val, &size) !=
            RD_KAFKA_RESP_ERR_NO_ERROR ||
        !val || size <= rl || memcmp(val, run_id, rl) || ((const char *)val)[rl] != '/')
        return false;
    const char *p = (const char *)val + rl + 1, *end = (const char *)val + size;
    return parse_u64(&p, end, '/', t) && parse_u64(&p, end, '/', seq) &&
           parse_u64(&p, end, '/', ts) && p == end;
}

static void flush_audit(member *mb)
{
    if (mb->nrecs) {
        audit_consumed(load_audit(mb->owner->cfg.load), mb->recs, mb->nrecs);
        mb->nrecs = 0;
    }
}

static void handle_message(member *mb, const rd_kafka_message_t *m)
{
    ks_load *load = mb->owner->cfg.load;
    const char *run_id = mb->owner->cfg.run_id;
    uint64_t t, seq, ts;

    if (m->err) {
        if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            atomic_fetch_add(&mb->ctr->errors[load_kafka_err_kind(m->err)], 1);
            log_printf(KS_SEV_WARN, mb->kst.name, "%s", rd_kafka_message_errstr(m));
        }
        return;
    }
    if (audit_header(m, run_id, &t, &seq, &ts) && t < KS_LOAD_MAX_PRODUCERS) {
        ks_audit_record *r = &mb->recs[mb->nrecs++];
        r->t = (int)t;
        r->seq = seq;
        r->partition = m->partition;
        r->offset = m->offset;
        int64_t e2e = wall_us() - (int64_t)ts;
        histogram_record(&mb->ctr->e2e, e2e > 0 ? (uint64_t)e2e : 0);
        load_courier_update(load, courier_key_parse(m->key, m->key_len));
        /* only this run's messages keep the run from being quiet: another
         * producer on the topic (the demo's) must not hold off "drained" */
        load_consumed_now(load, clock_mono_ms());
        if (mb->nrecs == BATCH)
            flush_audit(mb);
    } else {
        load_foreign(load, 1);
    }
    atomic_fetch_add_explicit(&mb->ctr->consumed, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&mb->ctr->bytes, m->len + m->key_len, memory_order_relaxed);
    atomic_store_explicit(&mb->ctr->last_partition, m->partition, memory_order_relaxed);
    atomic_store_explicit(&mb->ctr->last_offset, m->offset, memory_order_relaxed);
    load_position(load, m->partition, m->offset + 1);
    if (mb->owner->cfg.spec.commit != KS_COMMIT_AUTO) {
        /* processed: only now may its offset be committed (the call
         * stores offset + 1 itself, the next one to read) */
        rd_kafka_offset_store(m->rkt, m->partition, m->offset);
        mb->processed++;
    }
}

static void commit(member *mb, bool sync)
{
    flush_audit(mb);
    if (mb->owner->cfg.spec.commit == KS_COMMIT_AUTO || !mb->processed)
        return;
    mb->processed = 0;
    /* an async commit's result comes back as an OFFSET_COMMIT event; a
     * sync one's is the return value */
    rd_kafka_resp_err_t err = rd_kafka_commit(mb->rk, NULL, sync ? 0 : 1);
    if (!sync || err == RD_KAFKA_RESP_ERR__NO_OFFSET)
        return;
    if (err) {
        atomic_fetch_add(&mb->ctr->errors[LOAD_ERR_COMMIT], 1);
        log_printf(KS_SEV_WARN, mb->kst.name, "commit: %s", rd_kafka_err2str(err));
    } else {
        atomic_fetch_add(&mb->ctr->commits, 1);
    }
}

/* ---- rebalances ---- */

static void handle_rebalance(member *mb, rd_kafka_event_t *ev)
{
    rd_kafka_topic_partition_list_t *parts = rd_kafka_event_topic_partition_list(ev);
    bool assign = rd_kafka_event_error(ev) == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS;
    bool coop = !strcmp(rd_kafka_rebalance_protocol(mb->rk), "COOPERATIVE");
    int32_t ids[KS_LOAD_MAX_PARTITIONS];
    int n = 0;
    rd_kafka_error_t *error = NULL;
    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;

    for (int i = 0; parts && i < parts->cnt && n < KS_LOAD_MAX_PARTITIONS; i++)
        ids[n++] = parts->elems[i].partition;
    if (!assign) {
        /* commit what was processed while the partitions are still ours */
        if (!rd_kafka_assignment_lost(mb->rk))
            commit(mb, true);
        else
            flush_audit(mb);
        load_rebalance(mb->owner->cfg.load, mb->m, false, coop, -1, ids, n, clock_wall_ms());
        if (coop)
            error = rd_kafka_incremental_unassign(mb->rk, parts);
        else
            err = rd_kafka_assign(mb->rk, NULL);
    } else {
        if (coop)
            error = rd_kafka_incremental_assign(mb->rk, parts);
        else
            err = rd_kafka_assign(mb->rk, parts);
        char *id = rd_kafka_memberid(mb->rk);
        load_member_id(mb->owner->cfg.load, mb->m, id);
        if (id)
            rd_kafka_mem_free(mb->rk, id);
        load_rebalance(mb->owner->cfg.load, mb->m, true, coop, worker_consume_generation(mb->rk),
                       ids, n, clock_wall_ms());
        atomic_store(&mb->ctr->state, LOAD_WORKER_RUNNING);
    }
    if (error) {
        log_printf(KS_SEV_ERROR, mb->kst.name, "%s: %s", assign ? "assign" : "unassign",
                   rd_kafka_error_string(error));
        rd_kafka_error_destroy(error);
    } else if (err) {
        log_printf(KS_SEV_ERROR, mb->kst.name, "%s: %s", assign ? "assign" : "unassign",
                   rd_kafka_err2str(err));
    }
}

/* Handles one event; returns the number of messages it carried. */
static int handle_event(member *mb, rd_kafka_event_t *ev)
{
    const rd_kafka_message_t *m;
    int n = 0;

    switch (rd_kafka_event_type(ev)) {
    case RD_KAFKA_EVENT_FETCH:
        /* even while closing: with auto commit, librdkafka has stored the
         * offset of whatever it hands over, so it must be accounted for */
        while ((m = rd_kafka_event_message_next(ev))) {
            handle_message(mb, m);
            n++;
        }
        break;
    case RD_KAFKA_EVENT_REBALANCE:
        handle_rebalance(mb, ev);
        break;
    case RD_KAFKA_EVENT_OFFSET_COMMIT:
        if (!rd_kafka_event_error(ev))
            atomic_fetch_add(&mb->ctr->commits, 1);
        else if (rd_kafka_event_error(ev) != RD_KAFKA_RESP_ERR__NO_OFFSET)
            atomic_fetch_add(&mb->ctr->errors[LOAD_ERR_COMMIT], 1);
        break;
    case RD_KAFKA_EVENT_ERROR:
        atomic_fetch_add(&mb->ctr->errors[load_kafka_error(&mb->kst, ev)], 1);
        break;
    default:
        break;
    }
    return n;
}

/* ---- the member thread ---- */

static bool open_handle(member *mb)
{
    const ks_load_spec *spec = &mb->owner->cfg.spec;
    char client_id[32], session[16], heartbeat[16], err[512];
    const char *extra[32];
    int n = 0;

    snprintf(client_id, sizeof(client_id), "ksight-load-c%d", mb->m);
    extra[n++] = "client.id", extra[n++] = client_id;
    extra[n++] = "group.id", extra[n++] = spec->group;
    /* RD_KAFKA_EVENT_REBALANCE | RD_KAFKA_EVENT_OFFSET_COMMIT */
    extra[n++] = "enabled_events", extra[n++] = "24";
    extra[n++] = "topic.metadata.refresh.interval.ms", extra[n++] = "5000";
    extra[n++] = "partition.assignment.strategy", extra[n++] = load_assignor_name(spec->assignor);
    extra[n++] = "auto.offset.reset", extra[n++] = spec->offset_reset;
    extra[n++] = "enable.auto.commit",
    extra[n++] = spec->commit == KS_COMMIT_AUTO ? "true" : "false";
    if (spec->commit != KS_COMMIT_AUTO)
        extra[n++] = "enable.auto.offset.store", extra[n++] = "false";
    if (spec->session_timeout_ms > 0) {
        int hb = spec->session_timeout_ms / 3 < 3000 ? spec->session_timeout_ms / 3 : 3000;
        snprintf(session, sizeof(session), "%d", spec->session_timeout_ms);
        snprintf(heartbeat, sizeof(heartbeat), "%d", hb > 100 ? hb : 100);
        extra[n++] = "session.timeout.ms", extra[n++] = session;
        extra[n++] = "heartbeat.interval.ms", extra[n++] = heartbeat;
    }
    extra[n] = NULL;

    snprintf(mb->kst.name, sizeof(mb->kst.name), "load-c%d", mb->m);
    mb->rk = kafka_new(RD_KAFKA_CONSUMER, &mb->owner->cfg.kafka, &mb->kst, extra, err, sizeof(err));
    if (!mb->rk) {
        load_set_error(mb->owner->cfg.load, "consumer %d: %s", mb->m, err);
        log_printf(KS_SEV_ERROR, mb->kst.name, "%s", err);
        return false;
    }
    rd_kafka_poll_set_consumer(mb->rk); /* errors and rebalances come here too */
    mb->queue = rd_kafka_queue_get_consumer(mb->rk);
    rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(topics, spec->topic, RD_KAFKA_PARTITION_UA);
    rd_kafka_resp_err_t e = rd_kafka_subscribe(mb->rk, topics);
    rd_kafka_topic_partition_list_destroy(topics);
    if (e) {
        load_set_error(mb->owner->cfg.load, "consumer %d: subscribe: %s", mb->m,
                       rd_kafka_err2str(e));
        return false;
    }
    return true;
}

/* One poll round: up to BATCH messages, then commit (manual modes). */
static void poll_round(member *mb)
{
    int got = 0;
    rd_kafka_event_t *ev = rd_kafka_queue_poll(mb->queue, 100);

    while (ev) {
        got += handle_event(mb, ev);
        rd_kafka_event_destroy(ev);
        if (got >= BATCH || atomic_load(&mb->request) != REQ_RUN)
            break;
        ev = rd_kafka_queue_poll(mb->queue, 0);
    }
    commit(mb, mb->owner->cfg.spec.commit == KS_COMMIT_SYNC);
}

static void leave(member *mb)
{
    ks_load *load = mb->owner->cfg.load;

    atomic_store(&mb->ctr->state, LOAD_WORKER_LEAVING);
    commit(mb, true);
    rd_kafka_error_t *error = rd_kafka_consumer_close_queue(mb->rk, mb->queue);
    if (error) {
        log_printf(KS_SEV_WARN, mb->kst.name, "close: %s", rd_kafka_error_string(error));
        rd_kafka_error_destroy(error);
    } else {
        /* the close revokes (an event we serve) and sends LeaveGroup */
        int64_t deadline = clock_mono_ms() + 30000;
        while (!rd_kafka_consumer_closed(mb->rk) && clock_mono_ms() < deadline) {
            rd_kafka_event_t *ev = rd_kafka_queue_poll(mb->queue, 100);
            if (ev) {
                handle_event(mb, ev);
                rd_kafka_event_destroy(ev);
            }
        }
    }
    flush_audit(mb);
    rd_kafka_queue_destroy(mb->queue);
    rd_kafka_destroy(mb->rk);
    load_member_event(load, mb->m, LOAD_MEMBER_LEFT, clock_wall_ms());
    atomic_store(&mb->ctr->state, LOAD_WORKER_DONE);
}

static void die(member *mb)
{
    /* what was consumed was processed; nothing is committed, nobody is told */
    flush_audit(mb);
    load_member_event(mb->owner->cfg.load, mb->m, LOAD_MEMBER_KILLED, clock_wall_ms());
    rd_kafka_queue_destroy(mb->queue);
    rd_kafka_destroy_flags(mb->rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
    atomic_store(&mb->ctr->state, LOAD_WORKER_KILLED);
}

static void *member_main(void *arg)
{
    member *mb = arg;
    ks_load *load = mb->owner->cfg.load;
    int poll_ms = mb->owner->cfg.spec.poll_ms;

    atomic_store(&mb->ctr->state, LOAD_WORKER_STARTING);
    load_member_event(load, mb->m, LOAD_MEMBER_JOINING, clock_wall_ms());
    if (!open_handle(mb)) {
        if (mb->queue)
            rd_kafka_queue_destroy(mb->queue);
        if (mb->rk)
            rd_kafka_destroy(mb->rk);
        load_member_event(load, mb->m, LOAD_MEMBER_LEFT, clock_wall_ms());
        atomic_store(&mb->ctr->state, LOAD_WORKER_FAILED);
        atomic_store(&mb->finished, true);
        return NULL;
    }
    while (atomic_load(&mb->request) == REQ_RUN) {
        poll_round(mb);
        /* the workbook's pause between polls */
        for (int64_t until = clock_mono_ms() + poll_ms;
             poll_ms > 0 && atomic_load(&mb->request) == REQ_RUN && clock_mono_ms() < until;)
            clock_sleep_ms(until - clock_mono_ms() > 50 ? 50 : until - clock_mono_ms());
    }
    if (atomic_load(&mb->request) == REQ_KILL)
        die(mb);
    else
        leave(mb);
    atomic_store(&mb->finished, true);
    return NULL;
}

/* ---- the group, on the service thread ---- */

ks_consumers *worker_consume_start(const ks_consume_cfg *cfg)
{
    ks_consumers *c = xcalloc(1, sizeof(*c));
    c->cfg = *cfg;
    for (int i = 0; i < cfg->spec.consumers; i++)
        worker_consume_add(c);
    return c;
}

int worker_consume_add(ks_consumers *c)
{
    char name[16];
    if (c->nused >= KS_LOAD_MAX_MEMBERS)
        return -1;
    member *mb = xcalloc(1, sizeof(*mb));
    mb->owner = c;
    mb->m = c->nused;
    mb->ctr = load_member(c->cfg.load, mb->m);
    atomic_init(&mb->request, REQ_RUN);
    atomic_init(&mb->finished, false);
    c->members[c->nused++] = mb;
    snprintf(name, sizeof(name), "ks-member-%d", mb->m);
    load_kafka_thread_start(&mb->thread, member_main, mb, name);
    mb->started = true;
    return mb->m;
}

static bool live(const member *mb)
{
    return mb && mb->started && !mb->joined && atomic_load(&mb->request) == REQ_RUN;
}

static member *pick(ks_consumers *c, int m)
{
    if (m >= 0)
        return m < c->nused && live(c->members[m]) ? c->members[m] : NULL;
    for (int i = c->nused - 1; i >= 0; i--)
        if (live(c->members[i]))
            return c->members[i];
    return NULL;
}

static void join(member *mb)
{
    if (mb->started && !mb->joined) {
        pthread_join(mb->thread, NULL);
        mb->joined = true;
    }
}

int worker_consume_remove(ks_consumers *c, int m)
{
    member *mb = pick(c, m);
    if (!mb)
        return -1;
    load_member_event(c->cfg.load, mb->m, LOAD_MEMBER_LEAVING, clock_wall_ms());
    atomic_store(&mb->request, REQ_LEAVE);
    join(mb);
    return mb->m;
}

int worker_consume_kill(ks_consumers *c, int m)
{
    member *mb = pick(c, m);
    if (!mb)
        return -1;
    atomic_store(&mb->request, REQ_KILL);
    join(mb); /* destroying without close is quick */
    return mb->m;
}

int worker_consume_alive(ks_consumers *c)
{
    int n = 0;
    for (int i = 0; c && i < c->nused; i++)
        n += live(c->members[i]);
    return n;
}

int worker_consume_set_count(ks_consumers *c, int n)
{
    int alive = worker_consume_alive(c);
    member *leaving[KS_LOAD_MAX_MEMBERS];
    int nleaving = 0;

    while (alive < n && worker_consume_add(c) >= 0)
        alive++;
    for (int i = c->nused - 1; i >= 0 && alive > n; i--) {
        if (!live(c->members[i]))
            continue;
        load_member_event(c->cfg.load, i, LOAD_MEMBER_LEAVING, clock_wall_ms());
        atomic_store(&c->members[i]->request, REQ_LEAVE);
        leaving[nleaving++] = c->members[i];
        alive--;
    }
    for (int i = 0; i < nleaving; i++)
        join(leaving[i]);
    return worker_consume_alive(c);
}

void worker_consume_stop(ks_consumers *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->nused; i++)
        if (live(c->members[i])) {
            load_member_event(c->cfg.load, i, LOAD_MEMBER_LEAVING, clock_wall_ms());
            atomic_store(&c->members[i]->request, REQ_LEAVE);
        }
    for (int i = 0; i < c->nused; i++) {
        join(c->members[i]);
        free(c->members[i]);
    }
    free(c);
}
