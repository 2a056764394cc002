/* test_diff: snapshot differences become the right timeline events, and only those. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "clock.h"
#include "diff.h"
#include "fixtures.h"

static ks_event evs[4096];

/* Text of the newest event of a kind, or NULL. */
static const char *event_text(ks_timeline *tl, ks_event_kind kind, const char **subject)
{
    int n = timeline_copy(tl, evs, 4096);
    for (int i = 0; i < n; i++)
        if (evs[i].kind == kind) {
            if (subject)
                *subject = evs[i].subject;
            return evs[i].text;
        }
    return NULL;
}

static ks_cluster *three_topics(void)
{
    ks_cluster *c = fx_cluster(3, 8);
    fx_topic(c, "alpha", 3, 3);
    fx_topic(c, "position", 3, 3);
    fx_topic(c, "zeta", 1, 1);
    return c;
}

static void test_first_snapshot_is_a_baseline(void **state)
{
    ks_timeline *tl = timeline_new(256);
    ks_cluster *c = three_topics();
    ks_groups *g = fx_groups(2);
    ks_snapshot old = fx_snap(NULL, NULL, NULL, NULL), snap = fx_snap(c, NULL, NULL, NULL);

    (void)state;
    fx_group(g, "g1", "Stable", 1, 1);
    diff_snapshots(&old, &snap, tl, 1000);
    assert_int_equal(fx_count_events(tl, KS_EV_TOPIC_CREATED), 0);
    assert_int_equal(fx_count_events(tl, KS_EV_BROKER_UP), 0);
    assert_int_equal(fx_count_events(tl, KS_EV_LOG), 1); /* one "connected" line */
    old = snap;
    snap = fx_snap(c, g, NULL, NULL);
    diff_snapshots(&old, &snap, tl, 1000);
    assert_int_equal(fx_count_events(tl, KS_EV_GROUP_NEW), 0);
    diff_snapshots(NULL, &snap, tl, 1000); /* NULL old is the empty snapshot */
    assert_int_equal(fx_count_events(tl, KS_EV_TOPIC_CREATED), 0);
    part_unref(c);
    part_unref(g);
    timeline_free(tl);
}

static void test_unchanged_part_is_skipped(void **state)
{
    ks_timeline *tl = timeline_new(64);
    ks_cluster *c = three_topics();
    ks_snapshot a = fx_snap(c, NULL, NULL, NULL), b = fx_snap(c, NULL, NULL, NULL);

    (void)state;
    diff_snapshots(&a, &b, tl, 1);
    assert_int_equal(timeline_seq(tl), 0);
    part_unref(c);
    timeline_free(tl);
}

static void test_broker_down_isr_shrank_leader_moved(void **state)
{
    ks_timeline *tl = timeline_new(256);
    ks_cluster *c1 = three_topics(), *c2 = three_topics();
    ks_topic *t = &c2->topics[1]; /* position: partition 1 led by 2, replicas 2,3,1 */
    const char *subject = NULL, *text;

    (void)state;
    c2->brokers[1].up = false;
    c2->controller = 3;
    fx_isr(t, 1, "3,1");
    t->partitions[1].leader = 3;
    ks_snapshot a = fx_snap(c1, NULL, NULL, NULL), b = fx_snap(c2, NULL, NULL, NULL);
    diff_snapshots(&a, &b, tl, 5000);

    text = event_text(tl, KS_EV_BROKER_DOWN, &subject);
    assert_non_null(text);
    assert_string_equal(subject, "broker 2");
    assert_string_equal(text, "broker 2 (localhost:9093) down");
    text = event_text(tl, KS_EV_ISR_SHRANK, &subject);
    assert_non_null(text);
    assert_string_equal(subject, "position-1");
    assert_string_equal(text, "ISR shrank: broker 2 left (ISR 3,1)");
    text = event_text(tl, KS_EV_LEADER_MOVED, NULL);
    assert_string_equal(text, "leader moved: broker 2 -> 3");
    assert_non_null(event_text(tl, KS_EV_UNDER_REPLICATED, NULL));
    assert_string_equal(event_text(tl, KS_EV_CONTROLLER_MOVED, NULL),
                        "controller moved: broker 1 -> 3");
    assert_int_equal(fx_count_events(tl, KS_EV_ISR_SHRANK), 1);

    /* and back: broker up, ISR expanded, recovered */
    diff_snapshots(&b, &a, tl, 6000);
    assert_string_equal(event_text(tl, KS_EV_BROKER_UP, NULL), "broker 2 (localhost:9093) up");
    assert_string_equal(event_text(tl, KS_EV_ISR_EXPANDED, NULL),
                        "ISR expanded: broker 2 joined (ISR 2,3,1)");
    assert_non_null(event_text(tl, KS_EV_RECOVERED, NULL));
    part_unref(c1);
    part_unref(c2);
    timeline_free(tl);
}

static void test_offline_and_back(void **state)
{
    ks_timeline *tl = timeline_new(64);
    ks_cluster *c1 = fx_cluster(1, 1), *c2 = fx_cluster(1, 1);
    ks_topic *t;

    (void)state;
    fx_topic(c1, "solo", 1, 1);
    t = fx_topic(c2, "solo", 1, 1);
    t->partitions[0].leader = KS_NO_ID;
    fx_isr(t, 0, "");
    ks_snapshot a = fx_snap(c1, NULL, NULL, NULL), b = fx_snap(c2, NULL, NULL, NULL);
    diff_snapshots(&a, &b, tl, 1);
    assert_string_equal(event_text(tl, KS_EV_OFFLINE, NULL), "offline: no leader (was broker 1)");
    assert_int_equal(fx_count_events(tl, KS_EV_UNDER_REPLICATED), 0); /* offline says it all */
    diff_snapshots(&b, &a, tl, 2);
    assert_string_equal(event_text(tl, KS_EV_LEADER_MOVED, NULL), "back online: leader broker 1");
    part_unref(c1);
    part_unref(c2);
    timeline_free(tl);
}

static void test_topics_created_deleted_partitions_added(void **state)
{
    ks_timeline *tl = timeline_new(64);
    ks_cluster *c1 = three_topics(), *c2 = fx_cluster(3, 8);
    const char *subject;

    (void)state;
    fx_topic(c2, "alpha", 6, 3);
    fx_topic(c2, "beta", 2, 2);
    fx_topic(c2, "position", 3, 3);
    ks_snapshot a = fx_snap(c1, NULL, NULL, NULL), b = fx_snap(c2, NULL, NULL, NULL);
    diff_snapshots(&a, &b, tl, 1);
    assert_string_equal(event_text(tl, KS_EV_TOPIC_CREATED, &subject),
                        "topic created: 2 partitions, replication factor 2");
    assert_string_equal(subject, "beta");
    event_text(tl, KS_EV_TOPIC_DELETED, &subject);
    assert_string_equal(subject, "zeta");
    assert_string_equal(event_text(tl, KS_EV_PARTITIONS_ADDED, NULL), "partitions added: 3 -> 6");
    assert_int_equal(timeline_seq(tl), 3);
    part_unref(c1);
    part_unref(c2);
    timeline_free(tl);
}

static void test_many_partitions_are_summarised(void **state)
{
    ks_timeline *tl = timeline_new(4096);
    ks_cluster *c1 = fx_cluster(3, 1), *c2 = fx_cluster(3, 1);
    ks_topic *t;

    (void)state;
    fx_topic(c1, "big", 1000, 3);
    t = fx_topic(c2, "big", 1000, 3);
    for (int p = 0; p < 1000; p++) {
        ks_partition *part = &t->partitions[p];
        int n = 0;
        for (int r = 0; r < part->nisr; r++)
            if (part->isr[r] != 2)
                part->isr[n++] = part->isr[r];
        part->nisr = n;
    }
    ks_snapshot a = fx_snap(c1, NULL, NULL, NULL), b = fx_snap(c2, NULL, NULL, NULL);
    diff_snapshots(&a, &b, tl, 1);
    /* 5 individual events plus one summary per kind, not 1000 */
    assert_int_equal(fx_count_events(tl, KS_EV_ISR_SHRANK), 6);
    assert_string_equal(event_text(tl, KS_EV_ISR_SHRANK, NULL),
                        "isr-shrank: and 995 more partitions");
    assert_true(timeline_seq(tl) <= DIFF_MAX_EVENTS + 1);
    part_unref(c1);
    part_unref(c2);
    timeline_free(tl);
}

static void test_failed_poll_is_not_a_deletion(void **state)
{
    ks_timeline *tl = timeline_new(64);
    ks_cluster *c1 = three_topics(), *dead = cluster_new(), *c3 = three_topics();

    (void)state;
    part_set_error(dead, "all brokers down");
    ks_snapshot a = fx_snap(c1, NULL, NULL, NULL), b = fx_snap(dead, NULL, NULL, NULL),
                c = fx_snap(c3, NULL, NULL, NULL);
    diff_snapshots(&a, &b, tl, 1);
    assert_int_equal(fx_count_events(tl, KS_EV_TOPIC_DELETED), 0);
    assert_string_equal(event_text(tl, KS_EV_SOURCE_ERROR, NULL), "kafka: all brokers down");
    diff_snapshots(&b, &c, tl, 2);
    assert_int_equal(fx_count_events(tl, KS_EV_TOPIC_CREATED), 0);
    assert_string_equal(event_text(tl, KS_EV_SOURCE_OK, NULL), "kafka: answering again");
    part_unref(c1);
    part_unref(dead);
    part_unref(c3);
    timeline_free(tl);
}

/* The cluster poller's failed part keeps the brokers it knew, all down:
 * brokers are diffed (down, then up), topics are neither deleted nor created. */
static void test_failed_poll_with_brokers_down(void **state)
{
    ks_timeline *tl = timeline_new(64);
    ks_cluster *c1 = three_topics(), *dead = fx_cluster(3, 0), *c3 = three_topics();

    (void)state;
    for (int i = 0; i < dead->nbrokers; i++)
        dead->brokers[i].up = false;
    part_set_error(dead, "cannot reach the cluster: all brokers are down");
    ks_snapshot a = fx_snap(c1, NULL, NULL, NULL), b = fx_snap(dead, NULL, NULL, NULL),
                c = fx_snap(c3, NULL, NULL, NULL);
    diff_snapshots(&a, &b, tl, 1);
    assert_int_equal(fx_count_events(tl, KS_EV_BROKER_DOWN), 3);
    assert_int_equal(fx_count_events(tl, KS_EV_TOPIC_DELETED), 0);
    diff_snapshots(&b, &c, tl, 2);
    assert_int_equal(fx_count_events(tl, KS_EV_BROKER_UP), 3);
    assert_int_equal(fx_count_events(tl, KS_EV_TOPIC_CREATED), 0);
    part_unref(c1);
    part_unref(dead);
    part_unref(c3);
    timeline_free(tl);
}

static void test_profile_switch_is_a_new_baseline(void **state)
{
    ks_timeline *tl = timeline_new(64);
    ks_cluster *c1 = three_topics(), *c2 = fx_cluster(1, 1);

    (void)state;
    c2->cluster_id = "other";
    fx_topic(c2, "x", 1, 1);
    ks_snapshot a = fx_snap(c1, NULL, NULL, NULL), b = fx_snap(c2, NULL, NULL, NULL);
    diff_snapshots(&a, &b, tl, 1);
    assert_int_equal(fx_count_events(tl, KS_EV_TOPIC_DELETED), 0);
    assert_int_equal(fx_count_events(tl, KS_EV_LOG), 1);
    part_unref(c1);
    part_unref(c2);
    timeline_free(tl);
}

static void test_groups(void **state)
{
    ks_timeline *tl = timeline_new(256);
    ks_groups *g1 = fx_groups(4), *g2 = fx_groups(4);
    ks_group *a, *b;
    const char *subject;

    (void)state;
    a = fx_group(g1, "gone", "Empty", 1, 1);
    a = fx_group(g1, "readers", "Stable", 4, 1);
    a->generation_valid = true;
    a->generation = 4;
    fx_member(g1, a, "m1", "c1", "position:0,1");
    fx_member(g1, a, "m2", "c2", "position:2");
    fx_group(g2, "fresh", "Stable", 1, 1);
    b = fx_group(g2, "readers", "PreparingRebalance", 4, 1);
    b->generation_valid = true;
    b->generation = 5;
    fx_member(g2, b, "m1", "c1", "position:0");
    fx_member(g2, b, "m3", "c3", "position:1,2");
    ks_snapshot s1 = fx_snap(NULL, g1, NULL, NULL), s2 = fx_snap(NULL, g2, NULL, NULL);
    diff_snapshots(&s1, &s2, tl, 1);
    event_text(tl, KS_EV_GROUP_GONE, &subject);
    assert_string_equal(subject, "gone");
    event_text(tl, KS_EV_GROUP_NEW, &subject);
    assert_string_equal(subject, "fresh");
    assert_string_equal(event_text(tl, KS_EV_GROUP_STATE, &subject),
                        "state Stable -> PreparingRebalance");
    assert_string_equal(subject, "readers");
    assert_string_equal(event_text(tl, KS_EV_GROUP_GENERATION, NULL), "generation 4 -> 5");
    assert_string_equal(event_text(tl, KS_EV_MEMBER_LEFT, NULL), "member left: c2 (/127.0.0.1)");
    assert_string_equal(event_text(tl, KS_EV_MEMBER_JOINED, NULL),
                        "member joined: c3 (/127.0.0.1)");
    assert_string_equal(event_text(tl, KS_EV_ASSIGNMENT, NULL),
                        "assignment of c1: -position-1 (now 1 partitions)");
    part_unref(g1);
    part_unref(g2);
    timeline_free(tl);
}

static void test_unsupported_groups_and_group_errors(void **state)
{
    ks_timeline *tl = timeline_new(64);
    ks_groups *g1 = fx_groups(1), *g2 = fx_groups(1);
    ks_group *a, *b;

    (void)state;
    a = fx_group(g1, "readers", "Stable", 1, 1);
    fx_member(g1, a, "m1", "c1", "");
    b = fx_group(g2, "readers", "Stable", 1, 1);
    b->error = "coordinator not available"; /* static string: fine, the arena does not own it */
    ks_snapshot s1 = fx_snap(NULL, g1, NULL, NULL), s2 = fx_snap(NULL, g2, NULL, NULL);
    diff_snapshots(&s1, &s2, tl, 1);
    assert_int_equal(fx_count_events(tl, KS_EV_MEMBER_LEFT), 0);
    g2->supported = false;
    diff_snapshots(&s1, &s2, tl, 1);
    assert_int_equal(timeline_seq(tl), 0);
    part_unref(g1);
    part_unref(g2);
    timeline_free(tl);
}

static void test_zookeeper_and_registry(void **state)
{
    ks_timeline *tl = timeline_new(64);
    ks_zk *z1 = fx_zk(3, 0), *z2 = fx_zk(3, 1), *z3 = fx_zk(3, -1);
    ks_registry *r1 = fx_registry(2, true), *r2 = fx_registry(2, false);
    const char *subject;

    (void)state;
    ks_snapshot a = fx_snap(NULL, NULL, z1, r1), b = fx_snap(NULL, NULL, z2, r2),
                c = fx_snap(NULL, NULL, z3, r1);
    diff_snapshots(&a, &b, tl, 1);
    assert_int_equal(fx_count_events(tl, KS_EV_ZK_ROLE), 2);
    assert_string_equal(event_text(tl, KS_EV_ZK_ROLE, &subject), "follower -> leader");
    assert_string_equal(subject, "localhost:2182");
    assert_string_equal(event_text(tl, KS_EV_REGISTRY_DOWN, NULL),
                        "registry unreachable: connection refused");
    diff_snapshots(&b, &c, tl, 2);
    assert_string_equal(event_text(tl, KS_EV_QUORUM_LOST, NULL), "ZooKeeper quorum lost");
    assert_non_null(event_text(tl, KS_EV_REGISTRY_UP, NULL));
    diff_snapshots(&c, &a, tl, 3);
    assert_non_null(event_text(tl, KS_EV_QUORUM_REGAINED, NULL));
    /* first registry poll unreachable: one event, not silence */
    ks_snapshot none = fx_snap(NULL, NULL, NULL, NULL), d = fx_snap(NULL, NULL, NULL, r2);
    diff_snapshots(&none, &d, tl, 4);
    assert_int_equal(fx_count_events(tl, KS_EV_REGISTRY_DOWN), 2);
    part_unref(z1);
    part_unref(z2);
    part_unref(z3);
    part_unref(r1);
    part_unref(r2);
    timeline_free(tl);
}

static void test_ten_thousand_partitions_is_quick(void **state)
{
    ks_timeline *tl = timeline_new(64);
    ks_cluster *c1 = fx_cluster(3, 1000), *c2 = fx_cluster(3, 1000);
    int64_t start;

    (void)state;
    for (int i = 0; i < 1000; i++) {
        char name[32];
        snprintf(name, sizeof(name), "topic-%04d", i);
        fx_topic(c1, name, 10, 3);
        fx_topic(c2, name, 10, 3);
    }
    ks_snapshot a = fx_snap(c1, NULL, NULL, NULL), b = fx_snap(c2, NULL, NULL, NULL);
    start = clock_mono_ms();
    for (int i = 0; i < 10; i++)
        diff_snapshots(&a, &b, tl, 1);
    /* ten diffs of 10,000 partitions: well under a second even with sanitizers */
    assert_true(clock_mono_ms() - start < 1000);
    assert_int_equal(timeline_seq(tl), 0);
    part_unref(c1);
    part_unref(c2);
    timeline_free(tl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_snapshot_is_a_baseline),
        cmocka_unit_test(test_unchanged_part_is_skipped),
        cmocka_unit_test(test_broker_down_isr_shrank_leader_moved),
        cmocka_unit_test(test_offline_and_back),
        cmocka_unit_test(test_topics_created_deleted_partitions_added),
        cmocka_unit_test(test_many_partitions_are_summarised),
        cmocka_unit_test(test_failed_poll_is_not_a_deletion),
        cmocka_unit_test(test_failed_poll_with_brokers_down),
        cmocka_unit_test(test_profile_switch_is_a_new_baseline),
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_unsupported_groups_and_group_errors),
        cmocka_unit_test(test_zookeeper_and_registry),
        cmocka_unit_test(test_ten_thousand_partitions_is_quick),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
