/* test_histogram: log-linear buckets, quantiles within 1/16, merge, windows,
 * and concurrent recording without a lock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "histogram.h"

static ks_histogram *hist_new(void)
{
    ks_histogram *h = malloc(sizeof(*h));
    histogram_init(h);
    return h;
}

static void test_buckets_cover_every_value(void **state)
{
    (void)state;
    /* exact below 16, contiguous and increasing above */
    for (uint64_t v = 0; v < 16; v++) {
        assert_int_equal(histogram_bucket(v), (int)v);
        assert_int_equal(histogram_bucket_low((int)v), v);
        assert_int_equal(histogram_bucket_high((int)v), v);
    }
    for (int b = 16; b < HISTOGRAM_BUCKETS - 1; b++)
        assert_int_equal(histogram_bucket_high(b) + 1, histogram_bucket_low(b + 1));
    assert_int_equal(histogram_bucket(UINT64_MAX), HISTOGRAM_BUCKETS - 1);
    assert_int_equal(histogram_bucket_high(HISTOGRAM_BUCKETS - 1), UINT64_MAX);
    /* every value falls in the bucket whose bounds contain it */
    uint64_t probes[] = {16,
                         17,
                         31,
                         32,
                         33,
                         1000,
                         4095,
                         4096,
                         123456789,
                         1ULL << 40,
                         (1ULL << 40) + 12345,
                         UINT64_MAX / 3};
    for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
        int b = histogram_bucket(probes[i]);
        assert_true(histogram_bucket_low(b) <= probes[i]);
        assert_true(histogram_bucket_high(b) >= probes[i]);
        /* relative width at most 1/16 */
        assert_true((histogram_bucket_high(b) - histogram_bucket_low(b)) * 16 <=
                    histogram_bucket_low(b));
    }
}

static void test_quantiles_of_uniform(void **state)
{
    (void)state;
    ks_histogram *h = hist_new();
    bool valid = true;

    assert_int_equal(histogram_quantile(h, 0.5, &valid), 0);
    assert_false(valid);
    for (uint64_t v = 1; v <= 10000; v++)
        histogram_record(h, v);
    assert_int_equal(histogram_count(h), 10000);
    assert_int_equal(histogram_min(h), 1);
    assert_int_equal(histogram_max(h), 10000);
    double expect[][2] = {{0.5, 5000}, {0.95, 9500}, {0.99, 9900}, {0.01, 100}};
    for (size_t i = 0; i < 4; i++) {
        uint64_t q = histogram_quantile(h, expect[i][0], &valid);
        assert_true(valid);
        double err = ((double)q - expect[i][1]) / expect[i][1];
        assert_true(err < 1.0 / 16 && err > -1.0 / 16);
    }
    assert_int_equal(histogram_quantile(h, 1.0, NULL), 10000); /* clamped to max */
    assert_int_equal(histogram_quantile(h, 0.0, NULL), 1);
    assert_true(histogram_mean(h) > 5000.0 && histogram_mean(h) < 5001.0);
    free(h);
}

static void test_merge_equals_recording_together(void **state)
{
    (void)state;
    ks_histogram *a = hist_new(), *b = hist_new(), *both = hist_new(), *m = hist_new();

    for (uint64_t v = 0; v < 5000; v++) {
        histogram_record(v % 2 ? a : b, v * 37 % 100003);
        histogram_record(both, v * 37 % 100003);
    }
    histogram_merge(m, a);
    histogram_merge(m, b);
    assert_int_equal(histogram_count(m), histogram_count(both));
    assert_int_equal(histogram_min(m), histogram_min(both));
    assert_int_equal(histogram_max(m), histogram_max(both));
    for (double q = 0.05; q < 1.0; q += 0.05)
        assert_int_equal(histogram_quantile(m, q, NULL), histogram_quantile(both, q, NULL));
    free(a);
    free(b);
    free(both);
    free(m);
}

static void test_window_is_the_difference(void **state)
{
    (void)state;
    ks_histogram *h = hist_new(), *old = hist_new(), *win = hist_new();

    for (int i = 0; i < 1000; i++)
        histogram_record(h, 10); /* an old, fast period */
    histogram_copy(old, h);
    for (int i = 0; i < 100; i++)
        histogram_record(h, 50000); /* then a slow one */
    histogram_diff(win, h, old);
    assert_int_equal(histogram_count(win), 100);
    uint64_t p50 = histogram_quantile(win, 0.5, NULL);
    assert_true(p50 > 47000 && p50 <= 50000);
    /* the whole run still says fast */
    assert_int_equal(histogram_quantile(h, 0.5, NULL), 10);
    free(h);
    free(old);
    free(win);
}

#define WRITERS 4
#define PER_WRITER 200000

static void *writer(void *arg)
{
    ks_histogram *h = arg;
    for (uint64_t i = 0; i < PER_WRITER; i++)
        histogram_record(h, i % 1000);
    return NULL;
}

static void test_concurrent_writers_lose_nothing(void **state)
{
    (void)state;
    ks_histogram *h = hist_new(), *snap = hist_new();
    pthread_t th[WRITERS];

    for (int i = 0; i < WRITERS; i++)
        pthread_create(&th[i], NULL, writer, h);
    /* a reader copying while they write sees a consistent count */
    histogram_copy(snap, h);
    uint64_t sum = 0;
    for (int b = 0; b < HISTOGRAM_BUCKETS; b++)
        sum += atomic_load(&snap->buckets[b]);
    assert_int_equal(sum, histogram_count(snap));
    for (int i = 0; i < WRITERS; i++)
        pthread_join(th[i], NULL);
    assert_int_equal(histogram_count(h), (uint64_t)WRITERS * PER_WRITER);
    int b = histogram_bucket(999); /* 992..1023: the values 992..999 */
    assert_int_equal(histogram_bucket_low(b), 992);
    assert_int_equal(atomic_load(&h->buckets[b]), 8 * WRITERS * (PER_WRITER / 1000));
    assert_int_equal(histogram_max(h), 999);
    assert_int_equal(histogram_min(h), 0);
    free(h);
    free(snap);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buckets_cover_every_value),
        cmocka_unit_test(test_quantiles_of_uniform),
        cmocka_unit_test(test_merge_equals_recording_together),
        cmocka_unit_test(test_window_is_the_difference),
        cmocka_unit_test(test_concurrent_writers_lose_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
