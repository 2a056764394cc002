/* worker_produce: the load run's producer threads (the workbook's
 * KafkaProducerThread, Atelier 2).
 *
 * DESIGN: N threads, each with its own producer handle made by kafka_new()
 * (so -X/-F apply) with the run's acks, idempotence, compression, linger
 * and batch settings. A thread sends its messages (or until stopped), pausing
 * load_interval() ms between sends (read before every send, so the rate can
 * change while it runs), in one of the workbook's three modes:
 *   fire-and-forget  produce and move on; delivery reports are drained in
 *                    bulk and only failures are looked at, so successes are
 *                    learnt at the end: once the queue is flushed empty,
 *                    whatever did not fail was delivered (the reports are
 *                    still requested, rather than delivery.report.only.error,
 *                    so that messages are freed on the thread that made
 *                    them: cheaper than librdkafka freeing them on its
 *                    broker threads);
 *   sync             produce, then serve the queue until this message's
 *                    delivery report arrives (Future.get());
 *   async            produce, and handle each delivery report as it comes
 *                    (the Callback), serving the queue between sends.
 * Every message is the workbook's Courier (JSON, or Avro in the Confluent
 * wire format) keyed by courier id, with one header the audit reads,
 *   ksight: RUN/THREAD/SEQ/TS   e.g. "8d6a5c4557b353aa/0/41/1795536113347659"
 * the run id, the producer thread, its sequence number (0, 1, 2...) and the
 * produce time (microseconds since the epoch, wall clock). One header, not
 * four: librdkafka allocates each header of each message, and a load
 * generator is judged on its cost per message. Even one costs about as
 * much CPU as the rest of the message, so a producer-only run may go
 * without it (spec audit_header=0): then nothing can audit the run.
 * A thread writes only its own ks_load_producer counters and its own audit
 * sequences; delivery reports are served on the thread itself (event API,
 * see load_kafka.h), so there are no callbacks on librdkafka's threads. */
#ifndef KS_WORKER_PRODUCE_H
#define KS_WORKER_PRODUCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kafka_conf.h"
#include "load.h"

#define WORKER_PRODUCE_HEADER "ksight"
#define WORKER_PRODUCE_HEADER_MAX 80 /* bytes of its value at most */

typedef struct ks_produce_cfg {
    ks_load_spec spec;   /* copied */
    ks_kafka_opts kafka; /* borrowed until worker_produce_stop() returns */
    ks_load *load;       /* borrowed, idem */
    char run_id[24];
    uint32_t schema_id;   /* format avro: the registry's id for <topic>-value */
    int flush_timeout_ms; /* on stop: how long to wait for reports before purging */
} ks_produce_cfg;

typedef struct ks_producers ks_producers;

/* @locality the load service. Starts spec.producers threads; never NULL. */
ks_producers *worker_produce_start(const ks_produce_cfg *cfg);

/* @locality any thread. True once every thread has finished (sent all its
 * messages and settled every delivery report, or was stopped). */
bool worker_produce_done(ks_producers *producers);

/* @locality the load service. Stops sending, waits up to flush_timeout_ms
 * for outstanding delivery reports, purges the rest (counted failed, kind
 * purged), joins the threads and frees. NULL is fine. */
void worker_produce_stop(ks_producers *producers);

#endif
