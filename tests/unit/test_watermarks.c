/* test_watermarks: batched low/high offsets equal per-partition queries,
 * across chunk boundaries, on librdkafka's mock cluster. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdio.h>
#include <string.h>

#include "watermarks.h"

#define PARTS 1200 /* more than two chunks */

static rd_kafka_t *producer, *consumer;

static int setup(void **state)
{
    char err[256], bootstrap[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_mock_cluster_t *mc;

    (void)state;
    rd_kafka_conf_set(conf, "test.mock.num.brokers", "3", err, sizeof(err));
    rd_kafka_conf_set(conf, "log_level", "0", err, sizeof(err));
    producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err));
    assert_non_null(producer);
    mc = rd_kafka_handle_mock_cluster(producer);
    assert_int_equal(rd_kafka_mock_topic_create(mc, "wm", PARTS, 3), 0);
    assert_int_equal(rd_kafka_mock_topic_create(mc, "wm-b", 3, 3), 0);
    snprintf(bootstrap, sizeof(bootstrap), "%s", rd_kafka_mock_cluster_bootstraps(mc));
    /* partition p gets p % 7 messages, so every partition's high differs */
    for (int p = 0; p < PARTS; p++)
        for (int m = 0; m < p % 7; m++)
            assert_int_equal(rd_kafka_producev(producer, RD_KAFKA_V_TOPIC("wm"),
                                               RD_KAFKA_V_PARTITION(p), RD_KAFKA_V_VALUE("x", 1),
                                               RD_KAFKA_V_END),
                             0);
    assert_int_equal(rd_kafka_flush(producer, 30000), 0);
    conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, err, sizeof(err));
    rd_kafka_conf_set(conf, "isolation.level", "read_uncommitted", err, sizeof(err));
    rd_kafka_conf_set(conf, "log_level", "0", err, sizeof(err));
    consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof(err));
    assert_non_null(consumer);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    rd_kafka_destroy(consumer);
    rd_kafka_destroy(producer);
    return 0;
}

static void test_batched_equals_per_partition(void **state)
{
    rd_kafka_topic_partition_list_t *hi = rd_kafka_topic_partition_list_new(PARTS),
                                    *lo;
    (void)state;
    for (int p = 0; p < PARTS; p++)
        rd_kafka_topic_partition_list_add(hi, "wm", p);
    lo = rd_kafka_topic_partition_list_copy(hi);
    assert_int_equal(watermarks_query(consumer, hi, RD_KAFKA_OFFSET_END, 10000), 0);
    assert_int_equal(watermarks_query(consumer, lo, RD_KAFKA_OFFSET_BEGINNING, 10000), 0);
    for (int p = 0; p < PARTS; p++) {
        assert_int_equal(hi->elems[p].partition, p); /* order kept across chunks */
        assert_int_equal(hi->elems[p].err, 0);
        assert_int_equal(hi->elems[p].offset, p % 7);
        assert_int_equal(lo->elems[p].offset, 0);
    }
    /* spot-check against librdkafka's own per-partition query */
    for (int p = 0; p < PARTS; p += 97) {
        int64_t l, h;
        assert_int_equal(rd_kafka_query_watermark_offsets(consumer, "wm", p, &l, &h, 5000), 0);
        assert_int_equal(hi->elems[p].offset, h);
        assert_int_equal(lo->elems[p].offset, l);
    }
    rd_kafka_topic_partition_list_destroy(hi);
    rd_kafka_topic_partition_list_destroy(lo);
}

static void test_sort_unique_and_find(void **state)
{
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(8);
    (void)state;
    rd_kafka_topic_partition_list_add(l, "wm-b", 2);
    rd_kafka_topic_partition_list_add(l, "wm", 10);
    rd_kafka_topic_partition_list_add(l, "wm-b", 0);
    rd_kafka_topic_partition_list_add(l, "wm", 10);
    rd_kafka_topic_partition_list_add(l, "wm", 2);
    watermarks_sort_unique(l);
    assert_int_equal(l->cnt, 4);
    assert_string_equal(l->elems[0].topic, "wm");
    assert_int_equal(l->elems[0].partition, 2);
    assert_int_equal(l->elems[3].partition, 2);
    assert_non_null(watermarks_find(l, "wm", 10));
    assert_non_null(watermarks_find(l, "wm-b", 0));
    assert_null(watermarks_find(l, "wm-b", 1));
    assert_null(watermarks_find(l, "zz", 0));
    assert_int_equal(watermarks_query(consumer, l, RD_KAFKA_OFFSET_END, 10000), 0);
    assert_int_equal(watermarks_find(l, "wm", 10)->offset, 3);
    assert_int_equal(watermarks_find(l, "wm-b", 2)->offset, 0);
    rd_kafka_topic_partition_list_destroy(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batched_equals_per_partition),
        cmocka_unit_test(test_sort_unique_and_find),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
