/* dec_json: bounded JSON parsing with jansson. */
#include "dec_json.h"

#include <string.h>

static bool is_ws(uint8_t b)
{
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
}

static size_t skip_ws(const uint8_t *buf, size_t len)
{
    size_t i = 0;

    while (i < len && is_ws(buf[i]))
        i++;
    return i;
}

size_t dec_json_depth(const uint8_t *buf, size_t len, size_t limit)
{
    size_t depth = 0, max = 0;
    bool in_string = false;

    for (size_t i = 0; i < len; i++) {
        uint8_t b = buf[i];
        if (in_string) {
            if (b == '\\')
                i++; /* the escaped byte cannot end the string */
            else if (b == '"')
                in_string = false;
            continue;
        }
        if (b == '"') {
            in_string = true;
        } else if (b == '[' || b == '{') {
            if (++depth > limit)
                return SIZE_MAX;
            if (depth > max)
                max = depth;
        } else if ((b == ']' || b == '}') && depth > 0) {
            depth--;
        }
    }
    return max;
}

static ks_dec_err err_from_jansson(const json_error_t *jerr)
{
    switch (json_error_code(jerr)) {
    case json_error_stack_overflow:
        return KS_DEC_TOO_DEEP;
    case json_error_invalid_utf8:
        return KS_DEC_BAD_UTF8;
    case json_error_premature_end_of_input:
        return KS_DEC_TRUNCATED;
    case json_error_out_of_memory:
        return KS_DEC_TOO_LARGE;
    default:
        return KS_DEC_BAD_DATA;
    }
}

json_t *dec_json_parse(const uint8_t *buf, size_t len, const ks_dec_limits *lim, ks_dec_err *err,
                       char *errstr, size_t errstr_size)
{
    ks_dec_limits l = dec_limits_get(lim);
    ks_dec_err e = KS_DEC_OK;
    json_error_t jerr;
    json_t *json = NULL;

    if (!buf && len) {
        e = KS_DEC_BAD_DATA;
        dec_set_error(errstr, errstr_size, "json: no buffer");
    } else if (len > l.max_size) {
        e = KS_DEC_TOO_LARGE;
        dec_set_error(errstr, errstr_size, "json: %zu bytes exceed the %zu-byte limit", len,
                      l.max_size);
    } else if (dec_json_depth(buf, len, l.max_depth) == SIZE_MAX) {
        e = KS_DEC_TOO_DEEP;
        dec_set_error(errstr, errstr_size, "json: nesting deeper than %zu", l.max_depth);
    } else {
        json =
            json_loadb(len ? (const char *)buf : "", len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
        if (!json) {
            e = err_from_jansson(&jerr);
            dec_set_error(errstr, errstr_size, "json: %s at byte %d", jerr.text, jerr.position);
        }
    }
    if (err)
        *err = e;
    return json;
}

bool dec_json_probe(const uint8_t *buf, size_t len)
{
    size_t i;
    json_t *json;

    if (!buf)
        return false;
    i = skip_ws(buf, len);
    if (i == len || !buf[i] || !strchr("{[\"-0123456789tfn", buf[i]))
        return false;
    json = dec_json_parse(buf, len, NULL, NULL, NULL, 0);
    json_decref(json);
    return json != NULL;
}

bool dec_json_looks_container(const uint8_t *buf, size_t len)
{
    size_t i;

    if (!buf)
        return false;
    i = skip_ws(buf, len);
    return i < len && (buf[i] == '{' || buf[i] == '[');
}
