/* test_audit: the sequence bitmaps and the delivery audit's arithmetic:
 * lost vs never acknowledged, log duplicates vs redeliveries, order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "audit.h"
#include "seqset.h"

/* ---- seqset ---- */

static void test_seqset_basics(void **state)
{
    (void)state;
    ks_seqset *s = seqset_new();
    uint64_t r[4][2];

    assert_false(seqset_has(s, 0));
    assert_true(seqset_add(s, 0));
    assert_false(seqset_add(s, 0)); /* already there */
    assert_true(seqset_add(s, 65535));
    assert_true(seqset_add(s, 65536));            /* next leaf */
    assert_true(seqset_add(s, (1ULL << 24) + 7)); /* next middle level */
    assert_true(seqset_add(s, SEQSET_LIMIT - 1));
    assert_false(seqset_add(s, SEQSET_LIMIT));
    assert_false(seqset_has(s, SEQSET_LIMIT));
    assert_true(seqset_has(s, 65536));
    assert_false(seqset_has(s, 65537));
    assert_int_equal(seqset_count(s), 5);
    assert_int_equal(seqset_count_andnot(s, NULL, SEQSET_LIMIT), 5);
    assert_int_equal(seqset_count_andnot(s, NULL, 65536), 2); /* below n only */
    /* 65535 and 65536 are one range across the leaf boundary */
    assert_int_equal(seqset_ranges_andnot(s, NULL, SEQSET_LIMIT, r, 4), 4);
    assert_int_equal(r[0][0], 0);
    assert_int_equal(r[0][1], 0);
    assert_int_equal(r[1][0], 65535);
    assert_int_equal(r[1][1], 65536);
    assert_int_equal(r[3][0], SEQSET_LIMIT - 1);
    seqset_free(s);
}

static void test_seqset_complement_ranges(void **state)
{
    (void)state;
    ks_seqset *seen = seqset_new();
    uint64_t r[8][2];

    /* [0, 200) with 10..19, 64..127 and 199 missing */
    for (uint64_t i = 0; i < 200; i++)
        if (!(i >= 10 && i <= 19) && !(i >= 64 && i <= 127) && i != 199)
            seqset_add(seen, i);
    assert_int_equal(seqset_count_andnot(NULL, seen, 200), 10 + 64 + 1);
    assert_int_equal(seqset_ranges_andnot(NULL, seen, 200, r, 8), 3);
    assert_int_equal(r[0][0], 10);
    assert_int_equal(r[0][1], 19);
    assert_int_equal(r[1][0], 64);
    assert_int_equal(r[1][1], 127);
    assert_int_equal(r[2][0], 199);
    assert_int_equal(r[2][1], 199);
    /* only the count when there is no room */
    assert_int_equal(seqset_ranges_andnot(NULL, seen, 200, NULL, 0), 3);
    /* a whole word and a whole leaf missing */
    assert_int_equal(seqset_count_andnot(NULL, seen, 70000), 75 + (70000 - 200));
    seqset_free(seen);
}

#define ADDERS 4

static void *adder(void *arg)
{
    ks_seqset *s = arg;
    uint64_t won = 0;
    for (uint64_t i = 0; i < 300000; i++)
        won += seqset_add(s, i * 7 % 300000);
    return (void *)(uintptr_t)won;
}

static void test_seqset_concurrent_adders(void **state)
{
    (void)state;
    ks_seqset *s = seqset_new();
    pthread_t th[ADDERS];
    uint64_t won = 0;

    for (int i = 0; i < ADDERS; i++)
        pthread_create(&th[i], NULL, adder, s);
    for (int i = 0; i < ADDERS; i++) {
        void *r;
        pthread_join(th[i], &r);
        won += (uintptr_t)r;
    }
    /* each index won by exactly one thread */
    assert_int_equal(won, 300000);
    assert_int_equal(seqset_count(s), 300000);
    assert_int_equal(seqset_count_andnot(NULL, s, 300000), 0);
    seqset_free(s);
}

static void test_seqset_add_range_except(void **state)
{
    (void)state;
    ks_seqset *s = seqset_new(), *x = seqset_new();
    uint64_t n = 200003; /* across leaves, ending inside a word */

    seqset_add(x, 0);
    seqset_add(x, 65536);
    seqset_add(x, 200002);
    seqset_add(x, 300000); /* beyond n: irrelevant */
    seqset_add(s, 5);      /* already there: not counted twice */
    seqset_add_range_except(s, x, n);
    assert_int_equal(seqset_count(s), n - 3);
    assert_false(seqset_has(s, 0));
    assert_false(seqset_has(s, 65536));
    assert_true(seqset_has(s, 65535));
    assert_true(seqset_has(s, 200001));
    assert_false(seqset_has(s, 200002));
    assert_false(seqset_has(s, 200003));
    assert_int_equal(seqset_count_andnot(s, NULL, SEQSET_LIMIT), n - 3);
    seqset_free(s);
    seqset_free(x);
}

static void test_seqset_memory_is_bounded(void **state)
{
    (void)state;
    ks_seqset *s = seqset_new();
    for (uint64_t i = 0; i < 1000000; i++)
        seqset_add(s, i);
    /* one bit per sequence, in 8 KiB leaves, plus the levels */
    assert_true(seqset_bytes(s) < 1000000 / 8 + 8192 + 8192);
    seqset_free(s);
}

/* ---- audit ---- */

/* Thread t sent n sequences, all acknowledged. */
static void sent_acked(ks_audit *a, int t, uint64_t n)
{
    audit_sent(a, t, n);
    for (uint64_t s = 0; s < n; s++)
        audit_acked(a, t, s);
}

/* Reads (t, seq) at (partition, offset). */
static ks_audit_verdict read1(ks_audit *a, int t, uint64_t seq, int32_t p, int64_t off)
{
    ks_audit_record r = {.t = t, .seq = seq, .partition = p, .offset = off};
    audit_consumed(a, &r, 1);
    return r.verdict;
}

static void test_clean_run(void **state)
{
    (void)state;
    ks_audit *a = audit_new(2, 3);
    ks_audit_counts all, per[2];
    int64_t next[3] = {0, 0, 0};

    sent_acked(a, 0, 100);
    sent_acked(a, 1, 100);
    for (uint64_t s = 0; s < 100; s++)
        for (int t = 0; t < 2; t++) {
            int p = (int)((s + (uint64_t)t) % 3);
            assert_int_equal(read1(a, t, s, p, next[p]++), AUDIT_NEW);
        }
    assert_int_equal(audit_summarize(a, &all, per, 2), 2);
    assert_int_equal(all.sent, 200);
    assert_int_equal(all.acked, 200);
    assert_int_equal(all.received, 200);
    assert_int_equal(all.unique, 200);
    assert_int_equal(all.lost, 0);
    assert_int_equal(all.gaps, 0);
    assert_int_equal(all.log_duplicates, 0);
    assert_int_equal(all.redelivered, 0);
    assert_int_equal(all.out_of_order, 0);
    assert_int_equal(all.unknown, 0);
    assert_int_equal(per[1].unique, 100);
    audit_free(a);
}

static void test_lost_is_acked_and_not_consumed(void **state)
{
    (void)state;
    ks_audit *a = audit_new(1, 1);
    ks_audit_counts all;
    uint64_t r[4][2];
    int64_t off = 0;

    sent_acked(a, 0, 100);
    for (uint64_t s = 0; s < 100; s++)
        if (s < 10 || s > 19) /* 10..19 deleted from the log */
            read1(a, 0, s, 0, off++);
    audit_summarize(a, &all, NULL, 0);
    assert_int_equal(all.lost, 10);
    assert_int_equal(all.gaps, 1);
    assert_int_equal(all.unique, 90);
    assert_int_equal(audit_lost_ranges(a, 0, r, 4), 1);
    assert_int_equal(r[0][0], 10);
    assert_int_equal(r[0][1], 19);
    audit_free(a);
}

static void test_redelivery_is_not_a_log_duplicate(void **state)
{
    (void)state;
    ks_audit *a = audit_new(1, 2);
    ks_audit_counts all;

    sent_acked(a, 0, 10);
    for (uint64_t s = 0; s < 10; s++)
        read1(a, 0, s, 0, 100 + (int64_t)s);
    /* a rebalance before the commit: offsets 105..109 are read again */
    for (uint64_t s = 5; s < 10; s++)
        assert_int_equal(read1(a, 0, s, 0, 100 + (int64_t)s), AUDIT_REDELIVERED);
    audit_summarize(a, &all, NULL, 0);
    assert_int_equal(all.received, 15);
    assert_int_equal(all.unique, 10);
    assert_int_equal(all.redelivered, 5);
    assert_int_equal(all.log_duplicates, 0);
    assert_int_equal(all.out_of_order, 0); /* re-reads are not disorder */
    audit_free(a);
}

static void test_log_duplicate_is_a_second_offset(void **state)
{
    (void)state;
    ks_audit *a = audit_new(1, 1);
    ks_audit_counts all;

    sent_acked(a, 0, 4);
    /* a retry without idempotence: seq 1 and 2 stored twice */
    int64_t seqs[] = {0, 1, 2, 1, 2, 3};
    ks_audit_verdict want[] = {AUDIT_NEW,           AUDIT_NEW,           AUDIT_NEW,
                               AUDIT_LOG_DUPLICATE, AUDIT_LOG_DUPLICATE, AUDIT_NEW};
    for (int i = 0; i < 6; i++)
        assert_int_equal(read1(a, 0, (uint64_t)seqs[i], 0, i), want[i]);
    /* and the duplicate re-read after a rebalance is a redelivery */
    assert_int_equal(read1(a, 0, 1, 0, 3), AUDIT_REDELIVERED);
    audit_summarize(a, &all, NULL, 0);
    assert_int_equal(all.log_duplicates, 2);
    assert_int_equal(all.redelivered, 1);
    assert_int_equal(all.unique, 4);
    assert_int_equal(all.lost, 0);
    assert_int_equal(all.out_of_order, 0);
    audit_free(a);
}

static void test_out_of_order_within_a_partition(void **state)
{
    (void)state;
    ks_audit *a = audit_new(2, 2);
    ks_audit_counts all;

    sent_acked(a, 0, 10);
    sent_acked(a, 1, 10);
    /* partition 0: thread 0 writes 0,1,2 then 5, then 3,4 (a retried batch) */
    int64_t order[] = {0, 1, 2, 5, 3, 4};
    for (int i = 0; i < 6; i++)
        read1(a, 0, (uint64_t)order[i], 0, i);
    /* interleaving with another thread or partition is not disorder */
    read1(a, 1, 0, 0, 6);
    read1(a, 0, 6, 1, 0);
    read1(a, 0, 7, 0, 7);
    audit_summarize(a, &all, NULL, 0);
    assert_int_equal(all.out_of_order, 2);
    assert_int_equal(all.unique, 9);
    audit_free(a);
}

static void test_never_acknowledged_is_not_lost(void **state)
{
    (void)state;
    ks_audit *a = audit_new(1, 1);
    ks_audit_counts all;

    /* acks=0: 50 sent, no acknowledgement; 40 arrive */
    audit_sent(a, 0, 50);
    for (uint64_t s = 0; s < 40; s++)
        read1(a, 0, s, 0, (int64_t)s);
    audit_summarize(a, &all, NULL, 0);
    assert_int_equal(all.lost, 0);
    assert_int_equal(all.acked, 0);
    assert_int_equal(all.unknown, 50);
    assert_int_equal(all.unacked_consumed, 40);
    assert_int_equal(all.unacked_missing, 10);
    audit_free(a);
}

static void test_failed_and_fire_and_forget(void **state)
{
    (void)state;
    ks_audit *a = audit_new(1, 1);
    ks_audit_counts all;

    /* fire-and-forget: only errors are reported; 3 timed out */
    audit_sent(a, 0, 20);
    audit_failed(a, 0, 4);
    audit_failed(a, 0, 5);
    audit_failed(a, 0, 17);
    audit_summarize(a, &all, NULL, 0);
    assert_int_equal(all.failed, 3);
    assert_int_equal(all.unknown, 17); /* until the flush completes */
    audit_acked_rest(a, 0);
    /* consumed: everything but 4, 5 (failed) and 9 (lost) */
    int64_t off = 0;
    for (uint64_t s = 0; s < 20; s++)
        if (s != 4 && s != 5 && s != 9)
            read1(a, 0, s, 0, off++);
    audit_summarize(a, &all, NULL, 0);
    assert_int_equal(all.acked, 17);
    assert_int_equal(all.failed, 3);
    assert_int_equal(all.unknown, 0);
    assert_int_equal(all.lost, 1);
    assert_int_equal(all.unacked_consumed, 1); /* 17 failed, yet stored */
    assert_int_equal(all.unacked_missing, 2);
    audit_free(a);
}

static void test_invalid_and_untracked(void **state)
{
    (void)state;
    ks_audit *a = audit_new(1, 1);
    ks_audit_counts all;

    sent_acked(a, 0, 5);
    audit_set_base(a, 0, 1000);
    assert_int_equal(read1(a, 0, 7, 0, 1000), AUDIT_INVALID); /* never sent */
    assert_int_equal(read1(a, 3, 0, 0, 1000), AUDIT_INVALID); /* no such thread */
    assert_int_equal(read1(a, 0, 0, -1, 0), AUDIT_INVALID);
    assert_int_equal(read1(a, 0, 0, 0, 1000), AUDIT_NEW);
    /* below the base: counted, not tracked for redelivery */
    assert_int_equal(read1(a, 0, 1, 0, 10), AUDIT_NEW);
    assert_int_equal(read1(a, 0, 1, 0, 10), AUDIT_LOG_DUPLICATE);
    /* a partition the audit did not know about grows the table */
    assert_int_equal(read1(a, 0, 2, 7, 0), AUDIT_NEW);
    assert_int_equal(read1(a, 0, 2, 7, 0), AUDIT_REDELIVERED);
    audit_summarize(a, &all, NULL, 0);
    assert_int_equal(all.invalid, 3);
    assert_int_equal(all.unique, 3);
    assert_int_equal(all.lost, 2);
    assert_true(audit_bytes(a) > 0);
    audit_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seqset_basics),
        cmocka_unit_test(test_seqset_complement_ranges),
        cmocka_unit_test(test_seqset_concurrent_adders),
        cmocka_unit_test(test_seqset_add_range_except),
        cmocka_unit_test(test_seqset_memory_is_bounded),
        cmocka_unit_test(test_clean_run),
        cmocka_unit_test(test_lost_is_acked_and_not_consumed),
        cmocka_unit_test(test_redelivery_is_not_a_log_duplicate),
        cmocka_unit_test(test_log_duplicate_is_a_second_offset),
        cmocka_unit_test(test_out_of_order_within_a_partition),
        cmocka_unit_test(test_never_acknowledged_is_not_lost),
        cmocka_unit_test(test_failed_and_fire_and_forget),
        cmocka_unit_test(test_invalid_and_untracked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
