/* watermarks: low/high offsets of many partitions in one request per leader.
 *
 * DESIGN: rd_kafka_offsets_for_times() groups partitions by leader and sends
 * one ListOffsets per broker; a timestamp of -2/-1 means earliest/latest.
 * This replaces one query_watermark_offsets round trip per partition.
 * The handle must be a consumer with isolation.level=read_uncommitted so
 * "high" is the high watermark, as Kafka's tools report it.
 * @locality the thread that owns rk. */
#ifndef KS_WATERMARKS_H
#define KS_WATERMARKS_H

#include <librdkafka/rdkafka.h>

/* For each element of parts, sets .offset to the earliest (which = -2) or
 * latest (which = -1) offset and .err per partition. Returns the whole-call
 * error (elements then carry the same error). */
rd_kafka_resp_err_t watermarks_query(rd_kafka_t *rk, rd_kafka_topic_partition_list_t *parts,
                                     int64_t which, int timeout_ms);

/* Sorts parts by topic and partition and drops duplicates, so that
 * watermarks_find() is a binary search. */
void watermarks_sort_unique(rd_kafka_topic_partition_list_t *parts);
/* Binary search in a list sorted by watermarks_sort_unique(); NULL if absent. */
rd_kafka_topic_partition_t *watermarks_find(const rd_kafka_topic_partition_list_t *parts,
                                            const char *topic, int32_t partition);

#endif
