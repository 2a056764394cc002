/* test_dec_json: bounded parsing, the probe, and the terminal-safe dumper. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "dec_json.h"
#include "dec_json_dump.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define U8(s) ((const uint8_t *)(s)), (sizeof(s) - 1)

static char *nested(size_t depth, char open, char close)
{
    char *s = malloc(depth * 2 + 1);
    memset(s, open, depth);
    memset(s + depth, close, depth);
    s[depth * 2] = '\0';
    return s;
}

static ks_dec_err parse_err(const uint8_t *buf, size_t len, const ks_dec_limits *lim, char *errstr,
                            size_t size)
{
    ks_dec_err err = KS_DEC_OK;
    json_t *json = dec_json_parse(buf, len, lim, &err, errstr, size);
    assert_null(json);
    assert_int_not_equal(err, KS_DEC_OK);
    return err;
}

static void test_parse_values(void **state)
{
    (void)state;
    ks_dec_err err = KS_DEC_BAD_DATA;
    json_t *json = dec_json_parse(U8(" {\"a\":[1,2.5,\"x\"],\"b\":null} \n"), NULL, &err, NULL, 0);

    assert_non_null(json);
    assert_int_equal(err, KS_DEC_OK);
    assert_int_equal(json_integer_value(json_array_get(json_object_get(json, "a"), 0)), 1);
    json_decref(json);

    json = dec_json_parse(U8("42"), NULL, &err, NULL, 0);
    assert_int_equal(json_integer_value(json), 42);
    json_decref(json);
    json = dec_json_parse(U8("\"nul\\u0000inside\""), NULL, &err, NULL, 0);
    assert_int_equal(json_string_length(json), 10);
    json_decref(json);
}

static void test_parse_errors(void **state)
{
    (void)state;
    char errstr[200];

    assert_int_equal(parse_err(U8("{\"a\":"), NULL, errstr, sizeof(errstr)), KS_DEC_TRUNCATED);
    assert_int_equal(parse_err(U8("[1,2"), NULL, errstr, sizeof(errstr)), KS_DEC_TRUNCATED);
    assert_int_equal(parse_err(U8(""), NULL, errstr, sizeof(errstr)), KS_DEC_TRUNCATED);
    assert_int_equal(parse_err(U8("{a:1}"), NULL, errstr, sizeof(errstr)), KS_DEC_BAD_DATA);
    assert_true(strncmp(errstr, "json: ", 6) == 0);
    assert_int_equal(parse_err(U8("{} x"), NULL, errstr, sizeof(errstr)), KS_DEC_BAD_DATA);
    assert_int_equal(parse_err(U8("[NaN]"), NULL, errstr, sizeof(errstr)), KS_DEC_BAD_DATA);
    assert_int_equal(
        parse_err(U8("[123456789012345678901234567890]"), NULL, errstr, sizeof(errstr)),
        KS_DEC_BAD_DATA);
    assert_int_equal(parse_err(U8("[\"caf\xe9\"]"), NULL, errstr, sizeof(errstr)), KS_DEC_BAD_UTF8);
    assert_int_equal(parse_err(U8("[1]\0"), NULL, errstr, sizeof(errstr)), KS_DEC_BAD_DATA);
}

static void test_depth_limit(void **state)
{
    (void)state;
    char errstr[200];
    ks_dec_err err;

    char *ok = nested(64, '[', ']');
    json_t *json = dec_json_parse((const uint8_t *)ok, strlen(ok), NULL, &err, NULL, 0);
    assert_non_null(json);
    json_decref(json);
    free(ok);

    char *deep = nested(65, '[', ']');
    assert_int_equal(parse_err((const uint8_t *)deep, strlen(deep), NULL, errstr, sizeof(errstr)),
                     KS_DEC_TOO_DEEP);
    assert_string_equal(errstr, "json: nesting deeper than 64");
    free(deep);

    /* far beyond jansson's own 2048: refused by the scan, no recursion */
    char *huge = nested(1000000, '{', '}');
    assert_int_equal(parse_err((const uint8_t *)huge, strlen(huge), NULL, errstr, sizeof(errstr)),
                     KS_DEC_TOO_DEEP);
    free(huge);

    /* a custom limit, and objects count like arrays */
    ks_dec_limits lim = {.max_depth = 2};
    json = dec_json_parse(U8("{\"a\":[1]}"), &lim, &err, NULL, 0);
    assert_non_null(json);
    json_decref(json);
    assert_int_equal(parse_err(U8("{\"a\":[{}]}"), &lim, errstr, sizeof(errstr)), KS_DEC_TOO_DEEP);
    /* brackets inside strings do not count, escaped quotes do not end strings */
    json = dec_json_parse(U8("{\"a\":\"[[[[\\\"{{{{\"}"), &lim, &err, NULL, 0);
    assert_non_null(json);
    json_decref(json);
}

static void test_depth_scan(void **state)
{
    (void)state;
    assert_int_equal(dec_json_depth(U8("[]"), 10), 1);
    assert_int_equal(dec_json_depth(U8("[[],[[]]]"), 10), 3);
    assert_int_equal(dec_json_depth(U8("\"[[[\""), 10), 0);
    assert_int_equal(dec_json_depth(U8("[\"\\\\\",[]]"), 10), 2);
    assert_int_equal(dec_json_depth(U8("[[[]]]"), 2), SIZE_MAX);
    assert_int_equal(dec_json_depth(U8("]]]["), 10), 1);
}

static void test_size_limit(void **state)
{
    (void)state;
    char errstr[200];
    ks_dec_limits lim = {.max_size = 8};
    ks_dec_err err;

    json_t *json = dec_json_parse(U8("[1,2,3,4]"), &lim, &err, NULL, 0);
    assert_null(json);
    assert_int_equal(err, KS_DEC_TOO_LARGE);
    json = dec_json_parse(U8("[1,2,33]"), &lim, &err, NULL, 0);
    assert_non_null(json);
    json_decref(json);
    assert_int_equal(parse_err(U8("[1,2,3,4]"), &lim, errstr, sizeof(errstr)), KS_DEC_TOO_LARGE);
    assert_string_equal(errstr, "json: 9 bytes exceed the 8-byte limit");
}

static void test_probe(void **state)
{
    (void)state;
    assert_true(dec_json_probe(U8("{\"a\":1}")));
    assert_true(dec_json_probe(U8("  [1]\n")));
    assert_true(dec_json_probe(U8("42")));
    assert_true(dec_json_probe(U8("-1.5e3")));
    assert_true(dec_json_probe(U8("\"s\"")));
    assert_true(dec_json_probe(U8("true")));
    assert_true(dec_json_probe(U8("null")));
    assert_false(dec_json_probe(U8("")));
    assert_false(dec_json_probe(U8("   ")));
    assert_false(dec_json_probe(U8("hello")));
    assert_false(dec_json_probe(U8("{broken")));
    assert_false(dec_json_probe(U8("42 apples")));
    assert_false(dec_json_probe(U8("\0{}")));
    assert_false(dec_json_probe(NULL, 0));

    assert_true(dec_json_looks_container(U8(" {")));
    assert_true(dec_json_looks_container(U8("\n[")));
    assert_false(dec_json_looks_container(U8("42")));
    assert_false(dec_json_looks_container(U8("")));
}

static void expect_dump(const char *text, unsigned flags, size_t max, const char *want)
{
    json_t *json = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    assert_non_null(json);
    char *got = dec_json_dump(json, flags, max);
    assert_string_equal(got, want);
    free(got);
    json_decref(json);
}

static void test_dump_compact_and_pretty(void **state)
{
    (void)state;
    expect_dump("{\"b\": [1, 2, {}], \"a\": {\"x\": []}, \"c\": true}", 0, 0,
                "{\"b\":[1,2,{}],\"a\":{\"x\":[]},\"c\":true}");
    expect_dump("{\"b\": [1, {\"k\": null}], \"e\": {}}", DEC_JSON_PRETTY, 0,
                "{\n  \"b\": [\n    1,\n    {\n      \"k\": null\n    }\n  ],\n  \"e\": {}\n}");
    expect_dump("[]", DEC_JSON_PRETTY, 0, "[]");
    expect_dump("\"s\"", DEC_JSON_PRETTY, 0, "\"s\"");
    char *s = dec_json_dump(NULL, 0, 0);
    assert_string_equal(s, "null");
    free(s);
}

static void test_dump_reals(void **state)
{
    (void)state;
    static const struct {
        double d;
        const char *want;
    } cases[] = {
        {0.1, "0.1"},
        {48.8566, "48.8566"},
        {2.3522, "2.3522"},
        {1.0, "1.0"},
        {-0.0, "-0.0"},
        {0.0, "0.0"},
        {1e300, "1e+300"},
        {1e-300, "1e-300"},
        {123456789.0, "123456789.0"},
        {1.0 / 3, "0.3333333333333333"},
        {5e-324, "5e-324"},
        {1.7976931348623157e308, "1.7976931348623157e+308"},
    };
    char buf[32];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(dec_json_format_real(cases[i].d, buf), strlen(cases[i].want));
        assert_string_equal(buf, cases[i].want);
        assert_true(strtod(buf, NULL) == cases[i].d);
    }
    assert_true(dec_json_real_from_float(0.1f) == 0.1);
    assert_true(dec_json_real_from_float(3.14159f) == 3.14159);
    assert_true(dec_json_real_from_float(16777216.0f) == 16777216.0);
    expect_dump("[0.1, 1e300, 2.5]", 0, 0, "[0.1,1e+300,2.5]");
}

static void test_dump_locale(void **state)
{
    (void)state;
    /* a French or German LC_NUMERIC must not turn 0.5 into 0,5 */
    static const char *const locales[] = {"fr_FR.UTF-8", "de_DE.UTF-8", "fr_FR.utf8"};
    const char *got_locale = NULL;
    char buf[32];

    for (size_t i = 0; i < 3 && !got_locale; i++)
        got_locale = setlocale(LC_NUMERIC, locales[i]);
    if (!got_locale) {
        print_message("no comma locale installed: testing under C only\n");
    }
    dec_json_format_real(0.5, buf);
    assert_string_equal(buf, "0.5");
    assert_true(dec_json_real_from_float(0.25f) == 0.25);
    setlocale(LC_NUMERIC, "C");
}

static void test_dump_escapes(void **state)
{
    (void)state;
    /* every control, C1, bidi override and line separator leaves as \uXXXX */
    expect_dump("[\"a\\u0000b\\u001bc\\u007fd\\u0085e\\u009bf\\u202eg\\u2066h\\u2028\"]", 0, 0,
                "[\"a\\u0000b\\u001bc\\u007fd\\u0085e\\u009bf\\u202eg\\u2066h\\u2028\"]");
    expect_dump("\"q\\\" b\\\\ n\\n t\\t r\\r b\\b f\\f /\"", 0, 0,
                "\"q\\\" b\\\\ n\\n t\\t r\\r b\\b f\\f /\"");
    expect_dump("\"caf\\u00e9 \\u20ac \\ud83d\\ude00\"", 0, 0,
                "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
    /* keys are escaped like values, and keys with NUL survive */
    json_t *obj = json_object();
    json_object_set_new(obj, "k\x1b", json_integer(1));
    json_object_setn_new(obj, "a\0b", 3, json_integer(2));
    char *got = dec_json_dump(obj, 0, 0);
    assert_string_equal(got, "{\"k\\u001b\":1,\"a\\u0000b\":2}");
    free(got);
    json_decref(obj);
}

static void test_dump_truncation(void **state)
{
    (void)state;
    expect_dump("[\"abcdefghij\"]", 0, 6, "[\"abcd...");
    /* an escape is never cut */
    expect_dump("[\"\\u001b\\u001b\"]", 0, 9, "[\"\\u001b...");
    expect_dump("[\"\\u001b\\u001b\"]", 0, 7, "[\"...");
    /* nor a UTF-8 sequence */
    expect_dump("\"\\u20ac\\u20ac\"", 0, 6, "\"\xe2\x82\xac...");
    expect_dump("\"\\u20ac\\u20ac\"", 0, 3, "\"...");
    /* exactly at the limit: nothing is cut */
    expect_dump("[1,2]", 0, 5, "[1,2]");
    expect_dump("[1,2]", 0, 4, "[1,2...");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_values),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_depth_scan),
        cmocka_unit_test(test_size_limit),
        cmocka_unit_test(test_probe),
        cmocka_unit_test(test_dump_compact_and_pretty),
        cmocka_unit_test(test_dump_reals),
        cmocka_unit_test(test_dump_locale),
        cmocka_unit_test(test_dump_escapes),
        cmocka_unit_test(test_dump_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
