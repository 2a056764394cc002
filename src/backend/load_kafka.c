/* load_kafka: error kinds, error events and worker threads for the load run. */
#define _GNU_SOURCE /* pthread_setname_np */
#include "load_kafka.h"
#include "log.h"
#include "xmalloc.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

ks_load_err load_kafka_err_kind(rd_kafka_resp_err_t err)
{
    switch (err) {
    case RD_KAFKA_RESP_ERR__QUEUE_FULL:
        return LOAD_ERR_QUEUE_FULL;
    case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT:
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
        return LOAD_ERR_TIMED_OUT;
    case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS:
    case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND:
        return LOAD_ERR_REPLICAS;
    case RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION:
    case RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
        return LOAD_ERR_LEADER;
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
    case RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION:
    case RD_KAFKA_RESP_ERR__RESOLVE:
        return LOAD_ERR_TRANSPORT;
    case RD_KAFKA_RESP_ERR__PURGE_QUEUE:
    case RD_KAFKA_RESP_ERR__PURGE_INFLIGHT:
        return LOAD_ERR_PURGED;
    default:
        return LOAD_ERR_OTHER;
    }
}

ks_load_err load_kafka_error(ks_kafka_state *st, rd_kafka_event_t *ev)
{
    rd_kafka_resp_err_t err = rd_kafka_event_error(ev);

    if (st) {
        atomic_store(&st->last_err, err);
        if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
            atomic_store(&st->all_down, true);
    }
    /* as kafka_conf's error callback: reconnect noise stays out of the log */
    if (err != RD_KAFKA_RESP_ERR__TRANSPORT && err != RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
        log_printf(rd_kafka_event_error_is_fatal(ev) ? KS_SEV_ERROR : KS_SEV_WARN,
                   st ? st->name : "load", "%s", rd_kafka_event_error_string(ev));
    return load_kafka_err_kind(err);
}

void load_kafka_thread_start(pthread_t *thread, void *(*fn)(void *), void *arg, const char *name)
{
    sigset_t all, old;
    char shown[16];
    int rc;

    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    rc = pthread_create(thread, NULL, fn, arg);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0)
        ks_fatal("load: pthread_create %s: %s", name, strerror(rc));
    snprintf(shown, sizeof(shown), "%s", name);
    pthread_setname_np(*thread, shown);
}
