/* dec_hex: hex encoding of message bytes. */
#include "dec_hex.h"
#include "xmalloc.h"

#include <string.h>

char *dec_hex_encode(const uint8_t *buf, size_t len, size_t max_bytes)
{
    static const char digits[] = "0123456789abcdef";
    size_t n = len < max_bytes ? len : max_bytes;
    char *out = xmalloc(n * 2 + 4), *o = out;

    for (size_t i = 0; i < n; i++) {
        *o++ = digits[buf[i] >> 4];
        *o++ = digits[buf[i] & 15];
    }
    if (n < len) {
        memcpy(o, "...", 3);
        o += 3;
    }
    *o = '\0';
    return out;
}
