/* poller: one background thread per data source, polling it at an interval.
 *
 * DESIGN: every poller (cluster, groups, ZooKeeper, registry) is the same
 * loop around a const ops table: open() once on the new thread (it creates
 * the thread-owned handles: rd_kafka_t, CURL *, sockets), then poll() per
 * round (build a part privately, store_publish() it), then close() on the
 * same thread when stopped. Rounds of one poller never overlap; the interval
 * is measured from the start of a round, so a slow round is followed
 * immediately by the next one. Between rounds the thread waits on a
 * condition variable with a CLOCK_MONOTONIC deadline, so kick and stop take
 * effect at once instead of after a sleep. The thread blocks every signal:
 * SIGWINCH and SIGINT belong to the UI thread's poll() loop.
 *
 * Ownership: cfg is borrowed by the poller until poller_stop() returns; the
 * state returned by open() belongs to the thread and is given to close(). */
#ifndef KS_POLLER_H
#define KS_POLLER_H

#include <stdbool.h>

#include "store.h"

typedef struct ks_poller ks_poller;

typedef struct ks_poller_ops {
    const char *name; /* thread name (first 15 chars) and log subject */
    /* @locality poller thread, once. Returns thread-local state (may be NULL). */
    void *(*open)(void *cfg, ks_store *store);
    /* @locality poller thread, once per round: build a part, store_publish() it. */
    void (*poll)(void *state, ks_store *store);
    /* @locality poller thread, once, after the last round. May be NULL. */
    void (*close)(void *state);
} ks_poller_ops;

/* @locality any thread. Starts the thread; the first round runs at once.
 * interval_ms <= 0 means no periodic rounds: only the first one and kicks.
 * ops, cfg and store are borrowed until poller_stop() returns. Never NULL. */
ks_poller *poller_start(const ks_poller_ops *ops, void *cfg, ks_store *store, int interval_ms);

/* @locality any thread. Applies to the wait in progress: the next round starts
 * ms after the start of the last one (at once if that is already past). */
void poller_set_interval(ks_poller *poller, int ms);
int poller_interval(const ks_poller *poller);

/* @locality any thread. Poll now; during a round, one more round follows it. */
void poller_kick(ks_poller *poller);

/* @locality any thread but the poller's own. Asks the thread to finish, waits
 * for the round in progress (see poller_stopping), calls close() on the
 * poller thread, joins it and frees the poller. NULL is fine. */
void poller_stop(ks_poller *poller);

/* @locality inside ops->poll(). True once poller_stop() has been called for the
 * poller running on this thread, so a long round (many HTTP requests) can give
 * up early. False on threads that are not pollers. */
bool poller_stopping(void);

/* @locality any thread. Rounds completed so far (for tests and the status line). */
unsigned long poller_rounds(const ks_poller *poller);

#endif
