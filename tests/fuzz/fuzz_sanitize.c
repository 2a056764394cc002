/* fuzz_sanitize: the terminal gate. Output is safe, idempotent, and a cut
 * output is a prefix of the whole one at a unit boundary. */
#include "fuzz_common.h"
#include "sanitize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    char *once = sanitize_dup(in, size);
    size_t once_len = strlen(once);
    char *twice = sanitize_dup(once, once_len);
    char out[48];

    fuzz_check_terminal_safe(once, once_len);
    FUZZ_CHECK(strcmp(once, twice) == 0);
    for (size_t out_size = 0; out_size <= sizeof(out); out_size++) {
        out[0] = 'Q';
        size_t n = sanitize(in, size, out, out_size);
        if (out_size == 0) {
            FUZZ_CHECK(n == 0 && out[0] == 'Q');
            continue;
        }
        FUZZ_CHECK(n < out_size && strlen(out) == n);
        FUZZ_CHECK(memcmp(out, once, n) == 0);
        fuzz_check_terminal_safe(out, n);
        /* maximal: the next unit would not have fitted */
        if (n < once_len) {
            size_t next = 1;
            while (n + next < once_len && ((uint8_t)once[n + next] & 0xc0) == 0x80)
                next++;
            FUZZ_CHECK(n + next >= out_size || once[n] == '\\');
        }
    }
    free(once);
    free(twice);
    return 0;
}
