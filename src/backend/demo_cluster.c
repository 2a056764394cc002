/* demo_cluster: mock cluster, Courier producer, three consumers, group part.
 *
 * DESIGN: threads: one producer (owns the handle that owns the mock
 * cluster), three consumers (each owns its consumer handle), one publisher
 * (owns a group-less handle for log-end offsets). Members report their id
 * and assignment into `members` under `lock`; the publisher reads them and
 * publishes a ks_groups part every two seconds. Every 40 s the third member
 * leaves for 15 s, so the timeline shows a rebalance. */
#include "demo_cluster.h"
#include "lagclock.h"
#include "clock.h"
#include "kafka_conf.h"
#include "log.h"
#include "snapshot.h"
#include "watermarks.h"
#include "xmalloc.h"

#include <librdkafka/rdkafka_mock.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEMO_TOPIC "position"
#define DEMO_GROUP "courier-positions"
#define DEMO_MEMBERS 3
#define DEMO_PARTITIONS 3
#define DEMO_COURIERS 12

typedef struct demo_member {
    int index;
    struct ks_demo *demo;
    pthread_t thread;
    rd_kafka_t *rk;        /* owned by the member thread; NULLed under lock before destroy */
    atomic_bool running;   /* member thread alive (set by the starter, cleared at its end) */
    char member_id[128];
    char client_id[32];
    int nassigned;
    int32_t assigned[DEMO_PARTITIONS];
    bool joined;
} demo_member;

struct ks_demo {
    ks_store *store;
    atomic_bool stop;
    rd_kafka_t *owner; /* producer; owns the mock cluster */
    ks_kafka_state owner_state, pub_state;
    char bootstrap[256];
    pthread_t producer, publisher;
    pthread_mutex_t lock;
    demo_member members[DEMO_MEMBERS];
    int generation;
};

static void member_report(demo_member *m)
{
    rd_kafka_topic_partition_list_t *parts = NULL;
    char *id = rd_kafka_memberid(m->rk);

    pthread_mutex_lock(&m->demo->lock);
    snprintf(m->member_id, sizeof(m->member_id), "%s", id ? id : "");
    m->nassigned = 0;
    if (!rd_kafka_assignment(m->rk, &parts)) {
        for (int i = 0; i < parts->cnt && m->nassigned < DEMO_PARTITIONS; i++)
            m->assigned[m->nassigned++] = parts->elems[i].partition;
        rd_kafka_topic_partition_list_destroy(parts);
    }
    m->joined = id && *id;
    pthread_mutex_unlock(&m->demo->lock);
    if (id)
        rd_kafka_mem_free(m->rk, id);
}

static void *member_main(void *arg)
{
    demo_member *m = arg;
    ks_kafka_state st = {0};
    char err[512];
    int64_t next_report = 0;
    const char *extra[] = {"group.id", DEMO_GROUP, "client.id", m->client_id,
                           "auto.offset.reset", "earliest", "auto.commit.interval.ms", "1000",
                           "session.timeout.ms", "6000", "heartbeat.interval.ms", "500", NULL};
    ks_kafka_opts opts = {.bootstrap = m->demo->bootstrap};
    rd_kafka_topic_partition_list_t *topics;

    rd_kafka_t *rk;

    snprintf(st.name, sizeof(st.name), "demo-%d", m->index);
    rk = kafka_new(RD_KAFKA_CONSUMER, &opts, &st, extra, err, sizeof(err));
    if (!rk) {
        log_printf(KS_SEV_ERROR, "demo", "consumer %d: %s", m->index, err);
        atomic_store(&m->running, false);
        return NULL;
    }
    pthread_mutex_lock(&m->demo->lock);
    m->rk = rk;
    pthread_mutex_unlock(&m->demo->lock);
    rd_kafka_poll_set_consumer(m->rk);
    topics = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(topics, DEMO_TOPIC, RD_KAFKA_PARTITION_UA);
    rd_kafka_subscribe(m->rk, topics);
    rd_kafka_topic_partition_list_destroy(topics);
    while (!atomic_load(&m->demo->stop)) {
        rd_kafka_message_t *msg = rd_kafka_consumer_poll(m->rk, 100);
        if (msg)
            rd_kafka_message_destroy(msg); /* a real consumer would process it here */
        if (clock_mono_ms() >= next_report) {
            member_report(m);
            next_report = clock_mono_ms() + 500;
        }
        /* the churning member leaves at 40 s and comes back at 55 s of each minute */
        if (m->index == DEMO_MEMBERS - 1) {
            int64_t phase = (clock_mono_ms() / 1000) % 60;
            if (phase >= 40 && phase < 55)
                break;
        }
    }
    /* leaving the group properly shows the rebalance in the churn phase; at
     * quit the mock cluster goes away with us, so skip the LeaveGroup round */
    if (!atomic_load(&m->demo->stop))
        rd_kafka_consumer_close(rk);
    pthread_mutex_lock(&m->demo->lock);
    m->joined = false;
    m->nassigned = 0;
    m->rk = NULL;
    pthread_mutex_unlock(&m->demo->lock);
    if (atomic_load(&m->demo->stop))
        rd_kafka_destroy_flags(rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
    else
        rd_kafka_destroy(rk);
    atomic_store(&m->running, false);
    return NULL;
}

static void *producer_main(void *arg)
{
    ks_demo *d = arg;
    double lat[DEMO_COURIERS], lon[DEMO_COURIERS];
    unsigned seed = 42;

    for (int i = 0; i < DEMO_COURIERS; i++) {
        lat[i] = 48.80 + (rand_r(&seed) % 1000) / 10000.0;
        lon[i] = 2.25 + (rand_r(&seed) % 1000) / 5000.0;
    }
    while (!atomic_load(&d->stop)) {
        int c = rand_r(&seed) % DEMO_COURIERS;
        char key[16], value[160];

        /* a random walk, as the workbook's couriers do */
        lat[c] += ((rand_r(&seed) % 201) - 100) / 100000.0;
        lon[c] += ((rand_r(&seed) % 201) - 100) / 100000.0;
        snprintf(key, sizeof(key), "c%d", c + 1);
        snprintf(value, sizeof(value), "{\"id\":\"c%d\",\"position\":{\"lat\":%.5f,\"lon\":%.5f}}",
                 c + 1, lat[c], lon[c]);
        rd_kafka_producev(d->owner, RD_KAFKA_V_TOPIC(DEMO_TOPIC),
                          RD_KAFKA_V_KEY(key, strlen(key)), RD_KAFKA_V_VALUE(value, strlen(value)),
                          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        rd_kafka_poll(d->owner, 0);
        clock_sleep_ms(50);
    }
    rd_kafka_flush(d->owner, 500);
    return NULL;
}

/* Builds the group part from the members' own view plus committed and
 * log-end offsets, as the group poller would from the broker. */
static void publish_group(ks_demo *d, rd_kafka_t *rk, ks_lagclock *clock)
{
    ks_groups *gs = groups_new();
    ks_arena *a = gs->part.arena;
    ks_group *g;
    rd_kafka_topic_partition_list_t *committed = rd_kafka_topic_partition_list_new(DEMO_PARTITIONS);
    rd_kafka_topic_partition_list_t *ends;
    rd_kafka_t *member_rk = NULL;
    int assigned = 0;

    gs->ngroups = 1;
    gs->groups = g = arena_alloc(a, sizeof(ks_group));
    g->id = DEMO_GROUP;
    g->assignor = "range";
    g->coordinator = KS_NO_ID;
    g->members = arena_alloc(a, DEMO_MEMBERS * sizeof(ks_member));
    for (int p = 0; p < DEMO_PARTITIONS; p++)
        rd_kafka_topic_partition_list_add(committed, DEMO_TOPIC, p);

    pthread_mutex_lock(&d->lock);
    for (int i = 0; i < DEMO_MEMBERS; i++) {
        demo_member *m = &d->members[i];
        ks_member *mem;
        if (!m->joined)
            continue;
        mem = &g->members[g->nmembers++];
        mem->member_id = arena_strdup(a, m->member_id);
        mem->client_id = arena_strdup(a, m->client_id);
        mem->host = "/127.0.0.1";
        mem->assignment = arena_alloc(a, DEMO_PARTITIONS * sizeof(ks_tp));
        for (int k = 0; k < m->nassigned; k++)
            mem->assignment[mem->nassignment++] = (ks_tp){DEMO_TOPIC, m->assigned[k]};
        assigned += m->nassigned;
        if (!member_rk && m->rk)
            member_rk = m->rk;
    }
    g->state = g->nmembers == 0 ? "Empty" : assigned == DEMO_PARTITIONS ? "Stable"
                                                                         : "PreparingRebalance";
    /* committed offsets through a live member (only a member may ask for its own group) */
    if (member_rk)
        rd_kafka_committed(member_rk, committed, 1000);
    pthread_mutex_unlock(&d->lock);

    ends = rd_kafka_topic_partition_list_copy(committed);
    watermarks_query(rk, ends, RD_KAFKA_OFFSET_END, 2000);
    g->offsets = arena_alloc(a, DEMO_PARTITIONS * sizeof(ks_offset));
    for (int p = 0; p < DEMO_PARTITIONS; p++) {
        ks_offset *o = &g->offsets[g->noffsets++];
        o->topic = DEMO_TOPIC;
        o->partition = p;
        o->committed = committed->elems[p].offset;
        o->committed_valid = member_rk && !committed->elems[p].err && o->committed >= 0;
        o->end = ends->elems[p].offset;
        o->end_valid = !ends->elems[p].err && o->end >= 0;
        o->lag_valid = lag_compute(o->committed_valid, o->committed, o->end_valid, o->end, &o->lag);
        if (o->lag_valid) {
            g->lag += o->lag;
            g->lag_valid = true;
        }
        for (int m = 0; m < g->nmembers; m++)
            for (int k = 0; k < g->members[m].nassignment; k++)
                if (g->members[m].assignment[k].partition == p)
                    o->member_id = g->members[m].member_id;
    }
    rd_kafka_topic_partition_list_destroy(committed);
    rd_kafka_topic_partition_list_destroy(ends);
    groups_sort(gs);
    gs->part.taken_ms = clock_wall_ms();
    lagclock_fill(clock, d->store, gs);
    store_publish(d->store, KS_PART_GROUPS, gs);
}

static void *publisher_main(void *arg)
{
    ks_demo *d = arg;
    char err[512];
    const char *extra[] = {"isolation.level", "read_uncommitted", NULL};
    ks_kafka_opts opts = {.bootstrap = d->bootstrap};
    rd_kafka_t *rk = kafka_new(RD_KAFKA_CONSUMER, &opts, &d->pub_state, extra, err, sizeof(err));
    ks_lagclock *clock;

    if (!rk) {
        log_printf(KS_SEV_ERROR, "demo", "publisher: %s", err);
        return NULL;
    }
    clock = lagclock_new();
    while (!atomic_load(&d->stop)) {
        /* restart the churning member when its pause is over */
        demo_member *m = &d->members[DEMO_MEMBERS - 1];
        int64_t phase = (clock_mono_ms() / 1000) % 60;
        if (!atomic_load(&m->running) && (phase < 40 || phase >= 55)) {
            pthread_join(m->thread, NULL);
            atomic_store(&m->running, true);
            pthread_create(&m->thread, NULL, member_main, m);
        }
        publish_group(d, rk, clock);
        for (int i = 0; i < 20 && !atomic_load(&d->stop); i++)
            clock_sleep_ms(100);
    }
    lagclock_free(clock);
    rd_kafka_destroy(rk);
    return NULL;
}

ks_demo *demo_start(ks_store *store, char *errstr, size_t errstr_size)
{
    ks_demo *d = xcalloc(1, sizeof(*d));
    const char *extra[] = {"test.mock.num.brokers", "3", "linger.ms", "20", NULL};
    ks_kafka_opts opts = {0};
    rd_kafka_mock_cluster_t *mc;
    rd_kafka_resp_err_t err;

    d->store = store;
    pthread_mutex_init(&d->lock, NULL);
    snprintf(d->owner_state.name, sizeof(d->owner_state.name), "demo");
    snprintf(d->pub_state.name, sizeof(d->pub_state.name), "demo-groups");
    d->owner = kafka_new(RD_KAFKA_PRODUCER, &opts, &d->owner_state, extra, errstr, errstr_size);
    if (!d->owner)
        goto fail;
    mc = rd_kafka_handle_mock_cluster(d->owner);
    if (!mc) {
        snprintf(errstr, errstr_size, "librdkafka did not start its mock cluster");
        goto fail;
    }
    err = rd_kafka_mock_topic_create(mc, DEMO_TOPIC, DEMO_PARTITIONS, 3);
    if (err) {
        snprintf(errstr, errstr_size, "creating %s: %s", DEMO_TOPIC, rd_kafka_err2str(err));
        goto fail;
    }
    snprintf(d->bootstrap, sizeof(d->bootstrap), "%s", rd_kafka_mock_cluster_bootstraps(mc));
    pthread_create(&d->producer, NULL, producer_main, d);
    for (int i = 0; i < DEMO_MEMBERS; i++) {
        demo_member *m = &d->members[i];
        m->index = i;
        m->demo = d;
        snprintf(m->client_id, sizeof(m->client_id), "courier-consumer-%d", i + 1);
        atomic_store(&m->running, true);
        pthread_create(&m->thread, NULL, member_main, m);
    }
    pthread_create(&d->publisher, NULL, publisher_main, d);
    return d;
fail:
    if (d->owner)
        rd_kafka_destroy(d->owner);
    pthread_mutex_destroy(&d->lock);
    free(d);
    return NULL;
}

const char *demo_bootstrap(const ks_demo *d)
{
    return d->bootstrap;
}

void demo_stop(ks_demo *d)
{
    if (!d)
        return;
    atomic_store(&d->stop, true);
    pthread_join(d->publisher, NULL);
    for (int i = 0; i < DEMO_MEMBERS; i++)
        pthread_join(d->members[i].thread, NULL);
    pthread_join(d->producer, NULL);
    rd_kafka_destroy(d->owner);
    pthread_mutex_destroy(&d->lock);
    free(d);
}
