/* fuzz_text: UTF-8 validation, the probe and the escaping engine. Checks that
 * output is terminal-safe, never cut inside a unit, and that a cut output is
 * a prefix of the uncut one. */
#include "dec_text.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *full = dec_text_escape(data, size, SIZE_MAX);
    size_t full_len = strlen(full);
    bool valid = dec_text_utf8_valid(data, size);

    fuzz_check_terminal_safe(full, full_len);
    FUZZ_CHECK(full_len <= size * 4);
    /* without invalid bytes there are no \xNN for bytes >= 0x80 */
    if (dec_text_probe(data, size))
        FUZZ_CHECK(valid);
    if (valid) {
        for (size_t i = 0; i + 3 < full_len; i++) {
            if (full[i] == '\\') {
                if (full[i + 1] == 'x')
                    FUZZ_CHECK(full[i + 2] < '8');
                i++; /* skip the escaped character */
            }
        }
    }

    /* every output size gives a prefix of the full output, at a unit boundary */
    char out[64];
    for (size_t out_size = 0; out_size <= sizeof(out); out_size += 7) {
        size_t consumed = 0;
        size_t n = dec_text_escape_into(data, size, DEC_ESC_BACKSLASH, out, out_size, &consumed);
        FUZZ_CHECK(out_size == 0 ? n == 0 : n < out_size);
        FUZZ_CHECK(consumed <= size);
        if (out_size) {
            FUZZ_CHECK(strlen(out) == n);
            FUZZ_CHECK(memcmp(out, full, n) == 0);
            /* the rest of the input continues the output exactly */
            char *rest = dec_text_escape(data + consumed, size - consumed, SIZE_MAX);
            FUZZ_CHECK(n + strlen(rest) == full_len);
            FUZZ_CHECK(strcmp(full + n, rest) == 0);
            free(rest);
        }
    }
    char *cut = dec_text_escape(data, size, size / 2);
    FUZZ_CHECK(strlen(cut) <= size / 2 + 3);
    free(cut);
    free(full);
    return 0;
}
