/* jsonesc: JSON string escaping with a run/unit sink. */
#include "jsonesc.h"
#include "tail_text.h"

#include <stdbool.h>
#include <stdint.h>

static bool needs_u_escape(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
}

void jsonesc_write(const char *s, size_t len, const jsonesc_sink *sink)
{
    static const char hex[] = "0123456789abcdef";
    const uint8_t *p = (const uint8_t *)s;
    size_t i = 0;

    while (i < len) {
        size_t run = i, n;
        uint32_t cp;
        char esc[6];

        while (run < len && p[run] >= 0x20 && p[run] < 0x7f && p[run] != '"' && p[run] != '\\')
            run++;
        if (run > i) {
            sink->run(sink->ctx, s + i, run - i);
            i = run;
            continue;
        }
        n = tail_utf8_next(p + i, len - i, &cp);
        if (n == 0) {
            sink->unit(sink->ctx, "\\ufffd", 6);
            i++;
            continue;
        }
        if (cp == '"' || cp == '\\') {
            esc[0] = '\\', esc[1] = (char)cp;
            sink->unit(sink->ctx, esc, 2);
        } else if (cp == '\n' || cp == '\t' || cp == '\r' || cp == '\b' || cp == '\f') {
            esc[0] = '\\';
            esc[1] = cp == '\n' ? 'n' : cp == '\t' ? 't' : cp == '\r' ? 'r' : cp == '\b' ? 'b' : 'f';
            sink->unit(sink->ctx, esc, 2);
        } else if (needs_u_escape(cp)) {
            esc[0] = '\\', esc[1] = 'u';
            for (int k = 0; k < 4; k++)
                esc[2 + k] = hex[(cp >> (12 - 4 * k)) & 15];
            sink->unit(sink->ctx, esc, 6);
        } else {
            sink->unit(sink->ctx, s + i, n);
        }
        i += n;
    }
}
