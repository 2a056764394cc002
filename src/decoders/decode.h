/* decode: a Kafka key or value -> what ksight shows, with the reason when a
 * decoder declined.
 *
 * DESIGN: one dispatcher for every screen and output path, so detection is
 * the same in the tail view, `ksight tail` and the tests. No I/O: schemas come
 * from the caller's cache through a lookup callback (the tail worker fills
 * its cache by schema id on its own thread; decode never does I/O).
 *
 * Detection (KS_FMT_AUTO) walks decoders[] in decode.c, first match wins:
 *   1. NULL buffer                                  -> null
 *   2. len > lim->max_size                          -> binary (first 4 KiB as
 *                                                      hex), err TOO_LARGE
 *   3. Confluent framing (0x00 + 4-byte id)         -> avro if the lookup
 *      gives a schema and the payload decodes; otherwise binary with
 *      schema_id, err (NO_SCHEMA, TRUNCATED...) and the reason in errstr,
 *      e.g. "schema id 7 not found in registry" or the lookup's own words
 *   4. first non-space byte '{' or '[' and it parses -> json (a bare 42 or
 *      "x" is shown as text: it reads better)
 *   5. dec_text_probe(): UTF-8 without binary-ish controls -> text
 *   6. anything else                                -> binary (hex)
 * A forced format that fails (JSON that does not parse, unframed bytes forced
 * as Avro) falls back to text if the bytes probe as text, else binary, and
 * keeps err/errstr. Forcing text always gives text (escaped); forcing binary
 * always gives hex; forcing null is the same as auto.
 *
 * Threads: any thread, but see dec_avro.h on avro-c's error buffer: in ksight
 * only the tail worker decodes. */
#ifndef KS_DECODE_H
#define KS_DECODE_H

#include "dec.h"
#include "dec_avro.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* Returns the parsed schema for an id (borrowed: it must stay valid until
 * decode_bytes() returns), or NULL after writing the reason to errstr
 * ("schema id 7 not found in registry", "registry unreachable: ..."). An
 * empty errstr gets a default reason. */
typedef const dec_avro_schema *(*dec_schema_lookup_fn)(uint32_t schema_id, void *ctx, char *errstr,
                                                       size_t errstr_size);

typedef struct ks_decoded {
    ks_fmt fmt;        /* never KS_FMT_AUTO */
    json_t *json;      /* owned. avro/json: the tree; text: the exact string
                        * when the bytes are valid UTF-8 (for jsonl), else NULL */
    char *text;        /* owned. text: escaped text (dec_text_escape); binary:
                        * lowercase hex; NULL for null/avro/json */
    int64_t schema_id; /* -1 if the bytes were not Confluent-framed */
    ks_dec_err err;    /* why a decoder declined; OK for plain text or binary */
    char errstr[160];  /* the reason in words, "" when err is OK */
    size_t size;       /* input bytes (0 for null) */
} ks_decoded;

/* Fills *out (overwriting it: decoded_free() a previous result first).
 * lookup may be NULL (no registry); lim NULL means defaults. */
void decode_bytes(const uint8_t *buf, size_t len, ks_fmt forced, dec_schema_lookup_fn lookup,
                  void *lookup_ctx, const ks_dec_limits *lim, ks_decoded *out);

/* What `ksight tail --format jsonl` prints for a key or value: the decoded
 * tree for avro/json, a string for text, {"hex":"..."} for binary, JSON null
 * for null. A new reference (caller json_decref()s); NULL only on OOM. */
json_t *decoded_to_json(const ks_decoded *dec);

/* One line for a table cell: compact JSON, escaped text, hex or "null",
 * sanitised, at most max bytes, ending in "..." when cut (caller frees). */
char *decoded_summary(const ks_decoded *dec, size_t max);

/* Frees what *dec owns and resets it to a null result. NULL is fine. */
void decoded_free(ks_decoded *dec);

#endif
