/* seqset: three-level sparse bitmap with CAS-installed levels (see seqset.h). */
#include "seqset.h"
#include "xmalloc.h"

#include <stdlib.h>

#define RELAXED memory_order_relaxed
#define LEAF_BITS 16 /* 65,536 bits per leaf */
#define LEAF_WORDS ((1 << LEAF_BITS) / 64)
#define MID_BITS 8
#define TOP_BITS 8
#define MID_SLOTS (1 << MID_BITS)
#define TOP_SLOTS (1 << TOP_BITS)

typedef struct leaf {
    atomic_uint_fast64_t w[LEAF_WORDS];
} leaf;

typedef struct mid {
    _Atomic(leaf *) slot[MID_SLOTS];
} mid;

struct ks_seqset {
    _Atomic(mid *) top[TOP_SLOTS];
    atomic_uint_fast64_t count;
    atomic_size_t bytes;
};

ks_seqset *seqset_new(void)
{
    ks_seqset *set = xcalloc(1, sizeof(*set));
    atomic_store(&set->bytes, sizeof(*set));
    return set;
}

void seqset_free(ks_seqset *set)
{
    if (!set)
        return;
    for (int t = 0; t < TOP_SLOTS; t++) {
        mid *m = atomic_load(&set->top[t]);
        if (!m)
            continue;
        for (int s = 0; s < MID_SLOTS; s++)
            free(atomic_load(&m->slot[s]));
        free(m);
    }
    free(set);
}

/* The leaf holding bit i, created when `create`; NULL when absent. */
static leaf *leaf_for(ks_seqset *set, uint64_t i, bool create)
{
    unsigned t = (unsigned)(i >> (LEAF_BITS + MID_BITS)) & (TOP_SLOTS - 1);
    unsigned s = (unsigned)(i >> LEAF_BITS) & (MID_SLOTS - 1);
    mid *m = atomic_load_explicit(&set->top[t], memory_order_acquire);
    leaf *l;

    if (!m) {
        if (!create)
            return NULL;
        mid *fresh = xcalloc(1, sizeof(*fresh)), *expect = NULL;
        if (atomic_compare_exchange_strong(&set->top[t], &expect, fresh)) {
            m = fresh;
            atomic_fetch_add(&set->bytes, sizeof(*fresh));
        } else {
            free(fresh); /* another thread won; use its level */
            m = expect;
        }
    }
    l = atomic_load_explicit(&m->slot[s], memory_order_acquire);
    if (!l) {
        if (!create)
            return NULL;
        leaf *fresh = xcalloc(1, sizeof(*fresh)), *expect = NULL;
        if (atomic_compare_exchange_strong(&m->slot[s], &expect, fresh)) {
            l = fresh;
            atomic_fetch_add(&set->bytes, sizeof(*fresh));
        } else {
            free(fresh);
            l = expect;
        }
    }
    return l;
}

bool seqset_add(ks_seqset *set, uint64_t i)
{
    if (i >= SEQSET_LIMIT)
        return false;
    leaf *l = leaf_for(set, i, true);
    uint64_t bit = 1ULL << (i & 63);
    uint64_t old = atomic_fetch_or_explicit(&l->w[(i >> 6) & (LEAF_WORDS - 1)], bit, RELAXED);
    if (old & bit)
        return false;
    atomic_fetch_add_explicit(&set->count, 1, RELAXED);
    return true;
}

bool seqset_has(const ks_seqset *set, uint64_t i)
{
    if (i >= SEQSET_LIMIT)
        return false;
    leaf *l = leaf_for((ks_seqset *)set, i, false);
    if (!l)
        return false;
    return atomic_load_explicit(&l->w[(i >> 6) & (LEAF_WORDS - 1)], RELAXED) >> (i & 63) & 1;
}

uint64_t seqset_count(const ks_seqset *set)
{
    return atomic_load_explicit(&set->count, RELAXED);
}

size_t seqset_bytes(const ks_seqset *set)
{
    return atomic_load_explicit(&set->bytes, RELAXED);
}

/* Word k (bits 64k..64k+63) of the selection `in & ~out`, masked to [0, n). */
static uint64_t select_word(const ks_seqset *in, const ks_seqset *out, uint64_t k, uint64_t n,
                            const leaf *lin, const leaf *lout)
{
    unsigned w = (unsigned)(k & (LEAF_WORDS - 1));
    uint64_t x = in ? (lin ? atomic_load_explicit(&lin->w[w], RELAXED) : 0) : ~0ULL;
    if (out && lout)
        x &= ~atomic_load_explicit(&lout->w[w], RELAXED);
    if (64 * k + 64 > n)
        x &= (n - 64 * k >= 64) ? ~0ULL : ((1ULL << (n - 64 * k)) - 1);
    return x;
}

/* Walks the selection leaf by leaf, skipping leaves that cannot contribute;
 * calls fn for each non-zero word. */
typedef void word_fn(uint64_t k, uint64_t word, void *ctx);

static void walk(const ks_seqset *in, const ks_seqset *out, uint64_t n, word_fn *fn, void *ctx)
{
    if (n > SEQSET_LIMIT)
        n = SEQSET_LIMIT;
    uint64_t nwords = (n + 63) / 64;
    for (uint64_t k0 = 0; k0 < nwords; k0 += LEAF_WORDS) {
        uint64_t base = k0 * 64;
        const leaf *lin = in ? leaf_for((ks_seqset *)in, base, false) : NULL;
        const leaf *lout = out ? leaf_for((ks_seqset *)out, base, false) : NULL;
        if (in && !lin)
            continue;
        uint64_t end = k0 + LEAF_WORDS < nwords ? k0 + LEAF_WORDS : nwords;
        for (uint64_t k = k0; k < end; k++) {
            uint64_t x = select_word(in, out, k, n, lin, lout);
            if (x)
                fn(k, x, ctx);
        }
    }
}

static void count_word(uint64_t k, uint64_t word, void *ctx)
{
    (void)k;
    *(uint64_t *)ctx += (uint64_t)__builtin_popcountll(word);
}

uint64_t seqset_count_andnot(const ks_seqset *in, const ks_seqset *out, uint64_t n)
{
    uint64_t total = 0;
    walk(in, out, n, count_word, &total);
    return total;
}

typedef struct range_ctx {
    uint64_t (*ranges)[2];
    int max;
    uint64_t total;
    bool open;
    uint64_t first, last; /* of the open range */
} range_ctx;

static void range_close(range_ctx *rc)
{
    if (!rc->open)
        return;
    if (rc->total < (uint64_t)rc->max) {
        rc->ranges[rc->total][0] = rc->first;
        rc->ranges[rc->total][1] = rc->last;
    }
    rc->total++;
    rc->open = false;
}

static void range_word(uint64_t k, uint64_t word, void *ctx)
{
    range_ctx *rc = ctx;
    uint64_t base = 64 * k;

    while (word) {
        int lo = __builtin_ctzll(word);
        uint64_t rest = ~(word >> lo);
        int len = rest ? __builtin_ctzll(rest) : 64 - lo;
        uint64_t first = base + (uint64_t)lo, last = first + (uint64_t)len - 1;
        if (rc->open && rc->last + 1 == first) {
            rc->last = last;
        } else {
            range_close(rc);
            rc->open = true;
            rc->first = first;
            rc->last = last;
        }
        word = lo + len >= 64 ? 0 : word & ~((1ULL << (lo + len)) - 1);
    }
}

uint64_t seqset_ranges_andnot(const ks_seqset *in, const ks_seqset *out, uint64_t n,
                              uint64_t (*ranges)[2], int max)
{
    range_ctx rc = {.ranges = ranges, .max = max > 0 ? max : 0};
    walk(in, out, n, range_word, &rc);
    range_close(&rc);
    return rc.total;
}

void seqset_add_range_except(ks_seqset *set, const ks_seqset *except, uint64_t n)
{
    if (n > SEQSET_LIMIT)
        n = SEQSET_LIMIT;
    for (uint64_t base = 0; base < n; base += 1ULL << LEAF_BITS) {
        leaf *l = leaf_for(set, base, true);
        const leaf *lx = except ? leaf_for((ks_seqset *)except, base, false) : NULL;
        for (unsigned w = 0; w < LEAF_WORDS && base + 64ULL * w < n; w++) {
            uint64_t first = base + 64ULL * w;
            uint64_t mask = n - first >= 64 ? ~0ULL : (1ULL << (n - first)) - 1;
            if (lx)
                mask &= ~atomic_load_explicit(&lx->w[w], RELAXED);
            uint64_t old = atomic_fetch_or_explicit(&l->w[w], mask, RELAXED);
            uint64_t added = mask & ~old;
            if (added)
                atomic_fetch_add_explicit(&set->count, (uint64_t)__builtin_popcountll(added),
                                          RELAXED);
        }
    }
}
