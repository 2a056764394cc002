/* test_dec_text: UTF-8 validation, the text probe and the escaping engine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "dec_text.h"

#include <stdlib.h>
#include <string.h>

#define U8(s) ((const uint8_t *)(s)), (sizeof(s) - 1)

static void expect_escape(const uint8_t *in, size_t len, const char *want)
{
    char *got = dec_text_escape(in, len, SIZE_MAX);
    assert_string_equal(got, want);
    free(got);
}

static void test_utf8_next(void **state)
{
    (void)state;
    uint32_t cp = 0;

    assert_int_equal(dec_text_utf8_next((const uint8_t *)"A", 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(dec_text_utf8_next((const uint8_t *)"\xc3\xa9", 2, &cp), 2);
    assert_int_equal(cp, 0xe9);
    assert_int_equal(dec_text_utf8_next((const uint8_t *)"\xe2\x82\xac", 3, &cp), 3);
    assert_int_equal(cp, 0x20ac);
    assert_int_equal(dec_text_utf8_next((const uint8_t *)"\xf0\x9f\x98\x80", 4, &cp), 4);
    assert_int_equal(cp, 0x1f600);
    assert_int_equal(dec_text_utf8_next((const uint8_t *)"\xf4\x8f\xbf\xbf", 4, &cp), 4);
    assert_int_equal(cp, 0x10ffff);
    /* invalid: overlong, surrogate, > U+10FFFF, lone continuation, cut short */
    assert_int_equal(dec_text_utf8_next((const uint8_t *)"\xc0\x80", 2, &cp), 0);
    assert_int_equal(dec_text_utf8_next((const uint8_t *)"\xc1\xbf", 2, &cp), 0);
    assert_int_equal(dec_text_utf8_next((const uint8_t *)"\xe0\x80\x80", 3, &cp), 0);
    assert_int_equal(dec_text_utf8_next((const uint8_t *)"\xf0\x80\x80\x80", 4, &cp), 0);
    assert_int_equal(dec_text_utf8_next((const uint8_t *)"\xed\xa0\x80", 3, &cp), 0);
    assert_int_equal(dec_text_utf8_next((const uint8_t *)"\xf4\x90\x80\x80", 4, &cp), 0);
    assert_int_equal(dec_text_utf8_next((const uint8_t *)"\xf5\x80\x80\x80", 4, &cp), 0);
    assert_int_equal(dec_text_utf8_next((const uint8_t *)"\x80", 1, &cp), 0);
    assert_int_equal(dec_text_utf8_next((const uint8_t *)"\xe2\x82\xac", 2, &cp), 0);
    assert_int_equal(dec_text_utf8_next((const uint8_t *)"\xe2\x28\xac", 3, &cp), 0);
}

static void test_valid_and_probe(void **state)
{
    (void)state;
    assert_true(dec_text_utf8_valid(U8("")));
    assert_true(dec_text_utf8_valid(U8("caf\xc3\xa9 \xe2\x82\xac")));
    assert_true(dec_text_utf8_valid(U8("nul\0inside")));
    assert_false(dec_text_utf8_valid(U8("caf\xe9")));
    assert_false(dec_text_utf8_valid(U8("\xc3")));

    assert_true(dec_text_probe(U8("")));
    assert_true(dec_text_probe(U8("hello world")));
    assert_true(dec_text_probe(U8("line1\nline2\r\n\tx\f\v")));
    assert_true(dec_text_probe(U8("\x1b[31mred\x1b[0m log line")));
    assert_true(dec_text_probe(U8("Z\xc3\xbcrich \xe2\x82\xac \xf0\x9f\x98\x80")));
    assert_false(dec_text_probe(U8("nul\0inside")));
    assert_false(dec_text_probe(U8("\x01\x02")));
    assert_false(dec_text_probe(U8("del\x7f")));
    assert_false(dec_text_probe(U8("c1 \xc2\x9b")));
    assert_false(dec_text_probe(U8("latin1 caf\xe9")));
    assert_false(dec_text_probe(U8("\x00\x00\x00\x00\x07\x02")));
    assert_true(dec_text_probe(NULL, 0));
    assert_false(dec_text_probe(NULL, 3));
}

static void test_escape(void **state)
{
    (void)state;
    expect_escape(U8(""), "");
    expect_escape(U8("plain text"), "plain text");
    expect_escape(U8("a\\b"), "a\\\\b");
    expect_escape(U8("l1\nl2\tt\rr"), "l1\\nl2\\tt\\rr");
    expect_escape(U8("\x1b[2J\x1b]0;pwned\x07"), "\\x1b[2J\\x1b]0;pwned\\x07");
    expect_escape(U8("nul\0del\x7f"), "nul\\x00del\\x7f");
    expect_escape(U8("caf\xc3\xa9 \xe2\x82\xac"), "caf\xc3\xa9 \xe2\x82\xac");
    /* C1 as code points (\u), invalid bytes as bytes (\x) */
    expect_escape(U8("\xc2\x9b"
                     "1m \xc2\x85"),
                  "\\u009b1m \\u0085");
    expect_escape(U8("\x9b\xff\xc3"), "\\x9b\\xff\\xc3");
    expect_escape(U8("\xe0\x80\x80"), "\\xe0\\x80\\x80");
    /* bidi overrides and isolates, line separators */
    expect_escape(U8("a\xe2\x80\xae"
                     "b\xe2\x81\xa6"
                     "c\xe2\x80\xa8"),
                  "a\\u202eb\\u2066c\\u2028");
    expect_escape(U8("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad\xe2\x81\xa7\xe2\x81\xa8"
                     "\xe2\x81\xa9\xe2\x80\xa9"),
                  "\\u202a\\u202b\\u202c\\u202d\\u2067\\u2068\\u2069\\u2029");
    /* neighbours of the bidi ranges pass */
    expect_escape(U8("\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5"), "\\u2029\xe2\x80\xaf\xe2\x81\xa5");
}

static void test_escape_truncation(void **state)
{
    (void)state;
    char *got;

    got = dec_text_escape(U8("abcdef"), 3);
    assert_string_equal(got, "abc...");
    free(got);
    /* an escape is never cut: 4 bytes of budget hold one \x1b, not more */
    got = dec_text_escape(U8("\x1b\x1b"), 5);
    assert_string_equal(got, "\\x1b...");
    free(got);
    /* a UTF-8 sequence is never cut */
    got = dec_text_escape(U8("a\xe2\x82\xac"), 3);
    assert_string_equal(got, "a...");
    free(got);
    got = dec_text_escape(U8("abc"), 3);
    assert_string_equal(got, "abc");
    free(got);
    got = dec_text_escape(U8("abc"), 0);
    assert_string_equal(got, "...");
    free(got);
}

static void test_escape_into(void **state)
{
    (void)state;
    char out[16];
    size_t consumed = 99;

    memset(out, 'Z', sizeof(out));
    assert_int_equal(dec_text_escape_into(U8("ab\ncd"), 0, out, 5, &consumed), 4);
    assert_string_equal(out, "ab\\n");
    assert_int_equal(consumed, 3);
    /* out_size 0 writes nothing, not even the NUL */
    out[0] = 'Q';
    assert_int_equal(dec_text_escape_into(U8("ab"), 0, out, 0, &consumed), 0);
    assert_int_equal(out[0], 'Q');
    assert_int_equal(consumed, 0);
    /* out_size 1 holds the NUL only */
    assert_int_equal(dec_text_escape_into(U8("ab"), 0, out, 1, &consumed), 0);
    assert_string_equal(out, "");
    /* without DEC_ESC_BACKSLASH a backslash is kept */
    assert_int_equal(dec_text_escape_into(U8("a\\x1b"), 0, out, sizeof(out), &consumed), 5);
    assert_string_equal(out, "a\\x1b");
    assert_int_equal(dec_text_escape_into(U8("a\\b"), DEC_ESC_BACKSLASH, out, sizeof(out), NULL),
                     4);
    assert_string_equal(out, "a\\\\b");
}

/* every byte value, alone: the output is always printable ASCII */
static void test_every_byte(void **state)
{
    (void)state;
    for (int b = 0; b < 256; b++) {
        uint8_t in = (uint8_t)b;
        char *got = dec_text_escape(&in, 1, SIZE_MAX);
        for (const char *p = got; *p; p++)
            assert_true(*p >= 0x20 && *p < 0x7f);
        if (b >= 0x20 && b < 0x7f && b != '\\')
            assert_int_equal(strlen(got), 1);
        else
            assert_true(strlen(got) >= 2);
        free(got);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_next),   cmocka_unit_test(test_valid_and_probe),
        cmocka_unit_test(test_escape),      cmocka_unit_test(test_escape_truncation),
        cmocka_unit_test(test_escape_into), cmocka_unit_test(test_every_byte),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
