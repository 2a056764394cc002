/* test_load: the load spec text, partition sets, the rebalance timeline
 * built from member callbacks, and the stats a view copies out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"

/* ---- spec ---- */

static void test_spec_round_trip(void **state)
{
    (void)state;
    ks_load_spec a, b;
    char err[128];

    load_spec_defaults(&a);
    assert_int_equal(load_spec_parse(&a,
                                     "topic=pos-1;producers=20;messages=5000;interval_ms=10;"
                                     "mode=fire-and-forget;acks=0;compression=lz4;format=avro;"
                                     "consumers=3;group=g1;commit=manual;assignor=cooperative;"
                                     "offset_reset=latest;session_timeout_ms=6000;"
                                     "stop_when_drained=true",
                                     err, sizeof(err)),
                     0);
    assert_string_equal(a.topic, "pos-1");
    assert_int_equal(a.producers, 20);
    assert_int_equal(a.messages, 5000);
    assert_int_equal(a.mode, KS_SEND_FIRE_AND_FORGET);
    assert_int_equal(a.acks, 0);
    assert_int_equal(a.format, KS_FORMAT_AVRO);
    assert_int_equal(a.commit, KS_COMMIT_SYNC);
    assert_int_equal(a.assignor, KS_ASSIGNOR_COOPERATIVE_STICKY);
    assert_true(a.stop_when_drained);
    char *text = load_spec_format(&a);
    load_spec_defaults(&b);
    assert_int_equal(load_spec_parse(&b, text, err, sizeof(err)), 0);
    assert_memory_equal(&a, &b, sizeof(a));
    free(text);
    /* the workbook's numeric send modes */
    assert_int_equal(load_spec_parse(&b, "mode=1", err, sizeof(err)), 0);
    assert_int_equal(b.mode, KS_SEND_SYNC);
}

static void test_spec_errors(void **state)
{
    (void)state;
    ks_load_spec s;
    char err[128];

    load_spec_defaults(&s);
    assert_int_equal(load_spec_parse(&s, "producers=65", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "producers"));
    assert_int_equal(load_spec_parse(&s, "acks=2", err, sizeof(err)), -1);
    assert_int_equal(load_spec_parse(&s, "colour=blue", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "unknown"));
    assert_int_equal(load_spec_parse(&s, "topic", err, sizeof(err)), -1);
    assert_int_equal(load_spec_parse(&s, "topic=a b", err, sizeof(err)), -1);
    assert_int_equal(load_spec_parse(&s, "acks=1;idempotent=1", err, sizeof(err)), 0);
    assert_int_equal(load_spec_check(&s, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "acks=all"));
    assert_int_equal(load_spec_parse(&s, "acks=all;producers=0;consumers=0", err, sizeof(err)), 0);
    assert_int_equal(load_spec_check(&s, err, sizeof(err)), -1);
    assert_int_equal(load_spec_parse(&s, "consumers=1", err, sizeof(err)), 0);
    assert_int_equal(load_spec_check(&s, err, sizeof(err)), 0);
}

static void test_pset_format(void **state)
{
    (void)state;
    ks_pset s;
    char buf[64];

    load_pset_clear(&s);
    load_pset_format(&s, buf, sizeof(buf));
    assert_string_equal(buf, "-");
    int parts[] = {0, 1, 2, 5, 7, 8, 100, 255, 256, -1};
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
        load_pset_add(&s, parts[i]);
    assert_int_equal(load_pset_count(&s), 8);
    assert_int_equal(load_pset_format(&s, buf, sizeof(buf)), (int)strlen("0-2,5,7,8,100,255"));
    assert_string_equal(buf, "0-2,5,7,8,100,255");
    /* truncation counts like snprintf */
    assert_int_equal(load_pset_format(&s, buf, 6), (int)strlen("0-2,5,7,8,100,255"));
    assert_string_equal(buf, "0-2,5");
    load_pset_del(&s, 1);
    assert_false(load_pset_has(&s, 1));
}

/* ---- rebalance timeline ---- */

static ks_load *run_with(int partitions, int consumers)
{
    ks_load *load = load_new();
    ks_load_spec spec;
    load_spec_defaults(&spec);
    spec.consumers = consumers;
    spec.partitions = partitions;
    snprintf(spec.group, sizeof(spec.group), "g");
    load_run_begin(load, &spec, "run1", partitions, 1000);
    return load;
}

static void assign(ks_load *load, int m, int32_t gen, int64_t now, const int32_t *p, int n)
{
    load_rebalance(load, m, true, false, gen, p, n, now);
}

static void revoke(ks_load *load, int m, int32_t gen, int64_t now, const int32_t *p, int n)
{
    load_rebalance(load, m, false, false, gen, p, n, now);
}

static void test_eager_join_records_each_generation(void **state)
{
    (void)state;
    ks_load *load = run_with(3, 2);
    ks_load_rebalance *r = malloc(8 * sizeof(*r));
    const int32_t all[] = {0, 1, 2}, first[] = {0, 1}, second[] = {2};

    /* member 0 alone: generation 1 */
    load_member_event(load, 0, LOAD_MEMBER_JOINING, 1000);
    assign(load, 0, 1, 1100, all, 3);
    /* member 1 joins: everybody revokes, then generation 2 splits */
    load_member_event(load, 1, LOAD_MEMBER_JOINING, 2000);
    revoke(load, 0, 1, 2500, all, 3);
    assign(load, 0, 2, 2700, first, 2);
    /* not complete until member 1 reported */
    assert_int_equal(load_rebalances(load, r, 8), 2);
    assert_false(r[1].complete);
    assert_int_equal(r[1].unowned, 1);
    assign(load, 1, 2, 2750, second, 1);

    assert_int_equal(load_rebalances(load, r, 8), 2);
    assert_true(r[0].complete && r[0].cover_ok);
    assert_int_equal(r[0].generation, 1);
    assert_false(r[0].stopped_valid); /* the first assignment stops nothing */
    assert_true(r[1].complete && r[1].cover_ok);
    assert_int_equal(r[1].generation, 2);
    assert_int_equal(r[1].trigger_ms, 2000);
    assert_int_equal(r[1].start_ms, 2500);
    assert_true(r[1].stopped_valid);
    assert_int_equal(r[1].stopped_ms, 250); /* partition 2: revoked 2500, owned 2750 */
    assert_string_equal(r[1].cause, "member 1 joined");
    assert_int_equal(r[1].nmembers, 2);
    assert_int_equal(load_pset_count(&r[1].members[0].revoked), 3);
    assert_int_equal(load_pset_count(&r[1].members[0].owned), 2);
    assert_true(load_pset_has(&r[1].members[1].owned, 2));

    ks_load_stats *st = malloc(sizeof(*st));
    load_stats(load, st);
    assert_int_equal(st->rebalances, 2);
    assert_true(st->generation_valid);
    assert_int_equal(st->generation, 2);
    assert_int_equal(st->member[0].nassigned, 2);
    assert_int_equal(st->member[0].rebalances, 2);
    free(st);
    free(r);
    load_free(load);
}

static void test_kill_waits_for_the_session_timeout(void **state)
{
    (void)state;
    ks_load *load = run_with(4, 2);
    ks_load_rebalance *r = malloc(8 * sizeof(*r));
    const int32_t a[] = {0, 1}, b[] = {2, 3}, all[] = {0, 1, 2, 3};

    load_member_event(load, 0, LOAD_MEMBER_JOINING, 1000);
    load_member_event(load, 1, LOAD_MEMBER_JOINING, 1000);
    assign(load, 0, 3, 2000, a, 2);
    assign(load, 1, 3, 2000, b, 2);
    /* member 1 dies at 10 s; the coordinator notices 6 s later */
    load_member_event(load, 1, LOAD_MEMBER_KILLED, 10000);
    revoke(load, 0, 3, 16100, a, 2);
    assign(load, 0, 4, 16300, all, 4);
    assert_int_equal(load_rebalances(load, r, 8), 2);
    assert_true(r[1].complete && r[1].cover_ok);
    assert_string_equal(r[1].cause, "member 1 killed");
    assert_int_equal(r[1].trigger_ms, 10000);
    assert_int_equal(r[1].start_ms, 16100);
    assert_int_equal(r[1].stopped_ms, 6300); /* partitions 2, 3 from the kill */
    ks_load_stats *st = malloc(sizeof(*st));
    load_stats(load, st);
    assert_int_equal(st->member[1].state, LOAD_WORKER_IDLE); /* no worker in this test */
    assert_int_equal(st->member[1].nassigned, 0);            /* reassigned: not its own */
    assert_int_equal(st->member[0].nassigned, 4);
    free(st);
    free(r);
    load_free(load);
}

static void test_cooperative_increments_and_supersede(void **state)
{
    (void)state;
    ks_load *load = run_with(2, 2);
    ks_load_rebalance *r = malloc(8 * sizeof(*r));
    const int32_t both[] = {0, 1}, one[] = {1};

    load_member_event(load, 0, LOAD_MEMBER_JOINING, 0);
    load_rebalance(load, 0, true, true, 1, both, 2, 100);
    load_member_event(load, 1, LOAD_MEMBER_JOINING, 1000);
    /* generation 2: member 0 gives partition 1 up, member 1 gets nothing yet */
    load_rebalance(load, 0, false, true, 1, one, 1, 1100);
    load_rebalance(load, 0, true, true, 2, NULL, 0, 1150);
    load_rebalance(load, 1, true, true, 2, NULL, 0, 1150);
    /* generation 3: member 1 gets it */
    load_rebalance(load, 0, true, true, 3, NULL, 0, 1300);
    load_rebalance(load, 1, true, true, 3, one, 1, 1300);
    assert_int_equal(load_rebalances(load, r, 8), 3);
    assert_true(r[1].complete);
    assert_false(r[1].cover_ok); /* partition 1 in transit */
    assert_int_equal(r[1].unowned, 1);
    assert_true(r[2].cover_ok);
    assert_int_equal(r[2].stopped_ms, 200);
    assert_true(load_pset_has(&r[2].members[0].owned, 0)); /* kept across the increment */

    /* a rebalance superseded before everybody reported stays incomplete */
    load_member_event(load, 2, LOAD_MEMBER_JOINING, 2000);
    load_rebalance(load, 0, true, true, 4, NULL, 0, 2100);
    load_rebalance(load, 0, true, true, 5, NULL, 0, 2200);
    load_rebalance(load, 1, true, true, 5, NULL, 0, 2200);
    load_rebalance(load, 2, true, true, 5, NULL, 0, 2200);
    assert_int_equal(load_rebalances(load, r, 8), 5);
    assert_int_equal(r[3].generation, 4);
    assert_false(r[3].complete);
    assert_true(r[4].complete);
    free(r);
    load_free(load);
}

static void test_clean_leave(void **state)
{
    (void)state;
    ks_load *load = run_with(2, 2);
    ks_load_rebalance *r = malloc(4 * sizeof(*r));
    const int32_t p0[] = {0}, p1[] = {1}, both[] = {0, 1};

    load_member_event(load, 0, LOAD_MEMBER_JOINING, 0);
    load_member_event(load, 1, LOAD_MEMBER_JOINING, 0);
    assign(load, 0, 1, 10, p0, 1);
    assign(load, 1, 1, 10, p1, 1);
    load_member_event(load, 1, LOAD_MEMBER_LEAVING, 5000);
    revoke(load, 1, 1, 5010, p1, 1); /* in its close */
    load_member_event(load, 1, LOAD_MEMBER_LEFT, 5020);
    revoke(load, 0, 1, 5100, p0, 1);
    assign(load, 0, 2, 5200, both, 2);
    assert_int_equal(load_rebalances(load, r, 4), 2);
    assert_true(r[1].cover_ok);
    assert_string_equal(r[1].cause, "member 1 left");
    assert_int_equal(r[1].stopped_ms, 190);
    free(r);
    load_free(load);
}

static void test_late_report_joins_its_generation(void **state)
{
    (void)state;
    ks_load *load = run_with(2, 3);
    ks_load_rebalance *r = malloc(4 * sizeof(*r));
    const int32_t p0[] = {0}, p1[] = {1};

    for (int m = 0; m < 3; m++)
        load_member_event(load, m, LOAD_MEMBER_JOINING, 0);
    /* member 2 is asked to leave during generation 7, which the others
     * then finish without it */
    load_rebalance(load, 0, true, true, 7, p0, 1, 10);
    load_member_event(load, 2, LOAD_MEMBER_LEAVING, 12);
    load_rebalance(load, 1, true, true, 7, p1, 1, 14);
    load_rebalance(load, 2, false, true, -1, NULL, 0, 25); /* its close: a new rebalance */
    load_rebalance(load, 2, true, true, 7, NULL, 0, 30);   /* its late report of 7 */
    load_member_event(load, 2, LOAD_MEMBER_LEFT, 40);
    load_rebalance(load, 0, true, true, 8, NULL, 0, 50);
    load_rebalance(load, 1, true, true, 8, NULL, 0, 50);
    int n = load_rebalances(load, r, 4);
    assert_int_equal(n, 2);
    assert_int_equal(r[0].generation, 7);
    assert_int_equal(r[0].nmembers, 3); /* the late report landed in generation 7 */
    assert_true(r[0].cover_ok);
    assert_int_equal(r[1].generation, 8);
    assert_string_equal(r[1].cause, "member 2 left");
    assert_true(r[1].cover_ok);
    ks_load_stats *st = malloc(sizeof(*st));
    load_stats(load, st);
    assert_int_equal(st->rebalances, 2);
    assert_false(st->rebalancing);
    free(st);
    free(r);
    load_free(load);
}

/* ---- counters and ticks ---- */

static void test_stats_sum_workers_and_rates(void **state)
{
    (void)state;
    ks_load *load = run_with(3, 1);
    ks_load_stats *st = malloc(sizeof(*st));
    ks_load_spec spec;

    load_spec_defaults(&spec);
    spec.producers = 2;
    spec.couriers = 5;
    load_run_begin(load, &spec, "run2", 3, 0);
    for (int t = 0; t < 2; t++) {
        ks_load_producer *p = load_producer(load, t);
        atomic_store(&p->produced, 100);
        atomic_store(&p->acked, 90);
        atomic_store(&p->failed, 2);
        histogram_record(&p->latency, 2000 + (uint64_t)t);
    }
    load_courier_update(load, 3);
    load_courier_update(load, 3);
    load_courier_update(load, 5000);
    load_tick(load, 1000, 0);
    for (int t = 0; t < 2; t++)
        atomic_store(&load_producer(load, t)->produced, 600);
    load_tick(load, 2000, 0);
    load_stats(load, st);
    assert_int_equal(st->produced, 1200);
    assert_int_equal(st->acked, 180);
    assert_int_equal(st->in_flight, 1200 - 184);
    assert_true(st->produce_rate > 999.0 && st->produce_rate < 1001.0);
    assert_true(st->producer[1].rate > 499.0);
    assert_int_equal(st->nhistory, 1);
    assert_true(st->produce_latency.valid);
    assert_true(st->produce_latency.p50_ms > 1.9 && st->produce_latency.p50_ms < 2.1);
    assert_false(st->e2e_latency.valid);
    assert_int_equal(st->ncouriers, 10);
    assert_int_equal(st->courier_updates[3], 2);
    assert_int_equal(st->courier_other, 1);
    assert_string_equal(st->run_id, "run2");
    load_set_interval(load, 25);
    assert_int_equal(load_interval(load), 25);
    load_position(load, 1, 50);
    load_position(load, 1, 40); /* positions only move forward */
    assert_int_equal(load_position_get(load, 1), 50);
    assert_int_equal(load_position_get(load, 2), -1);
    free(st);
    load_free(load);
}

/* The dashboard stops a stop_when_drained run once, when it has drained. */
static void test_drained_stop_once_per_run(void **state)
{
    (void)state;
    ks_load *load = load_new();
    ks_load_spec spec;

    load_spec_defaults(&spec);
    spec.consumers = 1;
    load_run_begin(load, &spec, "keep", 3, 0);
    load_member_event(load, 0, LOAD_MEMBER_JOINING, 0);
    load_set_state(load, LOAD_DRAINING);
    load_set_producers_done(load);
    load_set_drained(load, true, 1);
    assert_false(load_take_drained_stop(load)); /* the spec says keep reading */

    spec.stop_when_drained = true;
    load_run_begin(load, &spec, "stop", 3, 0);
    load_member_event(load, 0, LOAD_MEMBER_JOINING, 0);
    load_set_state(load, LOAD_RUNNING);
    load_set_drained(load, true, 1);
    assert_false(load_take_drained_stop(load)); /* producers still sending */
    load_set_producers_done(load);
    load_set_state(load, LOAD_DRAINING);
    load_set_drained(load, false, 1);
    assert_false(load_take_drained_stop(load)); /* not caught up yet */
    load_set_drained(load, true, 1);
    load_member_event(load, 1, LOAD_MEMBER_JOINING, 0);
    assert_false(load_take_drained_stop(load)); /* a member added since */
    load_set_drained(load, true, 2);
    assert_true(load_take_drained_stop(load));
    assert_false(load_take_drained_stop(load)); /* once */
    load_run_begin(load, &spec, "next", 3, 0);
    load_member_event(load, 0, LOAD_MEMBER_JOINING, 0);
    load_set_producers_done(load);
    load_set_state(load, LOAD_DRAINING);
    load_set_drained(load, true, 1);
    assert_true(load_take_drained_stop(load)); /* once per run */
    load_free(load);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_round_trip),
        cmocka_unit_test(test_spec_errors),
        cmocka_unit_test(test_pset_format),
        cmocka_unit_test(test_eager_join_records_each_generation),
        cmocka_unit_test(test_kill_waits_for_the_session_timeout),
        cmocka_unit_test(test_cooperative_increments_and_supersede),
        cmocka_unit_test(test_clean_leave),
        cmocka_unit_test(test_late_report_joins_its_generation),
        cmocka_unit_test(test_stats_sum_workers_and_rates),
        cmocka_unit_test(test_drained_stop_once_per_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
