/* dec_hex: binary bytes as lowercase hex, the fallback every decoder ends in.
 * Pure function, no I/O, no globals. */
#ifndef KS_DEC_HEX_H
#define KS_DEC_HEX_H

#include <stddef.h>
#include <stdint.h>

/* Writes at most max_bytes of buf as hex into a new string (caller frees);
 * appends "…" (as "...") when truncated. */
char *dec_hex_encode(const uint8_t *buf, size_t len, size_t max_bytes);

#endif
