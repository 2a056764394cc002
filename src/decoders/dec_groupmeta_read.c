/* dec_groupmeta_read: a bounds-checked reader of Kafka's wire types with a sticky error. */
#include "dec_groupmeta_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Kafka's string lengths are int16 on the wire; a compact length beyond that
 * is what the Java reader rejects too */
#define STRING_MAX 0x7fff

void dec_groupmeta_read_init(dec_groupmeta_rd *rd, const uint8_t *buf, size_t len, size_t base,
                             bool flexible, char *errstr, size_t errstr_size)
{
    *rd = (dec_groupmeta_rd){.buf = buf,
                             .len = buf ? len : 0,
                             .base = base,
                             .flexible = flexible,
                             .path = "",
                             .errstr = errstr,
                             .errstr_size = errstr_size};
}

void dec_groupmeta_read_fail(dec_groupmeta_rd *rd, ks_dec_err err, const char *field,
                             const char *fmt, ...)
{
    char msg[160];
    va_list ap;

    if (rd->err)
        return; /* the first error is the cause; later ones are its echoes */
    rd->err = err;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    dec_set_error(rd->errstr, rd->errstr_size, "%s%s: %s at byte %zu", rd->path, field, msg,
                  rd->base + rd->pos);
}

static size_t left(const dec_groupmeta_rd *rd)
{
    return rd->len - rd->pos;
}

/* n bytes from the cursor, or NULL after recording a truncation */
static const uint8_t *take(dec_groupmeta_rd *rd, const char *field, size_t n)
{
    const uint8_t *p;

    if (rd->err)
        return NULL;
    if (n > left(rd)) {
        dec_groupmeta_read_fail(rd, KS_DEC_TRUNCATED, field, "needs %zu bytes, %zu left", n,
                                left(rd));
        return NULL;
    }
    p = rd->buf + rd->pos;
    rd->pos += n;
    return p;
}

static uint64_t be(const uint8_t *p, size_t n)
{
    uint64_t v = 0;

    for (size_t i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

bool dec_groupmeta_read_int16(dec_groupmeta_rd *rd, const char *field, int16_t *v)
{
    const uint8_t *p = take(rd, field, 2);

    if (p)
        *v = (int16_t)(uint16_t)be(p, 2);
    return p != NULL;
}

bool dec_groupmeta_read_int32(dec_groupmeta_rd *rd, const char *field, int32_t *v)
{
    const uint8_t *p = take(rd, field, 4);

    if (p)
        *v = (int32_t)(uint32_t)be(p, 4);
    return p != NULL;
}

bool dec_groupmeta_read_int64(dec_groupmeta_rd *rd, const char *field, int64_t *v)
{
    const uint8_t *p = take(rd, field, 8);

    if (p)
        *v = (int64_t)be(p, 8);
    return p != NULL;
}

/* Kafka's unsigned varint, at most 5 bytes for 32 bits */
static bool read_uvarint(dec_groupmeta_rd *rd, const char *field, uint32_t *v)
{
    uint64_t acc = 0;
    size_t start = rd->pos;

    if (rd->err)
        return false;
    for (int i = 0; i < 5; i++) {
        if (rd->pos >= rd->len) {
            rd->pos = start;
            dec_groupmeta_read_fail(rd, KS_DEC_TRUNCATED, field, "varint runs past the end");
            return false;
        }
        uint8_t b = rd->buf[rd->pos++];
        acc |= (uint64_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) {
            if (acc > UINT32_MAX)
                break;
            *v = (uint32_t)acc;
            return true;
        }
    }
    rd->pos = start;
    dec_groupmeta_read_fail(rd, KS_DEC_BAD_DATA, field, "varint longer than 32 bits");
    return false;
}

/* A length prefix: -1 (null) or >= 0 in *n. Non-flexible: int16 or int32;
 * flexible: uvarint(n + 1). Leaves the cursor after the prefix. */
static bool read_length(dec_groupmeta_rd *rd, const char *field, bool wide, int64_t *n)
{
    if (rd->flexible) {
        uint32_t u;
        if (!read_uvarint(rd, field, &u))
            return false;
        *n = (int64_t)u - 1;
        return true;
    }
    if (wide) {
        int32_t v;
        if (!dec_groupmeta_read_int32(rd, field, &v))
            return false;
        *n = v;
    } else {
        int16_t v;
        if (!dec_groupmeta_read_int16(rd, field, &v))
            return false;
        *n = v;
    }
    if (*n < -1) {
        rd->pos -= wide ? 4 : 2;
        dec_groupmeta_read_fail(rd, KS_DEC_BAD_DATA, field, "negative length %lld",
                                (long long)*n);
        return false;
    }
    return true;
}

/* the body of a string or bytes whose prefix started at start */
static bool read_body(dec_groupmeta_rd *rd, const char *field, size_t start, int64_t n,
                      bool nullable, const uint8_t **p)
{
    if (n < 0) {
        if (!nullable) {
            rd->pos = start;
            dec_groupmeta_read_fail(rd, KS_DEC_BAD_DATA, field, "null where a value is required");
            return false;
        }
        *p = NULL;
        return true;
    }
    if ((uint64_t)n > left(rd)) {
        int64_t have = (int64_t)left(rd);
        rd->pos = start;
        dec_groupmeta_read_fail(rd, KS_DEC_TRUNCATED, field, "length %lld runs past the end (%lld left)",
                                (long long)n, (long long)have);
        return false;
    }
    *p = rd->buf + rd->pos;
    rd->pos += (size_t)n;
    return true;
}

bool dec_groupmeta_read_slice(dec_groupmeta_rd *rd, const char *field, bool nullable,
                              dec_groupmeta_slice *s)
{
    size_t start = rd->pos;
    const uint8_t *p;
    int64_t n;

    if (!read_length(rd, field, false, &n))
        return false;
    if (n > STRING_MAX) {
        rd->pos = start;
        dec_groupmeta_read_fail(rd, KS_DEC_BAD_DATA, field, "string length %lld over %d",
                                (long long)n, STRING_MAX);
        return false;
    }
    if (!read_body(rd, field, start, n, nullable, &p))
        return false;
    s->ptr = (const char *)p;
    s->len = p ? (size_t)n : 0;
    return true;
}

bool dec_groupmeta_read_str(dec_groupmeta_rd *rd, const char *field, bool nullable,
                            ks_arena *arena, char **out)
{
    dec_groupmeta_slice s;
    char *d;

    if (!dec_groupmeta_read_slice(rd, field, nullable, &s))
        return false;
    if (!s.ptr) {
        *out = NULL;
        return true;
    }
    /* memcpy, not strndup: the record's bytes are kept whole */
    d = arena_alloc(arena, s.len + 1);
    memcpy(d, s.ptr, s.len);
    *out = d;
    return true;
}

bool dec_groupmeta_read_bytes(dec_groupmeta_rd *rd, const char *field, bool nullable,
                              const uint8_t **p, size_t *n)
{
    size_t start = rd->pos;
    int64_t len;

    if (!read_length(rd, field, true, &len) || !read_body(rd, field, start, len, nullable, p))
        return false;
    *n = *p ? (size_t)len : 0;
    return true;
}

bool dec_groupmeta_read_count(dec_groupmeta_rd *rd, const char *field, size_t min_elem,
                              size_t cap, size_t *count)
{
    size_t start = rd->pos;
    int64_t n;

    if (!read_length(rd, field, true, &n))
        return false;
    if (n < 0) {
        rd->pos = start;
        dec_groupmeta_read_fail(rd, KS_DEC_BAD_DATA, field, "null array");
        return false;
    }
    if ((uint64_t)n > cap) {
        rd->pos = start;
        dec_groupmeta_read_fail(rd, KS_DEC_TOO_LARGE, field, "%lld elements, over the cap of %zu",
                                (long long)n, cap);
        return false;
    }
    if (min_elem && (uint64_t)n > left(rd) / min_elem) {
        size_t have = left(rd);
        rd->pos = start;
        dec_groupmeta_read_fail(rd, KS_DEC_TRUNCATED, field,
                                "%lld elements cannot fit in the %zu bytes left", (long long)n,
                                have);
        return false;
    }
    *count = (size_t)n;
    return true;
}

bool dec_groupmeta_read_tags(dec_groupmeta_rd *rd, const char *field)
{
    uint32_t ntags, tag, size;

    if (!rd->flexible)
        return !rd->err;
    if (!read_uvarint(rd, field, &ntags))
        return false;
    /* each tag costs at least 2 bytes, so the loop is bounded by the input */
    for (uint32_t i = 0; i < ntags; i++) {
        if (!read_uvarint(rd, field, &tag) || !read_uvarint(rd, field, &size) ||
            !take(rd, field, size))
            return false;
    }
    return true;
}

bool dec_groupmeta_read_end(dec_groupmeta_rd *rd, const char *what)
{
    if (rd->err)
        return false;
    if (rd->pos != rd->len) {
        dec_groupmeta_read_fail(rd, KS_DEC_BAD_DATA, what, "%zu trailing bytes", left(rd));
        return false;
    }
    return true;
}
