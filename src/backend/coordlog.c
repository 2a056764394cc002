/* coordlog: reads __consumer_offsets for group generations (coordlog.h). */
#include "coordlog.h"
#include "group_history.h"
#include "clock.h"
#include "log.h"
#include "snapshot.h"
#include "arena.h"
#include "xmalloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define COORD_TOPIC "__consumer_offsets"
#define RETRY_MS 5000
/* what a user sees in the timeline when the log cannot be read */
#define READ_FAILED                                                                                \
    "cannot read " COORD_TOPIC " (rebalances keep observed numbers, not generations): %s"

struct ks_coordlog {
    ks_kafka_opts opts;
    ks_kafka_state kst;
    ks_coordlog_fn fn;
    void *ctx;
    rd_kafka_t *rk;
    pthread_t thread;
    atomic_bool stop;

    pthread_mutex_t lock; /* guards st */
    ks_coordlog_stats st;

    int64_t started_ms; /* wall clock at start: older records are history */

    /* the thread's own */
    int npartitions;
    bool *at_eof; /* per partition: the replay reached its end once */
    int neof;
};

static void set_error(ks_coordlog *cl, const char *fmt, const char *detail)
{
    pthread_mutex_lock(&cl->lock);
    bool changed = strcmp(cl->st.error, detail) != 0;
    snprintf(cl->st.error, sizeof(cl->st.error), "%s", detail);
    pthread_mutex_unlock(&cl->lock);
    if (changed && *detail)
        log_printf(KS_SEV_WARN, "coordlog", fmt, detail);
}

/* Sleeps up to ms, in steps, unless stopped. */
static void nap(ks_coordlog *cl, int ms)
{
    for (int t = 0; t < ms && !atomic_load(&cl->stop); t += 100)
        clock_sleep_ms(100);
}

/* Learns the partition count and assigns them all from the beginning. */
static bool assign_all(ks_coordlog *cl)
{
    const rd_kafka_metadata_t *md = NULL;
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(cl->rk, COORD_TOPIC, NULL);
    rd_kafka_resp_err_t err = rd_kafka_metadata(cl->rk, 0, rkt, &md, 5000);
    int n = 0;

    if (!err && md->topic_cnt == 1) {
        err = md->topics[0].err;
        n = md->topics[0].partition_cnt;
    }
    if (md)
        rd_kafka_metadata_destroy(md);
    rd_kafka_topic_destroy(rkt);
    if (err || n <= 0) {
        /* the topic appears with the first group: not an error yet */
        set_error(cl, READ_FAILED, err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART || (!err && n <= 0)
                                ? ""
                                : rd_kafka_err2str(err));
        return false;
    }
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(n);
    for (int p = 0; p < n; p++)
        rd_kafka_topic_partition_list_add(list, COORD_TOPIC, p)->offset = RD_KAFKA_OFFSET_BEGINNING;
    err = rd_kafka_assign(cl->rk, list);
    rd_kafka_topic_partition_list_destroy(list);
    if (err) {
        set_error(cl, READ_FAILED, rd_kafka_err2str(err));
        return false;
    }
    cl->npartitions = n;
    cl->at_eof = xcalloc((size_t)n, sizeof(*cl->at_eof));
    cl->neof = 0;
    return true;
}

static void count(ks_coordlog *cl, bool ok)
{
    pthread_mutex_lock(&cl->lock);
    if (ok)
        cl->st.records++;
    else
        cl->st.bad++;
    pthread_mutex_unlock(&cl->lock);
}

static void on_record(ks_coordlog *cl, const rd_kafka_message_t *m)
{
    const uint8_t *k = m->key;
    dec_groupmeta_key key;
    dec_groupmeta *gm = NULL;
    char err[256], *group;

    /* offset commits (key versions 0 and 1) are nearly all of the topic */
    if (m->key_len < 2 || k[0] != 0 || k[1] != 2)
        return;
    if (dec_groupmeta_key_decode(k, m->key_len, &key, err, sizeof(err)) != KS_DEC_OK ||
        key.kind != DEC_GROUPMETA_GROUP_METADATA) {
        count(cl, false);
        return;
    }
    if (dec_groupmeta_value_decode(m->payload, m->len, NULL, &gm, err, sizeof(err)) != KS_DEC_OK) {
        count(cl, false);
        log_printf(KS_SEV_WARN, "coordlog", "partition %d offset %lld: %s", (int)m->partition,
                   (long long)m->offset, err);
        return;
    }
    group = xstrndup(key.group.ptr, key.group.len);
    count(cl, true);
    int64_t ts = rd_kafka_message_timestamp(m, NULL);
    /* history: before the partition's first end, and written before we
     * started (a group that rebalanced while the replay ran is news) */
    cl->fn(cl->ctx, group, gm, ts, !cl->at_eof[m->partition] && ts < cl->started_ms);
    free(group);
    dec_groupmeta_free(gm);
}

static void on_message(ks_coordlog *cl, const rd_kafka_message_t *m)
{
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        if (m->partition >= 0 && m->partition < cl->npartitions && !cl->at_eof[m->partition]) {
            cl->at_eof[m->partition] = true;
            if (++cl->neof == cl->npartitions) {
                pthread_mutex_lock(&cl->lock);
                cl->st.caught_up = true;
                pthread_mutex_unlock(&cl->lock);
            }
        }
        return;
    }
    if (m->err) {
        set_error(cl, READ_FAILED, rd_kafka_message_errstr(m));
        return;
    }
    if (m->partition >= 0 && m->partition < cl->npartitions)
        on_record(cl, m);
}

static void *coordlog_main(void *arg)
{
    ks_coordlog *cl = arg;

    while (!atomic_load(&cl->stop) && !assign_all(cl))
        nap(cl, RETRY_MS);
    while (!atomic_load(&cl->stop)) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(cl->rk, 200);
        if (!m)
            continue;
        on_message(cl, m);
        rd_kafka_message_destroy(m);
    }
    return NULL;
}

ks_coordlog *coordlog_start(const ks_kafka_opts *opts, ks_coordlog_fn fn, void *ctx,
                            char *errstr, size_t errstr_size)
{
    char group[64];
    /* assign() needs a group id; this one never joins nor commits */
    const char *const extra[] = {"group.id", group, "enable.auto.commit", "false",
                                 "enable.partition.eof", "true",
                                 /* a small read-ahead: the replay is mostly offset commits */
                                 "queued.max.messages.kbytes", "8192", "client.id",
                                 "ksight-coordlog", NULL};
    ks_coordlog *cl = xcalloc(1, sizeof(*cl));

    snprintf(group, sizeof(group), "ksight-coordlog-%ld-%lld", (long)getpid(),
             (long long)clock_wall_ms());

    cl->opts = *opts;
    cl->started_ms = clock_wall_ms();
    cl->fn = fn;
    cl->ctx = ctx;
    snprintf(cl->kst.name, sizeof(cl->kst.name), "coordlog");
    cl->rk = kafka_new(RD_KAFKA_CONSUMER, &cl->opts, &cl->kst, extra, errstr, errstr_size);
    if (!cl->rk) {
        free(cl);
        return NULL;
    }
    rd_kafka_poll_set_consumer(cl->rk);
    pthread_mutex_init(&cl->lock, NULL);
    atomic_init(&cl->stop, false);
    if (pthread_create(&cl->thread, NULL, coordlog_main, cl) != 0) {
        snprintf(errstr, errstr_size, "cannot start the coordinator log thread");
        rd_kafka_destroy(cl->rk);
        pthread_mutex_destroy(&cl->lock);
        free(cl);
        return NULL;
    }
    return cl;
}

void coordlog_stop(ks_coordlog *cl)
{
    if (!cl)
        return;
    atomic_store(&cl->stop, true);
    pthread_join(cl->thread, NULL);
    rd_kafka_consumer_close(cl->rk);
    rd_kafka_destroy(cl->rk);
    pthread_mutex_destroy(&cl->lock);
    free(cl->at_eof);
    free(cl);
}

void coordlog_stats(ks_coordlog *cl, ks_coordlog_stats *out)
{
    pthread_mutex_lock(&cl->lock);
    *out = cl->st;
    pthread_mutex_unlock(&cl->lock);
}

/* A consumer group's metadata record as a one-group part, the shape
 * group_history compares: members and what the leader assigned them. */
static ks_groups *groupmeta_part(const char *group, const dec_groupmeta *gm)
{
    ks_groups *part = groups_new();
    ks_arena *a = part->part.arena;
    ks_group *g = arena_alloc(a, sizeof(*g));

    part->ngroups = 1;
    part->groups = g;
    part->part.taken_ms = clock_wall_ms();
    g->id = arena_strdup(a, group);
    g->state = gm->nmembers ? "Stable" : "Empty";
    g->assignor = arena_strdup(a, gm->protocol ? gm->protocol : "");
    g->coordinator = KS_NO_ID;
    g->generation_valid = true;
    g->generation = gm->generation;
    g->nmembers = (int)gm->nmembers;
    g->members = gm->nmembers ? arena_alloc(a, sizeof(ks_member) * gm->nmembers) : NULL;
    for (size_t i = 0; i < gm->nmembers; i++) {
        const dec_groupmeta_member *dm = &gm->members[i];
        ks_member *m = &g->members[i];
        size_t n = 0;
        m->member_id = arena_strdup(a, dm->member_id ? dm->member_id : "");
        m->client_id = arena_strdup(a, dm->client_id ? dm->client_id : "");
        m->host = arena_strdup(a, dm->client_host ? dm->client_host : "");
        m->instance_id = arena_strdup(a, dm->group_instance_id);
        for (size_t t = 0; dm->has_assignment && t < dm->assignment.ntopics; t++)
            n += dm->assignment.topics[t].npartitions;
        m->assignment = n ? arena_alloc(a, sizeof(ks_tp) * n) : NULL;
        for (size_t t = 0; n && t < dm->assignment.ntopics; t++) {
            const dec_groupmeta_topic *dt = &dm->assignment.topics[t];
            const char *topic = arena_strdup(a, dt->topic ? dt->topic : "");
            for (size_t k = 0; k < dt->npartitions; k++)
                m->assignment[m->nassignment++] = (ks_tp){topic, dt->partitions[k]};
        }
    }
    groups_sort(part);
    return part;
}

void coordlog_to_history(void *ctx, const char *group, const dec_groupmeta *gm, int64_t ts_ms,
                         bool replay)
{
    /* history: consumer groups' past generations become records of their own */
    if (replay && !gm->tombstone && gm->consumer) {
        ks_groups *part = groupmeta_part(group, gm);
        group_history_replayed(ctx, part, gm->generation, ts_ms);
        part_unref(part);
    }
    group_history_coordinator(ctx, group, gm->tombstone ? -1 : gm->generation, ts_ms,
                              gm->tombstone, replay);
}
