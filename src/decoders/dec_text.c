/* dec_text: strict UTF-8 decoding and the escaping engine (see dec_text.h). */
#include "dec_text.h"
#include "xmalloc.h"

#include <stdio.h>
#include <string.h>

size_t dec_text_utf8_next(const uint8_t *p, size_t n, uint32_t *cp)
{
    uint8_t b0 = p[0];
    size_t need;
    uint32_t c, min;

    if (b0 < 0x80) {
        *cp = b0;
        return 1;
    }
    if (b0 >= 0xc2 && b0 <= 0xdf) {
        need = 2, c = b0 & 0x1f, min = 0x80;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
        need = 3, c = b0 & 0x0f, min = 0x800;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
        need = 4, c = b0 & 0x07, min = 0x10000;
    } else {
        return 0; /* continuation byte, 0xc0/0xc1 (always overlong), > 0xf4 */
    }
    if (n < need)
        return 0;
    for (size_t i = 1; i < need; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        c = c << 6 | (p[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return need;
}

bool dec_text_utf8_valid(const uint8_t *buf, size_t len)
{
    size_t i = 0;
    uint32_t cp;

    while (i < len) {
        if (buf[i] < 0x80) {
            i++;
            continue;
        }
        size_t n = dec_text_utf8_next(buf + i, len - i, &cp);
        if (!n)
            return false;
        i += n;
    }
    return true;
}

bool dec_text_probe(const uint8_t *buf, size_t len)
{
    size_t i = 0;
    uint32_t cp;

    if (!buf)
        return len == 0;
    while (i < len) {
        uint8_t b = buf[i];
        if (b >= 0x20 && b < 0x7f) {
            i++;
            continue;
        }
        if (b < 0x80) {
            if (b == 0x7f || (b < 0x20 && (b < '\t' || b > '\r') && b != 0x1b))
                return false;
            i++;
            continue;
        }
        size_t n = dec_text_utf8_next(buf + i, len - i, &cp);
        if (!n || cp <= 0x9f)
            return false;
        i += n;
    }
    return true;
}

static bool is_hidden_format(uint32_t cp)
{
    return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 ||
           cp == 0x2029;
}

/* Renders the unit at in[0..] into unit[] (<= 6 bytes); returns its length
 * and sets *used to the input bytes it stands for. */
static size_t escape_unit(const uint8_t *in, size_t len, unsigned flags, char unit[8], size_t *used)
{
    static const char hex[] = "0123456789abcdef";
    uint8_t b = in[0];
    uint32_t cp;
    size_t n;

    *used = 1;
    if (b >= 0x20 && b < 0x7f) {
        if (b == '\\' && (flags & DEC_ESC_BACKSLASH)) {
            unit[0] = unit[1] = '\\';
            return 2;
        }
        unit[0] = (char)b;
        return 1;
    }
    if (b == '\n' || b == '\t' || b == '\r') {
        unit[0] = '\\';
        unit[1] = b == '\n' ? 'n' : b == '\t' ? 't' : 'r';
        return 2;
    }
    n = b < 0x80 ? 0 : dec_text_utf8_next(in, len, &cp);
    if (n == 0) { /* C0, DEL, or a byte that starts no valid sequence */
        unit[0] = '\\';
        unit[1] = 'x';
        unit[2] = hex[b >> 4];
        unit[3] = hex[b & 15];
        return 4;
    }
    *used = n;
    if (cp <= 0x9f || is_hidden_format(cp)) {
        unit[0] = '\\';
        unit[1] = 'u';
        for (int i = 0; i < 4; i++)
            unit[2 + i] = hex[(cp >> (12 - 4 * i)) & 15];
        return 6;
    }
    memcpy(unit, in, n);
    return n;
}

size_t dec_text_escape_into(const uint8_t *in, size_t len, unsigned flags, char *out,
                            size_t out_size, size_t *consumed)
{
    size_t i = 0, o = 0;

    if (out_size == 0) {
        if (consumed)
            *consumed = 0;
        return 0;
    }
    while (i < len) {
        /* fast path: a run of plain printable ASCII */
        uint8_t b = in[i];
        if (b >= 0x20 && b < 0x7f && b != '\\') {
            if (o + 1 >= out_size)
                break;
            out[o++] = (char)b;
            i++;
            continue;
        }
        char unit[8];
        size_t used, n = escape_unit(in + i, len - i, flags, unit, &used);
        if (o + n >= out_size)
            break;
        memcpy(out + o, unit, n);
        o += n;
        i += used;
    }
    out[o] = '\0';
    if (consumed)
        *consumed = i;
    return o;
}

char *dec_text_escape(const uint8_t *buf, size_t len, size_t max_out)
{
    size_t cap = len > (SIZE_MAX - 8) / 4 ? SIZE_MAX - 8 : len * 4;
    size_t consumed, n;
    char *out;

    if (cap > max_out)
        cap = max_out;
    out = xmalloc(cap + 4);
    n = dec_text_escape_into(buf, len, DEC_ESC_BACKSLASH, out, cap + 1, &consumed);
    if (consumed < len)
        memcpy(out + n, "...", 4);
    return out;
}
