/* test_tail_json: the tail's fast JSON path writes exactly what the decoders
 * write (dec_json_format_real, dec_json_dump of dec_json_parse), or declines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "dec_json.h"
#include "dec_json_dump.h"
#include "tail_json.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* libm-free helpers (the tests link no -lm) */
static double from_bits(uint64_t bits)
{
    double d;
    memcpy(&d, &bits, sizeof(d));
    return d;
}

static uint64_t to_bits(double d)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof(bits));
    return bits;
}

static double pow10i(int e)
{
    double r = 1;
    for (int i = 0; i < (e < 0 ? -e : e); i++)
        r *= 10;
    return e < 0 ? 1 / r : r;
}

static void check_real(double d)
{
    char want[40];
    ks_tbuf got = {0};

    dec_json_format_real(d, want);
    tail_json_put_real(&got, d);
    if (strcmp(want, got.p)) {
        fprintf(stderr, "%.17g: decoders \"%s\", tail \"%s\"\n", d, want, got.p);
        fail();
    }
    tbuf_free(&got);
}

static void test_reals_match_decoders(void **state)
{
    (void)state;
    static const double fixed[] = {0.0,
                                   -0.0,
                                   1.0,
                                   -1.0,
                                   0.1,
                                   0.5,
                                   100.0,
                                   123.0,
                                   1e5,
                                   1e15,
                                   1e16,
                                   1e17,
                                   1e21,
                                   1e22,
                                   1e-4,
                                   1e-5,
                                   1.5e-7,
                                   1e300,
                                   -1e-300,
                                   48.8566,
                                   2.3522,
                                   DBL_MAX,
                                   DBL_MIN,
                                   5e-324,
                                   2.2250738585072009e-308,
                                   9007199254740993.0,
                                   0.30000000000000004,
                                   1.0 / 3.0,
                                   123456789012345680.0,
                                   4.35,
                                   1e23,
                                   8.41e21,
                                   5e-310};
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
        check_real(fixed[i]);
    for (int e = 1; e <= 2046; e++) { /* every normal power of two, and its neighbours */
        uint64_t bits = (uint64_t)e << 52;
        check_real(from_bits(bits));
        check_real(from_bits(bits - 1));
        check_real(from_bits(bits + 1));
    }
    for (int i = 0; i < 100000; i++) {
        double d = from_bits(next_rand());
        if (isfinite(d))
            check_real(d);
        /* decimals with few digits, as coordinates and prices are */
        int digits = (int)(next_rand() % 17) + 1;
        int exp10 = (int)(next_rand() % 40) - 20;
        double m = (double)(next_rand() % 100000000000000000ull);
        d = m / pow10i(17 - digits) * pow10i(exp10);
        check_real(d);
        (void)to_bits;
        check_real((double)(int64_t)(next_rand() >> (next_rand() % 64)));
    }
}

/* The fast path either declines or writes what the decoders' path writes. */
static int check_doc(const char *doc, size_t len)
{
    ks_tbuf got = {0}, scratch = {0};
    ks_dec_limits lim = KS_DEC_LIMITS_DEFAULT;
    json_t *json = dec_json_parse((const uint8_t *)doc, len, &lim, NULL, NULL, 0);
    bool ok = tail_json_compact(&got, &scratch, (const uint8_t *)doc, len, 0, false);
    int rc = ok ? 1 : 0;

    if (ok) {
        char *want;
        if (!json) {
            fprintf(stderr, "fast path accepted what jansson refuses: %.*s\n", (int)len, doc);
            fail();
        }
        want = dec_json_dump(json, 0, 0);
        if (strcmp(want, got.p)) {
            fprintf(stderr, "doc %.*s\n  decoders %s\n  tail     %s\n", (int)len, doc, want, got.p);
            fail();
        }
        free(want);
    }
    /* and the tree writer agrees with the dumper on whatever jansson built */
    if (json) {
        char *want = dec_json_dump(json, 0, 0);
        tbuf_reset(&got);
        tail_json_put_tree(&got, json);
        assert_string_equal(want, got.p ? got.p : "");
        free(want);
    }
    json_decref(json);
    tbuf_free(&got);
    tbuf_free(&scratch);
    return rc;
}

#define DOC(s) check_doc(s, sizeof(s) - 1)

static void test_compact_matches_decoders(void **state)
{
    (void)state;
    /* accepted */
    assert_int_equal(DOC("{\"id\":\"c42\",\"position\":{\"lat\":48.8566,\"lon\":2.3522},"
                         "\"timestamp\":1700000000123}"),
                     1);
    assert_int_equal(DOC(" { \"a\" : [ 1 , 2.50 , -0 , -0.0, 1e5, 1E-7, 0.000001 ] } \n"), 1);
    assert_int_equal(DOC("[\"tab\\tq\\\"b\\\\s\\/n\\n\\u00e9\\ud83d\\ude00\\u001b\\u0000\"]"), 1);
    assert_int_equal(DOC("{\"\xc3\xa9t\xc3\xa9\":\"\xe2\x80\xae bidi \xc2\x9b c1\"}"), 1);
    assert_int_equal(DOC("[true,false,null,{},[],{\"a\":{}}]"), 1);
    assert_int_equal(DOC("[123456789012345678,-123456789012345678,1.7976931348623157e308]"), 1);
    assert_int_equal(DOC("[12345678901234567.5, 0.1234567890123456789, 5e-324, 1e-400]"), 1);
    /* declined: the decoders decide (and some of these are not JSON at all) */
    assert_int_equal(DOC("{\"a\":1,\"a\":2}"), 0);     /* duplicate key */
    assert_int_equal(DOC("{\"a\\u0000\":1}"), 0);      /* NUL in a key */
    assert_int_equal(DOC("[1234567890123456789]"), 0); /* int64 edge */
    assert_int_equal(DOC("[1e400]"), 0);               /* overflow */
    assert_int_equal(DOC("[01]"), 0);
    assert_int_equal(DOC("[1.]"), 0);
    assert_int_equal(DOC("{\"a\":1,}"), 0);
    assert_int_equal(DOC("[1] x"), 0);
    assert_int_equal(DOC("[\"\x01\"]"), 0);    /* raw control */
    assert_int_equal(DOC("[\"\xff\"]"), 0);    /* invalid UTF-8 */
    assert_int_equal(DOC("[\"\\ud800\"]"), 0); /* lone surrogate */
    assert_int_equal(DOC("[\"\\x41\"]"), 0);
    assert_int_equal(DOC("{\"a\":1"), 0);
    assert_int_equal(DOC(""), 0);
    /* scalars: accepted unless containers_only */
    ks_tbuf out = {0}, scratch = {0};
    assert_true(tail_json_compact(&out, &scratch, (const uint8_t *)"42", 2, 0, false));
    assert_false(tail_json_compact(&out, &scratch, (const uint8_t *)"42", 2, 0, true));
    assert_string_equal(out.p, "42");
    tbuf_free(&out);
    tbuf_free(&scratch);
}

static void test_compact_depth_and_keys(void **state)
{
    (void)state;
    char deep[200];
    ks_tbuf out = {0}, scratch = {0};

    for (int d = 63; d <= 66; d++) {
        memset(deep, '[', (size_t)d);
        memset(deep + d, ']', (size_t)d);
        bool ok = tail_json_compact(&out, &scratch, (const uint8_t *)deep, (size_t)d * 2, 64, true);
        assert_int_equal(ok, d <= 64);
        check_doc(deep, (size_t)d * 2);
    }
    /* many keys, none repeated: accepted up to the table size, equal when accepted */
    ks_tbuf doc = {0};
    tbuf_putc(&doc, '{');
    for (int i = 0; i < 300; i++)
        tbuf_put(&doc, "\"k", 2), tbuf_put_i64(&doc, i), tbuf_put(&doc, "\":1,", 4);
    doc.p[doc.len - 1] = '}';
    assert_int_equal(check_doc(doc.p, doc.len), 0);
    doc.len = 0;
    tbuf_putc(&doc, '{');
    for (int i = 0; i < 200; i++)
        tbuf_put(&doc, "\"k", 2), tbuf_put_i64(&doc, i), tbuf_put(&doc, "\":{\"x\":1},", 10);
    doc.p[doc.len - 1] = '}';
    assert_int_equal(check_doc(doc.p, doc.len), 1);
    tbuf_free(&doc);
    tbuf_free(&out);
    tbuf_free(&scratch);
}

static void test_compact_random_mutations(void **state)
{
    (void)state;
    static const char *const seeds[] = {
        "{\"id\":\"c42\",\"position\":{\"lat\":48.8566,\"lon\":2.3522},\"t\":1700000000123}",
        "[1.5,-2e-3,\"a\\\"b\",{\"k\":[true,null]},0.1e1]",
        "{\"s\":\"\\u00e9\\n\",\"n\":-0.0,\"big\":12345678901234567890}",
    };
    char buf[256];

    for (int round = 0; round < 60000; round++) {
        const char *seed = seeds[round % 3];
        size_t len = strlen(seed);
        memcpy(buf, seed, len);
        for (int m = 0; m < 1 + (int)(next_rand() % 3); m++) {
            size_t at = next_rand() % len;
            static const char alphabet[] = "{}[]\",:.eE+-0123456789 \\untrfals\x01\xc3\xa9";
            buf[at] = alphabet[next_rand() % (sizeof(alphabet) - 1)];
        }
        check_doc(buf, len);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reals_match_decoders),
        cmocka_unit_test(test_compact_matches_decoders),
        cmocka_unit_test(test_compact_depth_and_keys),
        cmocka_unit_test(test_compact_random_mutations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
