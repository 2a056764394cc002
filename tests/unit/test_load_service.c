/* test_load_service: the load service through the engine's command queue,
 * as the dashboard drives it, on librdkafka's in-process mock cluster: a run
 * starts, produces, drains with a clean audit and stops; a bad spec and the
 * read-only flag are refused with a reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "engine.h"
#include "load.h"
#include "service_load.h"

typedef struct fixture {
    rd_kafka_t *owner; /* holds the mock cluster */
    ks_target target;
    ks_store *store;
    ks_cmdq *cmdq;
    ks_load *load;
    ks_load_service *svc;
    ks_service services[1];
    ks_engine *engine;
    ks_load_stats st;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    char err[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();

    rd_kafka_conf_set(conf, "test.mock.num.brokers", "3", err, sizeof(err));
    rd_kafka_conf_set(conf, "log_level", "0", err, sizeof(err));
    f->owner = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err));
    assert_non_null(f->owner);
    rd_kafka_mock_cluster_t *mc = rd_kafka_handle_mock_cluster(f->owner);
    assert_int_equal(rd_kafka_mock_topic_create(mc, "position", 3, 1), 0);
    f->target.bootstrap = strdup(rd_kafka_mock_cluster_bootstraps(mc));
    f->target.timeout_ms = 5000;
    f->target.interval_ms = 0;
    f->target.groups = false;
    f->store = store_new();
    f->cmdq = cmdq_new();
    f->load = load_new();
    f->svc = service_load_new(f->load);
    f->services[0] = (ks_service){.ops = &service_load_ops, .shared = f->svc};
    f->engine = engine_start(&f->target, f->store, NULL, f->cmdq, NULL, f->services, 1);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    engine_stop(f->engine); /* stops the run through ops->stop */
    service_load_free(f->svc);
    load_free(f->load);
    cmdq_free(f->cmdq);
    store_free(f->store);
    free(f->target.bootstrap);
    rd_kafka_destroy(f->owner);
    free(f);
    return 0;
}

/* Waits until pred holds on a fresh copy of the stats, up to ms. */
static bool wait_stats(fixture *f, bool (*pred)(const ks_load_stats *), int ms)
{
    int64_t deadline = clock_mono_ms() + ms;
    do {
        load_stats(f->load, &f->st);
        if (pred(&f->st))
            return true;
        clock_sleep_ms(50);
    } while (clock_mono_ms() < deadline);
    return false;
}

static bool is_drained(const ks_load_stats *st)
{
    return st->drained && !st->rebalancing && st->nmembers > 0;
}

static bool is_done(const ks_load_stats *st)
{
    return st->state == LOAD_DONE;
}

static char prev_run[64]; /* the run before the one waited for */

static bool is_new_run_produced(const ks_load_stats *st)
{
    return st->producers_done && strcmp(st->run_id, prev_run) != 0;
}

static bool has_error(const ks_load_stats *st)
{
    return st->error[0] != '\0';
}

static void test_run_through_the_engine(void **state)
{
    fixture *f = *state;

    cmdq_push(f->cmdq, KS_CMD_LOAD_START, 0,
              "topic=position;producers=2;messages=300;mode=async;consumers=2;commit=sync;"
              "session_timeout_ms=6000",
              NULL);
    assert_true(wait_stats(f, is_drained, 60000));
    assert_int_equal(f->st.state, LOAD_DRAINING);
    assert_int_equal(f->st.produced, 600);
    assert_int_equal(f->st.acked, 600);
    assert_true(f->st.audit_valid);
    assert_int_equal(f->st.audit.unique, 600);
    assert_int_equal(f->st.audit.lost, 0);
    assert_int_equal(f->st.audit.log_duplicates, 0);
    assert_true(f->st.rebalances >= 1);
    assert_true(f->st.produce_latency.valid);
    assert_true(f->st.e2e_latency.valid);
    assert_int_equal(f->st.npartitions, 3);
    assert_int_equal(f->st.ncouriers, 20);
    uint64_t updates = 0;
    for (int c = 0; c < f->st.ncouriers; c++)
        updates += f->st.courier_updates[c];
    /* the workbook's map counts every copy read: a rebalance before a commit
     * (at-least-once) reads some twice */
    assert_int_equal(updates, f->st.audit.received);
    assert_true(updates >= 600);
    assert_int_equal(strlen(f->st.run_id), 16);
    assert_int_equal(strncmp(f->st.spec.group, "ksight-load-", 12), 0);

    /* a second start while this one runs is refused, the run goes on */
    cmdq_push(f->cmdq, KS_CMD_LOAD_START, 0, "topic=position", NULL);
    assert_true(wait_stats(f, has_error, 5000));
    assert_non_null(strstr(f->st.error, "running"));

    cmdq_push(f->cmdq, KS_CMD_LOAD_STOP, 0, NULL, NULL);
    assert_true(wait_stats(f, is_done, 30000));
    for (int m = 0; m < f->st.nmembers; m++)
        assert_int_equal(f->st.member[m].state, LOAD_WORKER_DONE);
    ks_load_rebalance *r = malloc(KS_LOAD_MAX_REBALANCES * sizeof(*r));
    int n = load_rebalances(f->load, r, KS_LOAD_MAX_REBALANCES);
    assert_true(n >= 1);
    assert_true(r[0].generation_valid); /* read from the group metadata */
    free(r);
}

/* Sum of the high watermarks of the mock's position topic. */
static int64_t topic_end(fixture *f)
{
    int64_t sum = 0;
    for (int32_t p = 0; p < 3; p++) {
        int64_t lo, hi;
        assert_int_equal(rd_kafka_query_watermark_offsets(f->owner, "position", p, &lo, &hi, 5000),
                         0);
        sum += hi;
    }
    return sum;
}

/* Producer-only runs without the audit header go through
 * rd_kafka_produce_batch() in chunks: a count that is not a multiple of the
 * chunk, both report modes, every message in the log exactly once. */
static void test_header_less_chunks(void **state)
{
    static const char *specs[] = {
        "topic=position;producers=2;messages=5003;mode=fire-and-forget;consumers=0;"
        "audit_header=0",
        "topic=position;producers=1;messages=3001;mode=async;consumers=0;audit_header=0",
    };
    static const uint64_t expect[] = {10006, 3001};
    fixture *f = *state;

    for (int i = 0; i < 2; i++) {
        int64_t before = topic_end(f);
        load_stats(f->load, &f->st);
        snprintf(prev_run, sizeof(prev_run), "%s", f->st.run_id);
        cmdq_push(f->cmdq, KS_CMD_LOAD_START, 0, specs[i], NULL);
        assert_true(wait_stats(f, is_new_run_produced, 60000));
        assert_int_equal(f->st.produced, expect[i]);
        assert_int_equal(f->st.acked, expect[i]);
        assert_int_equal(f->st.failed, 0);
        if (i == 1)
            assert_true(f->st.produce_latency.valid); /* async looked at every report */
        assert_int_equal(topic_end(f) - before, (int64_t)expect[i]);
        cmdq_push(f->cmdq, KS_CMD_LOAD_STOP, 0, NULL, NULL);
        assert_true(wait_stats(f, is_done, 30000));
    }
}

static void test_refusals(void **state)
{
    fixture *f = *state;

    cmdq_push(f->cmdq, KS_CMD_LOAD_START, 0, "topic=position;acks=1;idempotent=1", NULL);
    assert_true(wait_stats(f, has_error, 5000));
    assert_int_equal(f->st.state, LOAD_FAILED);
    assert_non_null(strstr(f->st.error, "acks=all"));

    load_set_read_only(f->load, true);
    cmdq_push(f->cmdq, KS_CMD_LOAD_START, 0, "topic=position", NULL);
    clock_sleep_ms(200);
    load_stats(f->load, &f->st);
    assert_non_null(strstr(f->st.error, "read-only"));
    assert_int_equal(f->st.state, LOAD_FAILED); /* unchanged: nothing started */

    cmdq_push(f->cmdq, KS_CMD_LOAD_CONSUMER_ADD, 1, NULL, NULL);
    clock_sleep_ms(200);
    load_stats(f->load, &f->st);
    assert_non_null(strstr(f->st.error, "no load is running"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_run_through_the_engine, setup, teardown),
        cmocka_unit_test_setup_teardown(test_header_less_chunks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
