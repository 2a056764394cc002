/* test_dec_avro: Avro binary -> JSON, every type and logical type, and every
 * way a hostile message can be wrong. Messages are encoded by hand (zigzag
 * varints, little-endian floats) so that the expected bytes are visible. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "dec_avro.h"
#include "dec_avro_alloc.h"
#include "dec_json_dump.h"

#include <avro.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a tiny Avro binary writer ---------------------------------------- */

typedef struct enc {
    uint8_t *b;
    size_t n, cap;
} enc;

static void put_raw(enc *e, const void *p, size_t n)
{
    if (e->n + n > e->cap) {
        e->cap = (e->n + n) * 2 + 64;
        e->b = realloc(e->b, e->cap);
        assert_non_null(e->b);
    }
    memcpy(e->b + e->n, p, n);
    e->n += n;
}

static void put_byte(enc *e, uint8_t b)
{
    put_raw(e, &b, 1);
}

static void put_long(enc *e, int64_t v)
{
    uint64_t z = ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
    while (z > 0x7f) {
        put_byte(e, (uint8_t)(z | 0x80));
        z >>= 7;
    }
    put_byte(e, (uint8_t)z);
}

static void put_bytes(enc *e, const void *p, size_t n)
{
    put_long(e, (int64_t)n);
    put_raw(e, p, n);
}

static void put_str(enc *e, const char *s)
{
    put_bytes(e, s, strlen(s));
}

static void put_float(enc *e, float f)
{
    uint8_t b[4];
    memcpy(b, &f, 4); /* x86-64 is little-endian, like Avro */
    put_raw(e, b, 4);
}

static void put_double(enc *e, double d)
{
    uint8_t b[8];
    memcpy(b, &d, 8);
    put_raw(e, b, 8);
}

/* ---- helpers ------------------------------------------------------------ */

static dec_avro_schema *schema_ok(const char *json)
{
    char errstr[256] = "";
    dec_avro_schema *s = dec_avro_schema_new(json, strlen(json), errstr, sizeof(errstr));
    if (!s)
        fail_msg("schema rejected: %s\n%s", errstr, json);
    return s;
}

/* decodes and returns compact JSON text, or NULL with *err/errstr */
static char *decode_with(const dec_avro_schema *s, const uint8_t *b, size_t n,
                         const ks_dec_limits *lim, ks_dec_err *err, char *errstr, size_t size)
{
    json_t *json = dec_avro_decode(s, b, n, lim, err, errstr, size);
    char *out = json ? dec_json_dump(json, 0, 0) : NULL;
    json_decref(json);
    return out;
}

static void expect(const char *schema_json, const enc *e, const char *want)
{
    char errstr[256] = "";
    ks_dec_err err = KS_DEC_BAD_DATA;
    dec_avro_schema *s = schema_ok(schema_json);
    char *got = decode_with(s, e->b, e->n, NULL, &err, errstr, sizeof(errstr));

    if (!got)
        fail_msg("decode failed: %s (%s)", errstr, dec_err_name(err));
    assert_int_equal(err, KS_DEC_OK);
    assert_string_equal(got, want);
    free(got);
    dec_avro_schema_free(s);
}

static ks_dec_err expect_error(const char *schema_json, const enc *e, const char *errstr_part)
{
    char errstr[256] = "";
    ks_dec_err err = KS_DEC_OK;
    dec_avro_schema *s = schema_ok(schema_json);
    char *got = decode_with(s, e->b, e->n, NULL, &err, errstr, sizeof(errstr));

    if (got)
        fail_msg("decode unexpectedly succeeded: %s", got);
    assert_int_not_equal(err, KS_DEC_OK);
    if (errstr_part && !strstr(errstr, errstr_part))
        fail_msg("errstr \"%s\" lacks \"%s\"", errstr, errstr_part);
    dec_avro_schema_free(s);
    return err;
}

/* ---- primitives ----------------------------------------------------------- */

static const char *const primitives_schema =
    "{\"type\":\"record\",\"name\":\"P\",\"fields\":["
    "{\"name\":\"n\",\"type\":\"null\"},{\"name\":\"b\",\"type\":\"boolean\"},"
    "{\"name\":\"i\",\"type\":\"int\"},{\"name\":\"l\",\"type\":\"long\"},"
    "{\"name\":\"f\",\"type\":\"float\"},{\"name\":\"d\",\"type\":\"double\"},"
    "{\"name\":\"by\",\"type\":\"bytes\"},{\"name\":\"s\",\"type\":\"string\"}]}";

static void test_primitives(void **state)
{
    (void)state;
    enc e = {0};
    static const uint8_t bytes[] = {0x00, 0x41, 0x7f, 0x80, 0xe9, 0xff, 0x00};

    put_byte(&e, 1);
    put_long(&e, -5);
    put_long(&e, 1234567890123LL);
    put_float(&e, 0.1f);
    put_double(&e, 48.8566);
    put_bytes(&e, bytes, sizeof(bytes));
    put_str(&e, "h\xc3\xa9llo \"q\"");
    expect(primitives_schema, &e,
           "{\"n\":null,\"b\":true,\"i\":-5,\"l\":1234567890123,\"f\":0.1,\"d\":48.8566,"
           "\"by\":\"\\u0000A\\u007f\\u0080\xc3\xa9\xc3\xbf\\u0000\","
           "\"s\":\"h\xc3\xa9llo \\\"q\\\"\"}");
    free(e.b);
}

static void test_primitive_roots(void **state)
{
    (void)state;
    enc e = {0};

    expect("\"null\"", &e, "null");
    put_byte(&e, 0);
    expect("\"boolean\"", &e, "false");
    e.n = 0;
    put_long(&e, INT32_MIN);
    expect("{\"type\":\"int\"}", &e, "-2147483648");
    e.n = 0;
    put_long(&e, INT64_MAX);
    expect("\"long\"", &e, "9223372036854775807");
    e.n = 0;
    put_long(&e, INT64_MIN);
    expect("\"long\"", &e, "-9223372036854775808");
    e.n = 0;
    put_double(&e, 1e300);
    expect("\"double\"", &e, "1e+300");
    e.n = 0;
    put_double(&e, -0.0);
    expect("\"double\"", &e, "-0.0");
    e.n = 0;
    put_float(&e, 3.0f);
    expect("\"float\"", &e, "3.0");
    e.n = 0;
    put_str(&e, "");
    expect("\"string\"", &e, "\"\"");
    e.n = 0;
    put_bytes(&e, "", 0);
    expect("\"bytes\"", &e, "\"\"");
    free(e.b);
}

static void test_nan_inf(void **state)
{
    (void)state;
    enc e = {0};
    const char *schema =
        "{\"type\":\"record\",\"name\":\"F\",\"fields\":["
        "{\"name\":\"a\",\"type\":\"double\"},{\"name\":\"b\",\"type\":\"double\"},"
        "{\"name\":\"c\",\"type\":\"double\"},{\"name\":\"d\",\"type\":\"float\"},"
        "{\"name\":\"e\",\"type\":\"float\"},{\"name\":\"f\",\"type\":\"float\"}]}";

    put_double(&e, NAN);
    put_double(&e, INFINITY);
    put_double(&e, -INFINITY);
    put_float(&e, NAN);
    put_float(&e, INFINITY);
    put_float(&e, -INFINITY);
    expect(schema, &e,
           "{\"a\":\"NaN\",\"b\":\"Infinity\",\"c\":\"-Infinity\",\"d\":\"NaN\","
           "\"e\":\"Infinity\",\"f\":\"-Infinity\"}");
    free(e.b);
}

static void test_invalid_utf8_string(void **state)
{
    (void)state;
    enc e = {0};

    put_bytes(&e,
              "a\xff"
              "b\xc3",
              4);
    expect("\"string\"", &e,
           "\"a\xef\xbf\xbd"
           "b\xef\xbf\xbd\"");
    e.n = 0;
    put_bytes(&e, "x\0y\x1b[2J", 7);
    expect("\"string\"", &e, "\"x\\u0000y\\u001b[2J\"");
    free(e.b);
}

/* ---- complex types -------------------------------------------------------- */

static void test_enum_array_map_fixed(void **state)
{
    (void)state;
    enc e = {0};
    const char *schema =
        "{\"type\":\"record\",\"name\":\"C\",\"namespace\":\"t\",\"fields\":["
        "{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"Color\",\"symbols\":[\"RED\","
        "\"GREEN\",\"BLUE\"]}},"
        "{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":\"int\"}},"
        "{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":\"string\"}},"
        "{\"name\":\"x\",\"type\":{\"type\":\"fixed\",\"name\":\"F4\",\"size\":4}},"
        "{\"name\":\"e2\",\"type\":\"Color\"},"
        "{\"name\":\"ea\",\"type\":{\"type\":\"array\",\"items\":\"long\"}},"
        "{\"name\":\"em\",\"type\":{\"type\":\"map\",\"values\":\"int\"}}]}";

    put_long(&e, 2);
    /* array in two blocks, the second with a negative count and a byte size */
    put_long(&e, 2), put_long(&e, 1), put_long(&e, -1);
    put_long(&e, -1), put_long(&e, 1), put_long(&e, 3);
    put_long(&e, 0);
    put_long(&e, 2);
    put_str(&e, "k1");
    put_str(&e, "v1");
    put_str(&e, "k\xc3\xa9");
    put_str(&e, "");
    put_long(&e, 0);
    put_raw(&e, "\x00\x01\xfe\xff", 4);
    put_long(&e, 0);
    put_long(&e, 0);
    put_long(&e, 0);
    expect(schema, &e,
           "{\"e\":\"BLUE\",\"a\":[1,-1,3],\"m\":{\"k1\":\"v1\",\"k\xc3\xa9\":\"\"},"
           "\"x\":\"\\u0000\\u0001\xc3\xbe\xc3\xbf\",\"e2\":\"RED\",\"ea\":[],\"em\":{}}");
    free(e.b);
}

static void test_nested_records(void **state)
{
    (void)state;
    enc e = {0};
    const char *schema =
        "{\"type\":\"record\",\"name\":\"Outer\",\"fields\":["
        "{\"name\":\"inner\",\"type\":{\"type\":\"record\",\"name\":\"Inner\",\"fields\":["
        "{\"name\":\"deep\",\"type\":{\"type\":\"record\",\"name\":\"Deep\",\"fields\":["
        "{\"name\":\"v\",\"type\":\"int\"}]}},{\"name\":\"w\",\"type\":\"string\"}]}},"
        "{\"name\":\"again\",\"type\":\"Inner\"},"
        "{\"name\":\"empty\",\"type\":{\"type\":\"record\",\"name\":\"E\",\"fields\":[]}},"
        "{\"name\":\"list\",\"type\":{\"type\":\"array\",\"items\":\"Deep\"}}]}";

    put_long(&e, 7);
    put_str(&e, "a");
    put_long(&e, 8);
    put_str(&e, "b");
    put_long(&e, 2);
    put_long(&e, 1);
    put_long(&e, 2);
    put_long(&e, 0);
    expect(schema, &e,
           "{\"inner\":{\"deep\":{\"v\":7},\"w\":\"a\"},\"again\":{\"deep\":{\"v\":8},\"w\":\"b\"},"
           "\"empty\":{},\"list\":[{\"v\":1},{\"v\":2}]}");
    free(e.b);
}

static const char *const union_schema =
    "{\"type\":\"record\",\"name\":\"U\",\"namespace\":\"ns\",\"fields\":["
    "{\"name\":\"opt\",\"type\":[\"null\",\"string\"]},"
    "{\"name\":\"opt2\",\"type\":[\"long\",\"null\"]},"
    "{\"name\":\"one\",\"type\":[\"int\"]},"
    "{\"name\":\"multi\",\"type\":[\"null\",\"string\",\"long\","
    "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]},"
    "{\"type\":\"array\",\"items\":\"int\"},{\"type\":\"map\",\"values\":\"int\"},"
    "{\"type\":\"enum\",\"name\":\"En\",\"namespace\":\"other\",\"symbols\":[\"A\"]}]},"
    "{\"name\":\"ts\",\"type\":[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}]}"
    ","
    "{\"name\":\"tsm\",\"type\":[\"string\",{\"type\":\"long\",\"logicalType\":\"timestamp-"
    "millis\"}]}"
    "]}";

static void test_unions(void **state)
{
    (void)state;
    enc e = {0};

    /* plain: ["null", T] and [T, "null"] and [T]; wrapped: 2+ non-null branches */
    put_long(&e, 1), put_str(&e, "x");
    put_long(&e, 0), put_long(&e, 42);
    put_long(&e, 0), put_long(&e, 5);
    put_long(&e, 1), put_str(&e, "s");
    put_long(&e, 1), put_long(&e, 0);
    put_long(&e, 1), put_long(&e, 0);
    expect(union_schema, &e,
           "{\"opt\":\"x\",\"opt2\":42,\"one\":5,\"multi\":{\"string\":\"s\"},"
           "\"ts\":\"1970-01-01T00:00:00.000Z\",\"tsm\":{\"long\":\"1970-01-01T00:00:00.000Z\"}}");

    e.n = 0;
    put_long(&e, 0);
    put_long(&e, 1);
    put_long(&e, 0), put_long(&e, -3);
    put_long(&e, 0);
    put_long(&e, 0);
    put_long(&e, 0), put_str(&e, "");
    expect(union_schema, &e,
           "{\"opt\":null,\"opt2\":null,\"one\":-3,\"multi\":null,\"ts\":null,\"tsm\":{\"string\":"
           "\"\"}}");

    static const struct {
        int branch;
        const char *want;
    } multi[] = {
        {2, "{\"long\":-1}"},       {3, "{\"ns.R\":{\"x\":9}}"}, {4, "{\"array\":[9]}"},
        {5, "{\"map\":{\"k\":9}}"}, {6, "{\"other.En\":\"A\"}"},
    };
    for (size_t i = 0; i < sizeof(multi) / sizeof(multi[0]); i++) {
        char want[256];
        e.n = 0;
        put_long(&e, 0);                  /* opt: null */
        put_long(&e, 0), put_long(&e, 1); /* opt2: long 1 */
        put_long(&e, 0), put_long(&e, 1); /* one: int 1 */
        put_long(&e, multi[i].branch);
        switch (multi[i].branch) {
        case 2:
            put_long(&e, -1);
            break;
        case 3:
            put_long(&e, 9);
            break;
        case 4:
            put_long(&e, 1), put_long(&e, 9), put_long(&e, 0);
            break;
        case 5:
            put_long(&e, 1), put_str(&e, "k"), put_long(&e, 9), put_long(&e, 0);
            break;
        case 6:
            put_long(&e, 0);
            break;
        }
        put_long(&e, 0);
        put_long(&e, 0), put_str(&e, "z");
        snprintf(want, sizeof(want),
                 "{\"opt\":null,\"opt2\":1,\"one\":1,\"multi\":%s,\"ts\":null,"
                 "\"tsm\":{\"string\":\"z\"}}",
                 multi[i].want);
        expect(union_schema, &e, want);
    }
    free(e.b);
}

/* ---- logical types ---------------------------------------------------------- */

static void expect_long(const char *logical, const char *type, int64_t v, const char *want)
{
    char schema[256];
    enc e = {0};

    snprintf(schema, sizeof(schema), "{\"type\":\"%s\",\"logicalType\":\"%s\"}", type, logical);
    put_long(&e, v);
    expect(schema, &e, want);
    free(e.b);
}

static void test_logical_time(void **state)
{
    (void)state;
    expect_long("timestamp-millis", "long", 1704164645123LL, "\"2024-01-02T03:04:05.123Z\"");
    expect_long("timestamp-micros", "long", 1704164645123456LL, "\"2024-01-02T03:04:05.123456Z\"");
    expect_long("timestamp-nanos", "long", 1704164645123456789LL,
                "\"2024-01-02T03:04:05.123456789Z\"");
    expect_long("local-timestamp-millis", "long", 1704164645123LL, "\"2024-01-02T03:04:05.123\"");
    expect_long("local-timestamp-micros", "long", 1704164645000001LL,
                "\"2024-01-02T03:04:05.000001\"");
    expect_long("local-timestamp-nanos", "long", 5, "\"1970-01-01T00:00:00.000000005\"");
    /* before the epoch: the fraction still counts forward */
    expect_long("timestamp-millis", "long", -1, "\"1969-12-31T23:59:59.999Z\"");
    /* the extremes are Java's Instant.ofEpochMilli(Long.MIN/MAX_VALUE) */
    expect_long("timestamp-millis", "long", INT64_MIN, "\"-292275055-05-16T16:47:04.192Z\"");
    expect_long("timestamp-millis", "long", INT64_MAX, "\"+292278994-08-17T07:12:55.807Z\"");
    expect_long("timestamp-millis", "long", 951782400000LL, "\"2000-02-29T00:00:00.000Z\"");
    expect_long("date", "int", 19724, "\"2024-01-02\"");
    expect_long("date", "int", 0, "\"1970-01-01\"");
    expect_long("date", "int", -1, "\"1969-12-31\"");
    expect_long("date", "int", -719529, "\"-0001-12-31\"");
    expect_long("date", "int", 2932897, "\"+10000-01-01\"");
    expect_long("date", "int", 11016, "\"2000-02-29\"");
    expect_long("time-millis", "int", 11045123, "\"03:04:05.123\"");
    expect_long("time-millis", "int", 86399999, "\"23:59:59.999\"");
    expect_long("time-millis", "int", 86400000, "86400000"); /* out of domain: the number */
    expect_long("time-millis", "int", -1, "-1");
    expect_long("time-micros", "long", 11045123456LL, "\"03:04:05.123456\"");
    /* a logical type on the wrong type is ignored */
    expect_long("timestamp-millis", "int", 5, "5");
    expect_long("date", "long", 5, "5");
    expect_long("no-such-type", "long", 5, "5");
}

static void expect_decimal(const uint8_t *b, size_t n, int precision, int scale, const char *want)
{
    char schema[256];
    enc e = {0};

    snprintf(schema, sizeof(schema),
             "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":%d,\"scale\":%d}",
             precision, scale);
    put_bytes(&e, b, n);
    expect(schema, &e, want);

    /* the same value as a fixed of the same size */
    snprintf(schema, sizeof(schema),
             "{\"type\":\"fixed\",\"name\":\"D\",\"size\":%zu,\"logicalType\":\"decimal\","
             "\"precision\":%d,\"scale\":%d}",
             n, precision, scale);
    e.n = 0;
    put_raw(&e, b, n);
    expect(schema, &e, want);
    free(e.b);
}

static void test_logical_decimal(void **state)
{
    (void)state;
    expect_decimal((const uint8_t *)"\x04\xd2", 2, 6, 2, "\"12.34\"");
    expect_decimal((const uint8_t *)"\xfb\x2e", 2, 6, 2, "\"-12.34\"");
    expect_decimal((const uint8_t *)"\x7f", 1, 3, 0, "\"127\"");
    expect_decimal((const uint8_t *)"\x80", 1, 3, 0, "\"-128\"");
    expect_decimal((const uint8_t *)"\xff", 1, 3, 0, "\"-1\"");
    expect_decimal((const uint8_t *)"\x00", 1, 3, 0, "\"0\"");
    expect_decimal((const uint8_t *)"\x00", 1, 3, 2, "\"0.00\"");
    expect_decimal((const uint8_t *)"\x01", 1, 9, 5, "\"0.00001\"");
    expect_decimal((const uint8_t *)"\xff", 1, 9, 5, "\"-0.00001\"");
    expect_decimal((const uint8_t *)"\x00\x01\x00", 3, 9, 1, "\"25.6\"");
    expect_decimal((const uint8_t *)"\x3b\x9a\xca\x00", 4, 10, 0, "\"1000000000\"");
    expect_decimal((const uint8_t *)"\x3b\x9a\xca\x00", 4, 10, 9, "\"1.000000000\"");
    /* 2^127 - 1 and -2^127: beyond any machine integer */
    expect_decimal((const uint8_t *)"\x7f\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
                                    "\xff",
                   16, 40, 0, "\"170141183460469231731687303715884105727\"");
    expect_decimal((const uint8_t *)"\x80\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
                                    "\x00",
                   16, 40, 10, "\"-17014118346046923173168730371.5884105728\"");

    /* empty bytes is zero */
    enc e = {0};
    put_bytes(&e, "", 0);
    expect("{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":4,\"scale\":1}", &e,
           "\"0.0\"");
    /* scale > precision or no precision: not a decimal, plain bytes */
    e.n = 0;
    put_bytes(&e, "\x04\xd2", 2);
    expect("{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":1,\"scale\":2}", &e,
           "\"\\u0004\xc3\x92\"");
    expect("{\"type\":\"bytes\",\"logicalType\":\"decimal\"}", &e, "\"\\u0004\xc3\x92\"");

    /* 300 bytes of 0xff..: -1 with scale 0 */
    e.n = 0;
    uint8_t big[300];
    memset(big, 0xff, sizeof(big));
    put_bytes(&e, big, sizeof(big));
    expect("{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":800}", &e, "\"-1\"");
    /* 10^300 - exact: 0x01 followed by... use 256^100 = 2^800 */
    e.n = 0;
    memset(big, 0, sizeof(big));
    big[0] = 0x01;
    put_bytes(&e, big, 101);
    char *s = NULL;
    {
        dec_avro_schema *sc =
            schema_ok("{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":800}");
        ks_dec_err err;
        json_t *j = dec_avro_decode(sc, e.b, e.n, NULL, &err, NULL, 0);
        assert_non_null(j);
        s = strdup(json_string_value(j));
        json_decref(j);
        dec_avro_schema_free(sc);
    }
    /* 2^800 has 241 digits and ends in ...6 (powers of 2 cycle 2,4,8,6) */
    assert_int_equal(strlen(s), 241);
    assert_memory_equal(s, "6668014432879854274", 19);
    assert_int_equal(s[240], '6');
    free(s);
    free(e.b);
}

static void test_logical_uuid_duration(void **state)
{
    (void)state;
    enc e = {0};

    put_str(&e, "123e4567-e89b-12d3-a456-426614174000");
    expect("{\"type\":\"string\",\"logicalType\":\"uuid\"}", &e,
           "\"123e4567-e89b-12d3-a456-426614174000\"");
    e.n = 0;
    put_raw(&e, "\x12\x3e\x45\x67\xe8\x9b\x12\xd3\xa4\x56\x42\x66\x14\x17\x40\x00", 16);
    expect("{\"type\":\"fixed\",\"name\":\"U\",\"size\":16,\"logicalType\":\"uuid\"}", &e,
           "\"123e4567-e89b-12d3-a456-426614174000\"");
    e.n = 0;
    put_raw(&e, "\x01\x00\x00\x00\x02\x00\x00\x00\xe8\x03\x00\x00", 12);
    expect("{\"type\":\"fixed\",\"name\":\"Du\",\"size\":12,\"logicalType\":\"duration\"}", &e,
           "{\"months\":1,\"days\":2,\"milliseconds\":1000}");
    free(e.b);
}

/* ---- the workbook's Courier, and a cross-check with avro-c's writer -------- */

static const char *const courier_schema =
    "{\"type\":\"record\",\"name\":\"Courier\",\"namespace\":\"com.example\",\"fields\":["
    "{\"name\":\"id\",\"type\":\"string\"},"
    "{\"name\":\"position\",\"type\":{\"type\":\"record\",\"name\":\"Position\",\"fields\":["
    "{\"name\":\"lat\",\"type\":\"double\"},{\"name\":\"lon\",\"type\":\"double\"}]}},"
    "{\"name\":\"timestamp\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}}]}";

static void test_courier_written_by_avro_c(void **state)
{
    (void)state;
    avro_schema_t schema;
    avro_value_iface_t *iface;
    avro_value_t v, f, pos;
    char buf[128];

    assert_int_equal(avro_schema_from_json_length(courier_schema, strlen(courier_schema), &schema),
                     0);
    iface = avro_generic_class_from_schema(schema);
    avro_generic_value_new(iface, &v);
    avro_value_get_by_name(&v, "id", &f, NULL);
    avro_value_set_string(&f, "courier-7");
    avro_value_get_by_name(&v, "position", &pos, NULL);
    avro_value_get_by_name(&pos, "lat", &f, NULL);
    avro_value_set_double(&f, 48.8566);
    avro_value_get_by_name(&pos, "lon", &f, NULL);
    avro_value_set_double(&f, 2.3522);
    avro_value_get_by_name(&v, "timestamp", &f, NULL);
    avro_value_set_long(&f, 1704164645123LL);
    avro_writer_t w = avro_writer_memory(buf, sizeof(buf));
    assert_int_equal(avro_value_write(w, &v), 0);
    enc e = {0};
    put_raw(&e, buf, (size_t)avro_writer_tell(w));
    avro_writer_free(w);
    avro_value_decref(&v);
    avro_value_iface_decref(iface);
    avro_schema_decref(schema);

    expect(courier_schema, &e,
           "{\"id\":\"courier-7\",\"position\":{\"lat\":48.8566,\"lon\":2.3522},"
           "\"timestamp\":\"2024-01-02T03:04:05.123Z\"}");

    dec_avro_schema *s = schema_ok(courier_schema);
    assert_string_equal(dec_avro_schema_name(s), "com.example.Courier");
    dec_avro_schema_free(s);
    free(e.b);
}

/* ---- sizes ----------------------------------------------------------------- */

static void test_huge_string(void **state)
{
    (void)state;
    size_t n = 1 << 20;
    char *big = malloc(n + 1);
    enc e = {0};

    memset(big, 'x', n);
    big[n] = '\0';
    put_str(&e, big);
    dec_avro_schema *s = schema_ok("\"string\"");
    ks_dec_err err;
    json_t *j = dec_avro_decode(s, e.b, e.n, NULL, &err, NULL, 0);
    assert_non_null(j);
    assert_int_equal(json_string_length(j), n);
    assert_memory_equal(json_string_value(j), big, n);
    json_decref(j);

    /* the same message over a 1 MiB limit */
    ks_dec_limits lim = {.max_size = n};
    char errstr[128];
    assert_null(dec_avro_decode(s, e.b, e.n, &lim, &err, errstr, sizeof(errstr)));
    assert_int_equal(err, KS_DEC_TOO_LARGE);
    dec_avro_schema_free(s);
    free(big);
    free(e.b);
}

/* ---- hostile input ------------------------------------------------------------ */

static const char *const everything_schema =
    "{\"type\":\"record\",\"name\":\"All\",\"fields\":["
    "{\"name\":\"b\",\"type\":\"boolean\"},{\"name\":\"i\",\"type\":\"int\"},"
    "{\"name\":\"l\",\"type\":\"long\"},{\"name\":\"f\",\"type\":\"float\"},"
    "{\"name\":\"d\",\"type\":\"double\"},{\"name\":\"by\",\"type\":\"bytes\"},"
    "{\"name\":\"s\",\"type\":\"string\"},"
    "{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]}},"
    "{\"name\":\"x\",\"type\":{\"type\":\"fixed\",\"name\":\"X\",\"size\":3}},"
    "{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":\"string\"}},"
    "{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":\"long\"}},"
    "{\"name\":\"u\",\"type\":[\"null\",\"int\",\"string\"]},"
    "{\"name\":\"dec\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":5,"
    "\"scale\":2}},"
    "{\"name\":\"ts\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}}]}";

static void build_everything(enc *e)
{
    put_byte(e, 1);
    put_long(e, 300);
    put_long(e, -70000);
    put_float(e, 1.5f);
    put_double(e, -2.25);
    put_bytes(e, "\x00\x01", 2);
    put_str(e, "str");
    put_long(e, 1);
    put_raw(e, "xyz", 3);
    put_long(e, 2), put_str(e, "p"), put_str(e, "q"), put_long(e, 0);
    put_long(e, 1), put_str(e, "k"), put_long(e, 99), put_long(e, 0);
    put_long(e, 2), put_str(e, "u");
    put_bytes(e, "\x30\x39", 2);
    put_long(e, 1000000);
}

static void test_truncated_everywhere(void **state)
{
    (void)state;
    enc e = {0};
    dec_avro_schema *s = schema_ok(everything_schema);
    char errstr[256];
    ks_dec_err err;

    build_everything(&e);
    char *full = decode_with(s, e.b, e.n, NULL, &err, errstr, sizeof(errstr));
    assert_non_null(full);
    assert_string_equal(full, "{\"b\":true,\"i\":300,\"l\":-70000,\"f\":1.5,\"d\":-2.25,"
                              "\"by\":\"\\u0000\\u0001\",\"s\":\"str\",\"e\":\"B\",\"x\":\"xyz\","
                              "\"a\":[\"p\",\"q\"],\"m\":{\"k\":99},\"u\":{\"string\":\"u\"},"
                              "\"dec\":\"123.45\",\"ts\":\"1970-01-01T00:00:01.000000Z\"}");
    free(full);
    for (size_t cut = 0; cut < e.n; cut++) {
        errstr[0] = '\0';
        err = KS_DEC_OK;
        char *got = decode_with(s, e.b, cut, NULL, &err, errstr, sizeof(errstr));
        if (got)
            fail_msg("a %zu-byte prefix decoded: %s", cut, got);
        assert_int_equal(err, KS_DEC_TRUNCATED);
        assert_non_null(strstr(errstr, "truncated at byte"));
    }
    /* one byte too many */
    put_byte(&e, 0);
    assert_null(decode_with(s, e.b, e.n, NULL, &err, errstr, sizeof(errstr)));
    assert_int_equal(err, KS_DEC_BAD_DATA);
    assert_string_equal(errstr, "avro: 1 trailing bytes after the value");
    dec_avro_schema_free(s);
    free(e.b);
}

static void test_corrupted_bytes(void **state)
{
    (void)state;
    enc e = {0};
    dec_avro_schema *s = schema_ok(everything_schema);
    static const uint8_t values[] = {0x00, 0x01, 0x02, 0x7f, 0x80, 0xfe, 0xff};
    size_t ok = 0, bad = 0;

    build_everything(&e);
    uint8_t *copy = malloc(e.n);
    for (size_t at = 0; at < e.n; at++) {
        for (size_t v = 0; v < sizeof(values); v++) {
            memcpy(copy, e.b, e.n);
            copy[at] = values[v];
            ks_dec_err err = KS_DEC_OK;
            char errstr[256] = "";
            json_t *j = dec_avro_decode(s, copy, e.n, NULL, &err, errstr, sizeof(errstr));
            if (j) {
                assert_int_equal(err, KS_DEC_OK);
                ok++;
            } else {
                assert_int_not_equal(err, KS_DEC_OK);
                assert_true(errstr[0] != '\0');
                bad++;
            }
            json_decref(j);
        }
    }
    assert_true(ok > 0 && bad > 0); /* both paths were exercised */
    free(copy);
    dec_avro_schema_free(s);
    free(e.b);
}

static void test_garbage_lengths(void **state)
{
    (void)state;
    enc e = {0};

    put_long(&e, INT64_MAX); /* string length far beyond the input */
    put_raw(&e, "abc", 3);
    assert_int_equal(expect_error("\"string\"", &e, "truncated at byte"), KS_DEC_TRUNCATED);
    e.n = 0;
    put_long(&e, 1 << 30);
    assert_int_equal(expect_error("\"bytes\"", &e, "truncated"), KS_DEC_TRUNCATED);
    e.n = 0;
    put_long(&e, -5);
    assert_int_equal(expect_error("\"bytes\"", &e, "negative length"), KS_DEC_BAD_DATA);
    e.n = 0;
    put_long(&e, INT64_MIN); /* avro-c would negate it into a negative count */
    put_long(&e, 0);
    assert_int_equal(expect_error("{\"type\":\"array\",\"items\":\"int\"}", &e, "out of range"),
                     KS_DEC_BAD_DATA);
    e.n = 0;
    put_long(&e, 1000000000); /* a billion nulls in 5 bytes */
    put_long(&e, 0);
    assert_int_equal(expect_error("{\"type\":\"array\",\"items\":\"null\"}", &e, "items"),
                     KS_DEC_TOO_LARGE);
    e.n = 0;
    put_long(&e, -1000000000);
    put_long(&e, 0);
    put_long(&e, 0);
    assert_int_equal(expect_error("{\"type\":\"map\",\"values\":\"null\"}", &e, "items"),
                     KS_DEC_TOO_LARGE);
    e.n = 0;
    put_long(&e, 4000); /* a few thousand zero-size items are fine */
    put_long(&e, 0);
    {
        dec_avro_schema *s = schema_ok("{\"type\":\"array\",\"items\":\"null\"}");
        json_t *j = dec_avro_decode(s, e.b, e.n, NULL, NULL, NULL, 0);
        assert_non_null(j);
        assert_int_equal(json_array_size(j), 4000);
        json_decref(j);
        dec_avro_schema_free(s);
    }
    e.n = 0;
    put_raw(&e, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11);
    assert_int_equal(expect_error("\"long\"", &e, "varint longer than 10 bytes"), KS_DEC_BAD_DATA);
    e.n = 0;
    put_long(&e, 1LL << 40);
    assert_int_equal(expect_error("\"int\"", &e, "int out of range"), KS_DEC_BAD_DATA);
    e.n = 0;
    put_long(&e, 3);
    assert_int_equal(expect_error("[\"null\",\"int\"]", &e, "union branch out of range"),
                     KS_DEC_BAD_DATA);
    e.n = 0;
    put_long(&e, -1);
    assert_int_equal(expect_error("[\"null\",\"int\"]", &e, "union branch out of range"),
                     KS_DEC_BAD_DATA);
    e.n = 0;
    put_long(&e, 2);
    assert_int_equal(
        expect_error("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]}", &e, "enum"),
        KS_DEC_BAD_DATA);
    e.n = 0;
    put_byte(&e, 2);
    assert_int_equal(expect_error("\"boolean\"", &e, "boolean"), KS_DEC_BAD_DATA);
    e.n = 0;
    assert_int_equal(expect_error("\"boolean\"", &e, "truncated at byte 0 reading boolean"),
                     KS_DEC_TRUNCATED);
    free(e.b);
}

static const char *const list_schema =
    "{\"type\":\"record\",\"name\":\"Node\",\"fields\":[{\"name\":\"v\",\"type\":\"int\"},"
    "{\"name\":\"next\",\"type\":[\"null\",\"Node\"]}]}";

static void test_recursive_depth(void **state)
{
    (void)state;
    enc e = {0};

    /* 3 nodes: {"v":1,"next":{"v":2,"next":{"v":3,"next":null}}} */
    for (int i = 1; i <= 3; i++)
        put_long(&e, i), put_long(&e, i < 3 ? 1 : 0);
    expect(list_schema, &e, "{\"v\":1,\"next\":{\"v\":2,\"next\":{\"v\":3,\"next\":null}}}");

    /* 64 levels pass, 65 do not: recursion is bounded before avro-c runs */
    for (int depth = 64; depth <= 65; depth++) {
        e.n = 0;
        for (int i = 1; i <= depth; i++)
            put_long(&e, i), put_long(&e, i < depth ? 1 : 0);
        dec_avro_schema *s = schema_ok(list_schema);
        ks_dec_err err;
        char errstr[128];
        json_t *j = dec_avro_decode(s, e.b, e.n, NULL, &err, errstr, sizeof(errstr));
        if (depth == 64) {
            assert_non_null(j);
        } else {
            assert_null(j);
            assert_int_equal(err, KS_DEC_TOO_DEEP);
        }
        json_decref(j);
        dec_avro_schema_free(s);
    }
    /* a million levels in 2 MB: refused without recursing */
    e.n = 0;
    for (int i = 0; i < 1000000; i++)
        put_long(&e, 0), put_long(&e, 1);
    assert_int_equal(expect_error(list_schema, &e, "nesting"), KS_DEC_TOO_DEEP);
    free(e.b);
}

static void test_bad_schemas(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "{",
        "\"nosuchtype\"",
        "{\"type\":\"record\",\"name\":\"R\"}",
        "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"r\",\"type\":\"R\"}]}",
        "{\"type\":\"record\",\"name\":\"A\",\"fields\":[{\"name\":\"b\",\"type\":"
        "{\"type\":\"record\",\"name\":\"B\",\"fields\":[{\"name\":\"a\",\"type\":\"A\"}]}}]}",
        "{\"type\":\"fixed\",\"name\":\"F\",\"size\":-1}",
        "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[]}",
        "[]",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char errstr[256] = "";
        dec_avro_schema *s = dec_avro_schema_new(bad[i], strlen(bad[i]), errstr, sizeof(errstr));
        if (s)
            fail_msg("schema accepted: %s", bad[i]);
        assert_true(strncmp(errstr, "avro schema: ", 13) == 0);
    }
    char errstr[256];
    const char *self = bad[4];
    assert_null(dec_avro_schema_new(self, strlen(self), errstr, sizeof(errstr)));
    assert_string_equal(errstr,
                        "avro schema: record contains itself without a union, array or map: R");
    assert_null(dec_avro_decode(NULL, (const uint8_t *)"", 0, NULL, NULL, NULL, 0));
}

/* the backstop: avro-c's allocator refuses what the budget cannot afford */
static void test_capped_allocator(void **state)
{
    (void)state;
    dec_avro_budget budget;
    void *small, *big, *outside;

    dec_avro_alloc_install();
    dec_avro_alloc_scope_begin(&budget, 10000);
    small = avro_malloc(DEC_AVRO_ALLOC_SMALL); /* small ones always pass */
    assert_non_null(small);
    big = avro_malloc(20000);
    assert_null(big);
    assert_true(budget.refused);
    big = avro_malloc(5000);
    assert_non_null(big);
    assert_int_equal(budget.live, DEC_AVRO_ALLOC_SMALL + 5000);
    assert_null(avro_realloc(big, 5000, 8000)); /* would exceed: refused, big intact */
    avro_free(big, 5000);
    avro_free(small, DEC_AVRO_ALLOC_SMALL);
    assert_int_equal(budget.live, 0);
    dec_avro_alloc_scope_end(&budget);

    /* outside a decode only the hard cap applies */
    outside = avro_malloc(20000);
    assert_non_null(outside);
    avro_free(outside, 20000);
    assert_null(avro_malloc(DEC_AVRO_ALLOC_HARD_CAP + 1));
    assert_int_equal(dec_avro_alloc_budget_for(0), (size_t)16 << 20);
    assert_int_equal(dec_avro_alloc_budget_for(SIZE_MAX), DEC_AVRO_ALLOC_HARD_CAP);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_primitives),
        cmocka_unit_test(test_primitive_roots),
        cmocka_unit_test(test_nan_inf),
        cmocka_unit_test(test_invalid_utf8_string),
        cmocka_unit_test(test_enum_array_map_fixed),
        cmocka_unit_test(test_nested_records),
        cmocka_unit_test(test_unions),
        cmocka_unit_test(test_logical_time),
        cmocka_unit_test(test_logical_decimal),
        cmocka_unit_test(test_logical_uuid_duration),
        cmocka_unit_test(test_courier_written_by_avro_c),
        cmocka_unit_test(test_huge_string),
        cmocka_unit_test(test_truncated_everywhere),
        cmocka_unit_test(test_corrupted_bytes),
        cmocka_unit_test(test_garbage_lengths),
        cmocka_unit_test(test_recursive_depth),
        cmocka_unit_test(test_bad_schemas),
        cmocka_unit_test(test_capped_allocator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
