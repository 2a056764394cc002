/* dec_groupmeta: the group coordinator's own records in __consumer_offsets.
 *
 * DescribeGroups has no generation id, so ksight reads the coordinator's log,
 * where every completed rebalance of a classic group is written as a group
 * metadata record (key version 2) holding the generation, the protocol, the
 * leader and each member with its subscription and assignment. Offset
 * commits (key versions 0 and 1) share the topic; versions 3 and up are
 * KIP-848 and share-group records, reported as "other" and not decoded.
 *
 * DESIGN: pure functions over bytes, no I/O, no globals. Lengths and counts
 * are never trusted: an array is allocated only after its count is checked
 * against the bytes left (each element has a minimum size) and against the
 * caps in dec_groupmeta_limits, so a hostile record costs bounded memory.
 * A value decodes whole or not at all (but for a member's embedded consumer
 * protocol bytes, see protocol_error): on error nothing is returned and
 * errstr names the field and its byte offset in the value. Trailing bytes
 * are an error too: a record we cannot account for is not trusted. The
 * decoded value lives in one arena (arena.h) freed by dec_groupmeta_free().
 * Strings are copied NUL-terminated and unsanitized (bytes reach the screen
 * only through sanitize); an embedded NUL ends the C string early. */
#ifndef KS_DEC_GROUPMETA_H
#define KS_DEC_GROUPMETA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dec.h"

/* ---- keys ---------------------------------------------------------------- */

typedef enum dec_groupmeta_kind {
    DEC_GROUPMETA_OFFSET_COMMIT,  /* key versions 0 and 1 */
    DEC_GROUPMETA_GROUP_METADATA, /* key version 2 */
    DEC_GROUPMETA_OTHER,          /* 3 and up (KIP-848, share groups): not decoded */
} dec_groupmeta_kind;

/* Bytes borrowed from the decoded buffer, not NUL-terminated. ptr NULL: absent. */
typedef struct dec_groupmeta_slice {
    const char *ptr;
    size_t len;
} dec_groupmeta_slice;

typedef struct dec_groupmeta_key {
    dec_groupmeta_kind kind;
    int16_t version;
    dec_groupmeta_slice group; /* OFFSET_COMMIT and GROUP_METADATA */
    dec_groupmeta_slice topic; /* OFFSET_COMMIT only */
    int32_t partition;         /* OFFSET_COMMIT only, else -1 */
} dec_groupmeta_key;

/* Decodes a record key without allocating; the slices in *key are borrowed
 * from buf. Versions 3 and up give KS_DEC_OK with kind OTHER and only
 * version set. On error *key is untouched. */
ks_dec_err dec_groupmeta_key_decode(const uint8_t *buf, size_t len, dec_groupmeta_key *key,
                                    char *errstr, size_t errstr_size);

/* Static name: "offset commit", "group metadata", "other"; "?" out of range. */
const char *dec_groupmeta_kind_name(dec_groupmeta_kind kind);

/* ---- group metadata values ----------------------------------------------- */

#define DEC_GROUPMETA_VALUE_MAX_VERSION 4    /* 4 is the first flexible version */
#define DEC_GROUPMETA_CONSUMER_MAX_VERSION 3 /* consumer protocol assignment/subscription */

/* Caps for one value; zero fields mean the defaults below. Exceeding one is
 * KS_DEC_TOO_LARGE, never an allocation failure. */
typedef struct dec_groupmeta_limits {
    size_t max_size;       /* bytes of the value */
    size_t max_members;
    size_t max_partitions; /* assigned + owned partitions, all members together */
    size_t max_topics;     /* subscribed topics + assignment/owned topic entries, all members */
} dec_groupmeta_limits;

#define DEC_GROUPMETA_DEFAULT_MAX_SIZE KS_DEC_DEFAULT_MAX_SIZE
#define DEC_GROUPMETA_DEFAULT_MAX_MEMBERS 10000
#define DEC_GROUPMETA_DEFAULT_MAX_PARTITIONS 100000
#define DEC_GROUPMETA_DEFAULT_MAX_TOPICS 100000

/* One topic and some of its partitions (an assignment or owned partitions). */
typedef struct dec_groupmeta_topic {
    char *topic;
    int32_t *partitions;
    size_t npartitions;
} dec_groupmeta_topic;

/* The consumer protocol's assignment (what the leader gave this member). */
typedef struct dec_groupmeta_assignment {
    int16_t version;
    dec_groupmeta_topic *topics;
    size_t ntopics;
} dec_groupmeta_assignment;

/* The consumer protocol's subscription (what the member asked for). */
typedef struct dec_groupmeta_subscription {
    int16_t version;
    char **topics;
    size_t ntopics;
    dec_groupmeta_topic *owned; /* v1+: what the member owned when it joined */
    size_t nowned;
    int32_t generation;         /* v2+; -1: not in this version */
    char *rack;                 /* v3+; NULL: null or not in this version */
} dec_groupmeta_subscription;

typedef struct dec_groupmeta_member {
    char *member_id;
    char *group_instance_id; /* NULL: null (dynamic member) or value version < 3 */
    char *client_id;
    char *client_host;
    int32_t rebalance_timeout_ms; /* -1: not in value version 0 */
    int32_t session_timeout_ms;
    /* the raw protocol bytes, copied into the arena (may be empty) */
    const uint8_t *subscription_bytes;
    size_t subscription_len;
    const uint8_t *assignment_bytes;
    size_t assignment_len;
    /* Decoded when the group's protocol_type is "consumer" and the bytes are
     * not empty (an empty assignment is the coordinator's "none yet"). */
    bool has_subscription, has_assignment;
    dec_groupmeta_subscription subscription;
    dec_groupmeta_assignment assignment;
    /* Why the subscription or assignment bytes did not decode (an unknown
     * consumer protocol version, malformed or over the caps: "members[0].
     * assignment.version: ..."); both has_ flags are then false. NULL: fine.
     * The value itself still decodes: its generation does not depend on it. */
    char *protocol_error;
} dec_groupmeta_member;

typedef struct dec_groupmeta {
    struct ks_arena *arena; /* owns everything below */
    bool tombstone;         /* null/empty value: the group was deleted; nothing else is set */
    int16_t version;        /* -1 for a tombstone */
    char *protocol_type;    /* "consumer", "connect", ... */
    int32_t generation;
    char *protocol; /* assignor ("range", ...); NULL: null (an Empty group) */
    char *leader;   /* NULL: null */
    int64_t current_state_timestamp_ms; /* -1: not in versions 0 and 1 */
    bool consumer;                      /* protocol_type is exactly "consumer" */
    dec_groupmeta_member *members;
    size_t nmembers;
    size_t npartitions; /* assigned partitions, all members together */
} dec_groupmeta;

/* Decodes the value of a group metadata record (key version 2). A NULL buf or
 * len 0 is a tombstone: KS_DEC_OK with (*out)->tombstone set. lim may be NULL
 * (defaults). On success *out is new and the caller frees it with
 * dec_groupmeta_free(); on error *out is NULL and errstr says what and where.
 * An unknown value version is KS_DEC_BAD_DATA with a message naming the
 * version; a member's consumer protocol bytes that do not decode only set
 * that member's protocol_error. */
ks_dec_err dec_groupmeta_value_decode(const uint8_t *buf, size_t len,
                                      const dec_groupmeta_limits *lim, dec_groupmeta **out,
                                      char *errstr, size_t errstr_size);

void dec_groupmeta_free(dec_groupmeta *gm); /* NULL is fine */

#endif
