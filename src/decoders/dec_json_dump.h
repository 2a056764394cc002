/* dec_json_dump: JSON text for people and for `--format jsonl`.
 *
 * Why not json_dumps(): jansson prints reals with %.17g (0.1 becomes
 * 0.10000000000000001, a latitude 48.8566 stays short only by luck), follows
 * LC_NUMERIC in nothing but its own code paths, and passes C1 controls and
 * bidi overrides through raw, which a terminal may obey. This writer prints
 * the shortest text that reads back as the same double (C locale, whatever
 * setlocale() said), escapes every control, C1, bidi override and line
 * separator as \uXXXX (output stays valid JSON and is inert on a terminal),
 * keeps other UTF-8 as is, and can stop at a size without cutting a UTF-8
 * sequence or an escape. Object keys keep jansson's insertion order.
 * Pure, no globals (uselocale() is per thread and restored). */
#ifndef KS_DEC_JSON_DUMP_H
#define KS_DEC_JSON_DUMP_H

#include <jansson.h>
#include <stddef.h>

enum {
    DEC_JSON_PRETTY = 1 << 0, /* newlines and two-space indentation; else compact, no spaces */
};

/* A new string (caller frees). max_out 0 means no limit; otherwise the text is
 * cut at a unit boundary to at most max_out bytes and "..." is appended.
 * NULL json gives "null". */
char *dec_json_dump(const json_t *json, unsigned flags, size_t max_out);

/* Shortest round-trip text of a finite double, always with a '.' or an
 * exponent ("1.0", "0.1", "1e+300"); out must hold 32 bytes. Returns strlen. */
size_t dec_json_format_real(double d, char *out);

/* The double whose shortest text equals the float's shortest text, so that
 * 0.1f prints as 0.1 rather than 0.10000000149011612. f must be finite. */
double dec_json_real_from_float(float f);

#endif
