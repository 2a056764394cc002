/* test_snapshot: look-ups, derived partition facts and lag arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "snapshot.h"

static int32_t *ids(ks_arena *a, int n, ...)
{
    va_list ap;
    int32_t *v = arena_alloc(a, (size_t)n * sizeof(int32_t));
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        v[i] = va_arg(ap, int);
    va_end(ap);
    return v;
}

/* Two topics (given unsorted), one with an under-replicated and an offline partition. */
static ks_cluster *make_cluster(void)
{
    ks_cluster *cl = cluster_new();
    ks_arena *a = cl->part.arena;
    ks_topic *t;

    cl->nbrokers = 3;
    cl->brokers = arena_alloc(a, 3 * sizeof(ks_broker));
    for (int i = 0; i < 3; i++)
        cl->brokers[i] = (ks_broker){.id = 3 - i, .host = "h", .port = 9092 + i, .up = i != 1};
    cl->ntopics = 2;
    cl->topics = arena_alloc(a, 2 * sizeof(ks_topic));
    t = &cl->topics[0];
    t->name = "position";
    t->npartitions = 3;
    t->partitions = arena_alloc(a, 3 * sizeof(ks_partition));
    for (int p = 0; p < 3; p++) {
        ks_partition *part = &t->partitions[p];
        part->id = 2 - p;
        part->leader = (2 - p) % 3 + 1;
        part->nreplicas = 3;
        part->replicas = ids(a, 3, 1, 2, 3);
        part->nisr = p == 0 ? 2 : 3; /* partition 2 lost broker 2 */
        part->isr = p == 0 ? ids(a, 2, 1, 3) : ids(a, 3, 1, 2, 3);
        part->low_valid = part->high_valid = true;
        part->low = 10;
        part->high = 110;
    }
    t = &cl->topics[1];
    t->name = "__consumer_offsets";
    t->internal = true;
    t->npartitions = 1;
    t->partitions = arena_alloc(a, sizeof(ks_partition));
    t->partitions[0] = (ks_partition){.id = 0, .leader = KS_NO_ID, .nreplicas = 1,
                                      .replicas = ids(a, 1, 2), .nisr = 0};
    cluster_sort(cl);
    return cl;
}

static void test_lookups_after_sort(void **state)
{
    (void)state;
    ks_snapshot snap = {.cluster = make_cluster()};
    const ks_topic *t = snapshot_topic(&snap, "position");

    assert_non_null(t);
    assert_string_equal(snap.cluster->topics[0].name, "__consumer_offsets"); /* sorted */
    assert_int_equal(t->partitions[0].id, 0);
    assert_int_equal(topic_partition(t, 2)->id, 2);
    assert_null(topic_partition(t, 3));
    assert_null(snapshot_topic(&snap, "nope"));
    assert_int_equal(snapshot_broker(&snap, 1)->port, 9094);
    assert_null(snapshot_broker(&snap, 7));
    part_unref(snap.cluster);
}

static void test_derived_facts(void **state)
{
    (void)state;
    ks_cluster *cl = make_cluster();
    ks_snapshot snap = {.cluster = cl};
    const ks_topic *t = snapshot_topic(&snap, "position");
    const ks_partition *p2 = topic_partition(t, 2);
    ks_cluster_counts c;
    int64_t msgs;

    assert_true(partition_under_replicated(p2));
    assert_false(partition_in_isr(p2, 2));
    assert_true(partition_in_isr(p2, 3));
    assert_false(partition_under_replicated(topic_partition(t, 0)));
    assert_int_equal(topic_replication_factor(t), 3);
    assert_int_equal(topic_under_replicated(t), 1);
    assert_true(topic_messages(t, &msgs));
    assert_int_equal(msgs, 300);
    /* unknown watermarks make the count unknown, not zero */
    assert_false(topic_messages(snapshot_topic(&snap, "__consumer_offsets"), &msgs));
    cluster_counts(cl, &c);
    assert_int_equal(c.topics, 2);
    assert_int_equal(c.internal_topics, 1);
    assert_int_equal(c.partitions, 4);
    assert_int_equal(c.under_replicated, 2);
    assert_int_equal(c.offline, 1);
    assert_int_equal(c.brokers_up, 2);
    assert_int_equal(broker_leader_count(cl, 1), 1);
    assert_int_equal(broker_replica_count(cl, 2), 4);
    part_unref(cl);
}

static void test_lag_compute(void **state)
{
    (void)state;
    int64_t lag = -7;
    assert_true(lag_compute(true, 40, true, 100, &lag));
    assert_int_equal(lag, 60);
    assert_true(lag_compute(true, 100, true, 100, &lag));
    assert_int_equal(lag, 0);
    lag = -7;
    assert_false(lag_compute(false, 0, true, 100, &lag)); /* no commit: "-" like the CLI */
    assert_int_equal(lag, -7);
    assert_false(lag_compute(true, -1001, true, 100, &lag)); /* RD_KAFKA_OFFSET_INVALID */
    assert_false(lag_compute(true, 5, false, 0, &lag));     /* end unknown */
    /* committed beyond the end (after DeleteRecords/truncation) is reported as is */
    assert_true(lag_compute(true, 120, true, 100, &lag));
    assert_int_equal(lag, -20);
}

static void test_errors_and_zk_names(void **state)
{
    (void)state;
    ks_snapshot snap = {.cluster = cluster_new(), .registry = registry_new()};
    ks_error errs[4];

    part_set_error(snap.registry, "registry: %s", "connection refused");
    assert_int_equal(snapshot_errors(&snap, errs, 4), 1);
    assert_string_equal(errs[0].source, "registry");
    assert_string_equal(errs[0].message, "registry: connection refused");
    part_set_error(snap.cluster, "down");
    assert_int_equal(snapshot_errors(&snap, errs, 1), 1); /* max respected */
    assert_string_equal(errs[0].source, "kafka");
    assert_string_equal(zk_mode_name(KS_ZK_NOT_SERVING), "not-serving");
    assert_string_equal(zk_mode_name(KS_ZK_REFUSED), "refused");
    part_unref(snap.cluster);
    part_unref(snap.registry);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookups_after_sort), cmocka_unit_test(test_derived_facts),
        cmocka_unit_test(test_lag_compute), cmocka_unit_test(test_errors_and_zk_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
