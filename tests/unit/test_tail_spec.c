/* test_tail_spec: from-specs, partition lists and the tail option string. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tail_spec.h"

#include <stdlib.h>
#include <string.h>

static ks_tail_from from(const char *s)
{
    ks_tail_from f = {.kind = (ks_tail_from_kind)99};
    char err[256];
    if (tail_from_parse(s, &f, err, sizeof(err)))
        f.kind = (ks_tail_from_kind)-1;
    return f;
}

static void test_from_specs(void **state)
{
    (void)state;
    char err[256], buf[64];
    ks_tail_from f;

    assert_int_equal(from("beginning").kind, KS_FROM_BEGINNING);
    assert_int_equal(from("earliest").kind, KS_FROM_BEGINNING);
    assert_int_equal(from("END").kind, KS_FROM_END);
    assert_int_equal(from("latest").kind, KS_FROM_END);
    f = from("42");
    assert_int_equal(f.kind, KS_FROM_OFFSET);
    assert_int_equal(f.value, 42);
    f = from("-10");
    assert_int_equal(f.kind, KS_FROM_LAST);
    assert_int_equal(f.value, 10);
    f = from("-15m");
    assert_int_equal(f.kind, KS_FROM_AGO);
    assert_int_equal(f.value, 15 * 60000);
    assert_int_equal(from("-2h").value, 7200000);
    assert_int_equal(from("-30s").value, 30000);
    assert_int_equal(from("-1d").value, 86400000);
    assert_int_equal(from("-500ms").value, 500);
    f = from("@1700000000000");
    assert_int_equal(f.kind, KS_FROM_TIME);
    assert_int_equal(f.value, 1700000000000);
    f = from("@2024-01-02T03:04:05.123Z");
    assert_int_equal(f.kind, KS_FROM_TIME);
    assert_int_equal(f.value, 1704164645123);
    assert_int_equal(from("@2024-01-02T03:04:05Z").value, 1704164645000);
    assert_int_equal(from("@2024-01-02T03:04:05.5").value, 1704164645500);
    /* refused */
    static const char *const bad[] = {"",
                                      "bla",
                                      "-",
                                      "-15x",
                                      "@",
                                      "@soon",
                                      "1.5",
                                      "+3",
                                      "@2024-13-45T99:00:00Z",
                                      "99999999999999999999",
                                      "-99999999999999999d"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal((int)from(bad[i]).kind, -1);
    assert_int_equal(tail_from_parse("bla", &f, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "beginning, end"));
    /* canonical words read back */
    static const char *const good[] = {"beginning", "end", "42",   "-10",    "-15m",
                                       "-2h",       "-1d", "-30s", "-500ms", "@1700000000000"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        f = from(good[i]);
        assert_string_equal(tail_from_format(&f, buf, sizeof(buf)), good[i]);
    }
}

static void test_partitions(void **state)
{
    (void)state;
    ks_tail_opts o;
    char err[256];

    tail_opts_init(&o);
    assert_int_equal(tail_opts_add_partitions(&o, "5,0,2-3", err, sizeof(err)), 0);
    assert_int_equal(tail_opts_add_partitions(&o, "3,7", err, sizeof(err)), 0);
    assert_int_equal(o.npartitions, 5);
    int32_t want[] = {0, 2, 3, 5, 7};
    assert_memory_equal(o.partitions, want, sizeof(want));
    static const char *const bad[] = {"x", "1,", ",1", "3-1", "1-", "-1", "1;2", "100000"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(tail_opts_add_partitions(&o, bad[i], err, sizeof(err)), -1);
    assert_int_equal(o.npartitions, 5);
    assert_int_equal(tail_opts_add_partitions(&o, "all", err, sizeof(err)), 0);
    assert_int_equal(o.npartitions, 0);
    tail_opts_free(&o);
}

static void test_option_string(void **state)
{
    (void)state;
    ks_tail_opts o, back;
    char err[256], desc[256];
    char *s;

    tail_opts_init(&o);
    assert_int_equal(o.from.kind, KS_FROM_END);
    assert_int_equal(o.value_fmt, KS_TAIL_FMT_AUTO);
    assert_int_equal(tail_opts_parse(&o,
                                     "from=-15m;partitions=0,2-4;key=text;value=avro;until_end=1;"
                                     "count=100;rows=5000;bytes=1048576",
                                     err, sizeof(err)),
                     0);
    assert_int_equal(o.from.kind, KS_FROM_AGO);
    assert_int_equal(o.npartitions, 4);
    assert_int_equal(o.key_fmt, KS_TAIL_FMT_TEXT);
    assert_int_equal(o.value_fmt, KS_TAIL_FMT_AVRO);
    assert_true(o.formats_set && o.until_end);
    assert_int_equal(o.count, 100);
    assert_int_equal(o.rows, 5000);
    assert_int_equal(o.max_bytes, 1048576);
    tail_opts_describe(&o, desc, sizeof(desc));
    assert_string_equal(desc, "from -15m, partitions 0,2-4, key text, value avro, until end, "
                              "count 100");
    s = tail_opts_format(&o);
    assert_string_equal(s, "from=-15m;partitions=0,2-4;key=text;value=avro;until_end=1;"
                           "count=100;rows=5000;bytes=1048576");
    tail_opts_init(&back);
    assert_int_equal(tail_opts_parse(&back, s, err, sizeof(err)), 0);
    assert_int_equal(back.npartitions, 4);
    assert_int_equal(back.from.value, o.from.value);
    free(s);
    tail_opts_free(&back);

    ks_tail_opts copy;
    tail_opts_copy(&copy, &o);
    assert_memory_equal(copy.partitions, o.partitions, 4 * sizeof(int32_t));
    assert_ptr_not_equal(copy.partitions, o.partitions);
    tail_opts_free(&copy);
    tail_opts_free(&o);

    /* defaults format and read back; rows/bytes 0 are left out */
    tail_opts_init(&o);
    s = tail_opts_format(&o);
    assert_string_equal(s, "from=end;partitions=all;key=auto;value=auto;until_end=0;count=0");
    assert_int_equal(tail_opts_parse(&o, s, err, sizeof(err)), 0);
    free(s);
    /* errors */
    assert_int_equal(tail_opts_parse(&o, "colour=red", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "unknown tail option \"colour\""));
    assert_int_equal(tail_opts_parse(&o, "value=xml", err, sizeof(err)), -1);
    assert_int_equal(tail_opts_parse(&o, "count=-1", err, sizeof(err)), -1);
    assert_int_equal(tail_opts_parse(&o, "rows=0", err, sizeof(err)), -1);
    assert_int_equal(tail_opts_parse(&o, "from=never", err, sizeof(err)), -1);
    assert_int_equal(tail_opts_parse(&o, ";; until_end ;", err, sizeof(err)), 0);
    assert_true(o.until_end);
    assert_int_equal(tail_opts_parse(&o, NULL, err, sizeof(err)), 0);
    tail_opts_free(&o);

    ks_tail_fmt f;
    assert_true(tail_fmt_parse("HEX", &f) && f == KS_TAIL_FMT_BINARY);
    assert_true(tail_fmt_parse("string", &f) && f == KS_TAIL_FMT_TEXT);
    assert_false(tail_fmt_parse("xml", &f));
    assert_false(tail_fmt_parse(NULL, &f));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_from_specs),
        cmocka_unit_test(test_partitions),
        cmocka_unit_test(test_option_string),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
