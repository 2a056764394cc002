/* poller_cluster: one metadata request and two batched ListOffsets per round.
 *
 * DESIGN: runs on its own poller thread and owns its consumer handle
 * (read_uncommitted, no group). Each round builds a fresh ks_cluster in its
 * own arena and publishes it; nothing published is touched again. Brokers
 * that left the metadata stay listed as down (their last host is remembered
 * in the poller state), so a stopped broker is visible, not just missing. */
#include "poller_cluster.h"
#include "clock.h"
#include "kafka_conf.h"
#include "snapshot.h"
#include "watermarks.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct known_broker {
    int32_t id;
    char *host;
    int port;
} known_broker;

typedef struct cluster_state {
    const ks_kafka_poller_cfg *cfg;
    ks_kafka_state kst;
    rd_kafka_t *rk;
    char create_err[512];
    int nknown;
    known_broker *known;
} cluster_state;

static void *cluster_open(void *cfg, ks_store *store)
{
    static const char *const extra[] = {"isolation.level", "read_uncommitted",
                                        "enable.auto.commit", "false", NULL};
    cluster_state *st = xcalloc(1, sizeof(*st));

    (void)store;
    st->cfg = cfg;
    snprintf(st->kst.name, sizeof(st->kst.name), "cluster");
    st->rk = kafka_new(RD_KAFKA_CONSUMER, &st->cfg->kafka, &st->kst, extra, st->create_err,
                       sizeof(st->create_err));
    return st;
}

static void cluster_close(void *state)
{
    cluster_state *st = state;
    if (st->rk)
        rd_kafka_destroy(st->rk);
    for (int i = 0; i < st->nknown; i++)
        free(st->known[i].host);
    free(st->known);
    free(st);
}

static void remember_broker(cluster_state *st, int32_t id, const char *host, int port)
{
    for (int i = 0; i < st->nknown; i++)
        if (st->known[i].id == id) {
            if (host && (!st->known[i].host || strcmp(st->known[i].host, host))) {
                free(st->known[i].host);
                st->known[i].host = xstrdup(host);
            }
            if (port > 0)
                st->known[i].port = port;
            return;
        }
    st->known = xrealloc(st->known, (size_t)(st->nknown + 1) * sizeof(known_broker));
    st->known[st->nknown++] = (known_broker){id, xstrdup(host), port};
}

/* Brokers: those in metadata are up; remembered or referenced ones are down. */
static void build_brokers(cluster_state *st, ks_cluster *cl, const rd_kafka_metadata_t *md)
{
    ks_arena *a = cl->part.arena;

    for (int i = 0; md && i < md->broker_cnt; i++)
        remember_broker(st, md->brokers[i].id, md->brokers[i].host, md->brokers[i].port);
    for (int t = 0; md && t < md->topic_cnt; t++)
        for (int p = 0; p < md->topics[t].partition_cnt; p++)
            for (int r = 0; r < md->topics[t].partitions[p].replica_cnt; r++)
                remember_broker(st, md->topics[t].partitions[p].replicas[r], NULL, 0);

    cl->brokers = arena_alloc(a, (size_t)(st->nknown + 1) * sizeof(ks_broker));
    for (int k = 0; k < st->nknown; k++) {
        ks_broker *b = &cl->brokers[cl->nbrokers++];
        b->id = st->known[k].id;
        b->host = arena_strdup(a, st->known[k].host);
        b->port = st->known[k].port;
        for (int i = 0; md && i < md->broker_cnt; i++)
            if (md->brokers[i].id == b->id)
                b->up = true;
    }
}

static bool topic_is_internal(const char *name)
{
    /* Metadata v4 (librdkafka 2.0.2) does not expose is_internal; Kafka's
     * internal topics are the double-underscore ones (__consumer_offsets,
     * __transaction_state). */
    return name[0] == '_' && name[1] == '_';
}

static void build_topics(ks_cluster *cl, const rd_kafka_metadata_t *md)
{
    ks_arena *a = cl->part.arena;

    cl->topics = arena_alloc(a, (size_t)md->topic_cnt * sizeof(ks_topic));
    for (int t = 0; t < md->topic_cnt; t++) {
        const rd_kafka_metadata_topic_t *mt = &md->topics[t];
        ks_topic *topic = &cl->topics[cl->ntopics++];

        topic->name = arena_strdup(a, mt->topic);
        topic->internal = topic_is_internal(mt->topic);
        if (mt->err)
            topic->error = arena_strdup(a, rd_kafka_err2str(mt->err));
        topic->partitions = arena_alloc(a, (size_t)mt->partition_cnt * sizeof(ks_partition));
        for (int p = 0; p < mt->partition_cnt; p++) {
            const rd_kafka_metadata_partition_t *mp = &mt->partitions[p];
            ks_partition *part = &topic->partitions[topic->npartitions++];

            part->id = mp->id;
            part->leader = mp->leader;
            part->nreplicas = mp->replica_cnt;
            part->replicas = arena_alloc(a, (size_t)mp->replica_cnt * sizeof(int32_t));
            memcpy(part->replicas, mp->replicas, (size_t)mp->replica_cnt * sizeof(int32_t));
            part->nisr = mp->isr_cnt;
            part->isr = arena_alloc(a, (size_t)mp->isr_cnt * sizeof(int32_t));
            memcpy(part->isr, mp->isrs, (size_t)mp->isr_cnt * sizeof(int32_t));
            if (mp->err && mp->err != RD_KAFKA_RESP_ERR_REPLICA_NOT_AVAILABLE)
                part->error = arena_strdup(a, rd_kafka_err2str(mp->err));
        }
    }
}

/* Element i of the list was added for this partition; librdkafka keeps the
 * order, but look it up if it ever does not (the list is sorted, since the
 * topics and partitions were added in sorted order). */
static rd_kafka_topic_partition_t *list_elem(rd_kafka_topic_partition_list_t *l, int i,
                                             const char *topic, int32_t partition)
{
    if (i < l->cnt && l->elems[i].partition == partition && !strcmp(l->elems[i].topic, topic))
        return &l->elems[i];
    return watermarks_find(l, topic, partition);
}

static void fetch_watermarks(cluster_state *st, ks_cluster *cl)
{
    ks_arena *a = cl->part.arena;
    rd_kafka_topic_partition_list_t *lo, *hi;
    rd_kafka_resp_err_t elo, ehi;
    int n = 0;

    for (int t = 0; t < cl->ntopics; t++)
        n += cl->topics[t].npartitions;
    lo = rd_kafka_topic_partition_list_new(n ? n : 1);
    for (int t = 0; t < cl->ntopics; t++)
        for (int p = 0; p < cl->topics[t].npartitions; p++)
            if (cl->topics[t].partitions[p].leader >= 0) /* offline ones would fail the batch */
                rd_kafka_topic_partition_list_add(lo, cl->topics[t].name,
                                                  cl->topics[t].partitions[p].id);
    hi = rd_kafka_topic_partition_list_copy(lo);
    elo = watermarks_query(st->rk, lo, RD_KAFKA_OFFSET_BEGINNING, st->cfg->timeout_ms);
    ehi = watermarks_query(st->rk, hi, RD_KAFKA_OFFSET_END, st->cfg->timeout_ms);
    cl->watermarks_valid = !elo && !ehi;

    n = 0;
    for (int t = 0; t < cl->ntopics; t++)
        for (int p = 0; p < cl->topics[t].npartitions; p++) {
            ks_partition *part = &cl->topics[t].partitions[p];
            rd_kafka_topic_partition_t *l, *h;

            if (part->leader < 0) {
                if (!part->error)
                    part->error = "offline: no leader";
                continue;
            }
            l = list_elem(lo, n, cl->topics[t].name, part->id);
            h = list_elem(hi, n, cl->topics[t].name, part->id);
            n++;
            if (l && !l->err && l->offset >= 0) {
                part->low = l->offset;
                part->low_valid = true;
            }
            if (h && !h->err && h->offset >= 0) {
                part->high = h->offset;
                part->high_valid = true;
            }
            if (!part->error && ((l && l->err) || (h && h->err)))
                part->error = arena_strdup(a, rd_kafka_err2str(l && l->err ? l->err : h->err));
        }
    rd_kafka_topic_partition_list_destroy(lo);
    rd_kafka_topic_partition_list_destroy(hi);
}

/* Metadata in short slices, so that a cluster whose every broker refuses
 * connections is reported after about a second instead of the full timeout;
 * the all-down flag stays set until a request succeeds (librdkafka reports
 * the transition once). */
static rd_kafka_resp_err_t metadata_fetch(cluster_state *st, const rd_kafka_metadata_t **md,
                                          int64_t t0)
{
    rd_kafka_resp_err_t err;
    int64_t left;

    for (;;) {
        kafka_serve(st->rk);
        left = t0 + st->cfg->timeout_ms - clock_mono_ms();
        err = rd_kafka_metadata(st->rk, 1, NULL, md, left < 500 ? (int)(left > 0 ? left : 1) : 500);
        kafka_serve(st->rk);
        if (!err || (err != RD_KAFKA_RESP_ERR__TIMED_OUT && err != RD_KAFKA_RESP_ERR__TRANSPORT))
            return err;
        if (clock_mono_ms() - t0 >= st->cfg->timeout_ms || poller_stopping())
            return err;
        if (atomic_load(&st->kst.all_down) && clock_mono_ms() - t0 >= 1000)
            return RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN;
    }
}

static void cluster_poll(void *state, ks_store *store)
{
    cluster_state *st = state;
    ks_cluster *cl = cluster_new();
    const rd_kafka_metadata_t *md = NULL;
    rd_kafka_resp_err_t err;
    int64_t t0 = clock_mono_ms();

    cl->bootstrap = arena_strdup(cl->part.arena, st->cfg->kafka.bootstrap);
    if (!st->rk) {
        part_set_error(cl, "cannot create a Kafka client: %s", st->create_err);
        goto publish;
    }
    err = metadata_fetch(st, &md, t0);
    if (err) {
        part_set_error(cl, "cannot reach the cluster at %s: %s", st->cfg->kafka.bootstrap,
                       atomic_load(&st->kst.all_down) ? "all brokers are down"
                                                      : rd_kafka_err2str(err));
        build_brokers(st, cl, NULL);
        goto publish;
    }
    atomic_store(&st->kst.all_down, false);
    build_brokers(st, cl, md);
    build_topics(cl, md);
    rd_kafka_metadata_destroy(md);
    cluster_sort(cl); /* sorted lists make the watermark look-ups binary searches */
    cl->controller = rd_kafka_controllerid(st->rk, 0);
    {
        char *id = rd_kafka_clusterid(st->rk, 0);
        cl->cluster_id = arena_strdup(cl->part.arena, id);
        if (id)
            rd_kafka_mem_free(st->rk, id);
    }
    fetch_watermarks(st, cl);
publish:
    cluster_sort(cl);
    cl->part.taken_ms = clock_wall_ms();
    cl->part.poll_ms = clock_mono_ms() - t0;
    store_publish(store, KS_PART_CLUSTER, cl);
}

const ks_poller_ops poller_cluster_ops = {
    .name = "cluster",
    .open = cluster_open,
    .poll = cluster_poll,
    .close = cluster_close,
};
