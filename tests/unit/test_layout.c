/* test_layout: screen bands, column fitting, scrolling, splits; and the pure fmt/sparkline helpers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fmt.h"
#include "layout.h"
#include "widget_sparkline.h"

static void test_screen(void **state)
{
    ks_screen s;

    (void)state;
    layout_screen(80, 24, &s);
    assert_false(s.too_small);
    assert_int_equal(s.header.y, 0);
    assert_int_equal(s.header.h, 1);
    assert_int_equal(s.body.y, 1);
    assert_int_equal(s.body.h, 21);
    assert_int_equal(s.status.y, 22);
    assert_int_equal(s.prompt.y, 23);
    assert_int_equal(s.prompt.w, 80);
    layout_screen(60, 15, &s); /* the e2e size: still usable */
    assert_false(s.too_small);
    assert_int_equal(s.body.h, 12);
    layout_screen(LAYOUT_MIN_COLS - 1, 40, &s);
    assert_true(s.too_small);
    layout_screen(120, LAYOUT_MIN_ROWS - 1, &s);
    assert_true(s.too_small);
    assert_int_equal(s.body.h, LAYOUT_MIN_ROWS - 1);
    layout_screen(0, 0, &s);
    assert_true(s.too_small);
    assert_int_equal(s.body.w, 0);
}

static int sum(const int *w, int n)
{
    int total = 0, visible = 0;
    for (int i = 0; i < n; i++)
        if (w[i]) {
            total += w[i];
            visible++;
        }
    return total + (visible ? visible - 1 : 0);
}

static void test_columns(void **state)
{
    const ks_column cols[] = {
        {"NAME", 10, COL_FLEX},
        {"A", 5, COL_RIGHT},
        {"OPT", 8, COL_OPTIONAL},
        {"B", 6, 0},
    };
    int w[4];

    (void)state;
    /* wide: the flex column takes everything left */
    assert_int_equal(layout_columns(cols, 4, 100, w), 4);
    assert_int_equal(w[1], 5);
    assert_int_equal(w[2], 8);
    assert_int_equal(w[3], 6);
    assert_int_equal(sum(w, 4), 100);
    /* exact fit: 10+5+8+6 + 3 separators */
    layout_columns(cols, 4, 32, w);
    assert_int_equal(w[0], 10);
    assert_int_equal(sum(w, 4), 32);
    /* one short: the optional column goes, the flex column grows back */
    assert_int_equal(layout_columns(cols, 4, 31, w), 3);
    assert_int_equal(w[2], 0);
    assert_int_equal(sum(w, 4), 31);
    assert_int_equal(w[0], 31 - 5 - 6 - 2);
    /* narrower than the required columns: the last one is cut, then dropped */
    layout_columns(cols, 4, 20, w);
    assert_true(sum(w, 4) <= 20);
    assert_true(w[0] >= 10);
    layout_columns(cols, 4, 5, w);
    assert_true(sum(w, 4) <= 5);
    assert_int_equal(w[0], 5);
    layout_columns(cols, 4, 0, w);
    assert_int_equal(sum(w, 4), 0);
}

static void test_columns_two_flex(void **state)
{
    const ks_column cols[] = {{"A", 4, COL_FLEX}, {"B", 4, COL_FLEX}, {"C", 3, 0}};
    int w[3];

    (void)state;
    layout_columns(cols, 3, 30, w);
    assert_int_equal(sum(w, 3), 30);
    assert_int_equal(w[2], 3);
    assert_true(w[0] - w[1] <= 1 && w[1] - w[0] <= 1); /* shared evenly */
}

static void test_scroll(void **state)
{
    (void)state;
    assert_int_equal(layout_scroll(0, 0, 10, 100), 0);
    assert_int_equal(layout_scroll(0, 9, 10, 100), 0);
    assert_int_equal(layout_scroll(0, 10, 10, 100), 1);   /* one past the bottom */
    assert_int_equal(layout_scroll(50, 45, 10, 100), 45); /* above the top */
    assert_int_equal(layout_scroll(95, 99, 10, 100), 90); /* no blank space at the end */
    assert_int_equal(layout_scroll(5, 2, 10, 4), 0);      /* fewer rows than lines */
    assert_int_equal(layout_scroll(3, 0, 0, 10), 0);
    assert_int_equal(layout_scroll(3, -1, 10, 0), 0);
}

static void test_split(void **state)
{
    ks_rect r = {2, 0, 20, 80}, top, bottom;

    (void)state;
    layout_split(r, 5, 4, &top, &bottom);
    assert_int_equal(top.y, 2);
    assert_int_equal(top.h, 15);
    assert_int_equal(bottom.y, 17);
    assert_int_equal(bottom.h, 5);
    layout_split(r, 30, 4, &top, &bottom); /* top keeps its minimum */
    assert_int_equal(top.h, 4);
    assert_int_equal(bottom.h, 16);
    layout_split((ks_rect){0, 0, 3, 10}, 5, 4, &top, &bottom);
    assert_int_equal(bottom.h, 0);
    assert_int_equal(top.h, 3);
    r = layout_below(r, 2);
    assert_int_equal(r.y, 4);
    assert_int_equal(r.h, 18);
    r = layout_below(r, 100);
    assert_int_equal(r.h, 0);
}

static void test_fmt(void **state)
{
    char buf[64];

    (void)state;
    fmt_set_utf8(true);
    assert_string_equal(fmt_opt(buf, sizeof(buf), false, 0), "\u2013"); /* unknown is not 0 */
    fmt_set_utf8(false);
    assert_string_equal(fmt_opt(buf, sizeof(buf), false, 0), "-");
    assert_string_equal(fmt_opt(buf, sizeof(buf), true, 0), "0");
    assert_string_equal(fmt_i64(buf, sizeof(buf), -1234567890123LL), "-1234567890123");
    assert_string_equal(fmt_age(buf, sizeof(buf), 0), "0s");
    assert_string_equal(fmt_age(buf, sizeof(buf), 850), "850ms");
    assert_string_equal(fmt_age(buf, sizeof(buf), 42000), "42s");
    assert_string_equal(fmt_age(buf, sizeof(buf), 185000), "3m05s");
    assert_string_equal(fmt_age(buf, sizeof(buf), 7800000), "2h10m");
    assert_string_equal(fmt_age(buf, sizeof(buf), 90000000), "1d01h");
    assert_string_equal(fmt_age(buf, sizeof(buf), -5), "0s");
    assert_string_equal(fmt_ids(buf, sizeof(buf), (const int32_t[]){1, 2, 3}, 3), "1,2,3");
    assert_string_equal(fmt_ids(buf, sizeof(buf), NULL, 0), "");
    assert_string_equal(fmt_ids(buf, 4, (const int32_t[]){100, 200}, 2), "100");
    assert_string_equal(fmt_glyph(GLYPH__COUNT), "?");
    /* cut at the front, where client ids are alike */
    assert_string_equal(fmt_tail(buf, sizeof(buf), "ksight-load-c0", 12), "~ght-load-c0");
    assert_string_equal(fmt_tail(buf, sizeof(buf), "rdkafka", 12), "rdkafka");
    assert_string_equal(fmt_tail(buf, sizeof(buf), "abcdefghijkl", 12), "abcdefghijkl");
    fmt_set_utf8(true);
    assert_string_equal(fmt_tail(buf, sizeof(buf), "consumer-g-12", 6), "\u2026-g-12");
    /* multi-byte characters count as one and are never split */
    assert_string_equal(fmt_tail(buf, sizeof(buf), "\u00e9t\u00e9-\u00e9t\u00e9", 4), "\u2026\u00e9t\u00e9");
    fmt_set_utf8(false);
}

static void test_sparkline(void **state)
{
    ks_spark s;
    char buf[128];

    (void)state;
    memset(&s, 0, sizeof(s));
    assert_string_equal(sparkline_render(&s, 8, true, buf, sizeof(buf)), "");
    for (int i = 0; i <= 7; i++)
        sparkline_push(&s, true, i);
    assert_string_equal(sparkline_render(&s, 8, false, buf, sizeof(buf)), "_.,:-=+#");
    assert_string_equal(sparkline_render(&s, 3, false, buf, sizeof(buf)), "=+#"); /* newest */
    assert_string_equal(sparkline_render(&s, 2, true, buf, sizeof(buf)), "\u2587\u2588");
    assert_int_equal(sparkline_trend(&s, 4), 1);
    sparkline_push(&s, false, 0); /* unknown is a gap */
    assert_string_equal(sparkline_render(&s, 2, false, buf, sizeof(buf)), "# ");
    sparkline_push(&s, true, 1);
    assert_int_equal(sparkline_trend(&s, 3), 0); /* 6, 7, gap, 1: neither rising nor falling */
    sparkline_push(&s, true, 0);
    assert_int_equal(sparkline_trend(&s, 3), -1); /* 7, 1, 0 */
    /* a small non-zero value never looks like zero */
    memset(&s, 0, sizeof(s));
    sparkline_push(&s, true, 0);
    sparkline_push(&s, true, 1);
    sparkline_push(&s, true, 1000000);
    assert_string_equal(sparkline_render(&s, 3, false, buf, sizeof(buf)), "_.#");
    assert_int_equal(sparkline_trend(&s, 5), 0); /* not enough samples */
    /* the ring wraps */
    for (int i = 0; i < SPARK_SAMPLES * 2; i++)
        sparkline_push(&s, true, 5);
    assert_int_equal(s.n, SPARK_SAMPLES);
    assert_string_equal(sparkline_render(&s, 4, false, buf, sizeof(buf)), "####");
    assert_int_equal(sparkline_trend(&s, 4), 0);
    /* a small buffer is cut at a whole block */
    assert_string_equal(sparkline_render(&s, 4, true, buf, 8), "\u2588\u2588");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_screen),
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_columns_two_flex),
        cmocka_unit_test(test_scroll),
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_fmt),
        cmocka_unit_test(test_sparkline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
