/* fuzz_groupmeta: __consumer_offsets keys and group metadata values on arbitrary bytes.
 *
 * Byte 0 picks the decoder: 0 key, 1 value with the default caps, 2 value
 * with tiny caps (so the cap paths are reached with small inputs); the rest
 * is the record. Seeds are real lab records behind their selector byte. */
#include "dec_groupmeta.h"
#include "fuzz_common.h"

/* reads every byte: ASan checks that the copy is as long as it claims */
static volatile uint8_t fuzz_sink;

static void touch(const uint8_t *p, size_t n)
{
    FUZZ_CHECK(!n || p);
    for (size_t i = 0; i < n; i++)
        fuzz_sink ^= p[i];
}

static void check_topics(const dec_groupmeta_topic *t, size_t n, size_t *parts)
{
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(t[i].topic);
        (void)strlen(t[i].topic);
        FUZZ_CHECK(!t[i].npartitions || t[i].partitions);
        for (size_t j = 0; j < t[i].npartitions; j++)
            (void)t[i].partitions[j];
        *parts += t[i].npartitions;
    }
}

static void check_value(const dec_groupmeta *gm, const dec_groupmeta_limits *lim)
{
    size_t assigned = 0, all = 0;

    if (gm->tombstone) {
        FUZZ_CHECK(gm->nmembers == 0 && !gm->protocol_type);
        return;
    }
    FUZZ_CHECK(gm->version >= 0 && gm->version <= DEC_GROUPMETA_VALUE_MAX_VERSION);
    FUZZ_CHECK(gm->protocol_type);
    FUZZ_CHECK(!gm->consumer || strcmp(gm->protocol_type, "consumer") == 0);
    FUZZ_CHECK(gm->nmembers <= lim->max_members);
    FUZZ_CHECK(!gm->nmembers || gm->members);
    for (size_t i = 0; i < gm->nmembers; i++) {
        const dec_groupmeta_member *m = &gm->members[i];
        FUZZ_CHECK(m->member_id && m->client_id && m->client_host);
        FUZZ_CHECK(gm->version >= 3 || !m->group_instance_id);
        FUZZ_CHECK((gm->version >= 1) || m->rebalance_timeout_ms == -1);
        touch(m->subscription_bytes, m->subscription_len);
        touch(m->assignment_bytes, m->assignment_len);
        FUZZ_CHECK(!m->has_assignment || (gm->consumer && m->assignment_len));
        FUZZ_CHECK(!m->has_subscription || (gm->consumer && m->subscription_len));
        if (m->has_assignment) {
            size_t before = assigned;
            FUZZ_CHECK(m->assignment.version >= 0 &&
                       m->assignment.version <= DEC_GROUPMETA_CONSUMER_MAX_VERSION);
            check_topics(m->assignment.topics, m->assignment.ntopics, &assigned);
            all += assigned - before;
        }
        if (m->has_subscription) {
            const dec_groupmeta_subscription *s = &m->subscription;
            for (size_t t = 0; t < s->ntopics; t++)
                FUZZ_CHECK(s->topics[t]);
            check_topics(s->owned, s->nowned, &all);
            FUZZ_CHECK(s->version >= 2 || s->generation == -1);
            FUZZ_CHECK(s->version >= 3 || !s->rack);
        }
    }
    FUZZ_CHECK(gm->npartitions == assigned);
    FUZZ_CHECK(all <= lim->max_partitions);
}

/* an error names a byte offset inside the input */
static void check_error(const char *err, size_t size)
{
    const char *at = strstr(err, " at byte ");
    FUZZ_CHECK(err[0]);
    if (at)
        FUZZ_CHECK(strtoull(at + 9, NULL, 10) <= size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const dec_groupmeta_limits tiny = {
        .max_size = 4096, .max_members = 3, .max_partitions = 8, .max_topics = 4};
    static const dec_groupmeta_limits dflt = {
        .max_size = DEC_GROUPMETA_DEFAULT_MAX_SIZE,
        .max_members = DEC_GROUPMETA_DEFAULT_MAX_MEMBERS,
        .max_partitions = DEC_GROUPMETA_DEFAULT_MAX_PARTITIONS,
        .max_topics = DEC_GROUPMETA_DEFAULT_MAX_TOPICS};
    char err[512] = "";

    if (size < 1)
        return 0;
    uint8_t mode = data[0] % 3;
    data++, size--;

    if (mode == 0) {
        dec_groupmeta_key key = {.version = -7};
        ks_dec_err rc = dec_groupmeta_key_decode(data, size, &key, err, sizeof(err));
        if (rc) {
            FUZZ_CHECK(key.version == -7);
            check_error(err, size);
            return 0;
        }
        FUZZ_CHECK(key.version >= 0);
        if (key.group.ptr)
            FUZZ_CHECK(key.group.ptr >= (const char *)data &&
                       key.group.ptr + key.group.len <= (const char *)data + size);
        if (key.topic.ptr)
            FUZZ_CHECK(key.topic.ptr >= (const char *)data &&
                       key.topic.ptr + key.topic.len <= (const char *)data + size);
        FUZZ_CHECK((key.kind == DEC_GROUPMETA_OFFSET_COMMIT) == (key.version <= 1));
        return 0;
    }

    const dec_groupmeta_limits *lim = mode == 1 ? &dflt : &tiny;
    dec_groupmeta *gm = (dec_groupmeta *)&gm;
    ks_dec_err rc = dec_groupmeta_value_decode(data, size, lim, &gm, err, sizeof(err));
    if (rc) {
        FUZZ_CHECK(!gm);
        check_error(err, size);
        return 0;
    }
    FUZZ_CHECK(gm);
    FUZZ_CHECK(gm->tombstone == (size == 0));
    check_value(gm, lim);
    dec_groupmeta_free(gm);
    return 0;
}
