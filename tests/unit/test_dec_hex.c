/* test_dec_hex: the binary fallback's hex rendering. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "dec_hex.h"

#include <stdlib.h>

static void expect_hex(const uint8_t *buf, size_t len, size_t max, const char *want)
{
    char *got = dec_hex_encode(buf, len, max);
    assert_string_equal(got, want);
    free(got);
}

static void test_hex(void **state)
{
    (void)state;
    static const uint8_t all[] = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xff};

    expect_hex(all, sizeof(all), SIZE_MAX, "00017f80abff");
    expect_hex(all, 0, SIZE_MAX, "");
    expect_hex(NULL, 0, 10, "");
    expect_hex(all, sizeof(all), 6, "00017f80abff");
    expect_hex(all, sizeof(all), 2, "0001...");
    expect_hex(all, sizeof(all), 0, "...");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hex),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
