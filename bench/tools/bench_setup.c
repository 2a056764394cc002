/* bench_setup: loads a cluster for the snapshot benchmark, fast.
 *
 *   bench_setup -b BOOTSTRAP [-t TOPICS] [-p PARTITIONS] [-r RF] [-g GROUPS]
 *               [-m MSGS_PER_PARTITION] [--prefix P] [--delete | --commit-only]
 *
 * Creates TOPICS topics of PARTITIONS partitions in batched CreateTopics,
 * produces MSGS messages to every partition, and gives each of GROUPS groups
 * committed offsets on 5 topics (AlterConsumerGroupOffsets, all in flight),
 * so that the groups have lag. --delete removes what a run created.
 * Not part of ksight: a tool of bench/ only. */
#include <getopt.h>
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static rd_kafka_t *rk;
static rd_kafka_queue_t *q;

static void die(const char *what, const char *why)
{
    fprintf(stderr, "bench_setup: %s: %s\n", what, why);
    exit(1);
}

static rd_kafka_event_t *wait_event(int timeout_ms)
{
    rd_kafka_event_t *ev = rd_kafka_queue_poll(q, timeout_ms);
    if (!ev)
        die("admin", "timed out");
    if (rd_kafka_event_error(ev))
        die("admin", rd_kafka_event_error_string(ev));
    return ev;
}

static void create_topics(const char *prefix, int ntopics, int nparts, int rf)
{
    for (int base = 0; base < ntopics; base += 100) {
        int n = ntopics - base < 100 ? ntopics - base : 100;
        rd_kafka_NewTopic_t **nt = calloc((size_t)n, sizeof(*nt));
        char name[256], err[256];
        const rd_kafka_topic_result_t **res;
        size_t nres;
        rd_kafka_AdminOptions_t *o = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
        rd_kafka_event_t *ev;

        rd_kafka_AdminOptions_set_operation_timeout(o, 120000, err, sizeof(err));
        rd_kafka_AdminOptions_set_request_timeout(o, 180000, err, sizeof(err));
        for (int i = 0; i < n; i++) {
            snprintf(name, sizeof(name), "%s%04d", prefix, base + i);
            nt[i] = rd_kafka_NewTopic_new(name, nparts, rf, err, sizeof(err));
        }
        rd_kafka_CreateTopics(rk, nt, (size_t)n, o, q);
        ev = wait_event(200000);
        res = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &nres);
        for (size_t i = 0; i < nres; i++)
            if (rd_kafka_topic_result_error(res[i]) &&
                rd_kafka_topic_result_error(res[i]) != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
                die(rd_kafka_topic_result_name(res[i]), rd_kafka_topic_result_error_string(res[i]));
        rd_kafka_event_destroy(ev);
        rd_kafka_NewTopic_destroy_array(nt, (size_t)n);
        rd_kafka_AdminOptions_destroy(o);
        free(nt);
        fprintf(stderr, "created %d/%d topics\r", base + n, ntopics);
    }
    fputc('\n', stderr);
}

static void produce(const char *prefix, int ntopics, int nparts, int msgs)
{
    char name[256], value[64];
    for (int t = 0; t < ntopics; t++) {
        snprintf(name, sizeof(name), "%s%04d", prefix, t);
        for (int p = 0; p < nparts; p++)
            for (int m = 0; m < msgs; m++) {
                int len = snprintf(value, sizeof(value), "{\"n\":%d}", m);
                while (rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(name), RD_KAFKA_V_PARTITION(p),
                                         RD_KAFKA_V_VALUE(value, (size_t)len),
                                         RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                         RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR__QUEUE_FULL)
                    rd_kafka_poll(rk, 50);
            }
        rd_kafka_poll(rk, 0);
    }
    if (rd_kafka_flush(rk, 120000))
        die("produce", "flush timed out");
}

static void commit_groups(const char *prefix, int ngroups, int ntopics, int nparts, int msgs)
{
    char name[256], group[256], err[256];
    int inflight = 0;
    for (int g = 0; g < ngroups; g++) {
        /* 20 in flight: enough to be quick, few enough for a loaded coordinator */
        for (; inflight >= 20; inflight--)
            rd_kafka_event_destroy(wait_event(120000));
        rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(5 * nparts);
        rd_kafka_AlterConsumerGroupOffsets_t *a;
        rd_kafka_AdminOptions_t *o =
            rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS);
        rd_kafka_AdminOptions_set_request_timeout(o, 60000, err, sizeof(err));
        for (int k = 0; k < 5; k++) {
            snprintf(name, sizeof(name), "%s%04d", prefix, (g * 5 + k) % ntopics);
            for (int p = 0; p < nparts; p++)
                rd_kafka_topic_partition_list_add(l, name, p)->offset = (g + p) % (msgs + 1);
        }
        snprintf(group, sizeof(group), "%sgroup-%03d", prefix, g);
        a = rd_kafka_AlterConsumerGroupOffsets_new(group, l);
        rd_kafka_AlterConsumerGroupOffsets(rk, &a, 1, o, q);
        rd_kafka_AlterConsumerGroupOffsets_destroy(a);
        rd_kafka_AdminOptions_destroy(o);
        rd_kafka_topic_partition_list_destroy(l);
        inflight++;
    }
    for (; inflight > 0; inflight--)
        rd_kafka_event_destroy(wait_event(120000));
}

static void delete_all(const char *prefix, int ntopics, int ngroups)
{
    char name[256];
    rd_kafka_DeleteTopic_t **dt = calloc((size_t)ntopics, sizeof(*dt));
    rd_kafka_DeleteGroup_t **dg = calloc((size_t)ngroups + 1, sizeof(*dg));

    for (int g = 0; g < ngroups; g++) {
        snprintf(name, sizeof(name), "%sgroup-%03d", prefix, g);
        dg[g] = rd_kafka_DeleteGroup_new(name);
    }
    if (ngroups) {
        rd_kafka_DeleteGroups(rk, dg, (size_t)ngroups, NULL, q);
        rd_kafka_event_destroy(wait_event(120000));
    }
    for (int t = 0; t < ntopics; t++) {
        snprintf(name, sizeof(name), "%s%04d", prefix, t);
        dt[t] = rd_kafka_DeleteTopic_new(name);
    }
    rd_kafka_DeleteTopics(rk, dt, (size_t)ntopics, NULL, q);
    rd_kafka_event_destroy(wait_event(300000));
    rd_kafka_DeleteTopic_destroy_array(dt, (size_t)ntopics);
    rd_kafka_DeleteGroup_destroy_array(dg, (size_t)ngroups);
    free(dt);
    free(dg);
}

int main(int argc, char **argv)
{
    static const struct option lo[] = {{"prefix", required_argument, NULL, 'P'},
                                       {"delete", no_argument, NULL, 'D'},
                                       {"commit-only", no_argument, NULL, 'C'},
                                       {NULL, 0, NULL, 0}};
    const char *bootstrap = "127.0.0.1:9092", *prefix = "bench-";
    int ntopics = 1000, nparts = 10, rf = 1, ngroups = 200, msgs = 20, del = 0, commit_only = 0, c;
    char err[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();

    while ((c = getopt_long(argc, argv, "b:t:p:r:g:m:", lo, NULL)) != -1) {
        switch (c) {
        case 'b': bootstrap = optarg; break;
        case 't': ntopics = atoi(optarg); break;
        case 'p': nparts = atoi(optarg); break;
        case 'r': rf = atoi(optarg); break;
        case 'g': ngroups = atoi(optarg); break;
        case 'm': msgs = atoi(optarg); break;
        case 'P': prefix = optarg; break;
        case 'D': del = 1; break;
        case 'C': commit_only = 1; break;
        default: return 2;
        }
    }
    if (rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, err, sizeof(err)) ||
        rd_kafka_conf_set(conf, "linger.ms", "50", err, sizeof(err)) ||
        rd_kafka_conf_set(conf, "queue.buffering.max.messages", "500000", err, sizeof(err)))
        die("config", err);
    if (!(rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err))))
        die("client", err);
    q = rd_kafka_queue_new(rk);
    if (del) {
        delete_all(prefix, ntopics, ngroups);
    } else if (commit_only) {
        commit_groups(prefix, ngroups, ntopics, nparts, msgs);
    } else {
        create_topics(prefix, ntopics, nparts, rf);
        produce(prefix, ntopics, nparts, msgs);
        commit_groups(prefix, ngroups, ntopics, nparts, msgs);
    }
    rd_kafka_queue_destroy(q);
    rd_kafka_destroy(rk);
    return 0;
}
