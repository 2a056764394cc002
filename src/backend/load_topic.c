/* load_topic: metadata, CreateTopics and watermarks for the load run. */
#include "load_topic.h"
#include "clock.h"
#include "watermarks.h"

#include <stdio.h>
#include <string.h>

/* Partition count when every partition has a leader; 0 while some have
 * none; -1 when the topic does not exist; -2 on another error (errstr). */
static int describe(rd_kafka_t *rk, const char *topic, int timeout_ms, int *brokers, char *errstr,
                    size_t errstr_size)
{
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
    rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, rkt, &md, timeout_ms);
    int rc;

    rd_kafka_topic_destroy(rkt);
    if (err) {
        snprintf(errstr, errstr_size, "metadata for %s: %s", topic, rd_kafka_err2str(err));
        return -2;
    }
    *brokers = md->broker_cnt;
    if (md->topic_cnt < 1 || md->topics[0].err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
        rc = -1;
    } else if (md->topics[0].err && md->topics[0].err != RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE) {
        snprintf(errstr, errstr_size, "topic %s: %s", topic, rd_kafka_err2str(md->topics[0].err));
        rc = -2;
    } else {
        rc = md->topics[0].partition_cnt;
        for (int i = 0; i < md->topics[0].partition_cnt; i++)
            if (md->topics[0].partitions[i].leader < 0)
                rc = 0;
    }
    rd_kafka_metadata_destroy(md);
    return rc;
}

static int create(rd_kafka_t *rk, const char *topic, int partitions, int replication,
                  int timeout_ms, char *errstr, size_t errstr_size)
{
    char why[256];
    rd_kafka_NewTopic_t *nt =
        rd_kafka_NewTopic_new(topic, partitions, replication, why, sizeof(why));
    rd_kafka_queue_t *q;
    rd_kafka_AdminOptions_t *o;
    rd_kafka_event_t *ev;
    int rc = -1;

    if (!nt) {
        snprintf(errstr, errstr_size, "creating %s: %s", topic, why);
        return -1;
    }
    q = rd_kafka_queue_new(rk);
    o = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
    rd_kafka_AdminOptions_set_request_timeout(o, timeout_ms, why, sizeof(why));
    rd_kafka_CreateTopics(rk, &nt, 1, o, q);
    ev = rd_kafka_queue_poll(q, timeout_ms + 2000);
    if (!ev) {
        snprintf(errstr, errstr_size, "creating %s: no answer in %d ms", topic, timeout_ms);
    } else if (rd_kafka_event_error(ev)) {
        snprintf(errstr, errstr_size, "creating %s: %s", topic, rd_kafka_event_error_string(ev));
    } else {
        size_t n = 0;
        const rd_kafka_topic_result_t **res =
            rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &n);
        rd_kafka_resp_err_t err = n ? rd_kafka_topic_result_error(res[0]) : 0;
        if (err && err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
            snprintf(errstr, errstr_size, "creating %s: %s", topic,
                     rd_kafka_topic_result_error_string(res[0]));
        else
            rc = 0;
    }
    if (ev)
        rd_kafka_event_destroy(ev);
    rd_kafka_AdminOptions_destroy(o);
    rd_kafka_queue_destroy(q);
    rd_kafka_NewTopic_destroy(nt);
    return rc;
}

int load_topic_ensure(rd_kafka_t *rk, const char *topic, int partitions, int replication,
                      int timeout_ms, bool *created, char *errstr, size_t errstr_size)
{
    int64_t deadline = clock_mono_ms() + timeout_ms;
    int brokers = 0, n, good = 0;

    *created = false;
    for (;;) {
        n = describe(rk, topic, timeout_ms, &brokers, errstr, errstr_size);
        if (n == -2)
            return -1;
        /* a new topic reaches the brokers' metadata caches one by one: ask a
         * few times, so consumers subscribing next do not see it missing
         * (and get an empty assignment until their next metadata refresh) */
        good = n > 0 ? good + 1 : 0;
        if (n > 0 && *created && good < 3) {
            clock_sleep_ms(300);
            continue;
        }
        if (n == -1 && !*created) {
            if (brokers > 0 && replication > brokers)
                replication = brokers;
            if (create(rk, topic, partitions, replication, timeout_ms, errstr, errstr_size))
                return -1;
            *created = true;
            continue;
        }
        if (n > 0)
            return n;
        if (clock_mono_ms() >= deadline) {
            snprintf(errstr, errstr_size, "topic %s: partitions without a leader after %d ms",
                     topic, timeout_ms);
            return -1;
        }
        clock_sleep_ms(200);
    }
}

/* One try over every partition. */
static int ends_once(rd_kafka_t *rk, const char *topic, int n, int64_t *ends, int timeout_ms,
                     char *errstr, size_t errstr_size)
{
    rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(n);
    int rc = 0;

    for (int p = 0; p < n; p++)
        rd_kafka_topic_partition_list_add(parts, topic, p);
    watermarks_query(rk, parts, -1, timeout_ms);
    for (int p = 0; p < n; p++) {
        rd_kafka_topic_partition_t *tp = &parts->elems[p];
        if (tp->err || tp->offset < 0) {
            snprintf(errstr, errstr_size, "end offset of %s [%d]: %s", topic, p,
                     rd_kafka_err2str(tp->err ? tp->err : RD_KAFKA_RESP_ERR__BAD_MSG));
            rc = -1;
            ends[p] = -1;
        } else {
            ends[p] = tp->offset;
        }
    }
    rd_kafka_topic_partition_list_destroy(parts);
    return rc;
}

int load_topic_ends(rd_kafka_t *rk, const char *topic, int n, int64_t *ends, int timeout_ms,
                    char *errstr, size_t errstr_size)
{
    int64_t deadline = clock_mono_ms() + timeout_ms;

    /* a topic just created, or a leader that just moved, answers "not
     * leader" for a moment while metadata propagates: try again */
    while (ends_once(rk, topic, n, ends, timeout_ms, errstr, errstr_size) != 0) {
        if (clock_mono_ms() + 250 >= deadline)
            return -1;
        clock_sleep_ms(250);
    }
    return 0;
}
