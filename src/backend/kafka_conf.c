/* kafka_conf: librdkafka handle creation, log and error callbacks.
 *
 * DESIGN: librdkafka logs from its own threads; the log callback forwards to
 * log_printf (timeline + file), so nothing reaches the terminal. */
#include "kafka_conf.h"
#include "log.h"

#include <stdio.h>
#include <string.h>

static void on_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
    (void)fac;
    ks_kafka_state *st = rd_kafka_opaque(rk);
    ks_severity sev = level <= 3 ? KS_SEV_ERROR : level <= 4 ? KS_SEV_WARN : KS_SEV_INFO;
    log_printf(sev, st ? st->name : "kafka", "%s", buf);
}

static void on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
    (void)rk;
    ks_kafka_state *st = opaque;
    if (!st)
        return;
    atomic_store(&st->last_err, err);
    if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
        atomic_store(&st->all_down, true);
    /* transport errors repeat every reconnect: keep them out of the timeline
     * flood; the snapshot's error field carries the state instead */
    if (err != RD_KAFKA_RESP_ERR__TRANSPORT && err != RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
        log_printf(KS_SEV_WARN, st->name, "%s", reason);
}

static int conf_set(rd_kafka_conf_t *conf, const char *k, const char *v, char *errstr,
                    size_t errstr_size)
{
    char why[256];
    if (rd_kafka_conf_set(conf, k, v, why, sizeof(why)) != RD_KAFKA_CONF_OK) {
        snprintf(errstr, errstr_size, "property %s: %s", k, why);
        return -1;
    }
    return 0;
}

rd_kafka_t *kafka_new(rd_kafka_type_t type, const ks_kafka_opts *opts, ks_kafka_state *state,
                      const char *const *extra, char *errstr, size_t errstr_size)
{
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_t *rk;
    char why[512];

    /* ksight's defaults: quiet, quick to notice a dead cluster */
    if (conf_set(conf, "client.id", "ksight", errstr, errstr_size) ||
        conf_set(conf, "log.connection.close", "false", errstr, errstr_size) ||
        conf_set(conf, "socket.connection.setup.timeout.ms", "5000", errstr, errstr_size) ||
        conf_set(conf, "reconnect.backoff.max.ms", "2000", errstr, errstr_size) ||
        conf_set(conf, "topic.metadata.refresh.interval.ms", "-1", errstr, errstr_size) ||
        (opts->bootstrap &&
         conf_set(conf, "bootstrap.servers", opts->bootstrap, errstr, errstr_size)))
        goto fail;
    for (int i = 0; opts->props && i < opts->props->n; i++)
        if (conf_set(conf, opts->props->keys[i], opts->props->vals[i], errstr, errstr_size))
            goto fail;
    for (int i = 0; extra && extra[i] && extra[i + 1]; i += 2)
        if (conf_set(conf, extra[i], extra[i + 1], errstr, errstr_size))
            goto fail;
    rd_kafka_conf_set_log_cb(conf, on_log);
    rd_kafka_conf_set_error_cb(conf, on_error);
    rd_kafka_conf_set_opaque(conf, state);
    rk = rd_kafka_new(type, conf, why, sizeof(why));
    if (!rk) {
        snprintf(errstr, errstr_size, "%s", why);
        goto fail; /* rd_kafka_new frees conf only on success */
    }
    return rk;
fail:
    rd_kafka_conf_destroy(conf);
    return NULL;
}

int kafka_check_props(const ks_props *props, char *errstr, size_t errstr_size)
{
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    int rc = 0;

    for (int i = 0; props && i < props->n && rc == 0; i++)
        rc = conf_set(conf, props->keys[i], props->vals[i], errstr, errstr_size);
    rd_kafka_conf_destroy(conf);
    return rc;
}

void kafka_serve(rd_kafka_t *rk)
{
    rd_kafka_poll(rk, 0);
}
