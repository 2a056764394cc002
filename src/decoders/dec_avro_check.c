/* dec_avro_check: validates Avro binary against the node tree before avro-c
 * reads it, allocating nothing.
 *
 * It accepts a subset of what avro-c 1.11.1 accepts (it is stricter on
 * booleans and enum indices), so once it says yes avro-c's read cannot hit
 * the end of the input, a negative length or an unknown branch, which are the
 * paths where avro-c leaks or allocates garbage sizes. It also bounds what
 * avro-c cannot: nesting depth (recursive schemas) and the number of
 * array/map items (an array of nulls encodes a billion items in 5 bytes). */
#include "dec_avro_int.h"

#include <limits.h>

typedef struct check_ctx {
    const uint8_t *buf;
    size_t len, pos;
    size_t max_depth;
    size_t items_left;
    ks_dec_err err;
    char *errstr;
    size_t errstr_size;
} check_ctx;

static bool fail(check_ctx *c, ks_dec_err err, const char *what)
{
    c->err = err;
    if (err == KS_DEC_TRUNCATED)
        dec_set_error(c->errstr, c->errstr_size, "avro: truncated at byte %zu reading %s", c->pos,
                      what);
    else
        dec_set_error(c->errstr, c->errstr_size, "avro: %s at byte %zu", what, c->pos);
    return false;
}

/* avro-c's read_long: at most 10 bytes, zigzag, excess high bits dropped */
static bool read_long(check_ctx *c, int64_t *out, const char *what)
{
    uint64_t value = 0;

    for (int i = 0; i < 10; i++) {
        if (c->pos >= c->len)
            return fail(c, KS_DEC_TRUNCATED, what);
        uint8_t b = c->buf[c->pos++];
        value |= (uint64_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) {
            *out = (int64_t)(value >> 1) ^ -(int64_t)(value & 1);
            return true;
        }
    }
    return fail(c, KS_DEC_BAD_DATA, "varint longer than 10 bytes");
}

static bool skip(check_ctx *c, uint64_t n, const char *what)
{
    if (n > c->len - c->pos)
        return fail(c, KS_DEC_TRUNCATED, what);
    c->pos += n;
    return true;
}

static bool read_length(check_ctx *c, const char *what)
{
    int64_t n;

    if (!read_long(c, &n, what))
        return false;
    if (n < 0)
        return fail(c, KS_DEC_BAD_DATA, "negative length");
    return skip(c, (uint64_t)n, what);
}

static bool check_node(check_ctx *c, const dec_avro_node *node, size_t depth);

/* Arrays and maps: blocks of items, a negative count is followed by the
 * block's byte size, a zero count ends the list. */
static bool check_blocks(check_ctx *c, const dec_avro_node *node, size_t depth)
{
    const char *what = node->type == AVRO_MAP ? "map block count" : "array block count";
    int64_t count, size;

    for (;;) {
        if (!read_long(c, &count, what))
            return false;
        if (count == 0)
            return true;
        if (count == INT64_MIN)
            return fail(c, KS_DEC_BAD_DATA, "block count out of range");
        if (count < 0) {
            count = -count;
            if (!read_long(c, &size, "block size"))
                return false;
        }
        if ((uint64_t)count > c->items_left)
            return fail(c, KS_DEC_TOO_LARGE, "more array/map items than the message can hold");
        c->items_left -= (size_t)count;
        for (int64_t i = 0; i < count; i++) {
            if (node->type == AVRO_MAP && !read_length(c, "map key"))
                return false;
            if (!check_node(c, node->children[0], depth))
                return false;
        }
    }
}

static bool check_node(check_ctx *c, const dec_avro_node *node, size_t depth)
{
    int64_t v;

    switch (node->type) {
    case AVRO_NULL:
        return true;
    case AVRO_BOOLEAN:
        if (c->pos >= c->len)
            return fail(c, KS_DEC_TRUNCATED, "boolean");
        if (c->buf[c->pos] > 1)
            return fail(c, KS_DEC_BAD_DATA, "boolean neither 0 nor 1");
        c->pos++;
        return true;
    case AVRO_INT32:
        if (!read_long(c, &v, "int"))
            return false;
        if (v < INT32_MIN || v > INT32_MAX)
            return fail(c, KS_DEC_BAD_DATA, "int out of range");
        return true;
    case AVRO_INT64:
        return read_long(c, &v, "long");
    case AVRO_FLOAT:
        return skip(c, 4, "float");
    case AVRO_DOUBLE:
        return skip(c, 8, "double");
    case AVRO_BYTES:
        return read_length(c, "bytes");
    case AVRO_STRING:
        return read_length(c, "string");
    case AVRO_FIXED:
        return skip(c, (uint64_t)node->fixed_size, "fixed");
    case AVRO_ENUM:
        if (!read_long(c, &v, "enum"))
            return false;
        if (v < 0 || (uint64_t)v >= node->nsymbols)
            return fail(c, KS_DEC_BAD_DATA, "enum index out of range");
        return true;
    case AVRO_UNION:
        if (!read_long(c, &v, "union branch"))
            return false;
        if (v < 0 || (uint64_t)v >= node->nchildren)
            return fail(c, KS_DEC_BAD_DATA, "union branch out of range");
        /* a union cannot directly hold a union: no depth level of its own */
        return check_node(c, node->children[v], depth);
    case AVRO_RECORD:
    case AVRO_ARRAY:
    case AVRO_MAP:
        if (++depth > c->max_depth)
            return fail(c, KS_DEC_TOO_DEEP, "nesting too deep");
        if (node->type != AVRO_RECORD)
            return check_blocks(c, node, depth);
        for (size_t i = 0; i < node->nchildren; i++)
            if (!check_node(c, node->children[i], depth))
                return false;
        return true;
    default:
        return fail(c, KS_DEC_BAD_SCHEMA, "unsupported schema type");
    }
}

bool dec_avro_check(const dec_avro_node *root, const uint8_t *buf, size_t len,
                    const ks_dec_limits *lim, ks_dec_err *err, char *errstr, size_t errstr_size)
{
    ks_dec_limits l = dec_limits_get(lim);
    check_ctx c = {
        .buf = buf,
        .len = len,
        .max_depth = l.max_depth,
        /* items that encode in zero bytes (null, empty records) are the only
         * way past one item per byte; allow a few thousand of them */
        .items_left = len + 4096,
        .errstr = errstr,
        .errstr_size = errstr_size,
    };
    bool ok = check_node(&c, root, 0);

    if (ok && c.pos != len) {
        c.err = KS_DEC_BAD_DATA;
        dec_set_error(errstr, errstr_size, "avro: %zu trailing bytes after the value", len - c.pos);
        ok = false;
    }
    if (err)
        *err = ok ? KS_DEC_OK : c.err;
    return ok;
}
