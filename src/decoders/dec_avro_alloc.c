/* dec_avro_alloc: a capped realloc/free for avro-c (see dec_avro_alloc.h). */
#include "dec_avro_alloc.h"

#include <avro.h>
#include <pthread.h>
#include <stdlib.h>

static __thread dec_avro_budget *current;

static void *capped_alloc(void *user_data, void *ptr, size_t osize, size_t nsize)
{
    dec_avro_budget *b = current;

    (void)user_data;
    if (nsize == 0) {
        free(ptr);
        if (b)
            b->live -= (int64_t)osize;
        return NULL;
    }
    if (nsize > DEC_AVRO_ALLOC_HARD_CAP) {
        if (b)
            b->refused = true;
        return NULL;
    }
    if (b && nsize > osize && nsize > DEC_AVRO_ALLOC_SMALL &&
        b->live + (int64_t)(nsize - osize) > (int64_t)b->limit) {
        b->refused = true;
        return NULL;
    }
    void *p = realloc(ptr, nsize);
    if (p && b)
        b->live += (int64_t)nsize - (int64_t)osize;
    return p;
}

static pthread_once_t install_once = PTHREAD_ONCE_INIT;

static void install(void)
{
    avro_set_allocator(capped_alloc, NULL);
}

void dec_avro_alloc_install(void)
{
    pthread_once(&install_once, install);
}

void dec_avro_alloc_scope_begin(dec_avro_budget *budget, size_t limit)
{
    dec_avro_alloc_install();
    budget->live = 0;
    budget->limit = limit;
    budget->refused = false;
    budget->prev = current;
    current = budget;
}

void dec_avro_alloc_scope_end(dec_avro_budget *budget)
{
    if (current == budget)
        current = budget->prev;
}

size_t dec_avro_alloc_budget_for(size_t len)
{
    /* generic values cost a few times their encoding: 16x plus room for a
     * schema's fixed overhead (records of empty fields encode as nothing) */
    size_t cap = DEC_AVRO_ALLOC_HARD_CAP;
    size_t base = (size_t)16 << 20;

    if (len > (cap - base) / 16)
        return cap;
    return base + len * 16;
}
