/* dec_groupmeta: __consumer_offsets keys and group metadata values. */
#include "dec_groupmeta.h"
#include "dec_groupmeta_int.h"

#include <stdio.h>
#include <string.h>

/* key versions: 0 and 1 offset commit, 2 group metadata, 3+ KIP-848 and later */
#define KEY_GROUP_METADATA 2

static const char *const kind_names[] = {
    [DEC_GROUPMETA_OFFSET_COMMIT] = "offset commit",
    [DEC_GROUPMETA_GROUP_METADATA] = "group metadata",
    [DEC_GROUPMETA_OTHER] = "other",
};

const char *dec_groupmeta_kind_name(dec_groupmeta_kind kind)
{
    if ((unsigned)kind >= sizeof(kind_names) / sizeof(kind_names[0]))
        return "?";
    return kind_names[kind];
}

ks_dec_err dec_groupmeta_key_decode(const uint8_t *buf, size_t len, dec_groupmeta_key *key,
                                    char *errstr, size_t errstr_size)
{
    dec_groupmeta_key k = {.partition = -1};
    dec_groupmeta_rd rd;

    dec_groupmeta_read_init(&rd, buf, len, 0, false, errstr, errstr_size);
    rd.path = "key.";
    if (!dec_groupmeta_read_int16(&rd, "version", &k.version))
        return rd.err;
    if (k.version < 0) {
        rd.pos = 0;
        dec_groupmeta_read_fail(&rd, KS_DEC_BAD_DATA, "version", "negative version %d",
                                k.version);
        return rd.err;
    }
    if (k.version > KEY_GROUP_METADATA) {
        /* a newer coordinator's record: the caller skips it, it is not an error */
        k.kind = DEC_GROUPMETA_OTHER;
        *key = k;
        return KS_DEC_OK;
    }
    k.kind = k.version == KEY_GROUP_METADATA ? DEC_GROUPMETA_GROUP_METADATA
                                             : DEC_GROUPMETA_OFFSET_COMMIT;
    if (!dec_groupmeta_read_slice(&rd, "group", false, &k.group))
        return rd.err;
    if (k.kind == DEC_GROUPMETA_OFFSET_COMMIT &&
        (!dec_groupmeta_read_slice(&rd, "topic", false, &k.topic) ||
         !dec_groupmeta_read_int32(&rd, "partition", &k.partition)))
        return rd.err;
    if (!dec_groupmeta_read_end(&rd, "end"))
        return rd.err;
    *key = k;
    return KS_DEC_OK;
}

static dec_groupmeta_limits limits_get(const dec_groupmeta_limits *lim)
{
    dec_groupmeta_limits l = lim ? *lim : (dec_groupmeta_limits){0};

    if (!l.max_size)
        l.max_size = DEC_GROUPMETA_DEFAULT_MAX_SIZE;
    if (!l.max_members)
        l.max_members = DEC_GROUPMETA_DEFAULT_MAX_MEMBERS;
    if (!l.max_partitions)
        l.max_partitions = DEC_GROUPMETA_DEFAULT_MAX_PARTITIONS;
    if (!l.max_topics)
        l.max_topics = DEC_GROUPMETA_DEFAULT_MAX_TOPICS;
    return l;
}

/* The smallest member this version can encode: lets the member count be
 * checked against the bytes left before anything is allocated. */
static size_t member_min_size(int16_t version)
{
    if (version >= 4) /* 4 compact strings + 2 int32 + 2 compact bytes + tags */
        return 4 * 1 + 2 * 4 + 2 * 1 + 1;
    return 3 * 2 + (version >= 3 ? 2 : 0) + (version >= 1 ? 4 : 0) + 4 + 2 * 4;
}

/* A reader of its own over a member's embedded bytes p[0..n), which lie in
 * rd's buffer: errors name the member and give offsets in the whole value. */
static void embedded_init(dec_groupmeta_rd *sub, const dec_groupmeta_rd *rd, const uint8_t *p,
                          size_t n, char *path, size_t path_size, size_t index, const char *what)
{
    dec_groupmeta_read_init(sub, p, n, rd->base + (size_t)(p - rd->buf), false, rd->errstr,
                            rd->errstr_size);
    snprintf(path, path_size, "members[%zu].%s.", index, what);
    sub->path = path;
}

/* The member's embedded protocol bytes did not decode: the message the
 * embedded reader left in errstr moves to the member, the value goes on. */
static void protocol_failed(dec_groupmeta_member *m, ks_arena *arena, dec_groupmeta_rd *rd,
                            bool assignment)
{
    if (!m->protocol_error) {
        size_t n = strlen(rd->errstr) + 1;
        m->protocol_error = memcpy(arena_alloc(arena, n), rd->errstr, n);
    }
    rd->errstr[0] = '\0';
    if (assignment) {
        m->has_assignment = false;
        memset(&m->assignment, 0, sizeof(m->assignment));
    } else {
        m->has_subscription = false;
        memset(&m->subscription, 0, sizeof(m->subscription));
        m->subscription.generation = -1;
    }
}

static bool decode_member(dec_groupmeta_rd *rd, dec_groupmeta *gm, size_t index,
                          dec_groupmeta_budget *budget, dec_groupmeta_member *m)
{
    ks_arena *arena = gm->arena;
    const uint8_t *sub, *asg;
    size_t sub_len, asg_len;
    dec_groupmeta_rd embedded;
    char path[64];

    m->rebalance_timeout_ms = -1;
    if (!dec_groupmeta_read_str(rd, "member_id", false, arena, &m->member_id))
        return false;
    if (gm->version >= 3 &&
        !dec_groupmeta_read_str(rd, "group_instance_id", true, arena, &m->group_instance_id))
        return false;
    if (!dec_groupmeta_read_str(rd, "client_id", false, arena, &m->client_id) ||
        !dec_groupmeta_read_str(rd, "client_host", false, arena, &m->client_host))
        return false;
    if (gm->version >= 1 &&
        !dec_groupmeta_read_int32(rd, "rebalance_timeout", &m->rebalance_timeout_ms))
        return false;
    if (!dec_groupmeta_read_int32(rd, "session_timeout", &m->session_timeout_ms) ||
        !dec_groupmeta_read_bytes(rd, "subscription", false, &sub, &sub_len) ||
        !dec_groupmeta_read_bytes(rd, "assignment", false, &asg, &asg_len) ||
        !dec_groupmeta_read_tags(rd, "tagged_fields"))
        return false;

    m->subscription_len = sub_len;
    m->assignment_len = asg_len;
    m->subscription_bytes = sub_len ? memcpy(arena_alloc(arena, sub_len), sub, sub_len) : NULL;
    m->assignment_bytes = asg_len ? memcpy(arena_alloc(arena, asg_len), asg, asg_len) : NULL;
    if (!gm->consumer)
        return true;
    /* empty bytes: a member that has not synced yet, not a malformed one */
    m->has_subscription = sub_len > 0;
    m->has_assignment = asg_len > 0;
    /* The embedded bytes have their own length: a member whose protocol bytes
     * do not decode (a newer client's version, garbage) keeps its raw bytes
     * and says why, and the record, with its generation, still counts. */
    if (m->has_subscription) {
        embedded_init(&embedded, rd, sub, sub_len, path, sizeof(path), index, "subscription");
        if (!dec_groupmeta_consumer_subscription(&embedded, arena, budget, &m->subscription))
            protocol_failed(m, arena, rd, false);
    }
    if (m->has_assignment) {
        embedded_init(&embedded, rd, asg, asg_len, path, sizeof(path), index, "assignment");
        if (!dec_groupmeta_consumer_assignment(&embedded, arena, budget, &m->assignment))
            protocol_failed(m, arena, rd, true);
    }
    for (size_t i = 0; i < m->assignment.ntopics; i++)
        gm->npartitions += m->assignment.topics[i].npartitions;
    return true;
}

static bool decode_value(dec_groupmeta_rd *rd, dec_groupmeta *gm, const dec_groupmeta_limits *lim)
{
    dec_groupmeta_budget budget = {lim->max_topics, lim->max_partitions};
    dec_groupmeta_slice type;
    char path[32];
    bool ok = true;

    if (!dec_groupmeta_read_int16(rd, "version", &gm->version))
        return false;
    if (gm->version < 0 || gm->version > DEC_GROUPMETA_VALUE_MAX_VERSION) {
        rd->pos = 0;
        dec_groupmeta_read_fail(rd, KS_DEC_BAD_DATA, "version",
                                "unsupported group metadata value version %d (known: 0..%d)",
                                gm->version, DEC_GROUPMETA_VALUE_MAX_VERSION);
        return false;
    }
    rd->flexible = gm->version >= 4;
    if (!dec_groupmeta_read_slice(rd, "protocol_type", false, &type))
        return false;
    gm->protocol_type = arena_alloc(gm->arena, type.len + 1);
    memcpy(gm->protocol_type, type.ptr, type.len);
    gm->consumer = type.len == 8 && memcmp(type.ptr, "consumer", 8) == 0;
    gm->current_state_timestamp_ms = -1;
    if (!dec_groupmeta_read_int32(rd, "generation", &gm->generation) ||
        !dec_groupmeta_read_str(rd, "protocol", true, gm->arena, &gm->protocol) ||
        !dec_groupmeta_read_str(rd, "leader", true, gm->arena, &gm->leader))
        return false;
    if (gm->version >= 2 &&
        !dec_groupmeta_read_int64(rd, "current_state_timestamp", &gm->current_state_timestamp_ms))
        return false;
    if (!dec_groupmeta_read_count(rd, "members", member_min_size(gm->version), lim->max_members,
                                  &gm->nmembers))
        return false;
    if (gm->nmembers)
        gm->members = arena_alloc(gm->arena, gm->nmembers * sizeof(*gm->members));
    for (size_t i = 0; ok && i < gm->nmembers; i++) {
        snprintf(path, sizeof(path), "members[%zu].", i);
        rd->path = path;
        ok = decode_member(rd, gm, i, &budget, &gm->members[i]);
    }
    rd->path = "";
    return ok && dec_groupmeta_read_tags(rd, "tagged_fields") && dec_groupmeta_read_end(rd, "end");
}

ks_dec_err dec_groupmeta_value_decode(const uint8_t *buf, size_t len,
                                      const dec_groupmeta_limits *lim, dec_groupmeta **out,
                                      char *errstr, size_t errstr_size)
{
    dec_groupmeta_limits l = limits_get(lim);
    dec_groupmeta_rd rd;
    dec_groupmeta *gm;
    ks_arena *arena;

    *out = NULL;
    if (buf && len > l.max_size) {
        dec_set_error(errstr, errstr_size, "value of %zu bytes is over the limit of %zu", len,
                      l.max_size);
        return KS_DEC_TOO_LARGE;
    }
    arena = arena_new();
    gm = arena_alloc(arena, sizeof(*gm));
    gm->arena = arena;
    if (!buf || !len) {
        /* the coordinator deletes a group by writing a null value under its key */
        gm->tombstone = true;
        gm->version = -1;
        gm->current_state_timestamp_ms = -1;
        *out = gm;
        return KS_DEC_OK;
    }
    /* a member's protocol error is kept even when the caller wants no message */
    char own[256];
    if (!errstr || !errstr_size)
        errstr = own, errstr_size = sizeof(own);
    errstr[0] = '\0';
    dec_groupmeta_read_init(&rd, buf, len, 0, false, errstr, errstr_size);
    if (!decode_value(&rd, gm, &l)) {
        arena_free(arena);
        return rd.err;
    }
    *out = gm;
    return KS_DEC_OK;
}

void dec_groupmeta_free(dec_groupmeta *gm)
{
    if (gm)
        arena_free(gm->arena);
}
