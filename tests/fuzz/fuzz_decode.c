/* fuzz_decode: the dispatcher end to end. The first byte picks the forced
 * format; schema ids 1-5 resolve to the fuzz schemas, 6 to a lookup that
 * writes its own reason, others to a miss. Every rendering must be safe and
 * within its size. */
#include "decode.h"
#include "dec_json_dump.h"
#include "fuzz_schemas.h"

static const dec_avro_schema *lookup(uint32_t id, void *ctx, char *errstr, size_t size)
{
    (void)ctx;
    if (id >= 1 && id <= FUZZ_NSCHEMAS)
        return fuzz_schema(id - 1);
    if (id == 6)
        snprintf(errstr, size, "registry timeout for id %u", id);
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const ks_fmt forced[] = {KS_FMT_AUTO, KS_FMT_AUTO, KS_FMT_AUTO,   KS_FMT_AVRO,
                                    KS_FMT_JSON, KS_FMT_TEXT, KS_FMT_BINARY, KS_FMT_NULL};
    ks_decoded dec;

    if (size < 1)
        return 0;
    ks_fmt fmt = forced[data[0] & 7];
    ks_dec_limits lim = {.max_depth = 32, .max_size = data[0] & 8 ? 64 : 1 << 20};
    decode_bytes(data + 1, size - 1, fmt, data[0] & 16 ? NULL : lookup, NULL, &lim, &dec);

    FUZZ_CHECK(dec.fmt != KS_FMT_AUTO);
    FUZZ_CHECK(dec.size == size - 1);
    FUZZ_CHECK((dec.err == KS_DEC_OK) == (dec.errstr[0] == '\0'));
    FUZZ_CHECK(strlen(dec.errstr) < sizeof(dec.errstr));
    switch (dec.fmt) {
    case KS_FMT_AVRO:
    case KS_FMT_JSON:
        FUZZ_CHECK(dec.json && !dec.text && dec.err == KS_DEC_OK);
        break;
    case KS_FMT_TEXT:
        FUZZ_CHECK(dec.text);
        fuzz_check_terminal_safe(dec.text, strlen(dec.text));
        break;
    case KS_FMT_BINARY:
        FUZZ_CHECK(dec.text && !dec.json);
        break;
    default:
        FUZZ_CHECK(0);
    }
    if (dec.fmt == KS_FMT_AVRO)
        FUZZ_CHECK(dec.schema_id >= 1 && dec.schema_id <= (int64_t)FUZZ_NSCHEMAS);

    json_t *json = decoded_to_json(&dec);
    FUZZ_CHECK(json);
    char *line = dec_json_dump(json, 0, 0);
    fuzz_check_terminal_safe(line, strlen(line));
    free(line);
    json_decref(json);

    static const size_t maxes[] = {0, 1, 3, 4, 10, 80, 4096};
    for (size_t i = 0; i < sizeof(maxes) / sizeof(maxes[0]); i++) {
        char *s = decoded_summary(&dec, maxes[i]);
        FUZZ_CHECK(strlen(s) <= maxes[i]);
        fuzz_check_terminal_safe(s, strlen(s));
        free(s);
    }
    decoded_free(&dec);
    FUZZ_CHECK(dec.fmt == KS_FMT_NULL && !dec.json && !dec.text);
    return 0;
}
