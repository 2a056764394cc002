/* dec_groupmeta_int: what the dec_groupmeta_* files share, not for use outside them.
 *
 * A reader walks Kafka's wire types (big-endian ints, int16/int32-length
 * strings and bytes, and in flexible versions unsigned-varint compact forms
 * and tagged fields). Its error is sticky: the first failure is kept with its
 * field path and byte offset, every later read is a no-op returning false,
 * so decoders check once per loop rather than after every field. */
#ifndef KS_DEC_GROUPMETA_INT_H
#define KS_DEC_GROUPMETA_INT_H

#include "arena.h"
#include "dec.h"
#include "dec_groupmeta.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Per-value budget, shared by the members as they are decoded. */
typedef struct dec_groupmeta_budget {
    size_t topics_left, partitions_left;
} dec_groupmeta_budget;

typedef struct dec_groupmeta_rd {
    const uint8_t *buf; /* borrowed */
    size_t len, pos;
    size_t base;        /* offset of buf[0] in the whole value, for messages */
    bool flexible;      /* compact lengths and tagged fields */
    const char *path;   /* prefix of field names, e.g. "members[2].assignment." */
    ks_dec_err err;
    char *errstr;
    size_t errstr_size;
} dec_groupmeta_rd;

/* A reader over buf; base: where buf starts in the value. */
void dec_groupmeta_read_init(dec_groupmeta_rd *rd, const uint8_t *buf, size_t len, size_t base,
                             bool flexible, char *errstr, size_t errstr_size);

/* Records the first error: "<path><field>: <message> at byte <base+pos>". */
void dec_groupmeta_read_fail(dec_groupmeta_rd *rd, ks_dec_err err, const char *field,
                             const char *fmt, ...) __attribute__((format(printf, 4, 5)));

bool dec_groupmeta_read_int16(dec_groupmeta_rd *rd, const char *field, int16_t *v);
bool dec_groupmeta_read_int32(dec_groupmeta_rd *rd, const char *field, int32_t *v);
bool dec_groupmeta_read_int64(dec_groupmeta_rd *rd, const char *field, int64_t *v);

/* A string as borrowed bytes; ptr NULL for null, an error if !nullable. */
bool dec_groupmeta_read_slice(dec_groupmeta_rd *rd, const char *field, bool nullable,
                              dec_groupmeta_slice *s);
/* The same, copied NUL-terminated into arena; *out NULL for null. */
bool dec_groupmeta_read_str(dec_groupmeta_rd *rd, const char *field, bool nullable,
                            ks_arena *arena, char **out);
/* Bytes, borrowed; *p NULL for null, an error if !nullable. */
bool dec_groupmeta_read_bytes(dec_groupmeta_rd *rd, const char *field, bool nullable,
                              const uint8_t **p, size_t *n);
/* An array count (never null here). Fails unless count * min_elem bytes are
 * left (TRUNCATED) and count <= cap (TOO_LARGE). */
bool dec_groupmeta_read_count(dec_groupmeta_rd *rd, const char *field, size_t min_elem,
                              size_t cap, size_t *count);
/* Skips a tagged-field section (flexible readers only; a no-op otherwise). */
bool dec_groupmeta_read_tags(dec_groupmeta_rd *rd, const char *field);
/* Fails when bytes are left over. */
bool dec_groupmeta_read_end(dec_groupmeta_rd *rd, const char *what);

/* dec_groupmeta_consumer.c: the consumer protocol's embedded bytes, read
 * with rd (non-flexible, over the bytes only; path set by the caller).
 * Counts and partitions are charged to *budget. Arrays go in arena. */
bool dec_groupmeta_consumer_assignment(dec_groupmeta_rd *rd, ks_arena *arena,
                                       dec_groupmeta_budget *budget,
                                       dec_groupmeta_assignment *asg);
bool dec_groupmeta_consumer_subscription(dec_groupmeta_rd *rd, ks_arena *arena,
                                         dec_groupmeta_budget *budget,
                                         dec_groupmeta_subscription *sub);

#endif
