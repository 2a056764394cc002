/* decode: format detection and fallbacks (rules in decode.h). */
#include "decode.h"
#include "dec_framing.h"
#include "dec_hex.h"
#include "dec_json.h"
#include "dec_json_dump.h"
#include "dec_text.h"
#include "sanitize.h"
#include "xmalloc.h"

#include <stdio.h>
#include <string.h>

#define TOO_LARGE_HEX_BYTES 4096

/* what every decoder gets besides the bytes */
typedef struct decode_args {
    dec_schema_lookup_fn lookup;
    void *lookup_ctx;
    ks_dec_limits lim;
} decode_args;

static void set_err(ks_decoded *out, ks_dec_err err, const char *msg)
{
    out->err = err;
    snprintf(out->errstr, sizeof(out->errstr), "%s", msg);
}

static bool decode_binary(ks_decoded *out, const uint8_t *buf, size_t len, const decode_args *args)
{
    (void)args;
    out->fmt = KS_FMT_BINARY;
    out->text = dec_hex_encode(buf, len, len);
    return true;
}

static bool decode_text(ks_decoded *out, const uint8_t *buf, size_t len, const decode_args *args)
{
    (void)args;
    out->fmt = KS_FMT_TEXT;
    out->text = dec_text_escape(buf, len, SIZE_MAX);
    /* the exact string for jsonl when it is UTF-8; NULL otherwise */
    out->json = json_stringn((const char *)(len ? buf : (const uint8_t *)""), len);
    return true;
}

static bool decode_avro(ks_decoded *out, const uint8_t *buf, size_t len, const decode_args *args)
{
    uint32_t id;
    const uint8_t *payload;
    size_t payload_len;
    char why[sizeof(out->errstr)] = "";
    const dec_avro_schema *schema;
    ks_dec_err err;

    if (!dec_framing_parse(buf, len, &id, &payload, &payload_len)) {
        snprintf(why, sizeof(why), "not Confluent-framed: %s",
                 len < DEC_FRAMING_HEADER_LEN ? "fewer than 5 bytes" : "first byte is not 0x00");
        set_err(out, KS_DEC_BAD_MAGIC, why);
        return false;
    }
    out->schema_id = id;
    if (!args->lookup) {
        snprintf(why, sizeof(why), "schema id %u: no schema registry configured", id);
        set_err(out, KS_DEC_NO_SCHEMA, why);
        return false;
    }
    schema = args->lookup(id, args->lookup_ctx, why, sizeof(why));
    if (!schema) {
        why[sizeof(why) - 1] = '\0';
        if (!why[0])
            snprintf(why, sizeof(why), "schema id %u not found in registry", id);
        set_err(out, KS_DEC_NO_SCHEMA, why);
        return false;
    }
    out->json = dec_avro_decode(schema, payload, payload_len, &args->lim, &err, why, sizeof(why));
    if (!out->json) {
        out->err = err;
        if (snprintf(out->errstr, sizeof(out->errstr), "schema id %u: %s", id, why) < 0)
            out->errstr[0] = '\0';
        return false;
    }
    out->fmt = KS_FMT_AVRO;
    return true;
}

static bool decode_json(ks_decoded *out, const uint8_t *buf, size_t len, const decode_args *args)
{
    ks_dec_err err;
    char why[sizeof(out->errstr)] = "";

    out->json = dec_json_parse(buf, len, &args->lim, &err, why, sizeof(why));
    if (!out->json) {
        set_err(out, err, why);
        return false;
    }
    out->fmt = KS_FMT_JSON;
    return true;
}

static bool probe_any(const uint8_t *buf, size_t len)
{
    (void)buf, (void)len;
    return true;
}

typedef struct decoder {
    ks_fmt fmt;
    bool (*probe)(const uint8_t *buf, size_t len); /* cheap, for detection */
    /* fills *out, or returns false with out->err and out->errstr set */
    bool (*decode)(ks_decoded *out, const uint8_t *buf, size_t len, const decode_args *args);
    bool quiet; /* failing after a positive probe is not news (JSON-looking text) */
} decoder;

/* in auto-detection order */
static const decoder decoders[] = {
    {.fmt = KS_FMT_AVRO, .probe = dec_framing_probe, .decode = decode_avro},
    {.fmt = KS_FMT_JSON, .probe = dec_json_looks_container, .decode = decode_json, .quiet = true},
    {.fmt = KS_FMT_TEXT, .probe = dec_text_probe, .decode = decode_text},
    {.fmt = KS_FMT_BINARY, .probe = probe_any, .decode = decode_binary},
};

#define NDECODERS (sizeof(decoders) / sizeof(decoders[0]))

static const decoder *decoder_for(ks_fmt fmt)
{
    for (size_t i = 0; i < NDECODERS; i++)
        if (decoders[i].fmt == fmt)
            return &decoders[i];
    return NULL;
}

void decode_bytes(const uint8_t *buf, size_t len, ks_fmt forced, dec_schema_lookup_fn lookup,
                  void *lookup_ctx, const ks_dec_limits *lim, ks_decoded *out)
{
    decode_args args = {.lookup = lookup, .lookup_ctx = lookup_ctx, .lim = dec_limits_get(lim)};
    const decoder *dc = decoder_for(forced);

    memset(out, 0, sizeof(*out));
    out->schema_id = -1;
    out->fmt = KS_FMT_NULL;
    if (!buf)
        return;
    out->size = len;
    if (len > args.lim.max_size) {
        char why[sizeof(out->errstr)];
        snprintf(why, sizeof(why), "%zu bytes exceed the %zu-byte decode limit", len,
                 args.lim.max_size);
        set_err(out, KS_DEC_TOO_LARGE, why);
        out->fmt = KS_FMT_BINARY;
        out->text = dec_hex_encode(buf, len, TOO_LARGE_HEX_BYTES);
        return;
    }
    if (dc) { /* forced: that decoder, else the most readable faithful rendering */
        if (dc->decode(out, buf, len, &args))
            return;
        dc = dec_text_probe(buf, len) ? decoder_for(KS_FMT_TEXT) : decoder_for(KS_FMT_BINARY);
        dc->decode(out, buf, len, &args);
        return;
    }
    /* auto (and null, which cannot make bytes disappear) */
    for (size_t i = 0; i < NDECODERS; i++) {
        if (!decoders[i].probe(buf, len))
            continue;
        if (decoders[i].decode(out, buf, len, &args))
            return;
        if (decoders[i].quiet) {
            out->err = KS_DEC_OK;
            out->errstr[0] = '\0';
        }
    }
}

json_t *decoded_to_json(const ks_decoded *dec)
{
    switch (dec->fmt) {
    case KS_FMT_AVRO:
    case KS_FMT_JSON:
        return json_incref(dec->json);
    case KS_FMT_TEXT:
        return dec->json ? json_incref(dec->json) : json_string(dec->text ? dec->text : "");
    case KS_FMT_BINARY:
        return json_pack("{s:s}", "hex", dec->text ? dec->text : "");
    default:
        return json_null();
    }
}

/* Display units, so that a cut never splits one: an escape as written by
 * dec_text_escape ("\\", "\xNN", "\uNNNN", "\n"...), a UTF-8 sequence, one
 * byte; in hex, one byte's two digits. */
static size_t text_unit(const char *s)
{
    size_t want = 1;
    uint32_t cp;

    if (s[0] == '\\')
        want = s[1] == 'x' ? 4 : s[1] == 'u' ? 6 : 2;
    else if ((uint8_t)s[0] >= 0x80)
        want = dec_text_utf8_next((const uint8_t *)s, strnlen(s, 4), &cp);
    for (size_t i = 1; i < want; i++)
        if (!s[i])
            return i;
    return want ? want : 1;
}

static size_t hex_unit(const char *s)
{
    return s[1] ? 2 : 1;
}

/* s sanitised, then cut to at most max bytes at a unit boundary, "..." when cut */
static char *fit(const char *s, size_t max, size_t (*unit)(const char *))
{
    char *safe = sanitize_str(s), *out;
    size_t len = strlen(safe), keep, n = 0, dots;

    if (len <= max)
        return safe;
    keep = max >= 3 ? max - 3 : 0;
    while (safe[n]) {
        size_t u = unit(safe + n);
        if (n + u > keep)
            break;
        n += u;
    }
    dots = max - n < 3 ? max - n : 3;
    out = xmalloc(n + dots + 1);
    memcpy(out, safe, n);
    memcpy(out + n, "...", dots);
    out[n + dots] = '\0';
    free(safe);
    return out;
}

char *decoded_summary(const ks_decoded *dec, size_t max)
{
    char *s, *out;

    switch (dec->fmt) {
    case KS_FMT_AVRO:
    case KS_FMT_JSON:
        /* the dumper cuts at its own unit boundaries, escapes included */
        s = dec_json_dump(dec->json, 0, max > 3 ? max - 3 : 1);
        out = fit(s, max, text_unit);
        free(s);
        return out;
    case KS_FMT_TEXT:
        return fit(dec->text ? dec->text : "", max, text_unit);
    case KS_FMT_BINARY:
        return fit(dec->text ? dec->text : "", max, hex_unit);
    default:
        return fit("null", max, text_unit);
    }
}

void decoded_free(ks_decoded *dec)
{
    if (!dec)
        return;
    json_decref(dec->json);
    free(dec->text);
    memset(dec, 0, sizeof(*dec));
    dec->schema_id = -1;
}
