/* audit: per-thread sequence bitmaps and per-partition offset bitmaps.
 *
 * DESIGN: see audit.h. `sent` is a counter (sequences are dense), acked,
 * failed and seen are seqsets indexed by sequence, and each partition has a
 * seqset of consumed offsets relative to its base. The consumer-side
 * counters and the partition table are guarded by `lock`; producer-side
 * state is atomic and written by its own thread only. */
#include "audit.h"
#include "seqset.h"
#include "xmalloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

typedef struct audit_thread {
    atomic_uint_fast64_t sent;
    ks_seqset *acked, *failed, *seen;
    /* consumer side, under the lock */
    uint64_t received, log_duplicates, redelivered, out_of_order;
} audit_thread;

typedef struct audit_partition {
    bool base_set;
    int64_t base;
    ks_seqset *offsets; /* offset - base, consumed at least once */
    int64_t *last_seq;  /* per thread: highest new sequence read here, -1 none */
} audit_partition;

struct ks_audit {
    int nthreads;
    audit_thread *threads;
    pthread_mutex_t lock;
    int npartitions;
    audit_partition *parts;
    uint64_t invalid;
    uint64_t untracked; /* below the base: redelivery cannot be told */
};

static void partitions_grow(ks_audit *a, int n)
{
    if (n <= a->npartitions)
        return;
    a->parts = xrealloc(a->parts, (size_t)n * sizeof(*a->parts));
    for (int p = a->npartitions; p < n; p++) {
        audit_partition *ap = &a->parts[p];
        memset(ap, 0, sizeof(*ap));
        ap->offsets = seqset_new();
        ap->last_seq = xmalloc((size_t)a->nthreads * sizeof(int64_t));
        for (int t = 0; t < a->nthreads; t++)
            ap->last_seq[t] = -1;
    }
    a->npartitions = n;
}

ks_audit *audit_new(int nthreads, int npartitions)
{
    ks_audit *a = xcalloc(1, sizeof(*a));

    a->nthreads = nthreads > 0 ? nthreads : 1;
    a->threads = xcalloc((size_t)a->nthreads, sizeof(*a->threads));
    for (int t = 0; t < a->nthreads; t++) {
        a->threads[t].acked = seqset_new();
        a->threads[t].failed = seqset_new();
        a->threads[t].seen = seqset_new();
    }
    pthread_mutex_init(&a->lock, NULL);
    partitions_grow(a, npartitions > 0 ? npartitions : 1);
    return a;
}

void audit_free(ks_audit *a)
{
    if (!a)
        return;
    for (int t = 0; t < a->nthreads; t++) {
        seqset_free(a->threads[t].acked);
        seqset_free(a->threads[t].failed);
        seqset_free(a->threads[t].seen);
    }
    for (int p = 0; p < a->npartitions; p++) {
        seqset_free(a->parts[p].offsets);
        free(a->parts[p].last_seq);
    }
    free(a->parts);
    free(a->threads);
    pthread_mutex_destroy(&a->lock);
    free(a);
}

int audit_threads(const ks_audit *a)
{
    return a->nthreads;
}

void audit_set_base(ks_audit *a, int32_t partition, int64_t base)
{
    if (partition < 0 || base < 0)
        return;
    pthread_mutex_lock(&a->lock);
    partitions_grow(a, partition + 1);
    a->parts[partition].base_set = true;
    a->parts[partition].base = base;
    pthread_mutex_unlock(&a->lock);
}

static audit_thread *thread_at(ks_audit *a, int t)
{
    return t >= 0 && t < a->nthreads ? &a->threads[t] : NULL;
}

void audit_sent(ks_audit *a, int t, uint64_t next_seq)
{
    audit_thread *at = thread_at(a, t);
    if (at)
        atomic_store_explicit(&at->sent, next_seq, memory_order_release);
}

void audit_acked(ks_audit *a, int t, uint64_t seq)
{
    audit_thread *at = thread_at(a, t);
    if (at)
        seqset_add(at->acked, seq);
}

void audit_failed(ks_audit *a, int t, uint64_t seq)
{
    audit_thread *at = thread_at(a, t);
    if (at)
        seqset_add(at->failed, seq);
}

void audit_acked_rest(ks_audit *a, int t)
{
    audit_thread *at = thread_at(a, t);
    if (!at)
        return;
    seqset_add_range_except(at->acked, at->failed,
                            atomic_load_explicit(&at->sent, memory_order_acquire));
}

/* @locks a->lock held */
static ks_audit_verdict consume_one(ks_audit *a, const ks_audit_record *r)
{
    audit_thread *at = thread_at(a, r->t);
    audit_partition *ap;

    if (!at || r->partition < 0 || r->offset < 0 ||
        r->seq >= atomic_load_explicit(&at->sent, memory_order_acquire)) {
        a->invalid++;
        return AUDIT_INVALID;
    }
    partitions_grow(a, r->partition + 1);
    ap = &a->parts[r->partition];
    if (!ap->base_set) {
        ap->base_set = true;
        ap->base = r->offset;
    }
    at->received++;
    if (r->offset < ap->base) {
        a->untracked++;
    } else if (!seqset_add(ap->offsets, (uint64_t)(r->offset - ap->base))) {
        at->redelivered++;
        return AUDIT_REDELIVERED;
    }
    if (!seqset_add(at->seen, r->seq)) {
        at->log_duplicates++;
        return AUDIT_LOG_DUPLICATE;
    }
    /* new records of one partition arrive in offset order: a sequence
     * lower than one already read there was written out of order */
    if ((int64_t)r->seq < ap->last_seq[r->t])
        at->out_of_order++;
    else
        ap->last_seq[r->t] = (int64_t)r->seq;
    return AUDIT_NEW;
}

void audit_consumed(ks_audit *a, ks_audit_record *recs, int n)
{
    pthread_mutex_lock(&a->lock);
    for (int i = 0; i < n; i++)
        recs[i].verdict = consume_one(a, &recs[i]);
    pthread_mutex_unlock(&a->lock);
}

/* @locks a->lock held */
static void thread_counts(const audit_thread *at, ks_audit_counts *c)
{
    uint64_t sent = atomic_load_explicit(&at->sent, memory_order_acquire);
    memset(c, 0, sizeof(*c));
    c->sent = sent;
    c->acked = seqset_count_andnot(at->acked, NULL, sent);
    c->failed = seqset_count_andnot(at->failed, at->acked, sent);
    c->unknown = sent - c->acked - c->failed;
    c->received = at->received;
    c->unique = seqset_count(at->seen);
    c->log_duplicates = at->log_duplicates;
    c->redelivered = at->redelivered;
    c->out_of_order = at->out_of_order;
    c->lost = seqset_count_andnot(at->acked, at->seen, sent);
    c->gaps = seqset_ranges_andnot(at->acked, at->seen, sent, NULL, 0);
    c->unacked_consumed = seqset_count_andnot(at->seen, at->acked, sent);
    c->unacked_missing = (sent - c->acked) - c->unacked_consumed;
}

static void counts_add(ks_audit_counts *dst, const ks_audit_counts *c)
{
    dst->sent += c->sent;
    dst->acked += c->acked;
    dst->failed += c->failed;
    dst->unknown += c->unknown;
    dst->received += c->received;
    dst->unique += c->unique;
    dst->log_duplicates += c->log_duplicates;
    dst->redelivered += c->redelivered;
    dst->out_of_order += c->out_of_order;
    dst->invalid += c->invalid;
    dst->lost += c->lost;
    dst->gaps += c->gaps;
    dst->unacked_consumed += c->unacked_consumed;
    dst->unacked_missing += c->unacked_missing;
}

int audit_summarize(ks_audit *a, ks_audit_counts *all, ks_audit_counts *per, int max)
{
    ks_audit_counts c;

    memset(all, 0, sizeof(*all));
    pthread_mutex_lock(&a->lock);
    for (int t = 0; t < a->nthreads; t++) {
        thread_counts(&a->threads[t], &c);
        counts_add(all, &c);
        if (per && t < max)
            per[t] = c;
    }
    all->invalid = a->invalid;
    pthread_mutex_unlock(&a->lock);
    return a->nthreads;
}

uint64_t audit_lost_ranges(ks_audit *a, int t, uint64_t (*ranges)[2], int max)
{
    audit_thread *at = thread_at(a, t);
    uint64_t n;

    if (!at)
        return 0;
    pthread_mutex_lock(&a->lock);
    n = seqset_ranges_andnot(at->acked, at->seen,
                             atomic_load_explicit(&at->sent, memory_order_acquire), ranges, max);
    pthread_mutex_unlock(&a->lock);
    return n;
}

uint64_t audit_bytes(ks_audit *a)
{
    uint64_t n = 0;
    pthread_mutex_lock(&a->lock);
    for (int t = 0; t < a->nthreads; t++)
        n += seqset_bytes(a->threads[t].acked) + seqset_bytes(a->threads[t].failed) +
             seqset_bytes(a->threads[t].seen);
    for (int p = 0; p < a->npartitions; p++)
        n += seqset_bytes(a->parts[p].offsets);
    pthread_mutex_unlock(&a->lock);
    return n;
}
