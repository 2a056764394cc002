/* histogram: log-linear buckets with relaxed atomic counters.
 *
 * DESIGN: bucket b < 16 holds exactly the value b. Above, a value v with
 * its highest set bit at position e (e >= 4) goes to the group e - 3, and
 * within the group to the sub-bucket given by the 4 bits below the highest
 * one. No lock anywhere: writers add, readers load; see histogram.h. */
#include "histogram.h"

#define RELAXED memory_order_relaxed

void histogram_init(ks_histogram *h)
{
    atomic_store_explicit(&h->count, 0, RELAXED);
    atomic_store_explicit(&h->sum, 0, RELAXED);
    atomic_store_explicit(&h->min, UINT64_MAX, RELAXED);
    atomic_store_explicit(&h->max, 0, RELAXED);
    for (int i = 0; i < HISTOGRAM_BUCKETS; i++)
        atomic_store_explicit(&h->buckets[i], 0, RELAXED);
}

int histogram_bucket(uint64_t value)
{
    if (value < HISTOGRAM_SUB)
        return (int)value;
    int e = 63 - __builtin_clzll(value); /* highest set bit, >= 4 */
    int sub = (int)((value >> (e - HISTOGRAM_SUB_BITS)) & (HISTOGRAM_SUB - 1));
    return (e - HISTOGRAM_SUB_BITS + 1) * HISTOGRAM_SUB + sub;
}

uint64_t histogram_bucket_low(int bucket)
{
    if (bucket < HISTOGRAM_SUB)
        return (uint64_t)bucket;
    int e = bucket / HISTOGRAM_SUB + HISTOGRAM_SUB_BITS - 1;
    uint64_t sub = (uint64_t)(bucket % HISTOGRAM_SUB);
    return (1ULL << e) | (sub << (e - HISTOGRAM_SUB_BITS));
}

uint64_t histogram_bucket_high(int bucket)
{
    if (bucket < HISTOGRAM_SUB)
        return (uint64_t)bucket;
    int e = bucket / HISTOGRAM_SUB + HISTOGRAM_SUB_BITS - 1;
    return histogram_bucket_low(bucket) + ((1ULL << (e - HISTOGRAM_SUB_BITS)) - 1);
}

static void store_min(atomic_uint_fast64_t *slot, uint64_t v)
{
    uint_fast64_t cur = atomic_load_explicit(slot, RELAXED);
    while (v < cur && !atomic_compare_exchange_weak_explicit(slot, &cur, v, RELAXED, RELAXED))
        ;
}

static void store_max(atomic_uint_fast64_t *slot, uint64_t v)
{
    uint_fast64_t cur = atomic_load_explicit(slot, RELAXED);
    while (v > cur && !atomic_compare_exchange_weak_explicit(slot, &cur, v, RELAXED, RELAXED))
        ;
}

void histogram_record(ks_histogram *h, uint64_t value)
{
    atomic_fetch_add_explicit(&h->buckets[histogram_bucket(value)], 1, RELAXED);
    atomic_fetch_add_explicit(&h->sum, value, RELAXED);
    store_min(&h->min, value);
    store_max(&h->max, value);
    atomic_fetch_add_explicit(&h->count, 1, RELAXED);
}

void histogram_merge(ks_histogram *dst, const ks_histogram *src)
{
    uint64_t n = 0;
    for (int i = 0; i < HISTOGRAM_BUCKETS; i++) {
        uint64_t c = atomic_load_explicit(&src->buckets[i], RELAXED);
        if (c) {
            atomic_fetch_add_explicit(&dst->buckets[i], c, RELAXED);
            n += c;
        }
    }
    /* count is the sum of the buckets read, so quantiles stay consistent
     * even when src was being written during the merge */
    atomic_fetch_add_explicit(&dst->count, n, RELAXED);
    atomic_fetch_add_explicit(&dst->sum, atomic_load_explicit(&src->sum, RELAXED), RELAXED);
    if (n) {
        store_min(&dst->min, atomic_load_explicit(&src->min, RELAXED));
        store_max(&dst->max, atomic_load_explicit(&src->max, RELAXED));
    }
}

void histogram_copy(ks_histogram *dst, const ks_histogram *src)
{
    histogram_init(dst);
    histogram_merge(dst, src);
}

void histogram_diff(ks_histogram *dst, const ks_histogram *newer, const ks_histogram *older)
{
    uint64_t n = 0;
    int lo = -1, hi = -1;

    histogram_init(dst);
    for (int i = 0; i < HISTOGRAM_BUCKETS; i++) {
        uint64_t a = atomic_load_explicit(&newer->buckets[i], RELAXED);
        uint64_t b = atomic_load_explicit(&older->buckets[i], RELAXED);
        uint64_t c = a > b ? a - b : 0;
        atomic_store_explicit(&dst->buckets[i], c, RELAXED);
        if (c) {
            n += c;
            if (lo < 0)
                lo = i;
            hi = i;
        }
    }
    atomic_store_explicit(&dst->count, n, RELAXED);
    atomic_store_explicit(&dst->sum,
                          atomic_load_explicit(&newer->sum, RELAXED) -
                              atomic_load_explicit(&older->sum, RELAXED),
                          RELAXED);
    if (n) {
        /* the window's extremes are only known to bucket precision, but
         * never beyond the whole run's */
        uint64_t mn = histogram_bucket_low(lo), mx = histogram_bucket_high(hi);
        uint64_t run_min = atomic_load_explicit(&newer->min, RELAXED);
        uint64_t run_max = atomic_load_explicit(&newer->max, RELAXED);
        atomic_store_explicit(&dst->min, mn > run_min ? mn : run_min, RELAXED);
        atomic_store_explicit(&dst->max, mx < run_max ? mx : run_max, RELAXED);
    }
}

uint64_t histogram_count(const ks_histogram *h)
{
    return atomic_load_explicit(&h->count, RELAXED);
}

uint64_t histogram_max(const ks_histogram *h)
{
    return histogram_count(h) ? atomic_load_explicit(&h->max, RELAXED) : 0;
}

uint64_t histogram_min(const ks_histogram *h)
{
    return histogram_count(h) ? atomic_load_explicit(&h->min, RELAXED) : 0;
}

double histogram_mean(const ks_histogram *h)
{
    uint64_t n = histogram_count(h);
    return n ? (double)atomic_load_explicit(&h->sum, RELAXED) / (double)n : 0.0;
}

uint64_t histogram_quantile(const ks_histogram *h, double q, bool *valid)
{
    uint64_t total = 0, rank, seen = 0;

    /* count from the buckets themselves: a concurrent writer may have
     * bumped a bucket before the total */
    for (int i = 0; i < HISTOGRAM_BUCKETS; i++)
        total += atomic_load_explicit(&h->buckets[i], RELAXED);
    if (valid)
        *valid = total > 0;
    if (!total)
        return 0;
    if (q < 0)
        q = 0;
    if (q > 1)
        q = 1;
    /* the smallest value with at least q of the population at or below it */
    rank = (uint64_t)(q * (double)total + 0.5);
    if (rank < 1)
        rank = 1;
    if (rank > total)
        rank = total;
    /* the extremes are known exactly */
    if (rank == total)
        return atomic_load_explicit(&h->max, RELAXED);
    if (rank == 1)
        return atomic_load_explicit(&h->min, RELAXED);
    for (int i = 0; i < HISTOGRAM_BUCKETS; i++) {
        seen += atomic_load_explicit(&h->buckets[i], RELAXED);
        if (seen >= rank) {
            uint64_t lo = histogram_bucket_low(i), hi = histogram_bucket_high(i);
            uint64_t v = lo + (hi - lo) / 2;
            uint64_t mn = atomic_load_explicit(&h->min, RELAXED);
            uint64_t mx = atomic_load_explicit(&h->max, RELAXED);
            if (v < mn)
                v = mn;
            if (v > mx)
                v = mx;
            return v;
        }
    }
    return histogram_max(h);
}
