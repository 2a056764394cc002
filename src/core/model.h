/* model: the snapshot structs, the contract between backend pollers and the UI.
 *
 * DESIGN: plain C data, no library types. A snapshot is made of four parts,
 * one per poller (cluster, groups, zookeeper, registry). Each part is built
 * privately by its poller in its own arena, then published to the store and
 * never modified again; it is shared by reference count between snapshots.
 * A value that may be unknown carries a validity flag: unknown is not zero.
 * Arrays are sorted (topics and groups by name, partitions by id) so that
 * lookups are binary searches and diffs are merges. */
#ifndef KS_MODEL_H
#define KS_MODEL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "arena.h"

#define KS_NO_ID (-1) /* broker/leader/controller id not known */

/* One error of one source, e.g. {"registry", "connection refused"}. */
typedef struct ks_error {
    const char *source;
    const char *message;
} ks_error;

/* Header shared by every part: refcount, owner arena, when it was taken. */
typedef struct ks_part {
    atomic_int refcnt;
    ks_arena *arena;  /* owns every pointer inside the part */
    int64_t taken_ms; /* wall clock (ms since epoch) when the poll ended */
    int64_t poll_ms;  /* how long the poll took */
    const char *error; /* NULL when the source answered */
} ks_part;

/* ---- cluster: brokers, topics, partitions, watermarks ---- */

typedef struct ks_broker {
    int32_t id;
    const char *host;
    int port;
    bool up; /* listed in metadata (ZK-registered/fenced brokers are absent) */
} ks_broker;

typedef struct ks_partition {
    int32_t id;
    int32_t leader; /* KS_NO_ID when offline */
    int nreplicas, nisr;
    int32_t *replicas;
    int32_t *isr;
    bool low_valid, high_valid;
    int64_t low, high;   /* log-start and high watermark (read_uncommitted) */
    const char *error;   /* partition-level metadata or watermark error, or NULL */
} ks_partition;

typedef struct ks_topic {
    const char *name;
    bool internal;
    int npartitions;
    ks_partition *partitions; /* sorted by id */
    const char *error;
} ks_topic;

typedef struct ks_cluster {
    ks_part part;
    const char *bootstrap;
    const char *cluster_id;   /* NULL if unknown */
    int32_t controller;       /* KS_NO_ID if unknown */
    int nbrokers;
    ks_broker *brokers;       /* sorted by id */
    int ntopics;
    ks_topic *topics;         /* sorted by name */
    bool watermarks_valid;    /* false if the offsets phase failed as a whole */
} ks_cluster;

/* ---- consumer groups ---- */

typedef struct ks_tp {
    const char *topic;
    int32_t partition;
} ks_tp;

typedef struct ks_member {
    const char *member_id;
    const char *client_id;
    const char *host;
    const char *instance_id; /* static membership, or NULL */
    int nassignment;
    ks_tp *assignment;       /* sorted by topic, partition */
} ks_member;

typedef struct ks_offset {
    const char *topic;
    int32_t partition;
    bool committed_valid; /* false: the group has no committed offset here (CLI "-") */
    bool end_valid;
    bool lag_valid;       /* committed_valid && end_valid */
    int64_t committed, end, lag;
    const char *member_id; /* assigned member, or NULL */
    /* how old the oldest unconsumed message is (lagclock.h): 0 when caught
     * up; at_least: ksight has not watched long enough, a lower bound */
    bool time_lag_valid, time_lag_at_least;
    int64_t time_lag_ms;
} ks_offset;

typedef struct ks_group {
    const char *id;
    const char *state;      /* "Stable", "Empty", "PreparingRebalance", ... */
    const char *assignor;   /* partition assignor (protocol), "" if none */
    bool simple;            /* is_simple_consumer_group */
    int32_t coordinator;    /* KS_NO_ID if unknown */
    int nmembers;
    ks_member *members;     /* sorted by member id */
    int noffsets;
    ks_offset *offsets;     /* sorted by topic, partition */
    bool lag_valid;
    int64_t lag;            /* sum of the valid partition lags */
    const char *error;      /* describe or offset error of this group only */
    bool generation_valid;  /* librdkafka 2.0.2's describe has no generation; */
    int32_t generation;     /* only ksight's own load groups know theirs */
    bool time_lag_valid, time_lag_at_least; /* the largest of its partitions' */
    int64_t time_lag_ms;
} ks_group;

typedef struct ks_groups {
    ks_part part;
    bool supported;   /* false when the cluster cannot list groups (mock) */
    int ngroups;
    ks_group *groups; /* sorted by id */
} ks_groups;

/* ---- ZooKeeper ensemble ---- */

typedef enum ks_zk_mode {
    KS_ZK_UNKNOWN = 0,
    KS_ZK_LEADER,
    KS_ZK_FOLLOWER,
    KS_ZK_OBSERVER,
    KS_ZK_STANDALONE,
    KS_ZK_READ_ONLY,
    KS_ZK_NOT_SERVING, /* up, but no quorum */
    KS_ZK_REFUSED,     /* up, but srvr is not in 4lw.commands.whitelist */
    KS_ZK_DOWN,        /* no TCP answer */
} ks_zk_mode;

typedef struct ks_zk_server {
    const char *address; /* host:port as configured */
    ks_zk_mode mode;
    bool stats_valid;    /* zxid, connections and latency known */
    int64_t zxid;
    int connections;
    double latency_avg_ms;
    int64_t latency_max_ms;
    int64_t node_count;
    const char *version;
    const char *error;   /* why down/refused/not serving, or NULL */
} ks_zk_server;

typedef struct ks_zk {
    ks_part part;
    bool quorum;       /* some server serves as leader, follower, observer or standalone */
    int nservers;
    ks_zk_server *servers; /* in configured order */
    bool quorum_valid; /* false: no server could say (srvr refused, garbage) */
} ks_zk;

/* ---- schema registry ---- */

typedef struct ks_subject {
    const char *name;
    int nversions;
    int *versions;          /* ascending */
    int latest_version;
    int latest_id;          /* schema id of the latest version, -1 if unknown */
    const char *type;       /* "AVRO", "JSON", "PROTOBUF" */
    const char *compatibility; /* per-subject level, or NULL (inherits global) */
    const char *error;      /* fetching this subject failed (partly), or NULL */
} ks_subject;

typedef struct ks_registry {
    ks_part part;
    const char *url;
    bool reachable;
    const char *compatibility; /* global level, or NULL */
    int nsubjects;
    ks_subject *subjects;   /* sorted by name */
} ks_registry;

/* ---- the snapshot: one consistent frame for the UI ---- */

typedef struct ks_snapshot {
    atomic_int refcnt;
    uint64_t version;      /* increases by one per publish */
    ks_cluster *cluster;   /* NULL until the first cluster poll */
    ks_groups *groups;     /* NULL until the first group poll */
    ks_zk *zk;             /* NULL when no ZooKeeper is configured */
    ks_registry *registry; /* NULL when no registry is configured */
} ks_snapshot;

#endif
