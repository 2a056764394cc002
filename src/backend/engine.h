/* engine: the set of backend threads for one cluster target, and the
 * control thread that executes the UI's commands (cmdq).
 *
 * DESIGN: main builds a ks_target from the command line or a profile and
 * starts an engine; the engine owns the pollers (cluster, groups, ZooKeeper,
 * registry) and the per-target configuration they borrow. :ctx stops the
 * pollers and starts new ones for another target, on the control thread,
 * so the UI never waits for a thread to join. */
#ifndef KS_ENGINE_H
#define KS_ENGINE_H

#include <stdbool.h>

#include "cmdq.h"
#include "config.h"
#include "store.h"
#include "timeline.h"

typedef struct ks_target {
    char *name;       /* profile name or NULL */
    char *bootstrap;
    char *zookeeper;  /* NULL: no ZooKeeper section */
    char *registry;   /* NULL: no registry section */
    ks_props props;   /* librdkafka properties */
    int timeout_ms;   /* per poll phase */
    int interval_ms;  /* between rounds */
    bool groups;      /* poll consumer groups (the demo feeds its own) */
    bool no_coordinator_log; /* --no-coordinator-log: do not read __consumer_offsets */
} ks_target;

void target_copy(ks_target *dst, const ks_target *src); /* deep copy */
void target_free(ks_target *target);                    /* contents only */
/* Fills target from a profile (bootstrap, zookeeper, registry, properties). */
void target_from_profile(ks_target *target, const ks_profile *profile);

typedef struct ks_engine ks_engine;

/* A service executes a range of commands (tail, load) on the engine's
 * control thread. `shared` is the object it shares with the UI (a tail ring,
 * load counters), created by main and handed to both; the service starts
 * and stops its own worker threads. */
typedef struct ks_service_ops {
    const char *name;
    ks_cmd_kind first, last; /* command kinds handled, inclusive */
    /* @locality engine control thread. target and store borrowed for the call. */
    void (*command)(void *shared, const ks_target *target, ks_store *store, const ks_cmd *cmd);
    /* @locality engine control thread or engine_stop(): stop every worker. */
    void (*stop)(void *shared);
} ks_service_ops;

typedef struct ks_service {
    const ks_service_ops *ops;
    void *shared;
} ks_service;

/* Starts the pollers for target (copied) and, when cmdq is given, the control
 * thread. store, timeline, cmdq, config and services (an array of nservices)
 * are borrowed until engine_stop(). */
ks_engine *engine_start(const ks_target *target, ks_store *store, ks_timeline *tl,
                        ks_cmdq *cmdq, const ks_config *config, const ks_service *services,
                        int nservices);
void engine_stop(ks_engine *engine);  /* joins everything; NULL is fine */

/* Also reads the group coordinator's log (coordlog.h) for group generations,
 * handing each record to fn(ctx, ...) on the reader's thread; restarted with
 * the pollers when :ctx switches clusters, stopped by engine_stop(). Only
 * when the target polls groups. @locality the thread that started it. */
struct dec_groupmeta;
void engine_follow_coordinator(ks_engine *engine,
                               void (*fn)(void *ctx, const char *group,
                                          const struct dec_groupmeta *gm, int64_t ts_ms,
                                          bool replay),
                               void *ctx);

/* Waits until every configured source has answered once, or the cluster
 * poll failed (the other sources cannot matter then), or the deadline
 * passes: used by the one-shot modes. Returns true when complete. */
bool engine_wait_complete(ks_engine *engine, int timeout_ms);

#endif
