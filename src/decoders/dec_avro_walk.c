/* dec_avro_walk: avro-c generic value -> jansson tree, with the node tree
 * supplying logical types and union layout (choices in dec_avro.h). The value
 * was checked and read in full before, so the recursion depth is bounded by
 * the limits dec_avro_check() enforced. */
#include "dec_avro_int.h"
#include "dec_json_dump.h"
#include "dec_text.h"
#include "xmalloc.h"

#include <math.h>
#include <string.h>

/* bytes/fixed: byte 0xNN is code point U+00NN */
static json_t *latin1_string(const uint8_t *b, size_t len)
{
    char *s = xmalloc(len * 2 + 1);
    size_t o = 0;
    json_t *json;

    for (size_t i = 0; i < len; i++) {
        if (b[i] < 0x80) {
            s[o++] = (char)b[i];
        } else {
            s[o++] = (char)(0xc0 | b[i] >> 6);
            s[o++] = (char)(0x80 | (b[i] & 0x3f));
        }
    }
    json = json_stringn_nocheck(s, o);
    free(s);
    return json;
}

/* strings must be UTF-8; an invalid byte becomes U+FFFD */
static json_t *utf8_string(const char *s, size_t len)
{
    const uint8_t *p = (const uint8_t *)s;
    char *fixed;
    size_t o = 0;
    json_t *json;

    if (dec_text_utf8_valid(p, len))
        return json_stringn_nocheck(s, len);
    fixed = xmalloc(len * 3 + 1);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = dec_text_utf8_next(p + i, len - i, &cp);
        if (n) {
            memcpy(fixed + o, p + i, n);
            o += n;
            i += n;
        } else {
            memcpy(fixed + o, "\xef\xbf\xbd", 3);
            o += 3;
            i++;
        }
    }
    json = json_stringn_nocheck(fixed, o);
    free(fixed);
    return json;
}

static json_t *real(double d)
{
    if (isnan(d))
        return json_string("NaN");
    if (isinf(d))
        return json_string(d > 0 ? "Infinity" : "-Infinity");
    return json_real(d);
}

static json_t *from_long(const dec_avro_node *node, int64_t v)
{
    char buf[96];
    size_t n = 0;

    switch (node->logical) {
    case DEC_AVRO_LT_DATE:
        n = dec_avro_logical_date(v, buf, sizeof(buf));
        break;
    case DEC_AVRO_LT_TIME_MILLIS:
        n = dec_avro_logical_time(v, 3, buf, sizeof(buf));
        break;
    case DEC_AVRO_LT_TIME_MICROS:
        n = dec_avro_logical_time(v, 6, buf, sizeof(buf));
        break;
    case DEC_AVRO_LT_TIMESTAMP_MILLIS:
    case DEC_AVRO_LT_LOCAL_TIMESTAMP_MILLIS:
        n = dec_avro_logical_timestamp(v, 3, node->logical == DEC_AVRO_LT_TIMESTAMP_MILLIS, buf,
                                       sizeof(buf));
        break;
    case DEC_AVRO_LT_TIMESTAMP_MICROS:
    case DEC_AVRO_LT_LOCAL_TIMESTAMP_MICROS:
        n = dec_avro_logical_timestamp(v, 6, node->logical == DEC_AVRO_LT_TIMESTAMP_MICROS, buf,
                                       sizeof(buf));
        break;
    case DEC_AVRO_LT_TIMESTAMP_NANOS:
    case DEC_AVRO_LT_LOCAL_TIMESTAMP_NANOS:
        n = dec_avro_logical_timestamp(v, 9, node->logical == DEC_AVRO_LT_TIMESTAMP_NANOS, buf,
                                       sizeof(buf));
        break;
    default:
        break;
    }
    return n ? json_stringn(buf, n) : json_integer(v);
}

static uint32_t le32(const uint8_t *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static json_t *from_bytes(const dec_avro_node *node, const uint8_t *b, size_t len)
{
    char buf[48];

    if (node->logical == DEC_AVRO_LT_DECIMAL) {
        char *s = dec_avro_logical_decimal(b, len, node->scale);
        if (s) {
            json_t *json = json_string(s);
            free(s);
            return json;
        }
    } else if (node->logical == DEC_AVRO_LT_UUID &&
               dec_avro_logical_uuid(b, len, buf, sizeof(buf))) {
        return json_string(buf);
    } else if (node->logical == DEC_AVRO_LT_DURATION && len == 12) {
        return json_pack("{s:I,s:I,s:I}", "months", (json_int_t)le32(b), "days",
                         (json_int_t)le32(b + 4), "milliseconds", (json_int_t)le32(b + 8));
    }
    return latin1_string(b, len);
}

static json_t *walk(const dec_avro_node *node, const avro_value_t *value);

static json_t *walk_container(const dec_avro_node *node, const avro_value_t *value)
{
    size_t n = 0;
    json_t *json = node->type == AVRO_ARRAY ? json_array() : json_object();

    if (!json || avro_value_get_size(value, &n) != 0) {
        json_decref(json);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        avro_value_t child;
        const char *name = NULL;
        const dec_avro_node *child_node =
            node->type == AVRO_RECORD ? node->children[i] : node->children[0];
        if (avro_value_get_by_index(value, i, &child, &name) != 0)
            goto fail;
        json_t *item = walk(child_node, &child);
        if (!item)
            goto fail;
        int rc;
        if (node->type == AVRO_ARRAY) {
            rc = json_array_append_new(json, item);
        } else if (node->type == AVRO_RECORD) {
            rc = json_object_set_new(json, avro_schema_record_field_name(node->schema, (int)i),
                                     item);
        } else {
            json_t *key = utf8_string(name ? name : "", name ? strlen(name) : 0);
            rc = key ? json_object_setn_new_nocheck(json, json_string_value(key),
                                                    json_string_length(key), item)
                     : (json_decref(item), -1);
            json_decref(key);
        }
        if (rc != 0)
            goto fail;
    }
    return json;
fail:
    json_decref(json);
    return NULL;
}

static json_t *walk_union(const dec_avro_node *node, const avro_value_t *value)
{
    int disc;
    avro_value_t branch;
    const dec_avro_node *child;
    json_t *inner;

    if (avro_value_get_discriminant(value, &disc) != 0 || disc < 0 ||
        (size_t)disc >= node->nchildren || avro_value_get_current_branch(value, &branch) != 0)
        return NULL;
    child = node->children[disc];
    inner = walk(child, &branch);
    if (!inner || child->type == AVRO_NULL || node->union_plain)
        return inner;
    json_t *wrapper = json_object();
    if (!wrapper || json_object_set_new(wrapper, child->label, inner) != 0) {
        json_decref(wrapper);
        return NULL;
    }
    return wrapper;
}

static json_t *walk(const dec_avro_node *node, const avro_value_t *value)
{
    int b, e;
    int32_t i32;
    int64_t i64;
    float f;
    double d;
    const void *buf;
    const char *str;
    size_t size;

    switch (node->type) {
    case AVRO_NULL:
        return json_null();
    case AVRO_BOOLEAN:
        return avro_value_get_boolean(value, &b) ? NULL : json_boolean(b);
    case AVRO_INT32:
        return avro_value_get_int(value, &i32) ? NULL : from_long(node, i32);
    case AVRO_INT64:
        return avro_value_get_long(value, &i64) ? NULL : from_long(node, i64);
    case AVRO_FLOAT:
        if (avro_value_get_float(value, &f))
            return NULL;
        return isfinite(f) ? json_real(dec_json_real_from_float(f)) : real(f);
    case AVRO_DOUBLE:
        return avro_value_get_double(value, &d) ? NULL : real(d);
    case AVRO_BYTES:
        return avro_value_get_bytes(value, &buf, &size) ? NULL : from_bytes(node, buf, size);
    case AVRO_FIXED:
        return avro_value_get_fixed(value, &buf, &size) ? NULL : from_bytes(node, buf, size);
    case AVRO_STRING:
        /* size counts the NUL avro-c appends */
        if (avro_value_get_string(value, &str, &size) || size == 0)
            return NULL;
        return utf8_string(str, size - 1);
    case AVRO_ENUM:
        if (avro_value_get_enum(value, &e) || e < 0 || (size_t)e >= node->nsymbols)
            return NULL;
        return json_string(avro_schema_enum_get(node->schema, e));
    case AVRO_ARRAY:
    case AVRO_MAP:
    case AVRO_RECORD:
        return walk_container(node, value);
    case AVRO_UNION:
        return walk_union(node, value);
    default:
        return NULL;
    }
}

json_t *dec_avro_walk(const dec_avro_node *node, const avro_value_t *value, char *errstr,
                      size_t errstr_size)
{
    json_t *json = walk(node, value);

    if (!json)
        dec_set_error(errstr, errstr_size, "avro: cannot convert the value to JSON");
    return json;
}
