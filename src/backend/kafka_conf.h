/* kafka_conf: one place that turns ksight's options into a librdkafka handle.
 *
 * DESIGN: every backend thread creates its own rd_kafka_t through here, so
 * -X/-F properties, the log callback (to ksight's log, never the terminal)
 * and the "all brokers down" detection are the same everywhere.
 * Thread-safe: reads only immutable inputs. */
#ifndef KS_KAFKA_CONF_H
#define KS_KAFKA_CONF_H

#include <librdkafka/rdkafka.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "config.h"

/* What a handle needs; borrowed, must outlive the handle. */
typedef struct ks_kafka_opts {
    const char *bootstrap;
    const ks_props *props; /* -X / -F / profile properties, may be NULL */
} ks_kafka_opts;

/* Per-handle state reachable from librdkafka's callbacks (the opaque). */
typedef struct ks_kafka_state {
    atomic_bool all_down; /* set by error_cb on RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN */
    atomic_int last_err;  /* last rd_kafka_resp_err_t from error_cb */
    char name[32];        /* role, for log subjects: "cluster", "groups", ... */
} ks_kafka_state;

/* Creates a handle of the given type with the user's properties applied over
 * ksight's defaults (extra, a NULL-terminated key,value,... list, wins over
 * both). state is borrowed and must outlive the handle. Returns NULL with
 * errstr on a bad property. */
rd_kafka_t *kafka_new(rd_kafka_type_t type, const ks_kafka_opts *opts, ks_kafka_state *state,
                      const char *const *extra, char *errstr, size_t errstr_size);

/* Checks every property against librdkafka's configuration without creating
 * a handle: 0, or -1 with errstr naming the property and librdkafka's reason. */
int kafka_check_props(const ks_props *props, char *errstr, size_t errstr_size);

/* Serves callbacks queued on the main queue (error_cb, log) without blocking. */
void kafka_serve(rd_kafka_t *rk);

#endif

#ifndef KS_KAFKA_POLLER_CFG
#define KS_KAFKA_POLLER_CFG
/* Configuration of the Kafka pollers (cluster, groups); borrowed by them. */
typedef struct ks_kafka_poller_cfg {
    ks_kafka_opts kafka;
    int timeout_ms; /* per round, for each network phase */
} ks_kafka_poller_cfg;
#endif
