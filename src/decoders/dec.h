/* dec: the contract every decoder shares: formats, errors, limits.
 *
 * DESIGN: message bytes come from the network and are never trusted. Every
 * decoder is a pure function over (bytes, limits) that either returns a new
 * value or a ks_dec_err plus a human sentence in a caller-provided errstr
 * (librdkafka's convention). No decoder does I/O or keeps state between calls;
 * the only process-wide state is avro-c's allocator (see dec_avro_alloc.h).
 * Limits exist because a hostile message must cost bounded memory, stack
 * and time: depth bounds recursion, size bounds everything else. */
#ifndef KS_DEC_H
#define KS_DEC_H

#include <stdbool.h>
#include <stddef.h>

/* What a key or value was decoded as. KS_FMT_AUTO is only an input to
 * decode_bytes() ("detect"); a result never carries it. */
typedef enum ks_fmt {
    KS_FMT_NULL, /* Kafka null (no bytes at all, not the empty string) */
    KS_FMT_AVRO, /* Confluent framing + Avro binary, via a registry schema */
    KS_FMT_JSON,
    KS_FMT_TEXT,   /* UTF-8 text */
    KS_FMT_BINARY, /* anything else, shown as hex */
    KS_FMT_AUTO,
} ks_fmt;

/* Static lowercase name ("null", "avro", "json", "text", "binary", "auto");
 * "?" for an out-of-range value. */
const char *fmt_name(ks_fmt fmt);

/* Parses a name as printed by fmt_name() (case-insensitive; "hex" is accepted
 * for binary). Returns false and leaves *fmt alone on an unknown name. */
bool fmt_parse(const char *name, ks_fmt *fmt);

typedef enum ks_dec_err {
    KS_DEC_OK = 0,
    KS_DEC_TRUNCATED,  /* input ends inside a value */
    KS_DEC_TOO_LARGE,  /* input, a length prefix or the memory needed exceeds a limit */
    KS_DEC_TOO_DEEP,   /* nesting exceeds ks_dec_limits.max_depth */
    KS_DEC_BAD_MAGIC,  /* not Confluent-framed (first byte is not 0x00, or < 5 bytes) */
    KS_DEC_NO_SCHEMA,  /* framed, but no schema for the id (registry miss, no registry) */
    KS_DEC_BAD_SCHEMA, /* the schema text is not a usable Avro schema */
    KS_DEC_BAD_DATA,   /* malformed: bad varint, union index, trailing bytes, JSON syntax */
    KS_DEC_BAD_UTF8,   /* text that must be UTF-8 is not */
    KS_DEC_ERR__COUNT
} ks_dec_err;

/* Static name: "ok", "truncated", "too large", "too deep", "bad magic",
 * "no schema", "bad schema", "bad data", "bad utf-8"; "?" if out of range. */
const char *dec_err_name(ks_dec_err err);

/* max_depth: nesting of containers (JSON arrays/objects; Avro records,
 * arrays, maps, unions); the top-level container is depth 1.
 * max_size: largest input a decoder accepts, in bytes. */
typedef struct ks_dec_limits {
    size_t max_depth;
    size_t max_size;
} ks_dec_limits;

#define KS_DEC_DEFAULT_MAX_DEPTH 64
#define KS_DEC_DEFAULT_MAX_SIZE ((size_t)8 << 20)
#define KS_DEC_LIMITS_DEFAULT                                                                      \
    ((ks_dec_limits){.max_depth = KS_DEC_DEFAULT_MAX_DEPTH, .max_size = KS_DEC_DEFAULT_MAX_SIZE})

/* A copy of *lim where NULL or a zero field means the default. Every decoder
 * that takes limits goes through it, so callers may pass NULL. */
ks_dec_limits dec_limits_get(const ks_dec_limits *lim);

/* snprintf into errstr when errstr && errstr_size; a no-op otherwise. */
void dec_set_error(char *errstr, size_t errstr_size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
