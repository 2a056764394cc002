/* worker_consume: the load run's consumer group (the workbook's
 * KafkaConsumerThread, Atelier 3, and the reliability tests of Atelier 8).
 *
 * DESIGN: each member is a thread with its own consumer handle made by
 * kafka_new() (group.id, assignor, auto.offset.reset, session timeout,
 * commit mode). It serves its consumer queue with the event API (see
 * load_kafka.h): messages, rebalances, commit results and errors all come
 * to the member's own thread, which
 *   - reads the run's headers, batches (producer thread, sequence,
 *     partition, offset) into the audit, records end-to-end latency,
 *     counts per courier (the workbook's map) and moves the partition's
 *     consumed position forward;
 *   - commits after processing each poll batch when the commit mode is
 *     manual (enable.auto.offset.store=false, offsets stored once a message
 *     is accounted for, then rd_kafka_commit sync or async), and before it
 *     gives partitions up in a revoke;
 *   - does the assignment itself (incremental for cooperative-sticky) and
 *     reports every revoke and assign to the rebalance timeline with the
 *     generation it joined.
 * The generation id: librdkafka 2.0.2 has no getter. The member reads it
 * from rd_kafka_consumer_group_metadata(), the public object librdkafka
 * hands to transactional producers, through its serialised form, whose
 * layout is checked at start-up by writing a probe with a known generation
 * and reading it back; if the check fails the generation is reported as
 * unknown (never guessed) and only the count of rebalances remains.
 *
 * Members are started, removed (close: revoke, commit, LeaveGroup) and
 * killed (destroyed with RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE: no commit,
 * no LeaveGroup, so the coordinator waits for session.timeout.ms) only by
 * the load service's thread; slots are never reused within a run, so member
 * numbers in the timeline stay unambiguous. */
#ifndef KS_WORKER_CONSUME_H
#define KS_WORKER_CONSUME_H

#include <stdbool.h>
#include <stdint.h>

#include "kafka_conf.h"
#include "load.h"

typedef struct ks_consume_cfg {
    ks_load_spec spec;   /* copied; spec.group must be set */
    ks_kafka_opts kafka; /* borrowed until worker_consume_stop() returns */
    ks_load *load;       /* borrowed, idem */
    char run_id[24];
} ks_consume_cfg;

typedef struct ks_consumers ks_consumers;

/* @locality the load service (every function here). Starts
 * spec.consumers members; never NULL. */
ks_consumers *worker_consume_start(const ks_consume_cfg *cfg);

/* Starts one more member. Returns its number, or -1 when the run has used
 * all KS_LOAD_MAX_MEMBERS slots. */
int worker_consume_add(ks_consumers *consumers);

/* member -1: the newest live member. Returns the member acted on, or -1
 * when there is no such live member. remove waits for the close to end
 * (a few seconds at most); kill returns at once. */
int worker_consume_remove(ks_consumers *consumers, int member);
int worker_consume_kill(ks_consumers *consumers, int member);

/* Adds members or removes the newest ones (cleanly, closing in parallel)
 * until n are live. Returns the live count. */
int worker_consume_set_count(ks_consumers *consumers, int n);

int worker_consume_alive(ks_consumers *consumers);

/* Closes every live member cleanly, joins every thread and frees. NULL is
 * fine. */
void worker_consume_stop(ks_consumers *consumers);

/* The generation the consumer handle rk last joined, from its group
 * metadata; -1 when unknown. Exposed for tests. */
int32_t worker_consume_generation(void *rk);

#endif
