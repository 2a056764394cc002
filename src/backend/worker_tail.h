/* worker_tail: the tail view's consumer thread.
 *
 * DESIGN: one thread per running tail, started and stopped by the tail
 * service on the engine's control thread. It owns its rd_kafka_t (through
 * tail_source), its CURL handle and schema cache (through tail_decode), and
 * writes rows and counters into the shared ks_tail; it never waits for the
 * UI. It decodes every message while it keeps up; when librdkafka's queue
 * backs up (more than 20,000 messages waiting) it decodes one message in 2,
 * 4, ... 1,024 and counts the others as sampled, and it goes back to every
 * message once the backlog is under 2,000, so an endless high-rate topic
 * neither blocks the consumer nor grows memory: the ring drops its oldest
 * rows, librdkafka's prefetch queue is bounded by its own settings. After
 * pushing rows it wakes the UI at most every 50 ms. */
#ifndef KS_WORKER_TAIL_H
#define KS_WORKER_TAIL_H

#include <stdbool.h>

#include "config.h"
#include "store.h"
#include "tail.h"
#include "tail_spec.h"

typedef struct ks_tail_worker ks_tail_worker;

typedef struct ks_tail_worker_cfg {
    const char *bootstrap;
    const ks_props *props;
    const char *registry; /* NULL: no registry */
    const char *topic;
    const ks_tail_opts *opts;
    int timeout_ms;
} ks_tail_worker_cfg;

/* @locality any thread (the engine's control thread). Copies cfg; tail and
 * store are borrowed until tail_worker_stop(). The caller has called
 * tail_begin(). Never NULL. */
ks_tail_worker *tail_worker_start(const ks_tail_worker_cfg *cfg, ks_tail *tail, ks_store *store);

/* @locality any thread. Pauses or resumes: while paused the worker takes
 * no message; librdkafka prefetches up to its queue bound (8 MiB of
 * messages for the view) and waits; resuming goes on from there. */
void tail_worker_pause(ks_tail_worker *worker, bool pause);

/* @locality any thread but the worker's. Asks the thread to finish, joins it
 * (about 100 ms once running; while opening, within the metadata slice of
 * 500 ms or the offsets lookup's timeout) and frees it. NULL is fine. */
void tail_worker_stop(ks_tail_worker *worker);

#endif
