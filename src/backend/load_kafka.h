/* load_kafka: what the load workers (worker_produce, worker_consume, the
 * run monitor in service_load) share about librdkafka and threads.
 *
 * DESIGN: every load handle is made by kafka_new(), which owns the conf (so
 * -X/-F apply) and sets only the log and error callbacks. The workers need
 * delivery reports and rebalance notifications, so they turn on librdkafka's
 * event API with the `enabled_events` property instead of conf callbacks,
 * and serve their queues with rd_kafka_queue_poll(). Errors then arrive as
 * RD_KAFKA_EVENT_ERROR events on the same queue; load_kafka_error() gives
 * them the treatment kafka_conf's error callback would (all-brokers-down
 * flag, log line) and a kind for the load counters. */
#ifndef KS_LOAD_KAFKA_H
#define KS_LOAD_KAFKA_H

#include <librdkafka/rdkafka.h>
#include <pthread.h>

#include "kafka_conf.h"
#include "load.h"

/* The load counters' kind of a librdkafka error. */
ks_load_err load_kafka_err_kind(rd_kafka_resp_err_t err);

/* An RD_KAFKA_EVENT_ERROR event of the handle whose opaque is st: sets
 * st->last_err / all_down, logs it (transport noise excepted) and returns
 * its kind. Does not destroy the event. */
ks_load_err load_kafka_error(ks_kafka_state *st, rd_kafka_event_t *ev);

/* Starts fn(arg) on a new thread with every signal blocked (they belong to
 * the UI's poll loop or the CLI's main thread) and a name of up to 15
 * characters. Aborts if the thread cannot be created. */
void load_kafka_thread_start(pthread_t *thread, void *(*fn)(void *), void *arg, const char *name);

#endif
