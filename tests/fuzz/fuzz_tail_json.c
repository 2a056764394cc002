/* fuzz_tail_json: the tail's fast JSON path against the decoders. Whenever
 * tail_json_compact() accepts bytes, jansson must accept them too and
 * dec_json_dump() must print exactly the same text; tail_json_put_tree()
 * must print what dec_json_dump() prints for any tree jansson builds; and
 * the output is terminal-safe. */
#include "dec_json.h"
#include "dec_json_dump.h"
#include "fuzz_common.h"
#include "tail_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ks_dec_limits lim = {.max_depth = size && (data[0] & 1) ? 8 : 64, .max_size = 1 << 20};
    json_t *json = dec_json_parse(data, size, &lim, NULL, NULL, 0);
    ks_tbuf out = {0}, scratch = {0};
    bool ok = tail_json_compact(&out, &scratch, data, size, lim.max_depth, false);

    if (ok) {
        FUZZ_CHECK(json != NULL);
        char *want = dec_json_dump(json, 0, 0);
        if (strcmp(want, out.p)) {
            fprintf(stderr, "decoders: %s\ntail:     %s\n", want, out.p);
            abort();
        }
        fuzz_check_terminal_safe(out.p, out.len);
        free(want);
    } else {
        FUZZ_CHECK(out.len == 0);
    }
    if (json) {
        char *want = dec_json_dump(json, 0, 0);
        tbuf_reset(&out);
        tail_json_put_tree(&out, json);
        FUZZ_CHECK(strcmp(want, out.p) == 0);
        free(want);
    }
    /* containers_only never accepts more */
    tbuf_reset(&out);
    if (tail_json_compact(&out, &scratch, data, size, lim.max_depth, true))
        FUZZ_CHECK(ok);
    json_decref(json);
    tbuf_free(&out);
    tbuf_free(&scratch);
    return 0;
}
