/* test_sanitize: nothing from the network reaches the terminal unescaped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sanitize.h"

#include <stdlib.h>
#include <string.h>

#define S(s) (s), (sizeof(s) - 1)

static void expect_dup(const char *in, size_t len, const char *want)
{
    char *got = sanitize_dup(in, len);
    assert_string_equal(got, want);
    free(got);
}

static void test_escape_sequences(void **state)
{
    (void)state;
    expect_dup(S("\x1b[2J\x1b]0;pwned\x07"), "\\x1b[2J\\x1b]0;pwned\\x07");
    expect_dup(S("\x1b"
                 "c"),
               "\\x1bc"); /* RIS: full terminal reset */
    expect_dup(S("\x1bP+q\x1b\\"), "\\x1bP+q\\x1b\\");
    expect_dup(S("bell\a bs\b nul\0 del\x7f"), "bell\\x07 bs\\x08 nul\\x00 del\\x7f");
    expect_dup(S("two\nlines\ttab\rcr"), "two\\nlines\\ttab\\rcr");
}

static void test_c1_controls(void **state)
{
    (void)state;
    /* U+009B is CSI and U+009D OSC on terminals that honour 8-bit controls */
    expect_dup(S("\xc2\x9b"
                 "2J \xc2\x9d"
                 "0;x\xc2\x9c"),
               "\\u009b2J \\u009d0;x\\u009c");
    expect_dup(S("\xc2\x80\xc2\x9f\xc2\xa0"), "\\u0080\\u009f\xc2\xa0");
    /* raw 8-bit bytes are invalid UTF-8: escaped byte by byte */
    expect_dup(S("\x9b"
                 "2J"),
               "\\x9b2J");
}

static void test_bidi(void **state)
{
    (void)state;
    /* "Trojan Source": RLO makes "txt.exe" display reversed */
    expect_dup(S("invoice\xe2\x80\xae"
                 "fdp.exe"),
               "invoice\\u202efdp.exe");
    expect_dup(S("\xe2\x81\xa6x\xe2\x81\xa9"), "\\u2066x\\u2069");
    expect_dup(S("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad"),
               "\\u202a\\u202b\\u202c\\u202d");
}

static void test_printable_passes(void **state)
{
    (void)state;
    expect_dup(S("position-topic_1.v2"), "position-topic_1.v2");
    expect_dup(S("Z\xc3\xbcrich \xe2\x82\xac \xf0\x9f\x98\x80 \xe4\xb8\xad"),
               "Z\xc3\xbcrich \xe2\x82\xac \xf0\x9f\x98\x80 \xe4\xb8\xad");
    /* backslashes are not doubled: sanitize is idempotent */
    expect_dup(S("C:\\path \\x1b"), "C:\\path \\x1b");
    char *once = sanitize_dup(S("\x1b[1m\xe2\x80\xae\xff\n"));
    char *twice = sanitize_str(once);
    assert_string_equal(once, twice);
    assert_string_equal(once, "\\x1b[1m\\u202e\\xff\\n");
    free(once);
    free(twice);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    expect_dup(S("caf\xe9"), "caf\\xe9");
    expect_dup(S("\xc3"), "\\xc3");
    expect_dup(S("\xc0\xaf"), "\\xc0\\xaf");                   /* overlong '/' */
    expect_dup(S("\xed\xa0\x80"), "\\xed\\xa0\\x80");          /* surrogate */
    expect_dup(S("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80"); /* > U+10FFFF */
    expect_dup(S("\xe2\x82"), "\\xe2\\x82");                   /* cut sequence */
}

static void test_truncation_boundaries(void **state)
{
    (void)state;
    char out[16];

    /* plain */
    assert_int_equal(sanitize(S("abcdef"), out, 4), 3);
    assert_string_equal(out, "abc");
    /* an escape fits whole or not at all */
    for (size_t size = 1; size <= 9; size++) {
        size_t n = sanitize(S("a\x1b"
                              "b"),
                            out, size);
        static const char *const want[] = {"",       "a",       "a",       "a",      "a",
                                           "a\\x1b", "a\\x1bb", "a\\x1bb", "a\\x1bb"};
        assert_string_equal(out, want[size - 1]);
        assert_int_equal(n, strlen(want[size - 1]));
    }
    /* a UTF-8 sequence is never split: the 4-byte emoji needs 5 bytes of room */
    for (size_t size = 1; size <= 6; size++) {
        sanitize(S("\xf0\x9f\x98\x80x"), out, size);
        assert_string_equal(out, size < 5    ? ""
                                 : size == 5 ? "\xf0\x9f\x98\x80"
                                             : "\xf0\x9f\x98\x80x");
    }
    /* a 6-byte \u202e is whole or absent */
    sanitize(S("\xe2\x80\xae!"), out, 6);
    assert_string_equal(out, "");
    sanitize(S("\xe2\x80\xae!"), out, 7);
    assert_string_equal(out, "\\u202e");
    /* size 0 writes nothing at all */
    out[0] = 'Q';
    assert_int_equal(sanitize(S("abc"), out, 0), 0);
    assert_int_equal(out[0], 'Q');
    /* NULL input with zero length */
    assert_int_equal(sanitize(NULL, 0, out, sizeof(out)), 0);
    assert_string_equal(out, "");
    char *empty = sanitize_str(NULL);
    assert_string_equal(empty, "");
    free(empty);
}

/* any input of any byte values yields printable output only */
static void test_all_pairs(void **state)
{
    (void)state;
    char in[2], out[32];

    for (int a = 0; a < 256; a++) {
        for (int b = 0; b < 256; b++) {
            in[0] = (char)a, in[1] = (char)b;
            size_t n = sanitize(in, 2, out, sizeof(out));
            assert_int_equal(n, strlen(out));
            for (size_t i = 0; i < n; i++) {
                uint8_t c = (uint8_t)out[i];
                assert_true(c >= 0x20 && c != 0x7f);
                if (c == 0xc2) /* a two-byte sequence but never C1 */
                    assert_true((uint8_t)out[i + 1] >= 0xa0);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape_sequences),
        cmocka_unit_test(test_c1_controls),
        cmocka_unit_test(test_bidi),
        cmocka_unit_test(test_printable_passes),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_truncation_boundaries),
        cmocka_unit_test(test_all_pairs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
