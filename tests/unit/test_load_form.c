/* test_load_form: the load form's fields (values, cycling, the checked apply) and the row
 * budget of the load view's sections. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view_load_form.h"
#include "view_load_layout.h"

static int field(const char *key)
{
    int f = view_load_form_find(key, strlen(key));
    assert_true(f >= 0);
    return f;
}

/* Every field of the form is a key load_spec_parse knows, and every choice it offers parses. */
static void test_fields_parse(void **state)
{
    ks_load_spec spec;
    char err[256], raw[256], text[600];

    (void)state;
    assert_int_equal(view_load_form_count(), 24);
    for (int f = 0; f < view_load_form_count(); f++) {
        load_spec_defaults(&spec);
        view_load_form_value(&spec, f, true, raw, sizeof(raw));
        snprintf(text, sizeof(text), "%s=%s", view_load_form_key(f), raw);
        if (strcmp(view_load_form_key(f), "group") != 0) /* "" is the default, not a name */
            assert_int_equal(load_spec_parse(&spec, text, err, sizeof(err)), 0);
        if (view_load_form_kind(f) == FORM_ENUM || view_load_form_kind(f) == FORM_BOOL) {
            /* a full turn of choices comes back to the start, all of them accepted */
            char now[256];
            int n = 0;
            spec.consumers = 0; /* audit_header=no is refused with consumers */
            do {
                assert_int_equal(view_load_form_cycle(&spec, f, 1, err, sizeof(err)), 0);
                view_load_form_value(&spec, f, true, now, sizeof(now));
                n++;
            } while (strcmp(now, raw) && n < 10);
            assert_true(n >= 2 && n < 10);
        }
    }
    assert_int_equal(view_load_form_find("nope", 4), -1);
    assert_null(view_load_form_key(-1));
}

static void test_values_shown(void **state)
{
    ks_load_spec spec;
    char buf[64], sum[256], err[128];

    (void)state;
    load_spec_defaults(&spec);
    assert_string_equal(view_load_form_value(&spec, field("topic"), false, buf, sizeof(buf)),
                        "position");
    assert_string_equal(view_load_form_value(&spec, field("group"), false, buf, sizeof(buf)),
                        "(per run)");
    assert_string_equal(view_load_form_value(&spec, field("group"), true, buf, sizeof(buf)), "");
    assert_string_equal(view_load_form_value(&spec, field("linger_ms"), false, buf, sizeof(buf)),
                        "default");
    assert_string_equal(view_load_form_value(&spec, field("linger_ms"), true, buf, sizeof(buf)),
                        "-1");
    assert_string_equal(view_load_form_value(&spec, field("acks"), false, buf, sizeof(buf)), "all");
    assert_string_equal(view_load_form_value(&spec, field("idempotent"), true, buf, sizeof(buf)),
                        "no");
    assert_int_equal(view_load_form_apply(&spec, "messages=0", err, sizeof(err)), 0);
    assert_string_equal(view_load_form_value(&spec, field("messages"), false, buf, sizeof(buf)),
                        "unlimited");
    view_load_form_summary(&spec, sum, sizeof(sum));
    assert_non_null(strstr(sum, "topic position  partitions 3"));
    assert_non_null(strstr(sum, "messages unlimited  consumers 1"));
}

static void test_cycle(void **state)
{
    ks_load_spec spec;
    char err[128];

    (void)state;
    load_spec_defaults(&spec);
    assert_int_equal(spec.mode, KS_SEND_ASYNC);
    assert_int_equal(view_load_form_cycle(&spec, field("mode"), 1, err, sizeof(err)), 0);
    assert_int_equal(spec.mode, KS_SEND_FIRE_AND_FORGET); /* wraps */
    assert_int_equal(view_load_form_cycle(&spec, field("mode"), -1, err, sizeof(err)), 0);
    assert_int_equal(spec.mode, KS_SEND_ASYNC);
    assert_int_equal(view_load_form_cycle(&spec, field("assignor"), -1, err, sizeof(err)), 0);
    assert_int_equal(spec.assignor, KS_ASSIGNOR_COOPERATIVE_STICKY);
    assert_int_equal(view_load_form_cycle(&spec, field("compression"), 1, err, sizeof(err)), 0);
    assert_string_equal(spec.compression, "gzip");
    assert_int_equal(view_load_form_cycle(&spec, field("offset_reset"), 1, err, sizeof(err)), 0);
    assert_string_equal(spec.offset_reset, "latest");
    /* numbers step by one, within the parser's range */
    assert_int_equal(view_load_form_cycle(&spec, field("consumers"), 1, err, sizeof(err)), 0);
    assert_int_equal(spec.consumers, 2);
    assert_int_equal(view_load_form_cycle(&spec, field("linger_ms"), -1, err, sizeof(err)), -1);
    assert_int_equal(spec.linger_ms, -1);
    assert_non_null(strstr(err, "linger_ms"));
    /* names are typed, not cycled */
    assert_int_equal(view_load_form_cycle(&spec, field("topic"), 1, err, sizeof(err)), -1);
    assert_string_equal(spec.topic, "position");
}

/* The checker guards a valid spec, and never traps an invalid one. */
static void test_apply_checks(void **state)
{
    ks_load_spec spec, before;
    char err[128];

    (void)state;
    load_spec_defaults(&spec);
    assert_int_equal(view_load_form_cycle(&spec, field("idempotent"), 1, err, sizeof(err)), 0);
    assert_true(spec.idempotent);
    before = spec;
    assert_int_equal(view_load_form_cycle(&spec, field("acks"), 1, err, sizeof(err)), -1);
    assert_string_equal(err, "idempotence needs acks=all");
    assert_memory_equal(&spec, &before, sizeof(spec));
    assert_int_equal(view_load_form_apply(&spec, "partitions=x9", err, sizeof(err)), -1);
    assert_string_equal(err, "partitions: bad value \"x9\"");
    assert_memory_equal(&spec, &before, sizeof(spec));
    assert_int_equal(view_load_form_apply(&spec, "idempotent=no;acks=1", err, sizeof(err)), 0);
    assert_int_equal(spec.acks, 1);

    /* already invalid (as :load-set could leave it before): edits still land */
    spec.producers = spec.consumers = 0;
    assert_int_equal(view_load_form_apply(&spec, "partitions=4", err, sizeof(err)), 1);
    assert_int_equal(spec.partitions, 4);
    assert_non_null(strstr(err, "nothing to run"));
    assert_int_equal(view_load_form_apply(&spec, "producers=1", err, sizeof(err)), 0);
}

static void test_split(void **state)
{
    enum { A, B, C, D, N };
    const int prio[N] = {B, C, A, D};
    int out[N];

    (void)state;
    /* room for everyone */
    view_load_layout_split(40, (int[]){9, 10, 5, 6}, N, A, 4, prio, out);
    assert_memory_equal(out, ((int[]){9, 10, 5, 6}), sizeof(out));
    /* the focused section first, then prio order, every shown one keeps a title */
    view_load_layout_split(20, (int[]){13, 10, 5, 6}, N, A, 4, prio, out);
    assert_memory_equal(out, ((int[]){13, 5, 1, 1}), sizeof(out));
    view_load_layout_split(20, (int[]){13, 10, 5, 6}, N, D, 4, prio, out);
    assert_memory_equal(out, ((int[]){1, 10, 3, 6}), sizeof(out));
    /* a section that wants nothing gets nothing */
    view_load_layout_split(20, (int[]){13, 0, 0, 0}, N, A, 4, prio, out);
    assert_memory_equal(out, ((int[]){13, 0, 0, 0}), sizeof(out));
    /* too short for the titles: the least wanted go, the focused one stays */
    view_load_layout_split(5, (int[]){13, 10, 5, 6}, N, D, 4, prio, out);
    assert_memory_equal(out, ((int[]){0, 1, 0, 4}), sizeof(out));
    view_load_layout_split(2, (int[]){13, 10, 5, 6}, N, D, 4, prio, out);
    assert_memory_equal(out, ((int[]){0, 0, 0, 2}), sizeof(out));
}

static void test_grid(void **state)
{
    int cols;

    (void)state;
    assert_int_equal(view_load_layout_grid(24, 37, 118, &cols), 8);
    assert_int_equal(cols, 3);
    assert_int_equal(view_load_layout_grid(24, 37, 78, &cols), 12);
    assert_int_equal(cols, 2);
    assert_int_equal(view_load_layout_grid(24, 37, 58, &cols), 24);
    assert_int_equal(cols, 1);
    assert_int_equal(view_load_layout_grid(10, 6, 58, &cols), 2); /* "c0 123" cells */
    assert_int_equal(cols, 7);
    assert_int_equal(view_load_layout_grid(0, 6, 58, &cols), 0);
    assert_int_equal(view_load_layout_grid(3, 100, 20, &cols), 3); /* never less than one */
    assert_int_equal(cols, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields_parse), cmocka_unit_test(test_values_shown),
        cmocka_unit_test(test_cycle),        cmocka_unit_test(test_apply_checks),
        cmocka_unit_test(test_split),        cmocka_unit_test(test_grid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
