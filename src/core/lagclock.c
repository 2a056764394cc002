/* lagclock: when each partition's log end reached which offset, and the time
 * lag of committed offsets read off it (see lagclock.h). */
#include "lagclock.h"
#include "clock.h"
#include "snapshot.h"
#include "store.h"
#include "xmalloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct lc_part {
    char *topic; /* NULL: free slot */
    int32_t partition;
    int n;
    int behind;    /* samples in a row below the last one */
    uint64_t seen; /* the round that last listed it */
    int64_t ends[LAGCLOCK_SAMPLES], times[LAGCLOCK_SAMPLES];
} lc_part;

struct ks_lagclock {
    lc_part *slots; /* open addressing, linear probing */
    size_t cap, used;
    uint64_t round;
    int64_t cluster_ms; /* taken_ms of the cluster part last observed */
};

ks_lagclock *lagclock_new(void)
{
    ks_lagclock *lc = xcalloc(1, sizeof(*lc));
    lc->cap = 64;
    lc->slots = xcalloc(lc->cap, sizeof(*lc->slots));
    return lc;
}

void lagclock_free(ks_lagclock *lc)
{
    if (!lc)
        return;
    for (size_t i = 0; i < lc->cap; i++)
        free(lc->slots[i].topic);
    free(lc->slots);
    free(lc);
}

static size_t hash(const char *topic, int32_t partition)
{
    uint64_t h = 14695981039346656037ULL; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)topic; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    h = (h ^ (uint32_t)partition) * 1099511628211ULL;
    return (size_t)h;
}

static lc_part *probe(lc_part *slots, size_t cap, const char *topic, int32_t partition)
{
    size_t i = hash(topic, partition) & (cap - 1);
    while (slots[i].topic && (slots[i].partition != partition || strcmp(slots[i].topic, topic)))
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

/* Moves the entries seen since round `since` into a table of cap slots. */
static void rehash(ks_lagclock *lc, size_t cap, uint64_t since)
{
    lc_part *slots = xcalloc(cap, sizeof(*slots));
    size_t used = 0;

    for (size_t i = 0; i < lc->cap; i++) {
        lc_part *p = &lc->slots[i];
        if (!p->topic)
            continue;
        if (p->seen < since) {
            free(p->topic);
            continue;
        }
        *probe(slots, cap, p->topic, p->partition) = *p;
        used++;
    }
    free(lc->slots);
    lc->slots = slots;
    lc->cap = cap;
    lc->used = used;
}

static lc_part *find_or_add(ks_lagclock *lc, const char *topic, int32_t partition)
{
    lc_part *p;

    if (2 * (lc->used + 1) > lc->cap)
        rehash(lc, lc->cap * 2, 0);
    p = probe(lc->slots, lc->cap, topic, partition);
    if (!p->topic) {
        p->topic = xstrdup(topic);
        p->partition = partition;
        p->n = 0;
        lc->used++;
    }
    return p;
}

/* A sample when the log end moved; the time it first reached a value is the
 * one kept. Two sources feed it (the cluster and the groups polls), so a
 * sample older than the last, or one below it, is news from the slower one
 * and ignored, unless the log end stays lower: the topic was recreated. */
static void record(lc_part *p, int64_t end, int64_t now_ms)
{
    if (p->n && now_ms < p->times[p->n - 1])
        return;
    if (p->n && end < p->ends[p->n - 1]) {
        if (++p->behind < 3)
            return;
        p->n = 0;
    }
    p->behind = 0;
    if (p->n && end == p->ends[p->n - 1])
        return;
    if (p->n == LAGCLOCK_SAMPLES) {
        /* keep the first, drop every other one of the older half */
        int half = LAGCLOCK_SAMPLES / 2, w = 1;
        for (int r = 1; r < LAGCLOCK_SAMPLES; r++) {
            if (r < half && r % 2 == 0)
                continue;
            p->ends[w] = p->ends[r];
            p->times[w] = p->times[r];
            w++;
        }
        p->n = w;
    }
    p->ends[p->n] = end;
    p->times[p->n] = now_ms;
    p->n++;
}

bool lagclock_estimate(const int64_t *ends, const int64_t *times, int n, int64_t c,
                       int64_t now_ms, int64_t *lag_ms, bool *at_least)
{
    int k = 0;

    *at_least = false;
    if (n < 1)
        return false;
    if (c >= ends[n - 1]) {
        *lag_ms = 0;
        return true;
    }
    while (k < n && ends[k] <= c)
        k++;
    if (k == 0) {
        /* written before the first sample: at least as old as our watch */
        *lag_ms = now_ms - times[0];
        *at_least = true;
        return *lag_ms > 0;
    }
    /* offsets ends[k-1] .. ends[k]-1 were written in (times[k-1], times[k]] */
    double span = (double)(ends[k] - ends[k - 1]);
    double at = (double)times[k - 1] +
                (double)(c - ends[k - 1] + 1) / span * (double)(times[k] - times[k - 1]);
    *lag_ms = now_ms - (int64_t)at;
    if (*lag_ms < 0)
        *lag_ms = 0;
    return true;
}

void lagclock_observe_cluster(ks_lagclock *lc, const ks_cluster *c)
{
    if (!c || !c->watermarks_valid || !c->part.taken_ms || c->part.taken_ms == lc->cluster_ms)
        return;
    lc->cluster_ms = c->part.taken_ms;
    for (int t = 0; t < c->ntopics; t++)
        for (int i = 0; i < c->topics[t].npartitions; i++) {
            const ks_partition *kp = &c->topics[t].partitions[i];
            lc_part *p;
            if (!kp->high_valid)
                continue;
            p = probe(lc->slots, lc->cap, c->topics[t].name, kp->id);
            if (!p->topic && lc->used >= LAGCLOCK_MAX_PARTITIONS)
                continue; /* a huge cluster: only what groups read from here on */
            p = find_or_add(lc, c->topics[t].name, kp->id);
            record(p, kp->high, c->part.taken_ms);
            p->seen = lc->round + 1; /* counts as seen by the next round */
        }
}

void lagclock_apply(ks_lagclock *lc, ks_groups *gs, int64_t now_ms)
{
    lc->round++;
    for (int g = 0; g < gs->ngroups; g++)
        for (int i = 0; i < gs->groups[g].noffsets; i++) {
            const ks_offset *o = &gs->groups[g].offsets[i];
            if (!o->end_valid || !o->topic)
                continue;
            lc_part *p = find_or_add(lc, o->topic, o->partition);
            if (p->seen != lc->round) /* once per partition, however many groups read it */
                record(p, o->end, now_ms);
            p->seen = lc->round;
        }
    for (int g = 0; g < gs->ngroups; g++) {
        ks_group *grp = &gs->groups[g];
        for (int i = 0; i < grp->noffsets; i++) {
            ks_offset *o = &grp->offsets[i];
            if (!o->lag_valid || !o->topic)
                continue;
            lc_part *p = probe(lc->slots, lc->cap, o->topic, o->partition);
            if (o->lag <= 0) { /* caught up, whatever the samples say */
                o->time_lag_valid = true;
                o->time_lag_ms = 0;
            } else if (p->topic && p->n) {
                /* a cluster sample newer than this round is the latest word */
                int64_t now = p->times[p->n - 1] > now_ms ? p->times[p->n - 1] : now_ms;
                o->time_lag_valid = lagclock_estimate(p->ends, p->times, p->n, o->committed, now,
                                                      &o->time_lag_ms, &o->time_lag_at_least);
            }
            if (o->time_lag_valid &&
                (!grp->time_lag_valid || o->time_lag_ms > grp->time_lag_ms)) {
                grp->time_lag_valid = true;
                grp->time_lag_ms = o->time_lag_ms;
                grp->time_lag_at_least = o->time_lag_at_least;
            }
        }
    }
    if (lc->round % LAGCLOCK_FORGET_ROUNDS == 0)
        rehash(lc, lc->cap, lc->round - LAGCLOCK_FORGET_ROUNDS + 1);
}

void lagclock_fill(ks_lagclock *lc, ks_store *store, ks_groups *gs)
{
    ks_snapshot *snap = store_acquire(store);
    /* the cluster poll's watermarks cover topics no group has read yet */
    lagclock_observe_cluster(lc, snap->cluster);
    snapshot_unref(snap);
    lagclock_apply(lc, gs, gs->part.taken_ms ? gs->part.taken_ms : clock_wall_ms());
}
