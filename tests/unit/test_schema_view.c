/* test_schema_view: publication of schema docs (stale answers dropped, readers
 * keep their reference) and the line diff. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "schema_view.h"

#include <stdio.h>
#include <string.h>

static void test_request_answer_stale(void **state)
{
    (void)state;
    ks_schema_view *sv = schema_view_new();
    ks_schema_doc *doc;

    assert_null(schema_view_acquire(sv));
    uint64_t g1 = schema_view_request(sv, "position-value", 0, -1);
    doc = schema_view_acquire(sv);
    assert_int_equal(doc->state, KS_SCHEMA_LOADING);
    assert_string_equal(doc->subject, "position-value");
    assert_false(doc->has_b);
    uint64_t g2 = schema_view_request(sv, "other-value", 2, 0);
    assert_true(g2 > g1);
    /* the answer to the first request arrives late: dropped */
    ks_schema_src a = {1, 7, "AVRO", "{\n  \"type\": \"string\"\n}\n"};
    schema_view_answer(sv, g1, "position-value", &a, NULL, NULL);
    ks_schema_doc *now = schema_view_acquire(sv);
    assert_string_equal(now->subject, "other-value");
    assert_int_equal(now->state, KS_SCHEMA_LOADING);
    assert_true(now->has_b);
    schema_doc_unref(now);
    /* our old reference is still readable */
    assert_string_equal(doc->subject, "position-value");
    schema_doc_unref(doc);

    ks_schema_src b = {3, 9, "AVRO", "{\n  \"type\": \"long\"\n}"};
    schema_view_answer(sv, g2, "other-value", &a, &b, NULL);
    doc = schema_view_acquire(sv);
    assert_int_equal(doc->state, KS_SCHEMA_READY);
    assert_int_equal(doc->a.nlines, 3);
    assert_string_equal(doc->a.lines[1], "  \"type\": \"string\"");
    assert_int_equal(doc->a.id, 7);
    assert_int_equal(doc->b.version, 3);
    assert_int_equal(doc->b.nlines, 3);
    assert_int_equal(doc->added, 1);
    assert_int_equal(doc->removed, 1);
    assert_int_equal(doc->ndiff, 4);
    assert_int_equal(doc->diff[1].op, '-');
    assert_int_equal(doc->diff[2].op, '+');
    schema_doc_unref(doc);

    uint64_t g3 = schema_view_request(sv, "gone", 0, -1);
    schema_view_answer(sv, g3, "gone", NULL, NULL, "HTTP 404: Subject 'gone' not found. (40401)");
    doc = schema_view_acquire(sv);
    assert_int_equal(doc->state, KS_SCHEMA_ERROR);
    assert_non_null(strstr(doc->error, "40401"));
    assert_int_equal(doc->a.nlines, 0);
    schema_doc_unref(doc);
    schema_view_free(sv);
}

static int diff_of(const char *const *a, int na, const char *const *b, int nb, char *ops)
{
    ks_arena *arena = arena_new();
    ks_schema_line *d;
    int n = schema_diff(arena, a, na, b, nb, &d);
    for (int i = 0; i < n; i++)
        ops[i] = d[i].op;
    ops[n] = '\0';
    arena_free(arena);
    return n;
}

static void test_diff(void **state)
{
    (void)state;
    char ops[64];
    const char *a[] = {
        "{", "  \"name\": \"Courier\",", "  \"fields\": [", "    id", "    lat", "    lon", "  ]",
        "}"};
    const char *b[] = {"{",
                       "  \"name\": \"Courier\",",
                       "  \"fields\": [",
                       "    id",
                       "    lat",
                       "    lon",
                       "    timestamp",
                       "  ]",
                       "}"};
    const char *c[] = {"{", "  \"name\": \"Rider\",", "  \"fields\": [", "    id", "    lon", "  ]",
                       "}"};

    diff_of(a, 8, a, 8, ops);
    assert_string_equal(ops, "        ");
    diff_of(a, 8, b, 9, ops);
    assert_string_equal(ops, "      +  ");
    diff_of(a, 8, c, 7, ops);
    assert_string_equal(ops, " -+  -   ");
    diff_of(a, 8, NULL, 0, ops);
    assert_string_equal(ops, "--------");
    diff_of(NULL, 0, b, 9, ops);
    assert_string_equal(ops, "+++++++++");
    assert_int_equal(diff_of(NULL, 0, NULL, 0, ops), 0);
}

static void test_big_diff_falls_back(void **state)
{
    (void)state;
    static char bufa[2500][8], bufb[2500][8];
    static const char *a[2500], *b[2500];
    ks_arena *arena = arena_new();
    ks_schema_line *d;
    int adds = 0, dels = 0;

    for (int i = 0; i < 2500; i++) {
        snprintf(bufa[i], sizeof(bufa[i]), "a%d", i);
        snprintf(bufb[i], sizeof(bufb[i]), "b%d", i);
        a[i] = bufa[i];
        b[i] = bufb[i];
    }
    int n = schema_diff(arena, a, 2500, b, 2500, &d);
    for (int i = 0; i < n; i++)
        adds += d[i].op == '+', dels += d[i].op == '-';
    assert_int_equal(adds, 2500);
    assert_int_equal(dels, 2500);
    arena_free(arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_answer_stale),
        cmocka_unit_test(test_diff),
        cmocka_unit_test(test_big_diff_falls_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
