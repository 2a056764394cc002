/* test_dec_framing: the Confluent header (magic 0x00 + big-endian schema id). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "dec_framing.h"

static void test_parse(void **state)
{
    (void)state;
    static const uint8_t msg[] = {0x00, 0x00, 0x00, 0x00, 0x07, 0x02, 0x41};
    uint32_t id = 0;
    const uint8_t *payload = NULL;
    size_t payload_len = 0;

    assert_true(dec_framing_parse(msg, sizeof(msg), &id, &payload, &payload_len));
    assert_int_equal(id, 7);
    assert_ptr_equal(payload, msg + 5);
    assert_int_equal(payload_len, 2);
    assert_true(dec_framing_probe(msg, sizeof(msg)));
}

static void test_big_endian_id(void **state)
{
    (void)state;
    static const uint8_t msg[] = {0x00, 0xde, 0xad, 0xbe, 0xef};
    uint32_t id = 0;
    const uint8_t *payload = NULL;
    size_t payload_len = 99;

    assert_true(dec_framing_parse(msg, sizeof(msg), &id, &payload, &payload_len));
    assert_int_equal(id, 0xdeadbeefu);
    assert_int_equal(payload_len, 0); /* an empty payload is framed (Avro "null") */
    assert_true(dec_framing_parse(msg, sizeof(msg), NULL, NULL, NULL));
}

static void test_not_framed(void **state)
{
    (void)state;
    static const uint8_t json[] = "{\"a\":1}";
    static const uint8_t magic1[] = {0x01, 0x00, 0x00, 0x00, 0x01, 0x00};
    static const uint8_t short4[] = {0x00, 0x00, 0x00, 0x01};
    uint32_t id = 42;
    const uint8_t *payload = (const uint8_t *)"x";
    size_t payload_len = 42;

    assert_false(dec_framing_parse(json, sizeof(json) - 1, &id, &payload, &payload_len));
    assert_false(dec_framing_parse(magic1, sizeof(magic1), &id, &payload, &payload_len));
    assert_false(dec_framing_parse(short4, sizeof(short4), &id, &payload, &payload_len));
    assert_false(dec_framing_parse(NULL, 0, &id, &payload, &payload_len));
    assert_false(dec_framing_parse(NULL, 10, &id, &payload, &payload_len));
    /* outputs untouched on failure */
    assert_int_equal(id, 42);
    assert_int_equal(payload_len, 42);
    assert_false(dec_framing_probe(short4, sizeof(short4)));
    assert_false(dec_framing_probe(NULL, 5));
}

static void test_write_header_round_trip(void **state)
{
    (void)state;
    static const uint32_t ids[] = {0, 1, 255, 256, 65536, 0x7fffffff, 0xffffffff};
    uint8_t hdr[DEC_FRAMING_HEADER_LEN];

    dec_framing_write_header(0x01020304, hdr);
    assert_memory_equal(hdr, "\x00\x01\x02\x03\x04", 5);
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        uint32_t id = ~ids[i];
        dec_framing_write_header(ids[i], hdr);
        assert_true(dec_framing_parse(hdr, sizeof(hdr), &id, NULL, NULL));
        assert_int_equal(id, ids[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_big_endian_id),
        cmocka_unit_test(test_not_framed),
        cmocka_unit_test(test_write_header_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
