/* dec_framing: the Confluent wire format that wraps registry-encoded values.
 *
 * A Confluent serializer writes byte 0x00 (the "magic byte"), the schema id as
 * 4 bytes big-endian, then the Avro (or Protobuf/JSON-Schema) payload. Only the
 * header is checked here: any message starting with 0x00 and at least 5 bytes
 * long *could* be framed, so the id is a claim the registry must confirm.
 * Pure functions, no I/O, no globals. */
#ifndef KS_DEC_FRAMING_H
#define KS_DEC_FRAMING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DEC_FRAMING_MAGIC 0x00
#define DEC_FRAMING_HEADER_LEN 5

/* True when buf has a Confluent header. Then *schema_id is the id and
 * *payload and *payload_len the bytes after the header (borrowed from buf, may be
 * empty). On false the outputs are untouched. Any output pointer may be NULL. */
bool dec_framing_parse(const uint8_t *buf, size_t len, uint32_t *schema_id, const uint8_t **payload,
                       size_t *payload_len);

/* Same test without outputs: len >= 5 and buf[0] == 0x00. */
bool dec_framing_probe(const uint8_t *buf, size_t len);

/* Writes the 5-byte header for schema_id (producers, tests, the load generator). */
void dec_framing_write_header(uint32_t schema_id, uint8_t out[DEC_FRAMING_HEADER_LEN]);

#endif
