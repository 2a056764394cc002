/* dec_avro: Avro binary (the payload after Confluent framing) -> jansson tree.
 *
 * DESIGN
 * Ownership: a dec_avro_schema is built once per registry schema id by
 * whoever owns the schema cache (dec_avro_schema_new), is immutable after,
 * and is freed by that owner. dec_avro_decode() returns a NEW json tree.
 *
 * Why not avro_value_to_json(): it drops logical types, cuts bytes at the
 * first 0x00 and fails on NaN. The schema JSON is therefore parsed twice:
 * avro-c builds its schema and generic value class, and a parallel node tree
 * keeps what avro-c forgets (logicalType, precision, scale, union layout).
 *
 * Why the input is checked before avro-c reads it: avro-c 1.11.1 leaks on
 * truncated input, allocates a garbage length before checking it, and
 * recurses without limit on recursive schemas. dec_avro_check() walks the
 * bytes against the node tree first (bounds, varints, union and enum indices,
 * depth, item counts, trailing bytes), so avro-c only ever reads input known
 * to be complete, and a bad message costs no allocation at all.
 * avro-c's allocator is additionally capped (dec_avro_alloc.h).
 *
 * Threads: a schema may be shared read-only, but avro-c 1.11.1 as built by
 * Debian keeps its error text in one process-wide buffer (no THREADSAFE), and
 * that buffer is written when avro-c fails. Decode on one thread (ksight's tail
 * worker) or at least one thread per schema; never read avro_strerror() from
 * another thread.
 *
 * JSON rendering (the Avro JSON encoding, with these choices):
 * - null, boolean, int, long, string: JSON null, true/false, integer, string.
 *   Strings that are not valid UTF-8 get U+FFFD per invalid byte.
 * - float, double: JSON numbers (floats through their shortest decimal
 *   form); NaN, +Inf, -Inf, which JSON cannot hold, become the JSON strings
 *   "NaN", "Infinity", "-Infinity" (Java's spellings, which Jackson quotes
 *   by default), so the output stays valid JSON.
 * - bytes, fixed: a JSON string in which byte 0xNN is code point U+00NN (the
 *   Avro JSON encoding's ISO-8859-1 mapping; 0x00 is kept, as \u0000).
 * - enum: the symbol name. array, map, record: JSON array, object, object
 *   (record fields in schema order).
 * - union: the null branch is JSON null. A union with one non-null branch
 *   (["null", T], [T, "null"], [T]) is the plain value, no wrapper. A union
 *   with two or more non-null branches wraps a non-null value as
 *   {"<branch>": value}, <branch> being the type name ("string", "long",
 *   "array", "map") or the full name of a named type ("ns.Rec"), even when
 *   the branch has a logical type.
 * - logical types (a logicalType that does not fit its type is ignored, as the
 *   spec says):
 *   timestamp-millis/-micros/-nanos   "2024-01-02T03:04:05.123Z" (3/6/9 digits)
 *   local-timestamp-millis/-micros/-nanos  the same without "Z"
 *   date                              "2024-01-02"
 *   time-millis / time-micros         "03:04:05.123" / "03:04:05.123456"
 *                                     (out of 0..24h: the plain number)
 *   decimal (bytes or fixed)          exact decimal string, "-12.30", from
 *                                     the two's-complement big-endian unscaled
 *                                     value (up to 4096 bytes; longer: bytes)
 *   uuid (string / fixed 16)          the string / "8-4-4-4-12" lowercase hex
 *   duration (fixed 12)               {"months":m,"days":d,"milliseconds":ms}
 *   Years outside 0000-9999 print as ISO 8601 expanded years ("-0001",
 *   "+10000"). Timestamps are always UTC; no time zone is applied.
 */
#ifndef KS_DEC_AVRO_H
#define KS_DEC_AVRO_H

#include "dec.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

typedef struct dec_avro_schema dec_avro_schema;

/* Parses an Avro schema (JSON text, len bytes, no NUL needed; a bare "string"
 * is a schema too). Returns NULL with errstr set when avro-c rejects it or it
 * cannot be decoded (a record that contains itself without a union, array or
 * map in between; a negative fixed size). Named references must be inside the
 * one schema (Confluent "references" are not resolved). Any thread; call it
 * off the UI thread for big schemas. */
dec_avro_schema *dec_avro_schema_new(const char *schema_json, size_t len, char *errstr,
                                     size_t errstr_size);

void dec_avro_schema_free(dec_avro_schema *schema); /* NULL is fine */

/* Full name of a named top-level type ("com.acme.Courier"), else the type
 * name ("string", "array"...). Static storage of the schema, borrowed. */
const char *dec_avro_schema_name(const dec_avro_schema *schema);

/* Decodes one Avro binary datum that must fill buf[0..len) exactly. Returns a
 * new tree (caller json_decref()s) or NULL with *err (may be NULL) and errstr:
 * TOO_LARGE (len > lim->max_size, more array/map items than the message could
 * hold, or avro-c's memory budget), TOO_DEEP (records/arrays/maps nested beyond
 * lim->max_depth; union branches add no level), TRUNCATED, BAD_DATA (bad
 * varint, negative length, union or enum index out of range, boolean not 0/1,
 * "N trailing bytes"). lim NULL: defaults. Nothing leaks on any error. */
json_t *dec_avro_decode(const dec_avro_schema *schema, const uint8_t *buf, size_t len,
                        const ks_dec_limits *lim, ks_dec_err *err, char *errstr,
                        size_t errstr_size);

#endif
