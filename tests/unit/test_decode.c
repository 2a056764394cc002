/* test_decode: the dispatcher: detection order, fallbacks, schema lookup
 * failures, and the jsonl and table-cell renderings. Also dec.h's names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "dec_framing.h"
#include "dec_json_dump.h"
#include "decode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define U8(s) ((const uint8_t *)(s)), (sizeof(s) - 1)

static const char *const courier_schema =
    "{\"type\":\"record\",\"name\":\"Courier\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
    "{\"name\":\"position\",\"type\":{\"type\":\"record\",\"name\":\"Position\",\"fields\":["
    "{\"name\":\"lat\",\"type\":\"double\"},{\"name\":\"lon\",\"type\":\"double\"}]}},"
    "{\"name\":\"timestamp\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}}]}";

/* id "c1", lat 1.5, lon -0.5, timestamp 1704164645123 */
static const uint8_t courier_msg[] = {
    0x00, 0x00, 0x00, 0x00, 0x07,                   /* framing, schema id 7 */
    0x04, 'c',  '1',                                /* id */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x3f, /* 1.5 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xe0, 0xbf, /* -0.5 */
    0x86, 0xe4, 0x86, 0x82, 0x99, 0x63,             /* 1704164645123 zigzag */
};

typedef struct lookup_ctx {
    dec_avro_schema *schema;
    uint32_t want_id;
    const char *message; /* written to errstr on a miss, or NULL */
    int calls;
} lookup_ctx;

static const dec_avro_schema *lookup(uint32_t id, void *opaque, char *errstr, size_t size)
{
    lookup_ctx *ctx = opaque;
    ctx->calls++;
    if (id == ctx->want_id)
        return ctx->schema;
    if (ctx->message)
        snprintf(errstr, size, "%s", ctx->message);
    return NULL;
}

static int setup(void **state)
{
    lookup_ctx *ctx = calloc(1, sizeof(*ctx));
    char errstr[128];
    ctx->schema =
        dec_avro_schema_new(courier_schema, strlen(courier_schema), errstr, sizeof(errstr));
    ctx->want_id = 7;
    *state = ctx;
    return ctx->schema ? 0 : -1;
}

static int teardown(void **state)
{
    lookup_ctx *ctx = *state;
    dec_avro_schema_free(ctx->schema);
    free(ctx);
    return 0;
}

static char *jsonl(const ks_decoded *dec)
{
    json_t *json = decoded_to_json(dec);
    char *s = dec_json_dump(json, 0, 0);
    json_decref(json);
    return s;
}

static void expect_renderings(const ks_decoded *dec, const char *want_jsonl, size_t max,
                              const char *want_summary)
{
    char *s = jsonl(dec);
    assert_string_equal(s, want_jsonl);
    free(s);
    s = decoded_summary(dec, max);
    assert_string_equal(s, want_summary);
    free(s);
}

static void test_null_and_empty(void **state)
{
    (void)state;
    ks_decoded dec;

    decode_bytes(NULL, 0, KS_FMT_AUTO, NULL, NULL, NULL, &dec);
    assert_int_equal(dec.fmt, KS_FMT_NULL);
    assert_int_equal(dec.schema_id, -1);
    assert_int_equal(dec.size, 0);
    assert_int_equal(dec.err, KS_DEC_OK);
    expect_renderings(&dec, "null", 80, "null");
    decoded_free(&dec);

    /* an empty value is not a null one */
    decode_bytes((const uint8_t *)"", 0, KS_FMT_AUTO, NULL, NULL, NULL, &dec);
    assert_int_equal(dec.fmt, KS_FMT_TEXT);
    assert_string_equal(dec.text, "");
    expect_renderings(&dec, "\"\"", 80, "");
    decoded_free(&dec);
}

static void test_json_and_text(void **state)
{
    (void)state;
    ks_decoded dec;

    decode_bytes(U8(" {\"a\":[1,0.1],\"b\":\"\\u001b]0;x\\u0007\"}"), KS_FMT_AUTO, NULL, NULL, NULL,
                 &dec);
    assert_int_equal(dec.fmt, KS_FMT_JSON);
    assert_null(dec.text);
    expect_renderings(&dec, "{\"a\":[1,0.1],\"b\":\"\\u001b]0;x\\u0007\"}", 20,
                      "{\"a\":[1,0.1],\"b\":...");
    decoded_free(&dec);

    /* a bare scalar reads better as text */
    decode_bytes(U8("42"), KS_FMT_AUTO, NULL, NULL, NULL, &dec);
    assert_int_equal(dec.fmt, KS_FMT_TEXT);
    expect_renderings(&dec, "\"42\"", 80, "42");
    decoded_free(&dec);

    /* looks like JSON but is not: text, and no error to report */
    decode_bytes(U8("{oops} \\ \x1b[2J\n"), KS_FMT_AUTO, NULL, NULL, NULL, &dec);
    assert_int_equal(dec.fmt, KS_FMT_TEXT);
    assert_int_equal(dec.err, KS_DEC_OK);
    assert_string_equal(dec.errstr, "");
    assert_string_equal(dec.text, "{oops} \\\\ \\x1b[2J\\n");
    expect_renderings(&dec, "\"{oops} \\\\ \\u001b[2J\\n\"", 80, "{oops} \\\\ \\x1b[2J\\n");
    decoded_free(&dec);

    /* bidi in text */
    decode_bytes(U8("abc\xe2\x80\xae"
                    "def"),
                 KS_FMT_AUTO, NULL, NULL, NULL, &dec);
    assert_int_equal(dec.fmt, KS_FMT_TEXT);
    expect_renderings(&dec, "\"abc\\u202edef\"", 80, "abc\\u202edef");
    decoded_free(&dec);
}

static void test_binary(void **state)
{
    (void)state;
    ks_decoded dec;

    decode_bytes(U8("\x01\x02\xff\x00\x10"), KS_FMT_AUTO, NULL, NULL, NULL, &dec);
    assert_int_equal(dec.fmt, KS_FMT_BINARY);
    assert_int_equal(dec.size, 5);
    assert_string_equal(dec.text, "0102ff0010");
    assert_null(dec.json);
    expect_renderings(&dec, "{\"hex\":\"0102ff0010\"}", 8, "0102...");
    decoded_free(&dec);

    /* latin-1 text is not UTF-8: binary */
    decode_bytes(U8("caf\xe9"), KS_FMT_AUTO, NULL, NULL, NULL, &dec);
    assert_int_equal(dec.fmt, KS_FMT_BINARY);
    assert_string_equal(dec.text, "636166e9");
    decoded_free(&dec);
}

static void test_avro_found(void **state)
{
    lookup_ctx *ctx = *state;
    ks_decoded dec;

    decode_bytes(courier_msg, sizeof(courier_msg), KS_FMT_AUTO, lookup, ctx, NULL, &dec);
    assert_int_equal(dec.fmt, KS_FMT_AVRO);
    assert_int_equal(dec.schema_id, 7);
    assert_int_equal(dec.err, KS_DEC_OK);
    assert_int_equal(dec.size, sizeof(courier_msg));
    assert_int_equal(ctx->calls, 1);
    expect_renderings(&dec,
                      "{\"id\":\"c1\",\"position\":{\"lat\":1.5,\"lon\":-0.5},"
                      "\"timestamp\":\"2024-01-02T03:04:05.123Z\"}",
                      30, "{\"id\":\"c1\",\"position\":{\"lat...");
    decoded_free(&dec);
    assert_int_equal(dec.fmt, KS_FMT_NULL);
    assert_null(dec.json);

    /* forced avro works the same */
    decode_bytes(courier_msg, sizeof(courier_msg), KS_FMT_AVRO, lookup, ctx, NULL, &dec);
    assert_int_equal(dec.fmt, KS_FMT_AVRO);
    decoded_free(&dec);
}

static void test_avro_schema_missing(void **state)
{
    lookup_ctx *ctx = *state;
    ks_decoded dec;
    uint8_t msg[sizeof(courier_msg)];

    memcpy(msg, courier_msg, sizeof(msg));
    msg[4] = 8; /* schema id 8: unknown */
    decode_bytes(msg, sizeof(msg), KS_FMT_AUTO, lookup, ctx, NULL, &dec);
    assert_int_equal(dec.fmt, KS_FMT_BINARY);
    assert_int_equal(dec.schema_id, 8);
    assert_int_equal(dec.err, KS_DEC_NO_SCHEMA);
    assert_string_equal(dec.errstr, "schema id 8 not found in registry");
    assert_string_equal(dec.text, "0000000008046331000000000000f83f000000000000e0bf86e486829963");
    decoded_free(&dec);

    /* the lookup's own words win */
    ctx->message = "registry unreachable: connection refused";
    decode_bytes(msg, sizeof(msg), KS_FMT_AUTO, lookup, ctx, NULL, &dec);
    assert_int_equal(dec.err, KS_DEC_NO_SCHEMA);
    assert_string_equal(dec.errstr, "registry unreachable: connection refused");
    decoded_free(&dec);
    ctx->message = NULL;

    /* no registry at all */
    decode_bytes(courier_msg, sizeof(courier_msg), KS_FMT_AUTO, NULL, NULL, NULL, &dec);
    assert_int_equal(dec.fmt, KS_FMT_BINARY);
    assert_int_equal(dec.schema_id, 7);
    assert_int_equal(dec.err, KS_DEC_NO_SCHEMA);
    assert_string_equal(dec.errstr, "schema id 7: no schema registry configured");
    decoded_free(&dec);
}

static void test_avro_bad_payload(void **state)
{
    lookup_ctx *ctx = *state;
    ks_decoded dec;

    /* every truncation of the framed message: binary with a reason, never a crash */
    for (size_t cut = 0; cut < sizeof(courier_msg); cut++) {
        decode_bytes(courier_msg, cut, KS_FMT_AUTO, lookup, ctx, NULL, &dec);
        assert_int_not_equal(dec.fmt, KS_FMT_AVRO);
        if (cut >= 5) {
            assert_int_equal(dec.fmt, KS_FMT_BINARY);
            assert_int_equal(dec.err, KS_DEC_TRUNCATED);
            assert_int_equal(dec.schema_id, 7);
            assert_true(strncmp(dec.errstr, "schema id 7: avro: truncated at byte", 36) == 0);
        }
        decoded_free(&dec);
    }
    uint8_t longer[sizeof(courier_msg) + 2];
    memcpy(longer, courier_msg, sizeof(courier_msg));
    longer[sizeof(courier_msg)] = longer[sizeof(courier_msg) + 1] = 0;
    decode_bytes(longer, sizeof(longer), KS_FMT_AUTO, lookup, ctx, NULL, &dec);
    assert_int_equal(dec.fmt, KS_FMT_BINARY);
    assert_int_equal(dec.err, KS_DEC_BAD_DATA);
    assert_string_equal(dec.errstr, "schema id 7: avro: 2 trailing bytes after the value");
    decoded_free(&dec);
}

static void test_forced(void **state)
{
    lookup_ctx *ctx = *state;
    ks_decoded dec;

    decode_bytes(U8("\x01\x1b"), KS_FMT_TEXT, NULL, NULL, NULL, &dec);
    assert_int_equal(dec.fmt, KS_FMT_TEXT);
    assert_string_equal(dec.text, "\\x01\\x1b");
    expect_renderings(&dec, "\"\\u0001\\u001b\"", 80, "\\x01\\x1b");
    decoded_free(&dec);

    /* forced text on invalid UTF-8: the escaped text is the jsonl string */
    decode_bytes(U8("a\xff"), KS_FMT_TEXT, NULL, NULL, NULL, &dec);
    assert_null(dec.json);
    expect_renderings(&dec, "\"a\\\\xff\"", 80, "a\\xff");
    decoded_free(&dec);

    decode_bytes(U8("{\"a\":1}"), KS_FMT_BINARY, NULL, NULL, NULL, &dec);
    assert_int_equal(dec.fmt, KS_FMT_BINARY);
    assert_string_equal(dec.text, "7b2261223a317d");
    decoded_free(&dec);

    decode_bytes(U8("7"), KS_FMT_JSON, NULL, NULL, NULL, &dec);
    assert_int_equal(dec.fmt, KS_FMT_JSON);
    decoded_free(&dec);

    decode_bytes(U8("{\"a\":"), KS_FMT_JSON, NULL, NULL, NULL, &dec);
    assert_int_equal(dec.fmt, KS_FMT_TEXT);
    assert_int_equal(dec.err, KS_DEC_TRUNCATED);
    assert_true(strncmp(dec.errstr, "json: ", 6) == 0);
    decoded_free(&dec);

    decode_bytes(U8("{\"a\":1}"), KS_FMT_AVRO, lookup, ctx, NULL, &dec);
    assert_int_equal(dec.fmt, KS_FMT_TEXT);
    assert_int_equal(dec.err, KS_DEC_BAD_MAGIC);
    assert_string_equal(dec.errstr, "not Confluent-framed: first byte is not 0x00");
    decoded_free(&dec);

    decode_bytes(U8("\x00\x01"), KS_FMT_AVRO, lookup, ctx, NULL, &dec);
    assert_int_equal(dec.fmt, KS_FMT_BINARY);
    assert_int_equal(dec.err, KS_DEC_BAD_MAGIC);
    assert_string_equal(dec.errstr, "not Confluent-framed: fewer than 5 bytes");
    decoded_free(&dec);

    /* forcing null cannot make bytes disappear: it is auto */
    decode_bytes(U8("{\"a\":1}"), KS_FMT_NULL, NULL, NULL, NULL, &dec);
    assert_int_equal(dec.fmt, KS_FMT_JSON);
    decoded_free(&dec);
}

static void test_too_large(void **state)
{
    (void)state;
    ks_decoded dec;
    ks_dec_limits lim = {.max_size = 4};

    decode_bytes(U8("{\"a\":1}"), KS_FMT_AUTO, NULL, NULL, &lim, &dec);
    assert_int_equal(dec.fmt, KS_FMT_BINARY);
    assert_int_equal(dec.err, KS_DEC_TOO_LARGE);
    assert_string_equal(dec.errstr, "7 bytes exceed the 4-byte decode limit");
    assert_string_equal(dec.text, "7b2261223a317d");
    decoded_free(&dec);

    /* beyond 4 KiB only a prefix is kept as hex */
    size_t n = 10000;
    uint8_t *big = calloc(1, n);
    decode_bytes(big, n, KS_FMT_TEXT, NULL, NULL, &lim, &dec);
    assert_int_equal(dec.fmt, KS_FMT_BINARY);
    assert_int_equal(strlen(dec.text), 4096 * 2 + 3);
    decoded_free(&dec);
    free(big);
}

static void test_summary_limits(void **state)
{
    (void)state;
    ks_decoded dec;
    char *s;

    decode_bytes(U8("abcdef"), KS_FMT_AUTO, NULL, NULL, NULL, &dec);
    for (size_t max = 0; max <= 8; max++) {
        static const char *const want[] = {"",      ".",      "..",     "...",   "a...",
                                           "ab...", "abcdef", "abcdef", "abcdef"};
        s = decoded_summary(&dec, max);
        assert_string_equal(s, want[max]);
        assert_true(strlen(s) <= max);
        free(s);
    }
    decoded_free(&dec);

    /* an escape in a summary is whole or gone */
    decode_bytes(U8("ab\x1b"
                    "cdefgh"),
                 KS_FMT_AUTO, NULL, NULL, NULL, &dec);
    s = decoded_summary(&dec, 8);
    assert_string_equal(s, "ab...");
    free(s);
    s = decoded_summary(&dec, 10);
    assert_string_equal(s, "ab\\x1bc...");
    free(s);
    decoded_free(&dec);
    decoded_free(NULL);
}

static void test_names(void **state)
{
    (void)state;
    static const char *const names[] = {"null", "avro", "json", "text", "binary", "auto"};
    ks_fmt fmt;

    for (int i = KS_FMT_NULL; i <= KS_FMT_AUTO; i++) {
        assert_string_equal(fmt_name((ks_fmt)i), names[i]);
        assert_true(fmt_parse(names[i], &fmt));
        assert_int_equal(fmt, i);
    }
    assert_true(fmt_parse("HEX", &fmt));
    assert_int_equal(fmt, KS_FMT_BINARY);
    assert_true(fmt_parse("Json", &fmt));
    assert_int_equal(fmt, KS_FMT_JSON);
    fmt = KS_FMT_TEXT;
    assert_false(fmt_parse("protobuf", &fmt));
    assert_false(fmt_parse(NULL, &fmt));
    assert_int_equal(fmt, KS_FMT_TEXT);
    assert_string_equal(fmt_name((ks_fmt)42), "?");

    assert_string_equal(dec_err_name(KS_DEC_OK), "ok");
    assert_string_equal(dec_err_name(KS_DEC_TRUNCATED), "truncated");
    assert_string_equal(dec_err_name(KS_DEC_NO_SCHEMA), "no schema");
    assert_string_equal(dec_err_name(KS_DEC_BAD_UTF8), "bad utf-8");
    assert_string_equal(dec_err_name(KS_DEC_ERR__COUNT), "?");
    for (int i = 0; i < KS_DEC_ERR__COUNT; i++)
        assert_string_not_equal(dec_err_name((ks_dec_err)i), "?");

    ks_dec_limits lim = dec_limits_get(NULL);
    assert_int_equal(lim.max_depth, 64);
    assert_int_equal(lim.max_size, 8 << 20);
    ks_dec_limits custom = {.max_depth = 3};
    lim = dec_limits_get(&custom);
    assert_int_equal(lim.max_depth, 3);
    assert_int_equal(lim.max_size, 8 << 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_null_and_empty),
        cmocka_unit_test(test_json_and_text),
        cmocka_unit_test(test_binary),
        cmocka_unit_test_setup_teardown(test_avro_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_avro_schema_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_avro_bad_payload, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forced, setup, teardown),
        cmocka_unit_test(test_too_large),
        cmocka_unit_test(test_summary_limits),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
