/* load_topic: the load run's topic: make sure it exists, read its ends.
 *
 * DESIGN: plain blocking calls on a handle the caller owns (the load
 * service's monitor handle, a consumer without group.id, so asking for a
 * topic's metadata never auto-creates it with the broker's defaults).
 * @locality the thread that owns rk. */
#ifndef KS_LOAD_TOPIC_H
#define KS_LOAD_TOPIC_H

#include <librdkafka/rdkafka.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Returns the topic's partition count, creating the topic first when it
 * does not exist (partitions, and replication capped at the number of
 * brokers; *created then true) and waiting until every partition has a
 * leader. -1 with errstr on failure. */
int load_topic_ensure(rd_kafka_t *rk, const char *topic, int partitions, int replication,
                      int timeout_ms, bool *created, char *errstr, size_t errstr_size);

/* High watermarks of partitions 0..n-1 into ends[] (one ListOffsets per
 * leader). 0, or -1 with errstr when any partition failed. */
int load_topic_ends(rd_kafka_t *rk, const char *topic, int n, int64_t *ends, int timeout_ms,
                    char *errstr, size_t errstr_size);

#endif
