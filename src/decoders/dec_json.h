/* dec_json: message bytes -> jansson tree, within depth and size limits.
 *
 * jansson's own nesting limit is a compile-time 2048 and its parser recurses,
 * so the depth is checked first by a linear scan that needs no stack; then
 * jansson parses. Strings may contain \u0000 (JSON_ALLOW_NUL). Integers beyond
 * int64 are a parse error in jansson, so such documents are not JSON here
 * (the dispatcher then shows them as text). To print a tree use
 * dec_json_dump() (dec_json_dump.h), not json_dumps(). Pure, no globals. */
#ifndef KS_DEC_JSON_H
#define KS_DEC_JSON_H

#include "dec.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parses one JSON value (any type, surrounding whitespace allowed). Returns a
 * new reference (caller json_decref()s) or NULL with *err (may be NULL) and
 * errstr set: TOO_LARGE (len > max_size), TOO_DEEP, TRUNCATED (input ends
 * early), BAD_UTF8, BAD_DATA (syntax, trailing bytes, integer overflow). */
json_t *dec_json_parse(const uint8_t *buf, size_t len, const ks_dec_limits *lim, ks_dec_err *err,
                       char *errstr, size_t errstr_size);

/* Nesting depth of the JSON text (max over arrays/objects, strings skipped),
 * or SIZE_MAX as soon as it exceeds limit. Syntax is not checked. */
size_t dec_json_depth(const uint8_t *buf, size_t len, size_t limit);

/* Looks like JSON: the first non-whitespace byte starts a JSON value
 * ('{', '[', '"', a digit, '-', 't', 'f', 'n') and the whole buffer parses
 * within the default limits. */
bool dec_json_probe(const uint8_t *buf, size_t len);

/* Like dec_json_probe(), but only objects and arrays qualify: a bare 42 or
 * "hi" is better shown as text. Cheap first-byte test, no parse. */
bool dec_json_looks_container(const uint8_t *buf, size_t len);

#endif
