/* fuzz_common: invariants every harness checks, as aborts libFuzzer reports. */
#ifndef KS_FUZZ_COMMON_H
#define KS_FUZZ_COMMON_H

#include "dec_text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* s[0..len) is valid UTF-8 with no C0, DEL, C1, bidi override or line
 * separator: safe to hand to a terminal */
static inline void fuzz_check_terminal_safe(const char *s, size_t len)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t i = 0;

    while (i < len) {
        uint32_t cp;
        size_t n = dec_text_utf8_next(p + i, len - i, &cp);
        FUZZ_CHECK(n > 0);
        FUZZ_CHECK(cp >= 0x20 && !(cp >= 0x7f && cp <= 0x9f));
        FUZZ_CHECK(!(cp >= 0x202a && cp <= 0x202e) && !(cp >= 0x2066 && cp <= 0x2069));
        FUZZ_CHECK(cp != 0x2028 && cp != 0x2029);
        i += n;
    }
}

#endif
