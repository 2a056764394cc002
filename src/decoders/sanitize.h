/* sanitize: the one gate between untrusted bytes and the terminal.
 *
 * Every string that came from the network (keys, values, headers, topic and
 * group names, registry answers, error texts) goes through sanitize() before a
 * view draws it. It is dec_text's escaping engine without backslash doubling,
 * so already-escaped text passes through unchanged (sanitize is idempotent)
 * while ESC becomes the four characters \x1b, C1 controls \u009b, bidi
 * overrides \u202e and invalid UTF-8 \xNN. Output is printable UTF-8 only.
 * Pure functions, no I/O, no globals. */
#ifndef KS_SANITIZE_H
#define KS_SANITIZE_H

#include <stddef.h>

/* Writes the sanitised in[0..len) to out, cut to fit out_size - 1 bytes at a
 * unit boundary (never inside a UTF-8 sequence or an escape), NUL-terminated
 * (out_size 0 writes nothing). Returns the bytes written, excluding the NUL.
 * in may contain NULs (shown as \x00); in may be NULL when len is 0. */
size_t sanitize(const char *in, size_t len, char *out, size_t out_size);

/* The whole of in[0..len) sanitised, as a new string (caller frees). */
char *sanitize_dup(const char *in, size_t len);

/* sanitize_dup(s, strlen(s)); NULL gives "". */
char *sanitize_str(const char *s);

#endif
