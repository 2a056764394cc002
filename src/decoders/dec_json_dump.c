/* dec_json_dump: terminal-safe JSON text with shortest round-trip reals. */
#define _GNU_SOURCE
#include "dec_json_dump.h"
#include "jsonesc.h"
#include "dec_text.h"
#include "xmalloc.h"

#include <locale.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct dump_buf {
    char *p;
    size_t len, cap;
    size_t max; /* 0: no limit */
    bool cut;
} dump_buf;

/* Appends one unit; once a unit does not fit, nothing more is appended. */
static void put(dump_buf *b, const char *s, size_t n)
{
    if (b->cut)
        return;
    if (b->max && b->len + n > b->max) {
        b->cut = true;
        return;
    }
    if (b->len + n + 1 > b->cap) {
        while (b->len + n + 1 > b->cap)
            b->cap = b->cap ? b->cap * 2 : 256;
        b->p = xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

/* Appends a run of single-byte units, as many as fit. */
static void put_run(dump_buf *b, const char *s, size_t n)
{
    if (!b->cut && b->max && b->len + n > b->max) {
        put(b, s, b->max - b->len);
        b->cut = true;
        return;
    }
    put(b, s, n);
}

static void put_str(dump_buf *b, const char *s)
{
    put(b, s, strlen(s));
}

static void put_indent(dump_buf *b, unsigned flags, size_t depth)
{
    static const char spaces[] = "                                ";

    if (!(flags & DEC_JSON_PRETTY))
        return;
    put(b, "\n", 1);
    for (size_t n = depth * 2; n > 0;) {
        size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
        put_run(b, spaces, k);
        n -= k;
    }
}

static void sink_run(void *ctx, const char *s, size_t n)
{
    put_run(ctx, s, n);
}

static void sink_unit(void *ctx, const char *s, size_t n)
{
    put(ctx, s, n);
}

static void put_string(dump_buf *b, const char *s, size_t len)
{
    const jsonesc_sink sink = {sink_run, sink_unit, b};

    put(b, "\"", 1);
    jsonesc_write(s, len, &sink);
    put(b, "\"", 1);
}

/* %.*g into 32 bytes: at most 17 digits, so at most 24 characters */
static size_t fmt_g(char *out, int precision, double d)
{
    int n = snprintf(out, 32, "%.*g", precision, d);
    return n > 0 && n < 32 ? (size_t)n : 0;
}

/* Shortest %.*g that reads back as d; the caller has set the C locale.
 * Round-tripping is monotonic in the precision (every p-digit decimal is a
 * (p+1)-digit one), so a binary search finds the shortest. */
static size_t format_real_c(double d, char *out)
{
    int lo = 1, hi = 17;

    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (fmt_g(out, mid, d) && strtod(out, NULL) == d)
            hi = mid;
        else
            lo = mid + 1;
    }
    size_t n = fmt_g(out, lo, d);
    if (!strpbrk(out, ".e")) {
        memcpy(out + n, ".0", 3);
        n += 2;
    }
    return n;
}

/* uselocale() is per thread: numbers print with '.' whatever the UI's
 * setlocale(LC_ALL, "") chose, without touching other threads. */
typedef struct c_locale {
    locale_t c, old;
} c_locale;

static void c_locale_enter(c_locale *cl)
{
    cl->c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    cl->old = cl->c ? uselocale(cl->c) : (locale_t)0;
}

static void c_locale_leave(c_locale *cl)
{
    if (cl->c) {
        uselocale(cl->old);
        freelocale(cl->c);
    }
}

size_t dec_json_format_real(double d, char *out)
{
    c_locale cl;

    c_locale_enter(&cl);
    size_t n = format_real_c(d, out);
    c_locale_leave(&cl);
    return n;
}

double dec_json_real_from_float(float f)
{
    char buf[32];
    int lo = 1, hi = 9;
    double d;
    c_locale cl;

    c_locale_enter(&cl);
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (fmt_g(buf, mid, (double)f) && strtof(buf, NULL) == f)
            hi = mid;
        else
            lo = mid + 1;
    }
    d = fmt_g(buf, lo, (double)f) ? strtod(buf, NULL) : (double)f;
    c_locale_leave(&cl);
    return d;
}

static void dump_value(dump_buf *b, const json_t *json, unsigned flags, size_t depth)
{
    char num[40];

    switch (json_typeof(json)) {
    case JSON_NULL:
        put_str(b, "null");
        break;
    case JSON_TRUE:
        put_str(b, "true");
        break;
    case JSON_FALSE:
        put_str(b, "false");
        break;
    case JSON_INTEGER:
        snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(json));
        put_str(b, num);
        break;
    case JSON_REAL:
        format_real_c(json_real_value(json), num);
        put_str(b, num);
        break;
    case JSON_STRING:
        put_string(b, json_string_value(json), json_string_length(json));
        break;
    case JSON_ARRAY: {
        size_t n = json_array_size(json);
        put(b, "[", 1);
        for (size_t i = 0; i < n && !b->cut; i++) {
            if (i)
                put(b, ",", 1);
            put_indent(b, flags, depth + 1);
            dump_value(b, json_array_get(json, i), flags, depth + 1);
        }
        if (n)
            put_indent(b, flags, depth);
        put(b, "]", 1);
        break;
    }
    case JSON_OBJECT: {
        /* jansson's iterator API is not const-correct */
        json_t *obj = (json_t *)json;
        bool first = true;
        put(b, "{", 1);
        for (void *it = json_object_iter(obj); it && !b->cut; it = json_object_iter_next(obj, it)) {
            if (!first)
                put(b, ",", 1);
            first = false;
            put_indent(b, flags, depth + 1);
            put_string(b, json_object_iter_key(it), json_object_iter_key_len(it));
            put(b, (flags & DEC_JSON_PRETTY) ? ": " : ":", (flags & DEC_JSON_PRETTY) ? 2 : 1);
            dump_value(b, json_object_iter_value(it), flags, depth + 1);
        }
        if (!first)
            put_indent(b, flags, depth);
        put(b, "}", 1);
        break;
    }
    }
}

char *dec_json_dump(const json_t *json, unsigned flags, size_t max_out)
{
    dump_buf b = {.max = max_out};
    c_locale cl;

    c_locale_enter(&cl);
    if (json)
        dump_value(&b, json, flags, 0);
    else
        put_str(&b, "null");
    c_locale_leave(&cl);
    if (b.cut) {
        b.max = 0;
        b.cut = false;
        put(&b, "...", 3);
    }
    put(&b, "", 0);
    b.p[b.len] = '\0';
    return b.p;
}
