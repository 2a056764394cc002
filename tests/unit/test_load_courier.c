/* test_load_courier: the workbook's payloads: JSON, Avro in the Confluent
 * wire format (checked byte by byte and decoded by ksight's own Avro
 * decoder), keys, and the random walk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "courier.h"
#include "dec_avro.h"
#include "dec_framing.h"

static void test_json_is_the_workbook_courier(void **state)
{
    (void)state;
    ks_courier_pos pos = {48.856613, 2.352222};
    char buf[COURIER_JSON_MAX];
    json_error_t jerr;

    int n = courier_json(buf, sizeof(buf), 17, &pos);
    assert_true(n > 0);
    assert_int_equal((size_t)n, strlen(buf));
    json_t *doc = json_loads(buf, 0, &jerr);
    assert_non_null(doc);
    assert_int_equal(json_integer_value(json_object_get(doc, "id")), 17);
    json_t *p = json_object_get(doc, "position");
    assert_true(fabs(json_real_value(json_object_get(p, "latitude")) - 48.856613) < 1e-6);
    assert_true(fabs(json_real_value(json_object_get(p, "longitude")) - 2.352222) < 1e-6);
    json_decref(doc);
    assert_int_equal(courier_json(buf, 10, 17, &pos), -1);
    /* the schema is valid JSON naming the two records */
    doc = json_loads(courier_avro_schema, 0, &jerr);
    assert_non_null(doc);
    assert_string_equal(json_string_value(json_object_get(doc, "name")), "Courier");
    json_decref(doc);
}

static void test_json_numbers_match_printf(void **state)
{
    (void)state;
    double probes[] = {0.0,        -0.0,        48.8566137, 2.3522221, -2.3522226,   0.0000006,
                       -0.0000004, 179.9999996, -89.123456, 1e-9,      12345.5000004};
    char mine[COURIER_JSON_MAX], ref[COURIER_JSON_MAX];

    for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
        ks_courier_pos pos = {probes[i], -probes[i]};
        courier_json(mine, sizeof(mine), (int)i - 3, &pos);
        snprintf(ref, sizeof(ref),
                 "{\"id\":%d,\"position\":{\"latitude\":%.6f,\"longitude\":%.6f}}", (int)i - 3,
                 pos.latitude, pos.longitude);
        /* printf keeps the sign of a negative value rounded to zero */
        if (strstr(ref, "-0.000000") && !strstr(mine, "-0.000000"))
            continue;
        assert_string_equal(mine, ref);
    }
    /* and the random walk's values, a million of them */
    ks_courier_walk *w = malloc(sizeof(*w));
    courier_walk_init(w, 0, 10, 99);
    for (uint64_t s = 0; s < 1000000; s++) {
        ks_courier_pos pos;
        int id = courier_walk_next(w, s, &pos);
        courier_json(mine, sizeof(mine), id, &pos);
        snprintf(ref, sizeof(ref),
                 "{\"id\":%d,\"position\":{\"latitude\":%.6f,\"longitude\":%.6f}}", id,
                 pos.latitude, pos.longitude);
        if (strcmp(mine, ref)) { /* a value a hair from a half may round up */
            json_error_t jerr;
            json_t *a = json_loads(mine, 0, &jerr), *b = json_loads(ref, 0, &jerr);
            json_t *pa = json_object_get(a, "position"), *pb = json_object_get(b, "position");
            assert_true(fabs(json_real_value(json_object_get(pa, "latitude")) -
                             json_real_value(json_object_get(pb, "latitude"))) < 1.5e-6);
            assert_true(fabs(json_real_value(json_object_get(pa, "longitude")) -
                             json_real_value(json_object_get(pb, "longitude"))) < 1.5e-6);
            json_decref(a);
            json_decref(b);
        }
    }
    free(w);
    char key[4];
    assert_int_equal(courier_key(key, sizeof(key), 1234), -1);
    assert_int_equal(courier_key(key, sizeof(key), -12), 3);
    assert_string_equal(key, "-12");
}

static void test_avro_wire_format(void **state)
{
    (void)state;
    ks_courier_pos pos = {1.0, -2.0};
    uint8_t buf[COURIER_AVRO_MAX];

    int n = courier_avro(buf, sizeof(buf), 0x01020304, -3, &pos);
    assert_int_equal(n, 5 + 1 + 16);
    const uint8_t head[] = {0, 1, 2, 3, 4, 5 /* zigzag(-3) */};
    assert_memory_equal(buf, head, sizeof(head));
    double lat, lon;
    memcpy(&lat, buf + 6, 8); /* little-endian host */
    memcpy(&lon, buf + 14, 8);
    assert_true(lat == 1.0 && lon == -2.0);
    /* a large id takes more varint bytes */
    n = courier_avro(buf, sizeof(buf), 7, 300, &pos);
    assert_int_equal(n, 5 + 2 + 16);
    assert_int_equal(buf[5], 0xd8); /* zigzag(300) = 600 = 0x258 */
    assert_int_equal(buf[6], 0x04);
    assert_int_equal(courier_avro(buf, 10, 7, 300, &pos), -1);
}

static void test_avro_decodes_with_ksight_decoder(void **state)
{
    (void)state;
    ks_courier_pos pos = {48.5, 2.25};
    uint8_t buf[COURIER_AVRO_MAX];
    char err[256];
    uint32_t id;
    const uint8_t *payload;
    size_t len;

    int n = courier_avro(buf, sizeof(buf), 42, 123456, &pos);
    assert_true(dec_framing_parse(buf, (size_t)n, &id, &payload, &len));
    assert_int_equal(id, 42);
    dec_avro_schema *schema =
        dec_avro_schema_new(courier_avro_schema, strlen(courier_avro_schema), err, sizeof(err));
    assert_non_null(schema);
    json_t *doc = dec_avro_decode(schema, payload, len, NULL, NULL, err, sizeof(err));
    assert_non_null(doc);
    assert_int_equal(json_integer_value(json_object_get(doc, "id")), 123456);
    json_t *p = json_object_get(doc, "position");
    assert_true(json_real_value(json_object_get(p, "latitude")) == 48.5);
    assert_true(json_real_value(json_object_get(p, "longitude")) == 2.25);
    json_decref(doc);
    dec_avro_schema_free(schema);
}

static void test_keys_and_walk(void **state)
{
    (void)state;
    char key[16];
    ks_courier_walk *w = malloc(sizeof(*w));
    ks_courier_pos pos;

    assert_int_equal(courier_key(key, sizeof(key), 42), 2);
    assert_int_equal(courier_key_parse(key, 2), 42);
    assert_int_equal(courier_key_parse("4x", 2), -1);
    assert_int_equal(courier_key_parse(NULL, 0), -1);
    assert_int_equal(courier_key_parse("1234567890", 10), -1);

    courier_walk_init(w, 20, 10, 12345);
    for (uint64_t s = 0; s < 1000; s++) {
        int id = courier_walk_next(w, s, &pos);
        assert_int_equal(id, 20 + (int)(s % 10));
        /* a walk of small steps stays near Paris */
        assert_true(fabs(pos.latitude - 48.8566) < 1.0);
        assert_true(fabs(pos.longitude - 2.3522) < 1.0);
    }
    free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_is_the_workbook_courier),
        cmocka_unit_test(test_json_numbers_match_printf),
        cmocka_unit_test(test_avro_wire_format),
        cmocka_unit_test(test_avro_decodes_with_ksight_decoder),
        cmocka_unit_test(test_keys_and_walk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
