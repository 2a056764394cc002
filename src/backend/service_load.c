/* service_load: load commands, the run's start and stop, and its monitor.
 *
 * DESIGN: the command functions run on one thread (the engine's control
 * thread, or the thread of `ksight load`); they own the run's workers and
 * start/stop them. The monitor thread owns the run's metadata handle (made
 * on the command thread for the start-up checks, then handed over) and
 * reads the producers' state through `lock`, which also guards the
 * producers pointer the command thread may clear. Lock order: svc->lock,
 * then the load's lock. */
#include "service_load.h"
#include "audit.h"
#include "clock.h"
#include "courier.h"
#include "kafka_conf.h"
#include "load_kafka.h"
#include "load_topic.h"
#include "log.h"
#include "registry_register.h"
#include "worker_consume.h"
#include "worker_produce.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#define META_TIMEOUT_MS 10000
#define MONITOR_STEP_MS 10
#define TICK_MS 1000

struct ks_load_service {
    ks_load *load;
    ks_store *store;  /* borrowed from the START command: the engine's, or NULL */
    bool active;      /* a run has workers */
    ks_target target; /* the run's copy: worker handles borrow from it */
    ks_kafka_opts kafka;
    ks_load_spec spec;
    char run_id[24];
    int npartitions;
    int64_t start_ends[KS_LOAD_MAX_PARTITIONS]; /* high watermarks before the run */
    ks_consumers *consumers;

    pthread_mutex_t lock; /* guards producers and the monitor's flags */
    ks_producers *producers;
    pthread_t monitor;
    bool monitor_running;
    atomic_bool monitor_stop;
    rd_kafka_t *rk; /* the monitor's handle */
    ks_kafka_state kst;
};

ks_load_service *service_load_new(ks_load *load)
{
    ks_load_service *svc = xcalloc(1, sizeof(*svc));
    svc->load = load;
    pthread_mutex_init(&svc->lock, NULL);
    return svc;
}

void service_load_free(ks_load_service *svc)
{
    if (!svc)
        return;
    pthread_mutex_destroy(&svc->lock);
    target_free(&svc->target);
    free(svc);
}

static void wake(ks_load_service *svc)
{
    if (svc->store)
        store_wake(svc->store);
}

/* ---- the monitor ---- */

static bool producers_finished(ks_load_service *svc)
{
    pthread_mutex_lock(&svc->lock);
    bool done = worker_produce_done(svc->producers);
    pthread_mutex_unlock(&svc->lock);
    return done;
}

/* Caught up with targets and quiet? See service_load.h. */
static bool drained(ks_load_service *svc, const int64_t *targets, const ks_load_stats *st)
{
    if (st->nmembers == 0)
        return true; /* no consumer ever: nothing to drain */
    for (int p = 0; p < svc->npartitions; p++)
        if (targets[p] > svc->start_ends[p] && load_position_get(svc->load, p) < targets[p])
            return false;
    int64_t last = load_last_consume_ms(svc->load);
    return !last || clock_mono_ms() - last >= svc->spec.quiet_ms;
}

static void *monitor_main(void *arg)
{
    ks_load_service *svc = arg;
    ks_load *load = svc->load;
    int64_t targets[KS_LOAD_MAX_PARTITIONS], next_tick = 0, next_check = 0;
    bool have_targets = false, was_drained = false;
    int drained_members = -1;
    ks_load_stats *st = xmalloc(sizeof(*st));
    uint64_t seen_version = 0;
    char err[512];

    while (!atomic_load(&svc->monitor_stop)) {
        uint64_t top = load_version(load);
        int64_t now = clock_mono_ms();
        if (now >= next_tick) {
            load_tick(load, now, clock_wall_ms());
            next_tick = now + TICK_MS;
        }
        if (!have_targets && producers_finished(svc)) {
            /* every report is in: what the group must reach is known now */
            if (load_topic_ends(svc->rk, svc->spec.topic, svc->npartitions, targets, 5000, err,
                                sizeof(err)) == 0) {
                have_targets = true;
                load_set_producers_done(load);
                if (load_state(load) == LOAD_RUNNING)
                    load_set_state(load, LOAD_DRAINING);
                load_tick(load, clock_mono_ms(), clock_wall_ms());
            } else {
                log_printf(KS_SEV_WARN, "load", "%s (retrying)", err);
            }
        }
        /* once drained, a slower look is enough (a new member resets it) */
        if (have_targets &&
            (!was_drained || now >= next_check || load_version(load) != seen_version)) {
            next_check = now + 250;
            load_stats(load, st);
            bool d = drained(svc, targets, st);
            if (d != was_drained || st->nmembers != drained_members) {
                if (d)
                    load_tick(load, clock_mono_ms(), clock_wall_ms()); /* final figures */
                load_set_drained(load, d, st->nmembers);
                was_drained = d;
                drained_members = st->nmembers;
            }
        }
        if (load_version(load) != seen_version) {
            seen_version = load_version(load);
            wake(svc);
        }
        load_wait(load, top, MONITOR_STEP_MS); /* a finished producer wakes it early */
    }
    free(st);
    return NULL;
}

/* ---- start ---- */

static void make_run_id(char *out, size_t size)
{
    uint64_t r = 0;
    if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r))
        r = (uint64_t)clock_mono_us() * 6364136223846793005ULL ^ (uint64_t)getpid();
    snprintf(out, size, "%016llx", (unsigned long long)r);
}

static void fail(ks_load_service *svc, const char *what)
{
    load_set_error(svc->load, "%s", what);
    load_set_state(svc->load, LOAD_FAILED);
    log_printf(KS_SEV_ERROR, "load", "%s", what);
    wake(svc);
}

static void start(ks_load_service *svc, const ks_target *target, const char *text)
{
    ks_load *load = svc->load;
    ks_load_spec spec;
    char err[512];
    uint32_t schema_id = 0;
    bool created;

    if (svc->active) {
        load_set_error(load, "a load is running: stop it first");
        wake(svc);
        return;
    }
    load_spec_defaults(&spec);
    if (load_spec_parse(&spec, text, err, sizeof(err)) ||
        load_spec_check(&spec, err, sizeof(err))) {
        fail(svc, err);
        return;
    }
    if (spec.format == KS_FORMAT_AVRO && !target->registry) {
        fail(svc, "the avro format needs a schema registry (--registry URL)");
        return;
    }
    load_set_error(load, "%s", "");
    load_set_state(load, LOAD_STARTING);
    wake(svc);
    make_run_id(svc->run_id, sizeof(svc->run_id));
    if (!spec.group[0])
        snprintf(spec.group, sizeof(spec.group), "ksight-load-%s", svc->run_id);

    target_free(&svc->target);
    target_copy(&svc->target, target);
    svc->kafka.bootstrap = svc->target.bootstrap;
    svc->kafka.props = &svc->target.props;
    snprintf(svc->kst.name, sizeof(svc->kst.name), "load");
    svc->rk = kafka_new(RD_KAFKA_CONSUMER, &svc->kafka, &svc->kst, NULL, err, sizeof(err));
    if (!svc->rk) {
        fail(svc, err);
        return;
    }
    svc->npartitions = load_topic_ensure(svc->rk, spec.topic, spec.partitions, spec.replication,
                                         META_TIMEOUT_MS, &created, err, sizeof(err));
    if (svc->npartitions > KS_LOAD_MAX_PARTITIONS) {
        snprintf(err, sizeof(err), "topic %s has %d partitions; a load run handles up to %d",
                 spec.topic, svc->npartitions, KS_LOAD_MAX_PARTITIONS);
        svc->npartitions = -1;
    }
    if (svc->npartitions > 0 && created)
        log_printf(KS_SEV_INFO, "load", "created topic %s (%d partitions)", spec.topic,
                   svc->npartitions);
    if (svc->npartitions > 0 &&
        load_topic_ends(svc->rk, spec.topic, svc->npartitions, svc->start_ends, META_TIMEOUT_MS,
                        err, sizeof(err)) != 0)
        svc->npartitions = -1;
    if (svc->npartitions > 0 && spec.format == KS_FORMAT_AVRO) {
        char *subject = xasprintf("%s-value", spec.topic);
        int id;
        if (registry_register_schema(svc->target.registry, subject, courier_avro_schema, &id, err,
                                     sizeof(err)) == 0)
            schema_id = (uint32_t)id;
        else
            svc->npartitions = -1;
        free(subject);
    }
    if (svc->npartitions <= 0) {
        rd_kafka_destroy(svc->rk);
        svc->rk = NULL;
        fail(svc, err);
        return;
    }

    svc->spec = spec;
    load_run_begin(load, &spec, svc->run_id, svc->npartitions, clock_wall_ms());
    for (int p = 0; p < svc->npartitions; p++)
        audit_set_base(load_audit(load), p, svc->start_ends[p]);
    if (spec.consumers > 0) {
        ks_consume_cfg cc = {.spec = spec, .kafka = svc->kafka, .load = load};
        snprintf(cc.run_id, sizeof(cc.run_id), "%s", svc->run_id);
        svc->consumers = worker_consume_start(&cc);
    }
    if (spec.producers > 0) {
        ks_produce_cfg pc = {
            .spec = spec, .kafka = svc->kafka, .load = load, .schema_id = schema_id};
        snprintf(pc.run_id, sizeof(pc.run_id), "%s", svc->run_id);
        svc->producers = worker_produce_start(&pc);
    }
    svc->active = true;
    load_set_state(load, LOAD_RUNNING);
    log_printf(KS_SEV_INFO, "load", "run %s on %s: %d producers, %d consumers in %s", svc->run_id,
               spec.topic, spec.producers, spec.consumers, spec.group);
    atomic_store(&svc->monitor_stop, false);
    load_kafka_thread_start(&svc->monitor, monitor_main, svc, "ks-load-mon");
    svc->monitor_running = true;
}

/* ---- stop ---- */

static void stop_producers(ks_load_service *svc)
{
    pthread_mutex_lock(&svc->lock);
    ks_producers *p = svc->producers;
    pthread_mutex_unlock(&svc->lock);
    /* joined outside the lock: the monitor keeps ticking meanwhile */
    worker_produce_stop(p);
    pthread_mutex_lock(&svc->lock);
    svc->producers = NULL;
    pthread_mutex_unlock(&svc->lock);
}

static void stop(void *shared)
{
    ks_load_service *svc = shared;
    if (!svc->active)
        return;
    load_set_state(svc->load, LOAD_STOPPING);
    wake(svc);
    stop_producers(svc);
    worker_consume_stop(svc->consumers);
    svc->consumers = NULL;
    if (svc->monitor_running) {
        atomic_store(&svc->monitor_stop, true);
        pthread_join(svc->monitor, NULL);
        svc->monitor_running = false;
    }
    if (svc->rk)
        rd_kafka_destroy(svc->rk);
    svc->rk = NULL;
    load_tick(svc->load, clock_mono_ms(), clock_wall_ms());
    load_set_state(svc->load, LOAD_DONE);
    svc->active = false;
    log_printf(KS_SEV_INFO, "load", "run %s stopped", svc->run_id);
    wake(svc);
}

/* ---- commands ---- */

static bool refuse_writes(ks_load_service *svc, const char *what)
{
    if (!load_read_only(svc->load))
        return false;
    load_set_error(svc->load, "read-only mode: %s writes to the cluster, refused", what);
    log_printf(KS_SEV_WARN, "load", "read-only mode: %s refused", what);
    wake(svc);
    return true;
}

static bool need_run(ks_load_service *svc)
{
    if (svc->active)
        return true;
    load_set_error(svc->load, "no load is running");
    wake(svc);
    return false;
}

/* Consumers of a run without the audit header would have nothing to audit. */
static bool can_consume(ks_load_service *svc)
{
    if (svc->spec.audit_header)
        return true;
    load_set_error(svc->load, "this run's messages carry no audit header: no consumer");
    wake(svc);
    return false;
}

static void command(void *shared, const ks_target *target, ks_store *store, const ks_cmd *cmd)
{
    ks_load_service *svc = shared;

    svc->store = store;
    switch (cmd->kind) {
    case KS_CMD_LOAD_START:
        if (!refuse_writes(svc, "starting a load"))
            start(svc, target, cmd->s ? cmd->s : "");
        break;
    case KS_CMD_LOAD_STOP:
        stop(svc);
        break;
    case KS_CMD_LOAD_CONSUMER_ADD:
        if (need_run(svc) && can_consume(svc) && !refuse_writes(svc, "adding a consumer")) {
            if (!svc->consumers) {
                ks_consume_cfg cc = {.spec = svc->spec, .kafka = svc->kafka, .load = svc->load};
                cc.spec.consumers = 0;
                snprintf(cc.run_id, sizeof(cc.run_id), "%s", svc->run_id);
                svc->consumers = worker_consume_start(&cc);
            }
            for (int64_t i = 0; i < (cmd->i > 0 ? cmd->i : 1); i++)
                if (worker_consume_add(svc->consumers) < 0)
                    load_set_error(svc->load, "no member slot left (%d per run)",
                                   KS_LOAD_MAX_MEMBERS);
        }
        break;
    case KS_CMD_LOAD_CONSUMER_REMOVE:
        if (need_run(svc) && worker_consume_remove(svc->consumers, (int)cmd->i) < 0)
            load_set_error(svc->load, "no such live member");
        break;
    case KS_CMD_LOAD_CONSUMER_KILL:
        if (need_run(svc) && worker_consume_kill(svc->consumers, (int)cmd->i) < 0)
            load_set_error(svc->load, "no such live member");
        break;
    case KS_CMD_LOAD_CONSUMERS:
        if (need_run(svc) && (cmd->i <= worker_consume_alive(svc->consumers) ||
                              (can_consume(svc) && !refuse_writes(svc, "adding consumers")))) {
            if (!svc->consumers) {
                ks_consume_cfg cc = {.spec = svc->spec, .kafka = svc->kafka, .load = svc->load};
                cc.spec.consumers = 0;
                snprintf(cc.run_id, sizeof(cc.run_id), "%s", svc->run_id);
                svc->consumers = worker_consume_start(&cc);
            }
            worker_consume_set_count(svc->consumers, cmd->i < 0 ? 0 : (int)cmd->i);
        }
        break;
    case KS_CMD_LOAD_RATE:
        load_set_interval(svc->load, cmd->i < 0 ? 0 : (int)cmd->i);
        break;
    case KS_CMD_LOAD_PRODUCERS_STOP:
        if (need_run(svc))
            stop_producers(svc);
        break;
    default:
        break;
    }
    wake(svc);
}

const ks_service_ops service_load_ops = {
    .name = "load",
    .first = KS_CMD_LOAD_START,
    .last = KS_CMD_LOAD_PRODUCERS_STOP,
    .command = command,
    .stop = stop,
};
