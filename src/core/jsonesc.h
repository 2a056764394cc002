/* jsonesc: the body of a JSON string, escaped once for every output path
 * (ksight tail's JSON Lines, the decoders' pretty printer).
 * Pure; any thread. */
#ifndef KS_JSONESC_H
#define KS_JSONESC_H

#include <stddef.h>

/* Where the escaped text goes: `run` receives runs of plain ASCII that may be
 * cut anywhere, `unit` an escape or one UTF-8 character that must stay whole
 * (a sink with a size limit cuts only between units). */
typedef struct jsonesc_sink {
    void (*run)(void *ctx, const char *s, size_t n);
    void (*unit)(void *ctx, const char *s, size_t n);
    void *ctx;
} jsonesc_sink;

/* Writes s (len bytes, no quotes added) escaped for JSON: '"', '\\' and the
 * short escapes; C0, DEL, C1, bidi overrides and line/paragraph separators
 * as \uXXXX (valid JSON, inert on a terminal); invalid UTF-8 as \ufffd. */
void jsonesc_write(const char *s, size_t len, const jsonesc_sink *sink);

#endif
