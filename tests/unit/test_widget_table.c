/* test_widget_table: rows by key, filter (and its inversion), sort, selection, tombstones, scale.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "clock.h"
#include "fixtures.h"
#include "store.h"
#include "widget_table.h"

enum { C_NAME, C_PARTS };

static const ks_column columns[] = {
    [C_NAME] = {"TOPIC", 10, COL_FLEX},
    [C_PARTS] = {"PARTITIONS", 10, COL_RIGHT},
};

static void build(ks_table *table, const ks_snapshot *snap, void *ctx)
{
    (void)ctx;
    for (int i = 0; snap && snap->cluster && i < snap->cluster->ntopics; i++)
        table_add(table, snap->cluster->topics[i].name, &snap->cluster->topics[i]);
}

static void cell(const void *row, int col, char *buf, size_t size, ks_elem *elem, void *ctx)
{
    const ks_topic *t = row;
    (void)ctx, (void)elem;
    if (col == C_NAME)
        snprintf(buf, size, "%s", t->name);
    else
        snprintf(buf, size, "%d", t->npartitions);
}

static int compare(const void *a, const void *b, int col, void *ctx)
{
    const ks_topic *x = a, *y = b;
    (void)ctx;
    if (col == C_PARTS)
        return (x->npartitions > y->npartitions) - (x->npartitions < y->npartitions);
    return 0;
}

static const ks_table_ops ops = {.build = build, .cell = cell, .compare = compare};

/* Publishes a cluster with the given topics ("name:partitions", NULL-terminated). */
static ks_snapshot *publish(ks_store *store, const char *const *topics)
{
    ks_cluster *c = fx_cluster(3, 64);
    for (int i = 0; topics[i]; i++) {
        char name[64];
        int parts = 1;
        sscanf(topics[i], "%63[^:]:%d", name, &parts);
        fx_topic(c, name, parts, 1);
    }
    cluster_sort(c);
    store_publish(store, KS_PART_CLUSTER, c);
    return store_acquire(store);
}

static const char *keys_of(const ks_table *t, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < table_count(t) && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s%s", i ? " " : "", table_key_at(t, i),
                                table_tombstone_at(t, i) ? "+" : "");
    return buf;
}

static void test_sort_and_filter(void **state)
{
    ks_store *store = store_new();
    ks_table *t = table_new(columns, 2, &ops, NULL, 0);
    ks_snapshot *snap =
        publish(store, (const char *const[]){"beta:3", "Alpha:6", "gamma:3", "position:1", NULL});
    char buf[256];

    (void)state;
    table_sync(t, snap, 0, false);
    assert_int_equal(table_count(t), 4);
    assert_string_equal(keys_of(t, buf, sizeof(buf)), "Alpha beta gamma position");
    table_set_sort(t, C_PARTS, false); /* ties fall back to the key */
    assert_string_equal(keys_of(t, buf, sizeof(buf)), "position beta gamma Alpha");
    table_sort_invert(t);
    assert_string_equal(keys_of(t, buf, sizeof(buf)), "Alpha gamma beta position");
    table_sort_step(t, 1); /* wraps to the first column, ascending */
    assert_int_equal(table_sort_col(t), C_NAME);
    assert_false(table_sort_desc(t));

    table_set_filter(t, "A"); /* case-insensitive substring */
    assert_string_equal(keys_of(t, buf, sizeof(buf)), "Alpha beta gamma");
    table_set_filter(t, "!a");
    assert_string_equal(keys_of(t, buf, sizeof(buf)), "position");
    assert_string_equal(table_filter(t), "!a");
    table_set_filter(t, "zzz");
    assert_int_equal(table_count(t), 0);
    assert_null(table_selected(t));
    assert_null(table_selected_key(t));
    assert_int_equal(table_total(t), 4);
    table_set_filter(t, "!"); /* a lone '!' filters nothing */
    assert_int_equal(table_count(t), 4);
    table_set_filter(t, NULL);
    assert_int_equal(table_count(t), 4);

    table_free(t);
    snapshot_unref(snap);
    store_free(store);
}

static void test_selection_follows_key(void **state)
{
    ks_store *store = store_new();
    ks_table *t = table_new(columns, 2, &ops, NULL, 0);
    ks_snapshot *s1 = publish(store, (const char *const[]){"b:1", "c:1", "d:1", NULL}), *s2;

    (void)state;
    table_sync(t, s1, 0, false);
    table_move(t, 1);
    assert_string_equal(table_selected_key(t), "c");
    /* a topic appears before the selection: the selection stays on "c" */
    s2 = publish(store, (const char *const[]){"a:1", "b:1", "c:1", "d:1", NULL});
    table_sync(t, s2, 100, false);
    assert_string_equal(table_selected_key(t), "c");
    assert_int_equal(table_selected_index(t), 2);
    /* same snapshot again: no rebuild, nothing moves */
    table_sync(t, s2, 200, false);
    assert_string_equal(table_selected_key(t), "c");
    /* moves clamp */
    table_move(t, -10);
    assert_string_equal(table_selected_key(t), "a");
    table_move(t, 10);
    assert_string_equal(table_selected_key(t), "d");
    table_move_to(t, 0);
    assert_string_equal(table_selected_key(t), "a");
    table_move_to(t, -1);
    assert_string_equal(table_selected_key(t), "d");
    assert_true(table_select_key(t, "b"));
    assert_false(table_select_key(t, "nope"));
    assert_string_equal(table_selected_key(t), "b");
    table_page(t, 1); /* page height defaults to 10 before the first draw */
    assert_string_equal(table_selected_key(t), "d");

    table_free(t);
    snapshot_unref(s1);
    snapshot_unref(s2);
    store_free(store);
}

static void test_select_before_first_build(void **state)
{
    ks_store *store = store_new();
    ks_table *t = table_new(columns, 2, &ops, NULL, 0);
    ks_snapshot *s = publish(store, (const char *const[]){"a:1", "b:1", "c:1", NULL});

    (void)state;
    table_select_key(t, "c"); /* e.g. a saved selection restored on Esc */
    table_sync(t, s, 0, false);
    assert_string_equal(table_selected_key(t), "c");
    table_free(t);
    snapshot_unref(s);
    store_free(store);
}

static void test_tombstones(void **state)
{
    ks_store *store = store_new();
    ks_table *t = table_new(columns, 2, &ops, NULL, TABLE_TOMBSTONES);
    ks_snapshot *s1 = publish(store, (const char *const[]){"a:1", "b:2", "c:1", NULL}), *s2, *s3;
    char buf[256];

    (void)state;
    table_sync(t, s1, 1000, false);
    table_select_key(t, "b");
    s2 = publish(store, (const char *const[]){"a:1", "c:1", NULL});
    snapshot_unref(s1); /* the table keeps what its tombstones need */
    table_sync(t, s2, 2000, false);
    assert_string_equal(keys_of(t, buf, sizeof(buf)), "a b+ c");
    assert_int_equal(table_total(t), 2);
    assert_string_equal(table_selected_key(t), "b");
    assert_null(table_selected(t)); /* a tombstone cannot be opened */
    assert_int_equal(((const ks_topic *)table_row_at(t, 1))->npartitions, 2); /* data still valid */
    table_set_sort(t, C_PARTS, true);                                         /* and sortable */
    assert_string_equal(keys_of(t, buf, sizeof(buf)), "b+ c a");              /* ties invert too */
    table_set_sort(t, C_NAME, false);

    assert_false(table_expire(t, 2000 + TABLE_TOMBSTONE_MS - 1));
    /* a rebuild within the delay keeps the tombstone */
    s3 = publish(store, (const char *const[]){"a:1", "c:1", "d:1", NULL});
    table_sync(t, s3, 3000, false);
    assert_string_equal(keys_of(t, buf, sizeof(buf)), "a b+ c d");
    assert_true(table_expire(t, 2000 + TABLE_TOMBSTONE_MS));
    assert_string_equal(keys_of(t, buf, sizeof(buf)), "a c d");
    /* the selection stays at the same place */
    assert_string_equal(table_selected_key(t), "c");

    /* a row that comes back is live again, not a tombstone */
    snapshot_unref(s2);
    s2 = publish(store, (const char *const[]){"a:1", NULL});
    table_sync(t, s2, 10000, false);
    assert_string_equal(keys_of(t, buf, sizeof(buf)), "a c+ d+");
    snapshot_unref(s3);
    s3 = publish(store, (const char *const[]){"a:1", "c:1", NULL});
    table_sync(t, s3, 11000, false);
    assert_string_equal(keys_of(t, buf, sizeof(buf)), "a c d+");

    table_free(t);
    snapshot_unref(s2);
    snapshot_unref(s3);
    store_free(store);
}

static void test_empty_and_null_snapshot(void **state)
{
    ks_table *t = table_new(columns, 2, &ops, NULL, TABLE_TOMBSTONES);

    (void)state;
    table_sync(t, NULL, 0, false);
    assert_int_equal(table_count(t), 0);
    table_move(t, 1);
    table_move_to(t, -1);
    assert_int_equal(table_selected_index(t), -1);
    table_set_empty(t, "waiting");
    table_set_empty(t, "waiting"); /* same text: no churn */
    table_free(t);
}

static void test_ten_thousand_rows(void **state)
{
    ks_store *store = store_new();
    ks_table *t = table_new(columns, 2, &ops, NULL, TABLE_TOMBSTONES);
    ks_cluster *c = fx_cluster(3, 10000);
    ks_snapshot *snap;
    int64_t start;

    (void)state;
    for (int i = 0; i < 10000; i++) {
        char name[32];
        snprintf(name, sizeof(name), "topic-%05d", i);
        fx_topic(c, name, 1 + i % 7, 1);
    }
    store_publish(store, KS_PART_CLUSTER, c);
    snap = store_acquire(store);
    start = clock_mono_ms();
    table_sync(t, snap, 0, false);
    table_set_sort(t, C_PARTS, true);
    table_set_filter(t, "99");
    table_set_filter(t, NULL);
    table_select_key(t, "topic-09999");
    table_sync(t, snap, 1, true);
    /* generous bound (sanitizers, CI): the point is "milliseconds", not seconds */
    assert_true(clock_mono_ms() - start < 1500);
    assert_int_equal(table_count(t), 10000);
    assert_string_equal(table_selected_key(t), "topic-09999");
    table_free(t);
    snapshot_unref(snap);
    store_free(store);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sort_and_filter),
        cmocka_unit_test(test_selection_follows_key),
        cmocka_unit_test(test_select_before_first_build),
        cmocka_unit_test(test_tombstones),
        cmocka_unit_test(test_empty_and_null_snapshot),
        cmocka_unit_test(test_ten_thousand_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
