/* tail_source: assign-only consumer with from-specs and until-end (see
 * tail_source.h). */
#include "tail_source.h"
#include "clock.h"
#include "watermarks.h"
#include "xmalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct part {
    int32_t id;
    int64_t low, high, start;
    bool done;
} part;

struct ks_tail_source {
    ks_kafka_state kst;
    rd_kafka_t *rk;
    rd_kafka_queue_t *queue;
    char *topic;
    bool until_end;
    int nparts, ndone;
    part *parts;
    int *index_of; /* partition id -> index in parts, -1 */
    int max_id;
    rd_kafka_topic_partition_list_t *assignment;
    char error[400];
    bool has_error;
    int64_t down_since; /* monotonic ms, 0 while some broker answers */
    int q_peak;         /* largest queue seen since the last kick */
    unsigned long kicks;
};

static int cmp_part(const void *a, const void *b)
{
    const part *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/* Metadata for one topic in short slices (see poller_cluster's metadata_fetch). */
static rd_kafka_resp_err_t topic_metadata(ks_tail_source *src, const ks_tail_source_cfg *cfg,
                                          const rd_kafka_metadata_t **md, int64_t t0)
{
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(src->rk, src->topic, NULL);
    rd_kafka_resp_err_t err;

    for (;;) {
        int64_t left = t0 + cfg->timeout_ms - clock_mono_ms();
        kafka_serve(src->rk);
        err = rd_kafka_metadata(src->rk, 0, rkt, md, left < 500 ? (int)(left > 0 ? left : 1) : 500);
        kafka_serve(src->rk);
        if (!err) {
            /* a topic being created has no leaders yet: ask again */
            rd_kafka_resp_err_t terr = (*md)->topic_cnt ? (*md)->topics[0].err : 0;
            if (terr != RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE ||
                clock_mono_ms() - t0 >= cfg->timeout_ms)
                break;
            rd_kafka_metadata_destroy(*md);
            *md = NULL;
            clock_sleep_ms(100);
            continue;
        }
        if (err != RD_KAFKA_RESP_ERR__TIMED_OUT && err != RD_KAFKA_RESP_ERR__TRANSPORT)
            break;
        if (clock_mono_ms() - t0 >= cfg->timeout_ms ||
            (cfg->stopping && cfg->stopping(cfg->stopping_ctx)))
            break;
        if (atomic_load(&src->kst.all_down) && clock_mono_ms() - t0 >= 1000) {
            err = RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN;
            break;
        }
    }
    rd_kafka_topic_destroy(rkt);
    return err;
}

/* Fills src->parts from the metadata and the requested partitions. */
static int choose_partitions(ks_tail_source *src, const rd_kafka_metadata_topic_t *mt,
                             const ks_tail_opts *opts, char *errstr, size_t errstr_size)
{
    int n = opts->npartitions ? opts->npartitions : mt->partition_cnt;

    src->parts = xcalloc((size_t)(n ? n : 1), sizeof(part));
    if (!opts->npartitions) {
        for (int i = 0; i < mt->partition_cnt; i++)
            src->parts[src->nparts++].id = mt->partitions[i].id;
    } else {
        for (int i = 0; i < opts->npartitions; i++) {
            bool found = false;
            for (int k = 0; k < mt->partition_cnt && !found; k++)
                found = mt->partitions[k].id == opts->partitions[i];
            if (!found) {
                snprintf(errstr, errstr_size,
                         "topic \"%s\" has no partition %" PRId32 " (it has %d, from 0)",
                         src->topic, opts->partitions[i], mt->partition_cnt);
                return -1;
            }
            src->parts[src->nparts++].id = opts->partitions[i];
        }
    }
    qsort(src->parts, (size_t)src->nparts, sizeof(part), cmp_part);
    src->max_id = src->nparts ? src->parts[src->nparts - 1].id : 0;
    src->index_of = xmalloc(sizeof(int) * (size_t)(src->max_id + 1));
    for (int i = 0; i <= src->max_id; i++)
        src->index_of[i] = -1;
    for (int i = 0; i < src->nparts; i++)
        src->index_of[src->parts[i].id] = i;
    return 0;
}

static rd_kafka_topic_partition_list_t *parts_list(const ks_tail_source *src)
{
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(src->nparts);
    for (int i = 0; i < src->nparts; i++)
        rd_kafka_topic_partition_list_add(l, src->topic, src->parts[i].id);
    return l;
}

/* One batched ListOffsets; element i belongs to parts[i]. */
static int query(ks_tail_source *src, int64_t which, int timeout_ms, int64_t *out, char *errstr,
                 size_t errstr_size)
{
    rd_kafka_topic_partition_list_t *l = parts_list(src);
    int rc = 0;

    watermarks_query(src->rk, l, which, timeout_ms);
    for (int i = 0; i < src->nparts && rc == 0; i++) {
        if (l->elems[i].err) {
            snprintf(errstr, errstr_size, "partition %" PRId32 " of \"%s\": %s", src->parts[i].id,
                     src->topic, rd_kafka_err2str(l->elems[i].err));
            rc = -1;
        }
        out[i] = l->elems[i].offset;
    }
    rd_kafka_topic_partition_list_destroy(l);
    return rc;
}

static int resolve_starts(ks_tail_source *src, const ks_tail_opts *opts, int timeout_ms,
                          char *errstr, size_t errstr_size)
{
    int64_t *lo = xcalloc((size_t)src->nparts + 1, sizeof(int64_t));
    int64_t *hi = xcalloc((size_t)src->nparts + 1, sizeof(int64_t));
    int64_t *at = NULL;
    int rc = -1;

    if (query(src, RD_KAFKA_OFFSET_BEGINNING, timeout_ms, lo, errstr, errstr_size) ||
        query(src, RD_KAFKA_OFFSET_END, timeout_ms, hi, errstr, errstr_size))
        goto out;
    if (opts->from.kind == KS_FROM_TIME || opts->from.kind == KS_FROM_AGO) {
        int64_t ts =
            opts->from.kind == KS_FROM_TIME ? opts->from.value : clock_wall_ms() - opts->from.value;
        at = xcalloc((size_t)src->nparts + 1, sizeof(int64_t));
        if (query(src, ts < 0 ? 0 : ts, timeout_ms, at, errstr, errstr_size))
            goto out;
    }
    for (int i = 0; i < src->nparts; i++) {
        part *p = &src->parts[i];
        int64_t v = opts->from.value;
        p->low = lo[i];
        p->high = hi[i];
        switch (opts->from.kind) {
        case KS_FROM_BEGINNING:
            p->start = p->low;
            break;
        case KS_FROM_OFFSET:
            p->start = v < p->low ? p->low : v > p->high ? p->high : v;
            break;
        case KS_FROM_LAST:
            p->start = p->high - v < p->low ? p->low : p->high - v;
            break;
        case KS_FROM_TIME:
        case KS_FROM_AGO:
            p->start = at[i] >= 0 ? at[i] : p->high;
            break;
        case KS_FROM_END:
        default:
            p->start = p->high;
            break;
        }
        if (src->until_end && p->start >= p->high) {
            p->done = true;
            src->ndone++;
        }
    }
    rc = 0;
out:
    free(lo);
    free(hi);
    free(at);
    return rc;
}

/* librdkafka 2.0.2 stops fetching while the consumer queue (shared by all
 * assigned partitions) holds queued.min.messages messages (100,000) or
 * queued.max.messages.kbytes, and then its broker threads look again only
 * when an operation or a reply wakes them, or after a second: a reader that
 * drains 100,000 messages in 0.2 s would idle for 0.8 s. When the queue ran
 * dry after holding KICK_PEAK messages or more, one batched ListOffsets
 * (a request to every leader) wakes their threads, which then fetch at once.
 * The byte bound is set here (queue_kbytes) unless -X sets it. */
#define KICK_PEAK 10000

static void kick_fetchers(ks_tail_source *src)
{
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_copy(src->assignment);
    watermarks_query(src->rk, l, RD_KAFKA_OFFSET_END, 1000);
    rd_kafka_topic_partition_list_destroy(l);
    src->kicks++;
}

ks_tail_source *tail_source_open(const ks_tail_source_cfg *cfg, char *errstr, size_t errstr_size)
{
    char group[64], kbytes[24];
    static const char kbytes_key[] = "queued.max.messages.kbytes";
    const char *extra[32] = {"group.id",
                             group,
                             "enable.auto.commit",
                             "false",
                             "enable.auto.offset.store",
                             "false",
                             "enable.partition.eof",
                             "true",
                             "isolation.level",
                             "read_uncommitted",
                             "auto.offset.reset",
                             "earliest",
                             NULL};
    int nextra = 12;
    ks_tail_source *src = xcalloc(1, sizeof(*src));
    const rd_kafka_metadata_t *md = NULL;
    rd_kafka_resp_err_t err;
    int64_t t0 = clock_mono_ms();

    /* assign() needs a group id; this one never joins nor commits */
    snprintf(group, sizeof(group), "ksight-tail-%ld-%" PRId64, (long)getpid(), clock_wall_ms());
    snprintf(src->kst.name, sizeof(src->kst.name), "tail");
    src->topic = xstrdup(cfg->topic);
    src->until_end = cfg->opts->until_end;
    snprintf(kbytes, sizeof(kbytes), "%d", cfg->queue_kbytes > 0 ? cfg->queue_kbytes : 16384);
    if (!cfg->kafka.props || !props_get(cfg->kafka.props, kbytes_key)) { /* the user's -X wins */
        extra[nextra++] = kbytes_key;
        extra[nextra++] = kbytes;
    }
    extra[nextra] = NULL;
    src->rk = kafka_new(RD_KAFKA_CONSUMER, &cfg->kafka, &src->kst, extra, errstr, errstr_size);
    if (!src->rk)
        goto fail;
    err = topic_metadata(src, cfg, &md, t0);
    if (err) {
        snprintf(errstr, errstr_size, "cannot reach the cluster at %s: %s", cfg->kafka.bootstrap,
                 err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN ? "all brokers are down"
                                                            : rd_kafka_err2str(err));
        goto fail;
    }
    if (md->topic_cnt != 1 || md->topics[0].err) {
        rd_kafka_resp_err_t terr = md->topic_cnt ? md->topics[0].err : RD_KAFKA_RESP_ERR_UNKNOWN;
        if (terr == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
            snprintf(errstr, errstr_size, "topic \"%s\" does not exist", src->topic);
        else
            snprintf(errstr, errstr_size, "topic \"%s\": %s", src->topic, rd_kafka_err2str(terr));
        goto fail;
    }
    if (choose_partitions(src, &md->topics[0], cfg->opts, errstr, errstr_size))
        goto fail;
    rd_kafka_metadata_destroy(md);
    md = NULL;
    if (resolve_starts(src, cfg->opts, cfg->timeout_ms, errstr, errstr_size))
        goto fail;
    src->assignment = parts_list(src);
    for (int i = 0; i < src->nparts; i++)
        src->assignment->elems[i].offset = src->parts[i].start;
    err = rd_kafka_assign(src->rk, src->assignment);
    if (err) {
        snprintf(errstr, errstr_size, "cannot assign the partitions of \"%s\": %s", src->topic,
                 rd_kafka_err2str(err));
        goto fail;
    }
    src->queue = rd_kafka_queue_get_consumer(src->rk);
    return src;
fail:
    if (md)
        rd_kafka_metadata_destroy(md);
    tail_source_close(src);
    return NULL;
}

void tail_source_close(ks_tail_source *src)
{
    if (!src)
        return;
    if (src->queue)
        rd_kafka_queue_destroy(src->queue);
    /* before the handle: a list librdkafka looked partitions up in holds
     * references to them, and rd_kafka_destroy() would wait for those */
    if (src->assignment)
        rd_kafka_topic_partition_list_destroy(src->assignment);
    if (src->rk) /* nothing to commit, no group to leave: do not wait for one */
        rd_kafka_destroy_flags(src->rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
    free(src->parts);
    free(src->index_of);
    free(src->topic);
    free(src);
}

static part *part_of(ks_tail_source *src, int32_t id)
{
    if (id < 0 || id > src->max_id || src->index_of[id] < 0)
        return NULL;
    return &src->parts[src->index_of[id]];
}

static void mark_done(ks_tail_source *src, part *p)
{
    if (!p->done) {
        p->done = true;
        src->ndone++;
    }
}

int tail_source_next(ks_tail_source *src, rd_kafka_message_t **msgs, int max, int timeout_ms)
{
    ssize_t got;
    int n = 0;

    kafka_serve(src->rk);
    if (tail_source_done(src))
        return 0;
    /* consume_batch_queue() with a timeout waits for a full batch: take
     * what is there, and block only for the first message of a quiet topic */
    got = rd_kafka_consume_batch_queue(src->queue, 0, msgs, (size_t)max);
    if (got == 0 && timeout_ms > 0) {
        rd_kafka_message_t *first = rd_kafka_consume_queue(src->queue, timeout_ms);
        if (first) {
            msgs[0] = first;
            got = 1;
            if (max > 1) {
                ssize_t more =
                    rd_kafka_consume_batch_queue(src->queue, 0, msgs + 1, (size_t)max - 1);
                got += more > 0 ? more : 0;
            }
        }
    }
    if (got > 0) {
        int left = rd_kafka_queue_length(src->queue);
        if (left + (int)got > src->q_peak)
            src->q_peak = left + (int)got;
        if (left == 0 && src->q_peak >= KICK_PEAK) {
            kick_fetchers(src);
            src->q_peak = 0;
        }
    }
    for (ssize_t i = 0; i < got; i++) {
        rd_kafka_message_t *m = msgs[i];
        part *p = part_of(src, m->partition);
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            if (src->until_end && p && m->offset >= p->high)
                mark_done(src, p);
            rd_kafka_message_destroy(m);
            continue;
        }
        if (m->err) {
            snprintf(src->error, sizeof(src->error), "%s", rd_kafka_message_errstr(m));
            src->has_error = true;
            rd_kafka_message_destroy(m);
            continue;
        }
        src->down_since = 0;
        atomic_store(&src->kst.all_down, false);
        if (src->until_end && p) {
            if (p->done || m->offset >= p->high) {
                rd_kafka_message_destroy(m); /* produced after the start: past the end */
                continue;
            }
            if (m->offset >= p->high - 1)
                mark_done(src, p);
        }
        msgs[n++] = m;
    }
    return n;
}

bool tail_source_done(const ks_tail_source *src)
{
    return src->until_end && src->ndone >= src->nparts;
}

void tail_source_serve(ks_tail_source *src)
{
    kafka_serve(src->rk);
}

int tail_source_backlog(ks_tail_source *src)
{
    return (int)rd_kafka_queue_length(src->queue);
}

int tail_source_partitions(const ks_tail_source *src)
{
    return src->nparts;
}

int tail_source_partitions_done(const ks_tail_source *src)
{
    return src->ndone;
}

const char *tail_source_topic(const ks_tail_source *src)
{
    return src->topic;
}

bool tail_source_take_error(ks_tail_source *src, char *out, size_t size)
{
    if (!src->has_error)
        return false;
    snprintf(out, size, "%s", src->error);
    src->has_error = false;
    return true;
}

unsigned long tail_source_kicks(const ks_tail_source *src)
{
    return src->kicks;
}

bool tail_source_cluster_lost(ks_tail_source *src, int ms)
{
    int64_t now = clock_mono_ms();

    if (!atomic_load(&src->kst.all_down)) {
        src->down_since = 0;
        return false;
    }
    if (!src->down_since)
        src->down_since = now;
    return now - src->down_since >= ms;
}
