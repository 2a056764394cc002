/* poller: the generic polling thread (see poller.h for the design).
 *
 * DESIGN: `lock` guards the two requests (stop, kick) and the wait;
 * the interval and the round count are atomics so that readers need no lock.
 * The round itself runs without the lock held, so kick/set_interval/stop from
 * the UI thread never wait for network I/O; only poller_stop() waits, by
 * joining the thread. */
#define _GNU_SOURCE /* pthread_setname_np */
#include "poller.h"
#include "clock.h"
#include "xmalloc.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct ks_poller {
    const ks_poller_ops *ops;
    void *cfg;
    ks_store *store;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond; /* CLOCK_MONOTONIC */
    bool kicked;         /* under lock */
    atomic_bool stop;    /* written under lock, read anywhere */
    atomic_int interval_ms;
    atomic_ulong rounds;
};

/* The poller whose thread this is, for poller_stopping(). */
static __thread ks_poller *current_poller;

static struct timespec mono_deadline(int64_t at_ms)
{
    struct timespec ts = {.tv_sec = at_ms / 1000, .tv_nsec = (at_ms % 1000) * 1000000};
    return ts;
}

/* Waits until the next round is due, a kick, or stop. Called and returns with
 * the lock held. The deadline is recomputed after every wake-up so that a
 * new interval applies to the wait already in progress. */
static void wait_next_round(ks_poller *poller, int64_t round_start_ms)
{
    while (!atomic_load(&poller->stop) && !poller->kicked) {
        int interval = atomic_load(&poller->interval_ms);

        if (interval <= 0) {
            pthread_cond_wait(&poller->cond, &poller->lock);
            continue;
        }
        int64_t due = round_start_ms + interval;
        if (clock_mono_ms() >= due)
            return;
        struct timespec ts = mono_deadline(due);
        int rc = pthread_cond_timedwait(&poller->cond, &poller->lock, &ts);
        if (rc != 0 && rc != ETIMEDOUT && rc != EINTR)
            ks_fatal("poller %s: pthread_cond_timedwait: %s", poller->ops->name, strerror(rc));
    }
}

static void *poller_main(void *arg)
{
    ks_poller *poller = arg;
    const ks_poller_ops *ops = poller->ops;
    void *state;

    current_poller = poller;
    state = ops->open ? ops->open(poller->cfg, poller->store) : NULL;

    pthread_mutex_lock(&poller->lock);
    while (!atomic_load(&poller->stop)) {
        poller->kicked = false;
        pthread_mutex_unlock(&poller->lock);

        int64_t start = clock_mono_ms();
        ops->poll(state, poller->store);
        atomic_fetch_add(&poller->rounds, 1);

        pthread_mutex_lock(&poller->lock);
        wait_next_round(poller, start);
    }
    pthread_mutex_unlock(&poller->lock);

    if (ops->close)
        ops->close(state);
    current_poller = NULL;
    return NULL;
}

ks_poller *poller_start(const ks_poller_ops *ops, void *cfg, ks_store *store, int interval_ms)
{
    ks_poller *poller = xcalloc(1, sizeof(*poller));
    pthread_condattr_t attr;
    sigset_t all, old;
    int rc;

    poller->ops = ops;
    poller->cfg = cfg;
    poller->store = store;
    atomic_init(&poller->stop, false);
    atomic_init(&poller->interval_ms, interval_ms);
    atomic_init(&poller->rounds, 0);
    pthread_mutex_init(&poller->lock, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&poller->cond, &attr);
    pthread_condattr_destroy(&attr);

    /* The new thread inherits the mask: it never takes the UI's signals. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    rc = pthread_create(&poller->thread, NULL, poller_main, poller);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0)
        ks_fatal("poller %s: pthread_create: %s", ops->name, strerror(rc));
    if (ops->name) {
        char name[16];
        strncpy(name, ops->name, sizeof(name) - 1);
        name[sizeof(name) - 1] = '\0';
        pthread_setname_np(poller->thread, name);
    }
    return poller;
}

void poller_set_interval(ks_poller *poller, int ms)
{
    pthread_mutex_lock(&poller->lock);
    atomic_store(&poller->interval_ms, ms);
    pthread_cond_signal(&poller->cond);
    pthread_mutex_unlock(&poller->lock);
}

int poller_interval(const ks_poller *poller)
{
    return atomic_load(&((ks_poller *)poller)->interval_ms);
}

void poller_kick(ks_poller *poller)
{
    pthread_mutex_lock(&poller->lock);
    poller->kicked = true;
    pthread_cond_signal(&poller->cond);
    pthread_mutex_unlock(&poller->lock);
}

void poller_stop(ks_poller *poller)
{
    if (!poller)
        return;
    pthread_mutex_lock(&poller->lock);
    atomic_store(&poller->stop, true);
    pthread_cond_signal(&poller->cond);
    pthread_mutex_unlock(&poller->lock);

    pthread_join(poller->thread, NULL);
    pthread_cond_destroy(&poller->cond);
    pthread_mutex_destroy(&poller->lock);
    free(poller);
}

bool poller_stopping(void)
{
    return current_poller && atomic_load(&current_poller->stop);
}

unsigned long poller_rounds(const ks_poller *poller)
{
    return atomic_load(&((ks_poller *)poller)->rounds);
}
