/* snapshot: reference counting, construction helpers and look-ups over model.h.
 *
 * DESIGN: any thread may ref/unref (atomic counts). A part is mutable only
 * between *_new() and its publication to the store; after that every thread
 * treats it as read-only. Look-ups are binary searches over sorted arrays and
 * return borrowed pointers valid while the caller holds its reference. */
#ifndef KS_SNAPSHOT_H
#define KS_SNAPSHOT_H

#include "model.h"

/* New empty parts, refcount 1, owned by the caller until published. */
ks_cluster *cluster_new(void);
ks_groups *groups_new(void);
ks_zk *zk_new(void);
ks_registry *registry_new(void);

/* Parts share one header, so one ref/unref serves all four kinds. */
void *part_ref(void *part);   /* returns part; NULL-safe */
void part_unref(void *part);  /* frees the arena on the last unref; NULL-safe */
void part_set_error(void *part, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sort helpers the pollers call once before publishing. */
void cluster_sort(ks_cluster *cluster);
void groups_sort(ks_groups *groups);
void registry_sort(ks_registry *registry);

ks_snapshot *snapshot_ref(ks_snapshot *snap);
void snapshot_unref(ks_snapshot *snap);

/* Look-ups: borrowed pointers, NULL when absent. */
const ks_topic *snapshot_topic(const ks_snapshot *snap, const char *name);
const ks_partition *topic_partition(const ks_topic *topic, int32_t id);
const ks_broker *snapshot_broker(const ks_snapshot *snap, int32_t id);
const ks_group *snapshot_group(const ks_snapshot *snap, const char *id);
const ks_subject *snapshot_subject(const ks_snapshot *snap, const char *name);

/* Derived facts about partitions and topics. */
bool partition_under_replicated(const ks_partition *p);
bool partition_offline(const ks_partition *p);
bool partition_in_isr(const ks_partition *p, int32_t broker);
int topic_replication_factor(const ks_topic *topic);  /* max replicas over partitions */
int topic_under_replicated(const ks_topic *topic);    /* count of partitions */
bool topic_messages(const ks_topic *topic, int64_t *out); /* sum high-low; false if unknown */

/* Lag the way Kafka's ConsumerGroupCommand computes it: end - committed,
 * defined only when both are known (committed >= 0). */
bool lag_compute(bool committed_valid, int64_t committed, bool end_valid, int64_t end,
                 int64_t *lag);

/* Summary counts for the overview. */
typedef struct ks_cluster_counts {
    int topics, internal_topics, partitions, under_replicated, offline;
    int brokers_up;
} ks_cluster_counts;
void cluster_counts(const ks_cluster *cluster, ks_cluster_counts *out);
int broker_leader_count(const ks_cluster *cluster, int32_t broker);
int broker_replica_count(const ks_cluster *cluster, int32_t broker);

/* Every source's error, in a fixed order; returns the count (<= max). */
int snapshot_errors(const ks_snapshot *snap, ks_error *out, int max);

const char *zk_mode_name(ks_zk_mode mode); /* "leader", "not-serving", ... */

#endif
