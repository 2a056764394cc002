/* histogram: a log-linear latency histogram, lock-free and mergeable.
 *
 * DESIGN: values (microseconds, or any unsigned 64-bit quantity) fall into
 * buckets whose width grows with the value: exact below 16, then 16 buckets
 * per power of two, so any reported value is within 1/16 (6.25%) of the
 * truth, and the whole range of uint64_t fits in HISTOGRAM_BUCKETS counters.
 * Recording is one relaxed atomic add per counter, so any number of threads
 * may record into the same histogram without a lock (the load workers give
 * each thread its own anyway, and the reader merges them). A reader that
 * copies or merges while writers run sees each counter at some recent value:
 * good enough for a live percentile, exact once the writers have stopped.
 * Histograms are plain fixed-size structs: copy with histogram_copy(), never
 * with memcpy while writers run. */
#ifndef KS_HISTOGRAM_H
#define KS_HISTOGRAM_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define HISTOGRAM_SUB_BITS 4
#define HISTOGRAM_SUB (1 << HISTOGRAM_SUB_BITS)
/* values below 16 exactly, then 16 per power of two from 2^4 to 2^63 */
#define HISTOGRAM_BUCKETS (HISTOGRAM_SUB + (64 - HISTOGRAM_SUB_BITS) * HISTOGRAM_SUB)

typedef struct ks_histogram {
    atomic_uint_fast64_t count;
    atomic_uint_fast64_t sum; /* wraps after 2^64: only for means of sane values */
    atomic_uint_fast64_t min; /* UINT64_MAX while empty */
    atomic_uint_fast64_t max;
    atomic_uint_fast64_t buckets[HISTOGRAM_BUCKETS];
} ks_histogram;

/* @locality any thread, before the histogram is shared. Empties it. */
void histogram_init(ks_histogram *h);

/* @locality any thread; lock-free. */
void histogram_record(ks_histogram *h, uint64_t value);

/* @locality any thread. dst += src. dst must not be written concurrently
 * (it is the reader's private copy); src may be. */
void histogram_merge(ks_histogram *dst, const ks_histogram *src);

/* @locality any thread. dst = src (counter by counter, relaxed). */
void histogram_copy(ks_histogram *dst, const ks_histogram *src);

/* dst = newer - older, for the values recorded between two copies of the
 * same histogram (a window). min/max of the window are bucket bounds. */
void histogram_diff(ks_histogram *dst, const ks_histogram *newer, const ks_histogram *older);

uint64_t histogram_count(const ks_histogram *h);
uint64_t histogram_max(const ks_histogram *h); /* 0 when empty */
uint64_t histogram_min(const ks_histogram *h); /* 0 when empty */
double histogram_mean(const ks_histogram *h);  /* 0 when empty */

/* The value at quantile q (0..1): the middle of the bucket that holds the
 * q-th recorded value, clamped to [min, max]. valid=false (and 0) when empty. */
uint64_t histogram_quantile(const ks_histogram *h, double q, bool *valid);

/* Bucket arithmetic, exposed for tests. */
int histogram_bucket(uint64_t value);
uint64_t histogram_bucket_low(int bucket);  /* smallest value of the bucket */
uint64_t histogram_bucket_high(int bucket); /* largest value of the bucket */

#endif
