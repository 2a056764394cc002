/* dec_groupmeta_consumer: the consumer protocol's subscription and assignment bytes.
 *
 * A classic group's coordinator stores these opaque; only groups whose
 * protocol_type is "consumer" use this layout (Kafka's ConsumerProtocol, all
 * versions non-flexible). The user_data blobs belong to the assignor and are
 * skipped. */
#include "dec_groupmeta_int.h"

#include <stdio.h>

/* smallest encodings: a topic entry is an empty string + an empty array */
#define TOPIC_ENTRY_MIN (2 + 4)
#define STRING_MIN 2
#define PARTITION_SIZE 4

static bool read_version(dec_groupmeta_rd *rd, const char *what, int16_t *version)
{
    if (!dec_groupmeta_read_int16(rd, "version", version))
        return false;
    if (*version < 0 || *version > DEC_GROUPMETA_CONSUMER_MAX_VERSION) {
        rd->pos -= 2;
        dec_groupmeta_read_fail(rd, KS_DEC_BAD_DATA, "version",
                                "unsupported consumer %s version %d (known: 0..%d)", what,
                                *version, DEC_GROUPMETA_CONSUMER_MAX_VERSION);
        return false;
    }
    return true;
}

/* [{topic string, partitions [int32]}], as assignments and owned partitions */
static bool read_topic_list(dec_groupmeta_rd *rd, const char *name, ks_arena *arena,
                            dec_groupmeta_budget *budget, dec_groupmeta_topic **out, size_t *nout)
{
    dec_groupmeta_topic *topics = NULL;
    char field[96];
    size_t n;

    if (!dec_groupmeta_read_count(rd, name, TOPIC_ENTRY_MIN, budget->topics_left, &n))
        return false;
    budget->topics_left -= n;
    if (n)
        topics = arena_alloc(arena, n * sizeof(*topics));
    for (size_t i = 0; i < n; i++) {
        dec_groupmeta_topic *t = &topics[i];

        snprintf(field, sizeof(field), "%s[%zu].topic", name, i);
        if (!dec_groupmeta_read_str(rd, field, false, arena, &t->topic))
            return false;
        snprintf(field, sizeof(field), "%s[%zu].partitions", name, i);
        if (!dec_groupmeta_read_count(rd, field, PARTITION_SIZE, budget->partitions_left,
                                      &t->npartitions))
            return false;
        budget->partitions_left -= t->npartitions;
        if (t->npartitions)
            t->partitions = arena_alloc(arena, t->npartitions * sizeof(int32_t));
        for (size_t j = 0; j < t->npartitions; j++)
            dec_groupmeta_read_int32(rd, field, &t->partitions[j]); /* count checked: fits */
    }
    *out = topics;
    *nout = n;
    return !rd->err;
}

bool dec_groupmeta_consumer_assignment(dec_groupmeta_rd *rd, ks_arena *arena,
                                       dec_groupmeta_budget *budget,
                                       dec_groupmeta_assignment *asg)
{
    const uint8_t *user_data;
    size_t user_data_len;

    if (!read_version(rd, "assignment", &asg->version) ||
        !read_topic_list(rd, "assigned_partitions", arena, budget, &asg->topics, &asg->ntopics) ||
        !dec_groupmeta_read_bytes(rd, "user_data", true, &user_data, &user_data_len))
        return false;
    return dec_groupmeta_read_end(rd, "end");
}

bool dec_groupmeta_consumer_subscription(dec_groupmeta_rd *rd, ks_arena *arena,
                                         dec_groupmeta_budget *budget,
                                         dec_groupmeta_subscription *sub)
{
    const uint8_t *user_data;
    size_t user_data_len, n;
    char field[48];

    sub->generation = -1;
    sub->rack = NULL;
    if (!read_version(rd, "subscription", &sub->version) ||
        !dec_groupmeta_read_count(rd, "topics", STRING_MIN, budget->topics_left, &n))
        return false;
    budget->topics_left -= n;
    sub->ntopics = n;
    if (n)
        sub->topics = arena_alloc(arena, n * sizeof(*sub->topics));
    for (size_t i = 0; i < n; i++) {
        snprintf(field, sizeof(field), "topics[%zu]", i);
        if (!dec_groupmeta_read_str(rd, field, false, arena, &sub->topics[i]))
            return false;
    }
    if (!dec_groupmeta_read_bytes(rd, "user_data", true, &user_data, &user_data_len))
        return false;
    if (sub->version >= 1 &&
        !read_topic_list(rd, "owned_partitions", arena, budget, &sub->owned, &sub->nowned))
        return false;
    if (sub->version >= 2 && !dec_groupmeta_read_int32(rd, "generation_id", &sub->generation))
        return false;
    if (sub->version >= 3 && !dec_groupmeta_read_str(rd, "rack_id", true, arena, &sub->rack))
        return false;
    return dec_groupmeta_read_end(rd, "end");
}
