/* watermarks: batched ListOffsets through rd_kafka_offsets_for_times(). */
#include "watermarks.h"

#include <string.h>

/* librdkafka 2.0.2 matches every returned partition to the request list
 * with a linear search, so one call over n partitions costs O(n^2) string
 * compares (1.4 s of CPU for 10,000 partitions). Calls of at most CHUNK
 * partitions keep that linear; each call still sends one request per leader
 * broker, in parallel. */
#define CHUNK 512

rd_kafka_resp_err_t watermarks_query(rd_kafka_t *rk, rd_kafka_topic_partition_list_t *parts,
                                     int64_t which, int timeout_ms)
{
    rd_kafka_resp_err_t first = RD_KAFKA_RESP_ERR_NO_ERROR;

    for (int base = 0; base < parts->cnt; base += CHUNK) {
        int n = parts->cnt - base < CHUNK ? parts->cnt - base : CHUNK;
        rd_kafka_topic_partition_list_t *chunk = rd_kafka_topic_partition_list_new(n);
        rd_kafka_resp_err_t err;

        for (int i = 0; i < n; i++)
            rd_kafka_topic_partition_list_add(chunk, parts->elems[base + i].topic,
                                              parts->elems[base + i].partition)->offset = which;
        err = rd_kafka_offsets_for_times(rk, chunk, timeout_ms);
        for (int i = 0; i < n; i++) {
            /* the chunk keeps the order it was built in */
            rd_kafka_topic_partition_t *dst = &parts->elems[base + i], *src = &chunk->elems[i];
            dst->offset = err ? RD_KAFKA_OFFSET_INVALID : src->offset;
            dst->err = err ? err : src->err;
        }
        if (err && !first)
            first = err;
        rd_kafka_topic_partition_list_destroy(chunk);
    }
    return first;
}

static int tp_cmp(const char *ta, int32_t pa, const char *tb, int32_t pb)
{
    int c = strcmp(ta, tb);
    return c ? c : (pa > pb) - (pa < pb);
}

static int elem_cmp(const void *a, const void *b, void *opaque)
{
    const rd_kafka_topic_partition_t *x = a, *y = b;
    (void)opaque;
    return tp_cmp(x->topic, x->partition, y->topic, y->partition);
}

void watermarks_sort_unique(rd_kafka_topic_partition_list_t *parts)
{
    rd_kafka_topic_partition_list_t *uniq;
    int n = 0;

    rd_kafka_topic_partition_list_sort(parts, elem_cmp, NULL);
    for (int i = 0; i < parts->cnt; i++)
        n += i == 0 || elem_cmp(&parts->elems[i - 1], &parts->elems[i], NULL) != 0;
    if (n == parts->cnt)
        return;
    /* rare: rebuild without the duplicates (the list API cannot delete in bulk) */
    uniq = rd_kafka_topic_partition_list_new(n);
    for (int i = 0; i < parts->cnt; i++)
        if (i == 0 || elem_cmp(&parts->elems[i - 1], &parts->elems[i], NULL) != 0)
            rd_kafka_topic_partition_list_add(uniq, parts->elems[i].topic, parts->elems[i].partition);
    while (parts->cnt > 0)
        rd_kafka_topic_partition_list_del_by_idx(parts, parts->cnt - 1);
    for (int i = 0; i < uniq->cnt; i++)
        rd_kafka_topic_partition_list_add(parts, uniq->elems[i].topic, uniq->elems[i].partition);
    rd_kafka_topic_partition_list_destroy(uniq);
}

rd_kafka_topic_partition_t *watermarks_find(const rd_kafka_topic_partition_list_t *parts,
                                            const char *topic, int32_t partition)
{
    int lo = 0, hi = parts->cnt - 1;

    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        int c = tp_cmp(parts->elems[mid].topic, parts->elems[mid].partition, topic, partition);
        if (c == 0)
            return &parts->elems[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}
