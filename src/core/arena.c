/* arena: chained blocks, bump allocation, one free. */
#include "arena.h"
#include "xmalloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK (64 * 1024)

struct block {
    struct block *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
};

struct ks_arena {
    struct block *head;
    size_t total;
};

ks_arena *arena_new(void)
{
    return xcalloc(1, sizeof(ks_arena));
}

void arena_free(ks_arena *arena)
{
    struct block *b, *next;

    if (!arena)
        return;
    for (b = arena->head; b; b = next) {
        next = b->next;
        free(b);
    }
    free(arena);
}

void *arena_alloc(ks_arena *arena, size_t n)
{
    struct block *b = arena->head;
    size_t need = (n + 15) & ~(size_t)15;
    void *p;

    if (!b || b->cap - b->used < need) {
        size_t cap = need > ARENA_BLOCK / 2 ? need : ARENA_BLOCK;
        b = xmalloc(sizeof(*b) + cap);
        b->cap = cap;
        b->used = 0;
        /* big blocks go behind the head so the head keeps its free space */
        if (arena->head && need > ARENA_BLOCK / 2) {
            b->next = arena->head->next;
            arena->head->next = b;
        } else {
            b->next = arena->head;
            arena->head = b;
        }
        arena->total += sizeof(*b) + cap;
    }
    p = b->data + b->used;
    b->used += need;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(ks_arena *arena, const char *s, size_t n)
{
    size_t len;
    char *d;

    if (!s)
        return NULL;
    len = strnlen(s, n);
    d = arena_alloc(arena, len + 1);
    memcpy(d, s, len);
    return d;
}

char *arena_strdup(ks_arena *arena, const char *s)
{
    return s ? arena_strndup(arena, s, strlen(s)) : NULL;
}

char *arena_printf(ks_arena *arena, const char *fmt, ...)
{
    va_list ap, ap2;
    int n;
    char *s;

    va_start(ap, fmt);
    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    s = arena_alloc(arena, (size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return s;
}

size_t arena_size(const ks_arena *arena)
{
    return arena->total;
}
