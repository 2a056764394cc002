/* tail_text: the byte-level helpers the tail shares between core and backend:
 * a growable output buffer, the canonical JSON string escaper and the
 * display-unit cutter.
 *
 * DESIGN: the tail's rows hold JSON text rendered once by the worker (compact,
 * terminal-safe, as `ksight tail --format jsonl` prints it). The filter and the
 * line copier work on that text without jansson (ks_core links no library),
 * so the escaping rules live here and must stay those of dec_json_dump():
 * printable ASCII as is except '"' and '\\'; \" \\ \n \t \r \b \f; \u00xx
 * (lowercase hex) for other C0 controls, DEL, C1 controls, bidi embeddings,
 * overrides and isolates, U+2028/U+2029; other valid UTF-8 as is; each byte
 * of an invalid sequence as \ufffd. Pure functions; a ks_tbuf has one owner. */
#ifndef KS_TAIL_TEXT_H
#define KS_TAIL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A growable byte buffer, always NUL-terminated once anything was written.
 * Zero-initialise it; tbuf_free() releases the memory. Never fails (xmalloc). */
typedef struct ks_tbuf {
    char *p;
    size_t len, cap;
} ks_tbuf;

void tbuf_grow(ks_tbuf *b, size_t more); /* the slow half of tbuf_reserve() */

/* Room for more bytes plus a NUL. Inline: the tail writes millions of pieces. */
static inline void tbuf_reserve(ks_tbuf *b, size_t more)
{
    if (b->len + more + 1 > b->cap)
        tbuf_grow(b, more);
}

static inline void tbuf_put(ks_tbuf *b, const void *s, size_t n)
{
    tbuf_reserve(b, n);
    if (n)
        __builtin_memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static inline void tbuf_putc(ks_tbuf *b, char c)
{
    tbuf_reserve(b, 1);
    b->p[b->len++] = c;
    b->p[b->len] = '\0';
}

void tbuf_puts(ks_tbuf *b, const char *s);
void tbuf_put_i64(ks_tbuf *b, int64_t v);
void tbuf_reset(ks_tbuf *b); /* len = 0, memory kept */
void tbuf_free(ks_tbuf *b);

/* Length (1-4) of the well-formed UTF-8 sequence at p (n >= 1 bytes
 * available) with its code point in *cp; 0 if p does not start one. */
size_t tail_utf8_next(const uint8_t *p, size_t n, uint32_t *cp);

/* Appends s[0..len) as the content of a JSON string (no quotes) with the
 * escaping rules above. */
void tail_json_escape(ks_tbuf *b, const char *s, size_t len);

/* Appends "s" as a JSON string literal (quotes included). */
void tail_json_string(ks_tbuf *b, const char *s, size_t len);

/* Length of the display unit at s (n >= 1 bytes left): a backslash escape
 * ("\\x1b" 4, "\\u202e" 6, "\\n" 2), a UTF-8 sequence, or one byte. Never more
 * than n. */
size_t tail_text_unit(const char *s, size_t n);

/* Copies s[0..len) into out (size >= 4) NUL-terminated; when it does not fit,
 * cuts at a unit boundary and ends with "...". Returns the bytes written. */
size_t tail_text_fit(const char *s, size_t len, char *out, size_t size);

#endif
