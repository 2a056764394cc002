/* tail_text: buffer, JSON string escaping and unit cutting for the tail. */
#include "tail_text.h"
#include "jsonesc.h"
#include "xmalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tbuf_grow(ks_tbuf *b, size_t more)
{
    size_t cap = b->cap ? b->cap : 256;

    if (b->len + more + 1 <= b->cap)
        return;
    while (cap < b->len + more + 1)
        cap *= 2;
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
}

void tbuf_puts(ks_tbuf *b, const char *s)
{
    tbuf_put(b, s, strlen(s));
}

void tbuf_put_i64(ks_tbuf *b, int64_t v)
{
    char num[24];
    char *e = num + sizeof(num), *p = e;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    tbuf_put(b, p, (size_t)(e - p));
}

void tbuf_reset(ks_tbuf *b)
{
    b->len = 0;
    if (b->p)
        b->p[0] = '\0';
}

void tbuf_free(ks_tbuf *b)
{
    free(b->p);
    memset(b, 0, sizeof(*b));
}

size_t tail_utf8_next(const uint8_t *p, size_t n, uint32_t *cp)
{
    uint8_t c = p[0];
    size_t len;
    uint32_t v, min;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf)
        len = 2, v = c & 0x1f, min = 0x80;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3, v = c & 0x0f, min = 0x800;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4, v = c & 0x07, min = 0x10000;
    else
        return 0;
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        v = v << 6 | (p[i] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return len;
}

static void tbuf_sink(void *ctx, const char *s, size_t n)
{
    tbuf_put(ctx, s, n);
}

void tail_json_escape(ks_tbuf *b, const char *s, size_t len)
{
    const jsonesc_sink sink = {tbuf_sink, tbuf_sink, b};

    tbuf_reserve(b, len);
    jsonesc_write(s, len, &sink);
}

void tail_json_string(ks_tbuf *b, const char *s, size_t len)
{
    tbuf_putc(b, '"');
    tail_json_escape(b, s, len);
    tbuf_putc(b, '"');
}

size_t tail_text_unit(const char *s, size_t n)
{
    size_t want = 1;
    uint32_t cp;

    if (s[0] == '\\' && n >= 2)
        want = s[1] == 'x' ? 4 : s[1] == 'u' ? 6 : 2;
    else if ((uint8_t)s[0] >= 0x80)
        want = tail_utf8_next((const uint8_t *)s, n, &cp);
    if (want == 0)
        want = 1;
    return want < n ? want : n;
}

size_t tail_text_fit(const char *s, size_t len, char *out, size_t size)
{
    size_t n = 0, keep;

    if (size == 0)
        return 0;
    if (len < size) {
        memcpy(out, s, len);
        out[len] = '\0';
        return len;
    }
    keep = size > 4 ? size - 4 : 0; /* room for "..." and the NUL */
    while (n < len) {
        size_t u = tail_text_unit(s + n, len - n);
        if (n + u > keep)
            break;
        n += u;
    }
    memcpy(out, s, n);
    size_t dots = size - 1 - n < 3 ? size - 1 - n : 3;
    memcpy(out + n, "...", dots);
    out[n + dots] = '\0';
    return n + dots;
}
