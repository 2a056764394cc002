/* arena: a bump allocator that owns every string and array of one snapshot part.
 *
 * DESIGN: a snapshot part is built by one backend thread and then frozen;
 * freeing it is one arena_free(). This keeps 10,000-partition snapshots cheap
 * to build and impossible to free half-way. Not thread-safe: one owner. */
#ifndef KS_ARENA_H
#define KS_ARENA_H

#include <stddef.h>

typedef struct ks_arena ks_arena;

ks_arena *arena_new(void);
void arena_free(ks_arena *arena);              /* NULL is fine */
void *arena_alloc(ks_arena *arena, size_t n);  /* zeroed, 16-byte aligned */
char *arena_strdup(ks_arena *arena, const char *s);            /* NULL -> NULL */
char *arena_strndup(ks_arena *arena, const char *s, size_t n);
char *arena_printf(ks_arena *arena, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
size_t arena_size(const ks_arena *arena);      /* bytes reserved, for memory accounting */

#endif
