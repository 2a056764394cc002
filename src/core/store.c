/* store: snapshot publication by pointer swap, and the UI wake-up pipe.
 *
 * DESIGN: two locks. `lock` guards only the current-snapshot pointer and is
 * held for a few instructions by publishers and by the UI's acquire.
 * `publish_lock` serialises publishers so that listener calls (the diff that
 * feeds the timeline) see snapshots in version order; the UI never takes it. */
#include "store.h"
#include "snapshot.h"
#include "xmalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ks_store {
    pthread_mutex_t lock;
    pthread_mutex_t publish_lock;
    ks_snapshot *current;
    int pipe_rd, pipe_wr;
    ks_store_listener *listener;
    void *listener_ctx;
};

static ks_snapshot *snapshot_alloc(void)
{
    ks_snapshot *snap = xcalloc(1, sizeof(*snap));
    atomic_init(&snap->refcnt, 1);
    return snap;
}

ks_store *store_new(void)
{
    ks_store *store = xcalloc(1, sizeof(*store));
    int fds[2];

    pthread_mutex_init(&store->lock, NULL);
    pthread_mutex_init(&store->publish_lock, NULL);
    store->current = snapshot_alloc();
    if (pipe(fds) != 0)
        ks_fatal("pipe: %s", strerror(errno));
    for (int i = 0; i < 2; i++) {
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    }
    store->pipe_rd = fds[0];
    store->pipe_wr = fds[1];
    return store;
}

void store_free(ks_store *store)
{
    if (!store)
        return;
    snapshot_unref(store->current);
    close(store->pipe_rd);
    close(store->pipe_wr);
    pthread_mutex_destroy(&store->lock);
    pthread_mutex_destroy(&store->publish_lock);
    free(store);
}

void store_set_listener(ks_store *store, ks_store_listener *fn, void *ctx)
{
    store->listener = fn;
    store->listener_ctx = ctx;
}

void store_publish(ks_store *store, ks_part_kind kind, void *part)
{
    ks_snapshot *snap = snapshot_alloc(), *old;

    pthread_mutex_lock(&store->publish_lock);
    pthread_mutex_lock(&store->lock);
    old = store->current;
    snap->version = old->version + 1;
    snap->cluster = part_ref(old->cluster);
    snap->groups = part_ref(old->groups);
    snap->zk = part_ref(old->zk);
    snap->registry = part_ref(old->registry);
    switch (kind) {
    case KS_PART_CLUSTER: part_unref(snap->cluster); snap->cluster = part; break;
    case KS_PART_GROUPS: part_unref(snap->groups); snap->groups = part; break;
    case KS_PART_ZK: part_unref(snap->zk); snap->zk = part; break;
    case KS_PART_REGISTRY: part_unref(snap->registry); snap->registry = part; break;
    }
    store->current = snap;
    pthread_mutex_unlock(&store->lock);

    /* old keeps the reference the store held; the listener borrows both */
    if (store->listener)
        store->listener(old, snap, store->listener_ctx);
    pthread_mutex_unlock(&store->publish_lock);
    snapshot_unref(old);
    store_wake(store);
}

ks_snapshot *store_acquire(ks_store *store)
{
    ks_snapshot *snap;

    pthread_mutex_lock(&store->lock);
    snap = snapshot_ref(store->current);
    pthread_mutex_unlock(&store->lock);
    return snap;
}

void store_wake(ks_store *store)
{
    char c = 1;
    /* a full pipe already means "wake up": EAGAIN is fine */
    if (write(store->pipe_wr, &c, 1) < 0 && errno != EAGAIN)
        return;
}

int store_wake_fd(const ks_store *store)
{
    return store->pipe_rd;
}

void store_drain(ks_store *store)
{
    char buf[256];
    while (read(store->pipe_rd, buf, sizeof(buf)) > 0)
        ;
}
