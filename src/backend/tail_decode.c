/* tail_decode: message -> row with the decoders, a fast path for JSON, and
 * reused buffers (see tail_decode.h). */
#include "tail_decode.h"
#include "dec_text.h"
#include "decode.h"
#include "sanitize.h"
#include "tail_json.h"
#include "xmalloc.h"

#include <stdlib.h>
#include <string.h>

_Static_assert((int)KS_TAIL_FMT_NULL == (int)KS_FMT_NULL &&
                   (int)KS_TAIL_FMT_AVRO == (int)KS_FMT_AVRO &&
                   (int)KS_TAIL_FMT_JSON == (int)KS_FMT_JSON &&
                   (int)KS_TAIL_FMT_TEXT == (int)KS_FMT_TEXT &&
                   (int)KS_TAIL_FMT_BINARY == (int)KS_FMT_BINARY &&
                   (int)KS_TAIL_FMT_AUTO == (int)KS_FMT_AUTO,
               "ks_tail_fmt mirrors ks_fmt");

typedef struct scratch {
    ks_tbuf json, text, err;
} scratch;

struct ks_tail_decoder {
    ks_tail_schemas *schemas;
    ks_tail_fmt key_fmt, value_fmt;
    ks_dec_limits lim;
    scratch key, value;
    ks_tbuf compact; /* tail_json_compact's string scratch */
    ks_tbuf hdr_json, hdr_strs;
    ks_tail_header *hdrs;
    size_t *hdr_off; /* name, value offsets into hdr_strs (SIZE_MAX: null) */
    int hdr_cap;
};

ks_tail_decoder *tail_decoder_new(const char *registry_url, ks_tail_fmt key_fmt,
                                  ks_tail_fmt value_fmt)
{
    ks_tail_decoder *d = xcalloc(1, sizeof(*d));

    d->schemas = tail_schemas_new(registry_url);
    d->key_fmt = key_fmt;
    d->value_fmt = value_fmt;
    d->lim = KS_DEC_LIMITS_DEFAULT;
    return d;
}

static void scratch_free(scratch *s)
{
    tbuf_free(&s->json);
    tbuf_free(&s->text);
    tbuf_free(&s->err);
}

void tail_decoder_free(ks_tail_decoder *d)
{
    if (!d)
        return;
    tail_schemas_free(d->schemas);
    scratch_free(&d->key);
    scratch_free(&d->value);
    tbuf_free(&d->compact);
    tbuf_free(&d->hdr_json);
    tbuf_free(&d->hdr_strs);
    free(d->hdrs);
    free(d->hdr_off);
    free(d);
}

ks_tail_schemas *tail_decoder_schemas(ks_tail_decoder *d)
{
    return d->schemas;
}

static void put_hex(ks_tbuf *b, const uint8_t *p, size_t n)
{
    static const char hex[] = "0123456789abcdef";

    tbuf_reserve(b, n * 2);
    for (size_t i = 0; i < n; i++) {
        b->p[b->len++] = hex[p[i] >> 4];
        b->p[b->len++] = hex[p[i] & 15];
    }
    b->p[b->len] = '\0';
}

/* Bytes that every path of decode_bytes() shows as the same text: printable
 * ASCII without a backslash (which the text rendering doubles), short, and
 * for auto-detection not starting like a JSON container. */
static bool plain_ascii(const uint8_t *p, size_t len, ks_tail_fmt forced)
{
    size_t i = 0;

    if (len > 4096)
        return false;
    if (forced == KS_TAIL_FMT_AUTO) {
        while (i < len && p[i] == ' ')
            i++;
        if (i < len && (p[i] == '{' || p[i] == '['))
            return false;
    }
    for (; i < len; i++)
        if (p[i] < 0x20 || p[i] > 0x7e || p[i] == '\\')
            return false;
    return true;
}

/* Renders one key or value into sc and fills *out (pointers into sc). */
static void render(ks_tail_decoder *d, scratch *sc, const void *bytes, size_t len,
                   ks_tail_fmt forced, ks_tail_datum *out)
{
    ks_decoded res;

    tbuf_reset(&sc->json);
    tbuf_reset(&sc->text);
    memset(out, 0, sizeof(*out));
    out->schema_id = -1;
    if (!bytes) {
        tbuf_put(&sc->json, "null", 4);
        out->fmt = KS_TAIL_FMT_NULL;
        goto done;
    }
    out->size = (uint32_t)(len > UINT32_MAX ? UINT32_MAX : len);
    /* JSON documents: same text as the decoders' path, without the tree.
     * (Auto-detection tries Confluent framing first, which starts with 0x00:
     * never a JSON container, so skipping ahead changes nothing.) */
    if ((forced == KS_TAIL_FMT_AUTO || forced == KS_TAIL_FMT_JSON) && len <= d->lim.max_size &&
        tail_json_compact(&sc->json, &d->compact, bytes, len, d->lim.max_depth,
                          forced == KS_TAIL_FMT_AUTO)) {
        out->fmt = KS_TAIL_FMT_JSON;
        goto done;
    }
    /* Plain printable ASCII (keys such as "c42"): text, whose escaped form is
     * itself, as the decoders would say, without their allocations. */
    if ((forced == KS_TAIL_FMT_AUTO || forced == KS_TAIL_FMT_TEXT) &&
        plain_ascii(bytes, len, forced)) {
        tail_json_string(&sc->json, bytes, len);
        tbuf_put(&sc->text, bytes, len);
        out->fmt = KS_TAIL_FMT_TEXT;
        goto done;
    }
    decode_bytes(bytes, len, (ks_fmt)forced, tail_schemas_lookup, d->schemas, &d->lim, &res);
    out->fmt = (ks_tail_fmt)res.fmt;
    out->schema_id = res.schema_id;
    switch (res.fmt) {
    case KS_FMT_AVRO:
    case KS_FMT_JSON:
        tail_json_put_tree(&sc->json, res.json);
        break;
    case KS_FMT_TEXT:
        /* jsonl: the exact string when it is UTF-8, else its escaped form */
        if (res.json)
            tail_json_string(&sc->json, json_string_value(res.json), json_string_length(res.json));
        else
            tail_json_string(&sc->json, res.text ? res.text : "", res.text ? strlen(res.text) : 0);
        tbuf_puts(&sc->text, res.text ? res.text : "");
        break;
    case KS_FMT_BINARY:
        tbuf_put(&sc->json, "{\"hex\":\"", 8);
        tbuf_puts(&sc->json, res.text ? res.text : "");
        tbuf_put(&sc->json, "\"}", 2);
        tbuf_puts(&sc->text, res.text ? res.text : "");
        break;
    default:
        tbuf_put(&sc->json, "null", 4);
        break;
    }
    if (res.fmt == KS_FMT_AVRO && res.schema_id >= 0)
        out->subject = tail_schemas_subject(d->schemas, (uint32_t)res.schema_id);
    if (res.err != KS_DEC_OK && res.errstr[0]) {
        size_t n = strnlen(res.errstr, sizeof(res.errstr));
        tbuf_reset(&sc->err);
        tbuf_reserve(&sc->err, n * 4 + 1);
        sc->err.len = sanitize(res.errstr, n, sc->err.p, sc->err.cap);
        out->error = sc->err.p;
    }
    decoded_free(&res);
done:
    out->json = sc->json.p;
    out->json_len = sc->json.len;
    if (sc->text.len || out->fmt == KS_TAIL_FMT_TEXT) {
        out->text = sc->text.p ? sc->text.p : "";
        out->text_len = sc->text.len;
    } else { /* null, JSON, Avro: the display text is the JSON text */
        out->text = out->json;
        out->text_len = out->json_len;
    }
}

static void headers_reserve(ks_tail_decoder *d, int n)
{
    if (n <= d->hdr_cap)
        return;
    d->hdr_cap = n + 8;
    d->hdrs = xrealloc(d->hdrs, sizeof(*d->hdrs) * (size_t)d->hdr_cap);
    d->hdr_off = xrealloc(d->hdr_off, sizeof(size_t) * 2 * (size_t)d->hdr_cap);
}

/* Sanitized copy into hdr_strs; returns its offset. */
static size_t put_sanitized(ks_tbuf *b, const char *s, size_t n)
{
    size_t off = b->len;

    tbuf_reserve(b, n * 6 + 1);
    b->len += sanitize(s, n, b->p + off, b->cap - off) + 1; /* keep the NUL */
    return off;
}

static void render_headers(ks_tail_decoder *d, const rd_kafka_message_t *msg, ks_tail_row *row)
{
    rd_kafka_headers_t *hdrs = NULL;
    int n;

    tbuf_reset(&d->hdr_json);
    tbuf_reset(&d->hdr_strs);
    tbuf_put(&d->hdr_json, "[", 1);
    row->nheaders = 0;
    row->headers = NULL;
    if (msg && rd_kafka_message_headers(msg, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR && hdrs &&
        (n = (int)rd_kafka_header_cnt(hdrs)) > 0) {
        headers_reserve(d, n);
        for (int i = 0; i < n; i++) {
            const char *name;
            const void *val;
            size_t size;
            if (rd_kafka_header_get_all(hdrs, (size_t)i, &name, &val, &size))
                break;
            if (i)
                tbuf_putc(&d->hdr_json, ',');
            tbuf_put(&d->hdr_json, "{\"key\":", 7);
            tail_json_string(&d->hdr_json, name, strlen(name));
            tbuf_put(&d->hdr_json, ",\"value\":", 9);
            if (!val)
                tbuf_put(&d->hdr_json, "null", 4);
            else if (dec_text_utf8_valid(val, size))
                tail_json_string(&d->hdr_json, val, size);
            else {
                tbuf_put(&d->hdr_json, "{\"hex\":\"", 8);
                put_hex(&d->hdr_json, val, size);
                tbuf_put(&d->hdr_json, "\"}", 2);
            }
            tbuf_putc(&d->hdr_json, '}');
            d->hdr_off[2 * i] = put_sanitized(&d->hdr_strs, name, strlen(name));
            d->hdr_off[2 * i + 1] = val ? put_sanitized(&d->hdr_strs, val, size) : SIZE_MAX;
            d->hdrs[i].size = (uint32_t)size;
            row->nheaders = i + 1;
        }
        /* hdr_strs may have moved while growing: pointers only now */
        for (int i = 0; i < row->nheaders; i++) {
            d->hdrs[i].name = d->hdr_strs.p + d->hdr_off[2 * i];
            d->hdrs[i].value =
                d->hdr_off[2 * i + 1] == SIZE_MAX ? NULL : d->hdr_strs.p + d->hdr_off[2 * i + 1];
        }
        row->headers = row->nheaders ? d->hdrs : NULL;
    }
    tbuf_putc(&d->hdr_json, ']');
    row->headers_json = d->hdr_json.p;
    row->headers_json_len = d->hdr_json.len;
}

void tail_decoder_row(ks_tail_decoder *d, const rd_kafka_message_t *msg, const char *topic,
                      ks_tail_row *row)
{
    rd_kafka_timestamp_type_t tstype;
    int64_t ts = rd_kafka_message_timestamp(msg, &tstype);

    memset(row, 0, sizeof(*row));
    row->topic = topic;
    row->partition = msg->partition;
    row->offset = msg->offset;
    row->timestamp = tstype == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? -1 : ts;
    row->tstype = tstype == RD_KAFKA_TIMESTAMP_CREATE_TIME       ? KS_TAIL_TS_CREATE
                  : tstype == RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME ? KS_TAIL_TS_LOG_APPEND
                                                                 : KS_TAIL_TS_NONE;
    render(d, &d->key, msg->key, msg->key_len, d->key_fmt, &row->key);
    render(d, &d->value, msg->payload, msg->len, d->value_fmt, &row->value);
    render_headers(d, msg, row);
}

void tail_decoder_bytes(ks_tail_decoder *d, const void *key, size_t key_len, const void *value,
                        size_t value_len, ks_tail_row *row)
{
    memset(row, 0, sizeof(*row));
    row->timestamp = -1;
    render(d, &d->key, key, key_len, d->key_fmt, &row->key);
    render(d, &d->value, value, value_len, d->value_fmt, &row->value);
    render_headers(d, NULL, row);
}
