/* store: the one place where backend threads hand data to the UI thread.
 *
 * DESIGN: the store holds the current snapshot. A poller publishes a new part
 * with store_publish(): under a short lock the store builds a new snapshot
 * that shares the other three parts, swaps the pointer, then (outside that
 * lock, but serialised among publishers) calls the listener with the old and
 * new snapshot (diff -> timeline) and writes one byte to the wake-up pipe.
 * The UI thread sleeps in poll() on store_wake_fd() and takes a counted
 * reference with store_acquire(); it never waits for a publisher's work. */
#ifndef KS_STORE_H
#define KS_STORE_H

#include "model.h"

typedef struct ks_store ks_store;

typedef enum ks_part_kind {
    KS_PART_CLUSTER,
    KS_PART_GROUPS,
    KS_PART_ZK,
    KS_PART_REGISTRY,
} ks_part_kind;

/* Called on the publishing thread after each swap; old may be the empty
 * snapshot. Both are borrowed for the duration of the call. */
typedef void ks_store_listener(const ks_snapshot *old, const ks_snapshot *snap, void *ctx);

ks_store *store_new(void);
void store_free(ks_store *store); /* after every publisher thread has stopped */
void store_set_listener(ks_store *store, ks_store_listener *fn, void *ctx); /* before threads */

/* @locality any thread. Takes ownership of part (the caller's reference). */
void store_publish(ks_store *store, ks_part_kind kind, void *part);

/* @locality any thread. Returns a new reference (never NULL); caller unrefs. */
ks_snapshot *store_acquire(ks_store *store);

/* @locality any thread: wake the UI without new data (tail rows, load counters). */
void store_wake(ks_store *store);
int store_wake_fd(const ks_store *store);   /* read end, for poll() */
void store_drain(ks_store *store);          /* @locality UI thread, after poll() */

#endif
