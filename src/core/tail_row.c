/* tail_row: owned copies of rows, and the two output forms (JSON Lines, text)
 * that the CLI, the export and the tests share. */
#include "tail.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *tail_fmt_name(ks_tail_fmt fmt)
{
    static const char *const names[] = {"null", "avro", "json", "text", "binary", "auto"};
    return (unsigned)fmt < sizeof(names) / sizeof(names[0]) ? names[fmt] : "?";
}

/* ---- copies: one allocation, strings relocated into it ---- */

typedef struct packer {
    char *p;     /* next free byte */
    size_t need; /* sizing pass: bytes counted */
    bool sizing;
} packer;

static const char *pack(packer *pk, const char *s, size_t len)
{
    if (!s)
        return NULL;
    if (pk->sizing) {
        pk->need += len + 1;
        return s;
    }
    char *d = pk->p;
    memcpy(d, s, len);
    d[len] = '\0';
    pk->p += len + 1;
    return d;
}

static const char *pack_str(packer *pk, const char *s)
{
    return s ? pack(pk, s, strlen(s)) : NULL;
}

static void pack_datum(packer *pk, ks_tail_datum *dst, const ks_tail_datum *src)
{
    *dst = *src;
    dst->json = pack(pk, src->json, src->json_len);
    /* json and text are often the same string (JSON and Avro): keep one copy */
    dst->text = src->text == src->json ? dst->json : pack(pk, src->text, src->text_len);
    dst->error = pack_str(pk, src->error);
    dst->subject = pack_str(pk, src->subject);
}

static void pack_row(packer *pk, ks_tail_row *dst, ks_tail_header *hdrs, const ks_tail_row *src)
{
    *dst = *src;
    dst->topic = pack_str(pk, src->topic);
    pack_datum(pk, &dst->key, &src->key);
    pack_datum(pk, &dst->value, &src->value);
    for (int i = 0; i < src->nheaders; i++) {
        const char *name = pack_str(pk, src->headers[i].name);
        const char *value = pack_str(pk, src->headers[i].value);
        if (!pk->sizing)
            hdrs[i] = (ks_tail_header){.name = name, .value = value, .size = src->headers[i].size};
    }
    dst->headers = src->nheaders ? hdrs : NULL;
    dst->headers_json = pack(pk, src->headers_json, src->headers_json_len);
}

ks_tail_row *tail_row_dup(const ks_tail_row *src)
{
    ks_tail_row scratch;
    size_t hsize = (size_t)src->nheaders * sizeof(ks_tail_header);
    packer pk = {.sizing = true};
    ks_tail_header *hdrs;
    ks_tail_row *row;
    size_t total;

    pack_row(&pk, &scratch, NULL, src); /* sizing pass: counts bytes only */
    total = sizeof(ks_tail_row) + hsize + pk.need;
    row = xmalloc(total);
    hdrs = (ks_tail_header *)(row + 1);
    pk = (packer){.p = (char *)hdrs + hsize};
    pack_row(&pk, row, hdrs, src);
    atomic_init(&row->refcnt, 1);
    row->cost = total + 16; /* the allocator's own header, roughly */
    return row;
}

ks_tail_row *tail_row_ref(ks_tail_row *row)
{
    if (row)
        atomic_fetch_add(&row->refcnt, 1);
    return row;
}

void tail_row_unref(ks_tail_row *row)
{
    if (row && atomic_fetch_sub(&row->refcnt, 1) == 1)
        free(row);
}

/* ---- output forms ---- */

const char *tail_format_time(int64_t ms, char *out, size_t size)
{
    struct tm tm;
    time_t secs;

    if (ms < 0) {
        snprintf(out, size, "-");
        return out;
    }
    secs = (time_t)(ms / 1000);
    if (!gmtime_r(&secs, &tm)) {
        snprintf(out, size, "%lld", (long long)ms);
        return out;
    }
    snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
    return out;
}

static void put_json_or_null(ks_tbuf *out, const char *json, size_t len)
{
    if (json && len)
        tbuf_put(out, json, len);
    else
        tbuf_put(out, "null", 4);
}

void tail_row_to_json(const ks_tail_row *row, ks_tbuf *out)
{
    const char *topic = row->topic ? row->topic : "";

    tbuf_reserve(out, 160 + row->key.json_len + row->value.json_len + row->headers_json_len);
    tbuf_put(out, "{\"topic\":", 9);
    tail_json_string(out, topic, strlen(topic));
    tbuf_put(out, ",\"partition\":", 13);
    tbuf_put_i64(out, row->partition);
    tbuf_put(out, ",\"offset\":", 10);
    tbuf_put_i64(out, row->offset);
    tbuf_put(out, ",\"timestamp\":", 13);
    if (row->timestamp >= 0)
        tbuf_put_i64(out, row->timestamp);
    else
        tbuf_put(out, "null", 4);
    tbuf_put(out, ",\"key\":", 7);
    put_json_or_null(out, row->key.json, row->key.json_len);
    tbuf_put(out, ",\"value\":", 9);
    put_json_or_null(out, row->value.json, row->value.json_len);
    tbuf_put(out, ",\"key_format\":\"", 15);
    tbuf_puts(out, tail_fmt_name(row->key.fmt));
    tbuf_put(out, "\",\"value_format\":\"", 18);
    tbuf_puts(out, tail_fmt_name(row->value.fmt));
    tbuf_put(out, "\",\"schema_id\":", 14);
    if (row->value.schema_id >= 0)
        tbuf_put_i64(out, row->value.schema_id);
    else
        tbuf_put(out, "null", 4);
    tbuf_put(out, ",\"headers\":", 11);
    if (row->headers_json && row->headers_json_len)
        tbuf_put(out, row->headers_json, row->headers_json_len);
    else
        tbuf_put(out, "[]", 2);
    tbuf_putc(out, '}');
}

static void put_text(ks_tbuf *out, const ks_tail_datum *d)
{
    if (d->text && d->text_len)
        tbuf_put(out, d->text, d->text_len);
    else if (d->fmt == KS_TAIL_FMT_NULL)
        tbuf_put(out, "null", 4);
}

void tail_row_to_text(const ks_tail_row *row, ks_tbuf *out)
{
    char ts[40];

    tbuf_put_i64(out, row->partition);
    tbuf_putc(out, '\t');
    tbuf_put_i64(out, row->offset);
    tbuf_putc(out, '\t');
    tbuf_puts(out, tail_format_time(row->timestamp, ts, sizeof(ts)));
    tbuf_putc(out, '\t');
    put_text(out, &row->key);
    tbuf_putc(out, '\t');
    put_text(out, &row->value);
    if (row->key.error) {
        tbuf_put(out, "\t[key: ", 7);
        tbuf_puts(out, row->key.error);
        tbuf_putc(out, ']');
    }
    if (row->value.error) {
        tbuf_put(out, "\t[value: ", 9);
        tbuf_puts(out, row->value.error);
        tbuf_putc(out, ']');
    }
}
