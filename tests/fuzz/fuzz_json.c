/* fuzz_json: bounded parsing, then the dumper: its output must parse back to
 * an equal tree (reals included: shortest round-trip text) and be
 * terminal-safe. */
#include "dec_json.h"
#include "dec_json_dump.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ks_dec_limits lim = {.max_depth = size && (data[0] & 1) ? 8 : 64, .max_size = 1 << 20};
    ks_dec_err err = KS_DEC_OK;
    char errstr[160] = "";
    json_t *json = dec_json_parse(data, size, &lim, &err, errstr, sizeof(errstr));
    size_t depth = dec_json_depth(data, size, lim.max_depth);

    if (!json) {
        FUZZ_CHECK(err != KS_DEC_OK && errstr[0]);
        return 0;
    }
    FUZZ_CHECK(err == KS_DEC_OK && depth <= lim.max_depth);
    for (unsigned flags = 0; flags <= DEC_JSON_PRETTY; flags++) {
        char *text = dec_json_dump(json, flags, 0);
        size_t len = strlen(text);
        if (!(flags & DEC_JSON_PRETTY))
            fuzz_check_terminal_safe(text, len);
        json_error_t jerr;
        json_t *back = json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
        if (!back) {
            fprintf(stderr, "dump does not parse: %s\n%s\n", jerr.text, text);
            abort();
        }
        FUZZ_CHECK(json_equal(json, back));
        json_decref(back);
        /* a cut dump is a prefix of the whole one */
        char *cut = dec_json_dump(json, flags, len / 2);
        size_t cut_len = strlen(cut);
        FUZZ_CHECK(cut_len <= len / 2 + 3);
        if (cut_len > 3 && len / 2 < len)
            FUZZ_CHECK(memcmp(cut, text, cut_len - 3) == 0);
        free(cut);
        free(text);
    }
    json_decref(json);
    return 0;
}
