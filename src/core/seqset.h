/* seqset: a set of sequence numbers (or offsets) in [0, 2^32), as a sparse,
 * lock-free bitmap. The delivery audit keeps one per producer thread (acked,
 * failed, consumed) and one per partition (consumed offsets).
 *
 * DESIGN: three levels, allocated on first touch: 256 top slots -> 256 middle
 * slots -> leaves of 65,536 bits (8 KiB). A run of a million messages costs
 * 128 KiB per set; the empty set costs the top array (2 KiB). Slots are
 * installed with compare-and-swap and bits set with atomic fetch-or, so any
 * number of threads may add and read concurrently; nothing is ever freed
 * before seqset_free(), so a reader never sees a dangling leaf. */
#ifndef KS_SEQSET_H
#define KS_SEQSET_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SEQSET_LIMIT (1ULL << 32) /* indexes at or above are refused */

typedef struct ks_seqset ks_seqset;

ks_seqset *seqset_new(void);
void seqset_free(ks_seqset *set); /* after every user has stopped; NULL is fine */

/* @locality any thread. True when i was not in the set before this call
 * (exactly one of several concurrent adders of the same i gets true).
 * False, and nothing stored, when i >= SEQSET_LIMIT. */
bool seqset_add(ks_seqset *set, uint64_t i);
bool seqset_has(const ks_seqset *set, uint64_t i); /* @locality any thread */
uint64_t seqset_count(const ks_seqset *set);       /* members, @locality any thread */
size_t seqset_bytes(const ks_seqset *set);         /* memory held */

/* @locality any thread. Adds every i in [0, n) that is not in `except`
 * (NULL: none), a word at a time. */
void seqset_add_range_except(ks_seqset *set, const ks_seqset *except, uint64_t n);

/* @locality any thread (a consistent answer needs the writers stopped).
 * How many i in [0, n) are in `in` (or in [0, n) when in is NULL) and not in
 * `out` (out may be NULL: nothing excluded). */
uint64_t seqset_count_andnot(const ks_seqset *in, const ks_seqset *out, uint64_t n);

/* Same selection as seqset_count_andnot, as maximal ranges [first, last]:
 * fills up to max ranges, returns the total number of ranges (which may be
 * more than max). */
uint64_t seqset_ranges_andnot(const ks_seqset *in, const ks_seqset *out, uint64_t n,
                              uint64_t (*ranges)[2], int max);

#endif
