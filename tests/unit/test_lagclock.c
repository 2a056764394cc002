/* test_lagclock: time lag read off the log-end offsets seen round after round. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fixtures.h"
#include "lagclock.h"

/* One round: group g reads topic t partition 0 at committed c, log end e; a
 * second group h reads the same partition at ch (-1: no such group). */
static ks_groups *round_part(int64_t c, int64_t e, int64_t ch)
{
    ks_groups *gs = fx_groups(2);
    ks_group *g = fx_group(gs, "g", "Stable", 1, 2);
    fx_offset(gs, g, "t", 0, c, e);
    fx_offset(gs, g, "u", 0, -1, e); /* never committed: no lag, no time lag */
    if (ch >= 0)
        fx_offset(gs, fx_group(gs, "h", "Stable", 1, 1), "t", 0, ch, e);
    return gs;
}

static void test_estimate(void **state)
{
    const int64_t ends[] = {100, 150, 250}, times[] = {10000, 20000, 30000};
    int64_t lag;
    bool at_least;

    (void)state;
    /* caught up */
    assert_true(lagclock_estimate(ends, times, 3, 250, 31000, &lag, &at_least));
    assert_int_equal(lag, 0);
    assert_false(at_least);
    /* offset 199 was written between 20 s and 30 s, half-way: about 25 s */
    assert_true(lagclock_estimate(ends, times, 3, 199, 40000, &lag, &at_least));
    assert_int_equal(lag, 15000);
    assert_false(at_least);
    /* offset 100 was the first written after the first sample */
    assert_true(lagclock_estimate(ends, times, 3, 100, 40000, &lag, &at_least));
    assert_int_equal(lag, 40000 - 10200);
    /* older than the first sample: only a lower bound, the watch's age */
    assert_true(lagclock_estimate(ends, times, 3, 40, 40000, &lag, &at_least));
    assert_int_equal(lag, 30000);
    assert_true(at_least);
    /* a lower bound of nothing says nothing */
    assert_false(lagclock_estimate(ends, times, 1, 40, 10000, &lag, &at_least));
    assert_false(lagclock_estimate(ends, times, 0, 40, 10000, &lag, &at_least));
}

static void test_apply_over_rounds(void **state)
{
    ks_lagclock *lc = lagclock_new();
    ks_groups *gs;

    (void)state;
    /* first round: the group is behind, but nothing is known yet */
    gs = round_part(90, 100, -1);
    lagclock_apply(lc, gs, 1000);
    assert_false(gs->groups[0].offsets[0].time_lag_valid);
    assert_false(gs->groups[0].time_lag_valid);
    part_unref(gs);
    /* the log end moves, the group does not: the lower bound grows */
    gs = round_part(90, 200, 200);
    lagclock_apply(lc, gs, 3000);
    const ks_offset *o = &gs->groups[0].offsets[0];
    assert_true(o->time_lag_valid);
    assert_true(o->time_lag_at_least);
    assert_int_equal(o->time_lag_ms, 2000);
    assert_false(gs->groups[0].offsets[1].time_lag_valid); /* no commit */
    assert_true(gs->groups[1].offsets[0].time_lag_valid);  /* h is caught up */
    assert_int_equal(gs->groups[1].offsets[0].time_lag_ms, 0);
    assert_false(gs->groups[1].offsets[0].time_lag_at_least);
    part_unref(gs);
    /* the group moves to 150: written between 1 s and 3 s, exact now */
    gs = round_part(150, 200, -1);
    lagclock_apply(lc, gs, 5000);
    o = &gs->groups[0].offsets[0];
    assert_true(o->time_lag_valid);
    assert_false(o->time_lag_at_least);
    assert_int_equal(o->time_lag_ms, 5000 - 2020); /* offset 150 of 100..199 */
    assert_true(gs->groups[0].time_lag_valid);
    assert_int_equal(gs->groups[0].time_lag_ms, o->time_lag_ms);
    part_unref(gs);
    /* no new message: the oldest unconsumed one keeps ageing */
    gs = round_part(150, 200, -1);
    lagclock_apply(lc, gs, 9000);
    assert_int_equal(gs->groups[0].offsets[0].time_lag_ms, 9000 - 2020);
    part_unref(gs);
    /* a log end below the last one is a slower source's news, ignored... */
    gs = round_part(150, 199, -1);
    lagclock_apply(lc, gs, 9500);
    assert_int_equal(gs->groups[0].offsets[0].time_lag_ms, 9500 - 2020);
    part_unref(gs);
    /* ...unless it stays below (three in a row): the topic was recreated, the
     * history restarts */
    gs = round_part(5, 10, -1);
    lagclock_apply(lc, gs, 10000);
    part_unref(gs);
    gs = round_part(5, 10, -1);
    lagclock_apply(lc, gs, 11000);
    assert_false(gs->groups[0].offsets[0].time_lag_valid);
    part_unref(gs);
    gs = round_part(5, 20, -1);
    lagclock_apply(lc, gs, 13000);
    assert_int_equal(gs->groups[0].offsets[0].time_lag_ms, 13000 - 11000);
    assert_true(gs->groups[0].offsets[0].time_lag_at_least);
    part_unref(gs);
    lagclock_free(lc);
}

/* A cluster part with 1 partition of topic t at high watermark `high`. */
static ks_cluster *cluster_at(int64_t high, int64_t taken_ms)
{
    ks_cluster *c = fx_cluster(1, 1);
    fx_topic(c, "t", 1, 1);
    c->topics[0].partitions[0].high = high;
    c->part.taken_ms = taken_ms;
    return c;
}

/* The cluster poll's watermarks: a group that appears far behind on a topic
 * no group read before gets an exact time lag. */
static void test_cluster_samples(void **state)
{
    ks_lagclock *lc = lagclock_new();
    ks_cluster *c;
    ks_groups *gs;

    (void)state;
    for (int r = 0; r < 5; r++) { /* 100 messages a second from 1 s */
        c = cluster_at(100 * r, 1000 * (r + 1));
        lagclock_observe_cluster(lc, c);
        lagclock_observe_cluster(lc, c); /* the same part again: no-op */
        part_unref(c);
    }
    c = cluster_at(50, 3500); /* older and lower: ignored */
    lagclock_observe_cluster(lc, c);
    part_unref(c);
    /* a groups round read before the newest cluster sample: measured from it */
    gs = round_part(350, 380, -1);
    lagclock_apply(lc, gs, 4900);
    assert_int_equal(gs->groups[0].offsets[0].time_lag_ms, 5000 - 4510);
    part_unref(gs);
    gs = round_part(150, 400, -1); /* the group shows up at 5.5 s, at offset 150 */
    lagclock_apply(lc, gs, 5500);
    const ks_offset *o = &gs->groups[0].offsets[0];
    assert_true(o->time_lag_valid);
    assert_false(o->time_lag_at_least);
    assert_int_equal(o->time_lag_ms, 5500 - 2510); /* written between 2 s and 3 s */
    part_unref(gs);
    lagclock_observe_cluster(lc, NULL);
    lagclock_free(lc);
}

/* A long watch keeps a bounded curve that still reaches back to its start. */
static void test_bounded_history(void **state)
{
    ks_lagclock *lc = lagclock_new();
    ks_groups *gs;

    (void)state;
    for (int r = 0; r <= 1000; r++) { /* 10 messages a second, a round a second */
        gs = round_part(0, 10 * r, -1);
        lagclock_apply(lc, gs, 1000 * r);
        part_unref(gs);
    }
    /* offset 5,000 was written at about 500 s; the curve is coarse there */
    gs = round_part(5000, 10000, -1);
    lagclock_apply(lc, gs, 1000000);
    const ks_offset *o = &gs->groups[0].offsets[0];
    assert_true(o->time_lag_valid);
    assert_false(o->time_lag_at_least);
    assert_in_range(o->time_lag_ms, 500000 - 40000, 500000 + 40000);
    part_unref(gs);
    /* recent offsets stay exact to the round */
    gs = round_part(9950, 10000, -1);
    lagclock_apply(lc, gs, 1000000);
    assert_in_range(gs->groups[0].offsets[0].time_lag_ms, 4000, 6000);
    part_unref(gs);
    lagclock_free(lc);
}

/* Partitions no longer polled are forgotten; many partitions grow the table. */
static void test_many_partitions_and_forgetting(void **state)
{
    ks_lagclock *lc = lagclock_new();

    (void)state;
    for (int r = 0; r < 2 * LAGCLOCK_FORGET_ROUNDS; r++) {
        ks_groups *gs = fx_groups(1);
        ks_group *g = fx_group(gs, "g", "Stable", 1, 2000);
        char topic[32];
        /* 2,000 partitions in the first rounds, then only one topic */
        int n = r < 3 ? 2000 : 1;
        for (int p = 0; p < n; p++) {
            snprintf(topic, sizeof(topic), "t%d", p / 10);
            fx_offset(gs, g, topic, p % 10, 10 * r, 10 * r + 10);
        }
        lagclock_apply(lc, gs, 1000 * (r + 1));
        if (r >= 1) /* written one round ago */
            assert_int_equal(g->offsets[0].time_lag_ms, 1000 - 100);
        part_unref(gs);
    }
    lagclock_free(lc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_estimate),
        cmocka_unit_test(test_apply_over_rounds),
        cmocka_unit_test(test_cluster_samples),
        cmocka_unit_test(test_bounded_history),
        cmocka_unit_test(test_many_partitions_and_forgetting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
