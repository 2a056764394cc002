/* tail_json: the tail's fast path from decoded values to JSON Lines text.
 *
 * DESIGN: `ksight tail --format jsonl` must keep up with kcat, which prints
 * raw bytes. The decoders' own rendering (decode_bytes() then dec_json_dump())
 * builds a jansson tree per message, finds each double's shortest text with
 * several snprintf/strtod rounds and allocates the result. This module
 * writes the same bytes faster, into a reused buffer:
 *   - tail_json_put_tree(): a jansson tree -> text, byte for byte what
 *     dec_json_dump(tree, 0, 0) prints, with a shortest-double formatter that
 *     needs one snprintf and one strtod for most values;
 *   - tail_json_compact(): JSON message bytes -> the same text as
 *     dec_json_dump(dec_json_parse(bytes)), without building a tree, for the
 *     documents it can vouch for; for anything else (\u escapes in keys,
 *     integers of 19+ digits, duplicate keys, more than 256 keys in an object,
 *     nesting beyond the limit, invalid JSON) it declines and the caller takes
 *     the decoders' path, so the output never depends on which path ran.
 * Both are checked against the decoders by unit tests and a differential
 * fuzzer. Pure functions; the buffer belongs to the caller. */
#ifndef KS_TAIL_JSON_H
#define KS_TAIL_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tail_text.h"

/* Appends what dec_json_format_real(d) writes. The caller's thread must use
 * the C locale for numbers (the tail worker calls uselocale() once). */
void tail_json_put_real(ks_tbuf *out, double d);

/* Appends dec_json_dump(json, 0, 0) (compact). NULL appends "null". */
void tail_json_put_tree(ks_tbuf *out, const json_t *json);

/* Appends the compact form of the JSON document buf[0..len) and returns true,
 * or returns false with out unchanged when it declines (see above).
 * scratch is the caller's reusable buffer for strings with escapes.
 * containers_only: decline a top-level scalar (auto-detection shows a bare 42
 * as text). max_depth as in ks_dec_limits (0: the default, 64). */
bool tail_json_compact(ks_tbuf *out, ks_tbuf *scratch, const uint8_t *buf, size_t len,
                       size_t max_depth, bool containers_only);

#endif
