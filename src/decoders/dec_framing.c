/* dec_framing: Confluent magic byte + big-endian schema id. */
#include "dec_framing.h"

bool dec_framing_probe(const uint8_t *buf, size_t len)
{
    return buf && len >= DEC_FRAMING_HEADER_LEN && buf[0] == DEC_FRAMING_MAGIC;
}

bool dec_framing_parse(const uint8_t *buf, size_t len, uint32_t *schema_id, const uint8_t **payload,
                       size_t *payload_len)
{
    if (!dec_framing_probe(buf, len))
        return false;
    if (schema_id)
        *schema_id = (uint32_t)buf[1] << 24 | (uint32_t)buf[2] << 16 | (uint32_t)buf[3] << 8 |
                     (uint32_t)buf[4];
    if (payload)
        *payload = buf + DEC_FRAMING_HEADER_LEN;
    if (payload_len)
        *payload_len = len - DEC_FRAMING_HEADER_LEN;
    return true;
}

void dec_framing_write_header(uint32_t schema_id, uint8_t out[DEC_FRAMING_HEADER_LEN])
{
    out[0] = DEC_FRAMING_MAGIC;
    out[1] = (uint8_t)(schema_id >> 24);
    out[2] = (uint8_t)(schema_id >> 16);
    out[3] = (uint8_t)(schema_id >> 8);
    out[4] = (uint8_t)schema_id;
}
