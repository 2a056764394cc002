/* tail_source: the consumer side of a tail: one topic, assigned partitions,
 * start offsets from a from-spec, batches of messages, and the end.
 *
 * DESIGN: owned by one thread (the tail worker or `ksight tail`), which owns
 * the rd_kafka_t it makes with kafka_new(). No consumer group joins and
 * nothing is committed: partitions are assign()ed (librdkafka wants a
 * group.id for that; a private one is set and never used on the broker).
 * Opening fails fast, like the cluster poller: metadata is asked in short
 * slices so that a cluster whose brokers all refuse connections is reported
 * after about a second, and an unknown topic or partition is an error.
 * Start offsets are resolved here, per partition, from the watermarks (one
 * batched request per leader) or offsets_for_times():
 *   beginning -> low; end -> high; N -> N clamped to [low, high];
 *   -N -> max(low, high - N); @ms and -15m -> the first offset at or after
 *   that time (high when there is none).
 * until_end: the high watermarks seen at open are the end; a partition is
 * done once a message at end-1 or a partition-EOF at or past end was seen;
 * messages past the end are dropped.
 * Prefetch: librdkafka 2.0.2 stops fetching while its queue holds
 * queued.min.messages (100,000) messages or queued.max.messages.kbytes, and
 * looks again only when woken or after a second; tail_source_next() wakes
 * the fetchers with one batched ListOffsets when the queue runs dry after
 * being full, so a fast reader does not idle. The byte bound is queue_kbytes
 * unless -X sets it. */
#ifndef KS_TAIL_SOURCE_H
#define KS_TAIL_SOURCE_H

#include <librdkafka/rdkafka.h>
#include <stdbool.h>

#include "kafka_conf.h"
#include "tail_spec.h"

typedef struct ks_tail_source ks_tail_source;

typedef struct ks_tail_source_cfg {
    ks_kafka_opts kafka;         /* borrowed for the call */
    const char *topic;           /* copied */
    const ks_tail_opts *opts;    /* from, partitions, until_end: borrowed for the call */
    int timeout_ms;              /* metadata and offset lookups */
    int queue_kbytes;            /* librdkafka's prefetch bound; 0: 16 MiB */
    bool (*stopping)(void *ctx); /* polled while opening; may be NULL */
    void *stopping_ctx;
} ks_tail_source_cfg;

/* Creates the consumer, checks the topic and partitions, resolves the start
 * offsets and assigns. NULL with errstr on failure ("topic \"x\" does not
 * exist", "cannot reach the cluster at B: all brokers are down"). */
ks_tail_source *tail_source_open(const ks_tail_source_cfg *cfg, char *errstr, size_t errstr_size);
/* Destroys the consumer (no commit, no group to leave). NULL is fine. */
void tail_source_close(ks_tail_source *src);

/* Waits up to timeout_ms for messages and returns up to max of them in msgs
 * (caller rd_kafka_message_destroy()s each); error events and partition
 * EOFs are consumed here. Returns 0 on a timeout or when done. */
int tail_source_next(ks_tail_source *src, rd_kafka_message_t **msgs, int max, int timeout_ms);

/* until_end: every assigned partition reached its end. */
bool tail_source_done(const ks_tail_source *src);

/* Serves librdkafka's callbacks (errors, logs) without consuming: the
 * worker calls it while paused. There is no librdkafka pause: after
 * rd_kafka_pause_partitions() and resume, librdkafka 2.0.2 keeps references
 * to its brokers and rd_kafka_destroy() never returns (seen on the lab).
 * A paused reader simply stops taking messages; librdkafka stops fetching
 * once its queue reaches the prefetch bound, so memory stays bounded. */
void tail_source_serve(ks_tail_source *src);

/* Messages waiting in librdkafka's queue (the worker's sampling signal). */
int tail_source_backlog(ks_tail_source *src);

int tail_source_partitions(const ks_tail_source *src);
int tail_source_partitions_done(const ks_tail_source *src);
const char *tail_source_topic(const ks_tail_source *src);

/* The last consumer error worth telling (a broker down, the topic deleted),
 * or NULL; cleared by reading it into out. */
bool tail_source_take_error(ks_tail_source *src, char *out, size_t size);

/* How often the fetchers were woken (benchmarks, tests). */
unsigned long tail_source_kicks(const ks_tail_source *src);

/* True once every broker has been unreachable for longer than ms. */
bool tail_source_cluster_lost(ks_tail_source *src, int ms);

#endif
