/* sanitize: untrusted bytes -> inert printable text, via dec_text's engine. */
#include "sanitize.h"
#include "dec_text.h"
#include "xmalloc.h"

#include <stdint.h>
#include <string.h>

size_t sanitize(const char *in, size_t len, char *out, size_t out_size)
{
    return dec_text_escape_into((const uint8_t *)in, in ? len : 0, 0, out, out_size, NULL);
}

char *sanitize_dup(const char *in, size_t len)
{
    /* an escape is at most 4 output bytes per input byte */
    if (len > (SIZE_MAX - 1) / 4)
        ks_fatal("sanitize_dup: %zu bytes is too long", len);
    size_t size = len * 4 + 1;
    char *out = xmalloc(size);

    sanitize(in, len, out, size);
    return out;
}

char *sanitize_str(const char *s)
{
    return sanitize_dup(s, s ? strlen(s) : 0);
}
