/* fuzz_framing: the Confluent header parser on arbitrary bytes. */
#include "dec_framing.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t id = 0;
    const uint8_t *payload = NULL;
    size_t payload_len = 0;
    bool framed = dec_framing_parse(data, size, &id, &payload, &payload_len);

    FUZZ_CHECK(framed == dec_framing_probe(data, size));
    FUZZ_CHECK(framed == (size >= 5 && data[0] == 0));
    if (framed) {
        uint8_t hdr[DEC_FRAMING_HEADER_LEN];
        FUZZ_CHECK(payload == data + 5 && payload_len == size - 5);
        dec_framing_write_header(id, hdr);
        FUZZ_CHECK(memcmp(hdr, data, sizeof(hdr)) == 0);
        if (payload_len) /* touch every payload byte: ASan checks the bounds */
            FUZZ_CHECK(payload[payload_len - 1] == data[size - 1]);
    }
    return 0;
}
