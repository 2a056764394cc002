/* dec_avro_alloc: avro-c's allocator, capped, installed once per process.
 *
 * DESIGN: avro-c 1.11.1 allocates a string or bytes value from a length read
 * off the wire before it checks that the input holds that many bytes, and
 * grows arrays without bound. dec_avro_check() already rejects such input,
 * but the allocator is the backstop: avro_set_allocator() is process-global,
 * so it is installed once (pthread_once, on first use by any dec_avro entry
 * point) and wraps realloc/free exactly like avro-c's default allocator, so
 * blocks allocated before installation are still freed correctly.
 *
 * Outside a decode it refuses single allocations above DEC_AVRO_ALLOC_HARD_CAP.
 * During a decode, the decoding thread opens a budget scope (thread-local) and
 * allocations above DEC_AVRO_ALLOC_SMALL are refused once the bytes live in
 * the scope would exceed the budget; small ones are never refused, because
 * avro-c leaks on some failure paths that follow a small failed allocation,
 * and their number is bounded by the input size anyway. The thread-local
 * scope pointer and the installation flag are this module's only state. */
#ifndef KS_DEC_AVRO_ALLOC_H
#define KS_DEC_AVRO_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DEC_AVRO_ALLOC_HARD_CAP ((size_t)256 << 20)
#define DEC_AVRO_ALLOC_SMALL ((size_t)4096)

typedef struct dec_avro_budget {
    int64_t live; /* bytes allocated minus freed inside the scope */
    size_t limit;
    bool refused; /* an allocation was refused: report TOO_LARGE */
    struct dec_avro_budget *prev;
} dec_avro_budget;

/* Installs the allocator (idempotent, thread-safe). */
void dec_avro_alloc_install(void);

/* Opens/closes a budget scope on the calling thread; scopes nest. */
void dec_avro_alloc_scope_begin(dec_avro_budget *budget, size_t limit);
void dec_avro_alloc_scope_end(dec_avro_budget *budget);

/* The budget dec_avro_decode() gives a message of len bytes. */
size_t dec_avro_alloc_budget_for(size_t len);

#endif
