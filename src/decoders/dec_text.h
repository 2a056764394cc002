/* dec_text: UTF-8 validation and the one escaping engine for bytes shown as text.
 *
 * Message bytes may carry terminal escape sequences ("\x1b]0;title\x07",
 * "\x1b[2J"), C1 controls that some terminals also obey (U+009B is CSI) and
 * bidirectional overrides that make a terminal display text in another order
 * than it is stored ("Trojan Source"). The engine turns every such unit into
 * visible ASCII and passes printable UTF-8 through, so what reaches the screen
 * is inert. It writes whole units only: a UTF-8 sequence or an escape is never
 * cut, whatever the output size. sanitize() is the same engine with settings
 * for screen paths; dec_text_escape() is the text decoder's rendering.
 *
 * Escapes (always):
 *   \n \t \r                       for LF, TAB, CR
 *   \xNN                           other C0 controls, DEL, and each byte of an
 *                                  invalid/overlong/surrogate/truncated sequence
 *   \u0080 .. \u009f               C1 controls (valid UTF-8 for U+0080-U+009F;
 *                                  \u, not \x, so they stay distinct from a raw
 *                                  invalid byte 0x80-0x9f)
 *   \u202a-\u202e \u2066-\u2069    bidi embeddings, overrides and isolates
 *   \u2028 \u2029                  line and paragraph separators
 * and, with DEC_ESC_BACKSLASH, "\" as "\\" so that the output is unambiguous.
 * Pure functions, no I/O, no globals. */
#ifndef KS_DEC_TEXT_H
#define KS_DEC_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Length (1-4) of the well-formed UTF-8 sequence at p, with its code point in
 * *cp; 0 when p[0] does not start one (overlong, surrogate, > U+10FFFF, stray
 * continuation byte, or cut by n). n must be at least 1. */
size_t dec_text_utf8_next(const uint8_t *p, size_t n, uint32_t *cp);

bool dec_text_utf8_valid(const uint8_t *buf, size_t len);

/* Looks like text: valid UTF-8 without C1 controls, DEL, or C0 controls other
 * than TAB, LF, VT, FF, CR and ESC (ANSI-coloured log lines are text; NUL-laden
 * binary is not). The empty buffer is text. */
bool dec_text_probe(const uint8_t *buf, size_t len);

enum {
    DEC_ESC_BACKSLASH = 1 << 0, /* "\" becomes "\\" */
};

/* The engine. Escapes in[0..len) into out, writing whole units while they fit
 * in out_size - 1 bytes, then a NUL (nothing at all if out_size is 0).
 * Returns the bytes written excluding the NUL; *consumed (may be NULL) gets
 * the input bytes consumed, which is len unless the output was cut. An output
 * unit is at most 6 bytes and at most 4 per input byte. */
size_t dec_text_escape_into(const uint8_t *in, size_t len, unsigned flags, char *out,
                            size_t out_size, size_t *consumed);

/* The text decoder's rendering: a new string (caller frees) of buf escaped
 * with DEC_ESC_BACKSLASH, at most max_out bytes; when it had to stop early,
 * "..." is appended (so strlen <= max_out + 3). SIZE_MAX means no limit. */
char *dec_text_escape(const uint8_t *buf, size_t len, size_t max_out);

#endif
