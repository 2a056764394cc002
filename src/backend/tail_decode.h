/* tail_decode: one Kafka message -> one tail row (key, value, headers).
 *
 * DESIGN: owned by one thread (the tail worker or `ksight tail`), like its
 * schema cache and CURL handle. The row it fills points into the decoder's
 * scratch buffers, reused from message to message, so the hot path of
 * `ksight tail` allocates nothing per message once warm; the ring keeps a
 * message with tail_row_dup(). Key and value go through decode_bytes() with
 * the forced formats, except that JSON containers take tail_json_compact()
 * (same output, no tree) and trees are written by tail_json_put_tree().
 * Reasons and headers are sanitized here; everything the row holds is
 * terminal-safe. */
#ifndef KS_TAIL_DECODE_H
#define KS_TAIL_DECODE_H

#include <librdkafka/rdkafka.h>
#include <stdbool.h>

#include "tail.h"
#include "tail_schemas.h"

typedef struct ks_tail_decoder ks_tail_decoder;

/* registry_url may be NULL. key_fmt/value_fmt: KS_TAIL_FMT_AUTO to detect. */
ks_tail_decoder *tail_decoder_new(const char *registry_url, ks_tail_fmt key_fmt,
                                  ks_tail_fmt value_fmt);
void tail_decoder_free(ks_tail_decoder *dec);

/* Decodes msg (a message, not an error event) into *row; strings are
 * borrowed from dec until the next call. topic is borrowed too. */
void tail_decoder_row(ks_tail_decoder *dec, const rd_kafka_message_t *msg, const char *topic,
                      ks_tail_row *row);

/* Decodes raw key/value bytes (NULL for a Kafka null) without a message:
 * the same rendering, for tests and fuzzers. Headers are left empty. */
void tail_decoder_bytes(ks_tail_decoder *dec, const void *key, size_t key_len, const void *value,
                        size_t value_len, ks_tail_row *row);

ks_tail_schemas *tail_decoder_schemas(ks_tail_decoder *dec);

#endif
