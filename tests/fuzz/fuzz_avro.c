/* fuzz_avro: Avro binary against a fixed set of schemas (first byte picks the
 * schema and the depth limit). A decoded tree must dump to terminal-safe JSON
 * that parses back to the same tree; a failure must say why. */
#include "dec_json_dump.h"
#include "fuzz_schemas.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const dec_avro_schema *schema = fuzz_schema(data[0] & 0x7f);
    ks_dec_limits lim = {.max_depth = data[0] & 0x80 ? 4 : 64, .max_size = 1 << 20};
    ks_dec_err err = KS_DEC_OK;
    char errstr[160] = "";
    json_t *json = dec_avro_decode(schema, data + 1, size - 1, &lim, &err, errstr, sizeof(errstr));

    if (!json) {
        FUZZ_CHECK(err != KS_DEC_OK && errstr[0]);
        return 0;
    }
    FUZZ_CHECK(err == KS_DEC_OK);
    char *text = dec_json_dump(json, 0, 0);
    size_t len = strlen(text);
    fuzz_check_terminal_safe(text, len);
    json_t *back = json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    FUZZ_CHECK(back && json_equal(back, json));
    json_decref(back);
    free(text);
    json_decref(json);
    return 0;
}
