/* engine: pollers for one target plus the command thread.
 *
 * DESIGN: the engine struct is touched by the thread that started it (start,
 * stop) and by its control thread (commands); `lock` guards the poller set,
 * which :ctx replaces. Poller configurations live inside the engine so they
 * outlive their pollers (pollers borrow them). */
#include "engine.h"
#include "clock.h"
#include "coordlog.h"
#include "kafka_conf.h"
#include "log.h"
#include "poller.h"
#include "poller_cluster.h"
#include "poller_groups.h"
#include "poller_registry.h"
#include "poller_zk.h"
#include "snapshot.h"
#include "xmalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum { P_CLUSTER, P_GROUPS, P_ZK, P_REGISTRY, P_COUNT };

struct ks_engine {
    pthread_mutex_t lock;
    ks_target target;
    ks_kafka_poller_cfg kcfg;
    ks_poller *pollers[P_COUNT];
    ks_store *store;
    ks_timeline *tl;
    ks_cmdq *cmdq;
    const ks_config *config;
    pthread_t control;
    bool has_control;
    const ks_service *services;
    int nservices;
    ks_coordlog_fn coord_fn; /* engine_follow_coordinator(); NULL: not followed */
    void *coord_ctx;
    ks_coordlog *coord;
};

void target_copy(ks_target *dst, const ks_target *src)
{
    memset(dst, 0, sizeof(*dst));
    dst->name = xstrdup(src->name);
    dst->bootstrap = xstrdup(src->bootstrap);
    dst->zookeeper = xstrdup(src->zookeeper);
    dst->registry = xstrdup(src->registry);
    props_copy(&dst->props, &src->props);
    dst->timeout_ms = src->timeout_ms;
    dst->interval_ms = src->interval_ms;
    dst->groups = src->groups;
    dst->no_coordinator_log = src->no_coordinator_log;
}

void target_free(ks_target *target)
{
    free(target->name);
    free(target->bootstrap);
    free(target->zookeeper);
    free(target->registry);
    props_free(&target->props);
    memset(target, 0, sizeof(*target));
}

void target_from_profile(ks_target *target, const ks_profile *profile)
{
    free(target->name);
    target->name = xstrdup(profile->name);
    if (profile->bootstrap) {
        free(target->bootstrap);
        target->bootstrap = xstrdup(profile->bootstrap);
    }
    free(target->zookeeper);
    target->zookeeper = xstrdup(profile->zookeeper);
    free(target->registry);
    target->registry = xstrdup(profile->registry);
    props_free(&target->props);
    props_copy(&target->props, &profile->props);
}

/* @locks engine->lock held */
static void pollers_start(ks_engine *e)
{
    ks_target *t = &e->target;

    e->kcfg.kafka.bootstrap = t->bootstrap;
    e->kcfg.kafka.props = &t->props;
    e->kcfg.timeout_ms = t->timeout_ms;
    e->pollers[P_CLUSTER] = poller_start(&poller_cluster_ops, &e->kcfg, e->store, t->interval_ms);
    if (t->groups)
        e->pollers[P_GROUPS] =
            poller_start(&poller_groups_ops, &e->kcfg, e->store, t->interval_ms);
    if (t->zookeeper)
        e->pollers[P_ZK] = poller_start(&poller_zk_ops, t->zookeeper, e->store, t->interval_ms);
    if (t->registry)
        e->pollers[P_REGISTRY] =
            poller_start(&poller_registry_ops, t->registry, e->store, t->interval_ms);
    if (e->coord_fn && t->groups && !t->no_coordinator_log) {
        char err[256];
        e->coord = coordlog_start(&e->kcfg.kafka, e->coord_fn, e->coord_ctx, err, sizeof(err));
        if (!e->coord)
            log_printf(KS_SEV_WARN, "coordlog", "%s", err);
    }
}

/* @locks engine->lock held */
static void pollers_stop(ks_engine *e)
{
    coordlog_stop(e->coord); /* first: nothing of the old cluster after this */
    e->coord = NULL;
    for (int i = 0; i < P_COUNT; i++) {
        poller_stop(e->pollers[i]);
        e->pollers[i] = NULL;
    }
}

static void switch_profile(ks_engine *e, const char *name)
{
    const ks_profile *profile = e->config ? config_profile(e->config, name) : NULL;

    if (!profile) {
        log_printf(KS_SEV_ERROR, "ctx", "no profile named \"%s\"", name);
        return;
    }
    if (!profile->bootstrap) {
        log_printf(KS_SEV_ERROR, "ctx", "profile \"%s\" has no bootstrap", name);
        return;
    }
    for (int i = 0; i < e->nservices; i++)
        e->services[i].ops->stop(e->services[i].shared); /* workers of the old cluster */
    pthread_mutex_lock(&e->lock);
    pollers_stop(e);
    target_from_profile(&e->target, profile);
    /* the old cluster's parts must not linger under the new name */
    store_publish(e->store, KS_PART_CLUSTER, NULL);
    store_publish(e->store, KS_PART_GROUPS, NULL);
    store_publish(e->store, KS_PART_ZK, NULL);
    store_publish(e->store, KS_PART_REGISTRY, NULL);
    pollers_start(e);
    pthread_mutex_unlock(&e->lock);
    log_printf(KS_SEV_INFO, "ctx", "switched to profile %s (%s)", name, profile->bootstrap);
}

static void dispatch_service(ks_engine *e, const ks_cmd *cmd)
{
    for (int i = 0; i < e->nservices; i++) {
        const ks_service *svc = &e->services[i];
        if (cmd->kind >= svc->ops->first && cmd->kind <= svc->ops->last) {
            /* services run outside the poller lock: they may take seconds */
            svc->ops->command(svc->shared, &e->target, e->store, cmd);
            return;
        }
    }
    log_printf(KS_SEV_WARN, "engine", "command %d is not handled by this build", (int)cmd->kind);
}

static void *control_main(void *arg)
{
    ks_engine *e = arg;
    ks_cmd cmd;

    for (;;) {
        if (!cmdq_pop(e->cmdq, &cmd, -1))
            continue;
        if (cmd.kind == KS_CMD_QUIT) {
            cmd_free(&cmd);
            break;
        }
        switch (cmd.kind) {
        case KS_CMD_SET_INTERVAL:
            pthread_mutex_lock(&e->lock);
            e->target.interval_ms = (int)cmd.i;
            for (int i = 0; i < P_COUNT; i++)
                if (e->pollers[i])
                    poller_set_interval(e->pollers[i], (int)cmd.i);
            pthread_mutex_unlock(&e->lock);
            break;
        case KS_CMD_REFRESH:
            pthread_mutex_lock(&e->lock);
            for (int i = 0; i < P_COUNT; i++)
                if (e->pollers[i])
                    poller_kick(e->pollers[i]);
            pthread_mutex_unlock(&e->lock);
            break;
        case KS_CMD_SWITCH_PROFILE:
            if (cmd.s)
                switch_profile(e, cmd.s);
            break;
        default:
            dispatch_service(e, &cmd);
            break;
        }
        cmd_free(&cmd);
    }
    return NULL;
}

ks_engine *engine_start(const ks_target *target, ks_store *store, ks_timeline *tl,
                        ks_cmdq *cmdq, const ks_config *config, const ks_service *services,
                        int nservices)
{
    ks_engine *e = xcalloc(1, sizeof(*e));

    e->services = services;
    e->nservices = nservices;
    pthread_mutex_init(&e->lock, NULL);
    target_copy(&e->target, target);
    e->store = store;
    e->tl = tl;
    e->cmdq = cmdq;
    e->config = config;
    pthread_mutex_lock(&e->lock);
    pollers_start(e);
    pthread_mutex_unlock(&e->lock);
    if (cmdq && pthread_create(&e->control, NULL, control_main, e) == 0)
        e->has_control = true;
    return e;
}

/* fn is a ks_coordlog_fn, spelled out in engine.h, which must not pull in librdkafka */
void engine_follow_coordinator(ks_engine *e, ks_coordlog_fn fn, void *ctx)
{
    pthread_mutex_lock(&e->lock);
    coordlog_stop(e->coord);
    e->coord = NULL;
    e->coord_fn = fn;
    e->coord_ctx = ctx;
    if (fn && e->target.groups && !e->target.no_coordinator_log) {
        char err[256];
        e->coord = coordlog_start(&e->kcfg.kafka, fn, ctx, err, sizeof(err));
        if (!e->coord)
            log_printf(KS_SEV_WARN, "coordlog", "%s", err);
    }
    pthread_mutex_unlock(&e->lock);
}

void engine_stop(ks_engine *e)
{
    if (!e)
        return;
    if (e->has_control) {
        cmdq_push(e->cmdq, KS_CMD_QUIT, 0, NULL, NULL);
        pthread_join(e->control, NULL);
    }
    for (int i = 0; i < e->nservices; i++)
        e->services[i].ops->stop(e->services[i].shared);
    pthread_mutex_lock(&e->lock);
    pollers_stop(e);
    pthread_mutex_unlock(&e->lock);
    target_free(&e->target);
    pthread_mutex_destroy(&e->lock);
    free(e);
}

static bool cluster_failed(ks_store *store)
{
    ks_snapshot *snap = store_acquire(store);
    bool failed = snap->cluster && snap->cluster->part.error;
    snapshot_unref(snap);
    return failed;
}

bool engine_wait_complete(ks_engine *e, int timeout_ms)
{
    int64_t deadline = clock_mono_ms() + timeout_ms;

    for (;;) {
        bool done = true;
        pthread_mutex_lock(&e->lock);
        for (int i = 0; i < P_COUNT; i++)
            if (e->pollers[i] && poller_rounds(e->pollers[i]) == 0)
                done = false;
        pthread_mutex_unlock(&e->lock);
        if (done)
            return true;
        if (cluster_failed(e->store) || clock_mono_ms() >= deadline)
            return false;
        clock_sleep_ms(10);
    }
}
