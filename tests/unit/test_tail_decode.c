/* test_tail_decode: a message's key and value as the tail renders them equal
 * the decoders' own jsonl rendering (decoded_to_json + dec_json_dump), for
 * every format and fallback; and the schema cache against a small HTTP
 * registry: hits, 404s cached, a dead registry answered at once, non-Avro
 * schemas, subjects. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "dec_framing.h"
#include "dec_json_dump.h"
#include "decode.h"
#include "registry_http.h"
#include "tail_decode.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define U8(s) ((const uint8_t *)(s)), (sizeof(s) - 1)

static const char *const courier_schema =
    "{\"type\":\"record\",\"name\":\"Courier\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
    "{\"name\":\"position\",\"type\":{\"type\":\"record\",\"name\":\"Position\",\"fields\":["
    "{\"name\":\"lat\",\"type\":\"double\"},{\"name\":\"lon\",\"type\":\"double\"}]}},"
    "{\"name\":\"timestamp\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}}]}";

/* id "c1", lat 1.5, lon -0.5, timestamp 1704164645123, schema id 7 */
static const uint8_t courier_msg[] = {
    0x00, 0x00, 0x00, 0x00, 0x07, 0x04, 'c',  '1',  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8,
    0x3f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xe0, 0xbf, 0x86, 0xe4, 0x86, 0x82, 0x99, 0x63,
};

/* ---- a registry on loopback: GET /schemas/ids/7 (Avro), /schemas/ids/8
 * (PROTOBUF), /schemas/ids/7/versions, anything else 404 ---- */

typedef struct registry {
    int fd, port;
    pthread_t thread;
    int requests;
} registry;

static void *serve(void *arg)
{
    registry *r = arg;
    for (;;) {
        char req[2048], body[2048], reply[4096];
        int c = accept(r->fd, NULL, NULL), status = 200;
        ssize_t n;
        if (c < 0)
            return NULL;
        n = read(c, req, sizeof(req) - 1);
        req[n > 0 ? n : 0] = '\0';
        r->requests++;
        if (strstr(req, "GET /schemas/ids/7/versions ")) {
            snprintf(body, sizeof(body), "[{\"subject\":\"position-value\",\"version\":1}]");
        } else if (strstr(req, "GET /schemas/ids/7 ")) {
            json_t *j = json_pack("{s:s}", "schema", courier_schema);
            char *s = json_dumps(j, JSON_COMPACT);
            snprintf(body, sizeof(body), "%s", s);
            free(s);
            json_decref(j);
        } else if (strstr(req, "GET /schemas/ids/8 ")) {
            snprintf(body, sizeof(body),
                     "{\"schema\":\"syntax = \\\"proto3\\\";\",\"schemaType\":\"PROTOBUF\"}");
        } else {
            status = 404;
            snprintf(body, sizeof(body), "{\"error_code\":40403,\"message\":\"Schema not found\"}");
        }
        n = snprintf(reply, sizeof(reply),
                     "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n%s",
                     status, strlen(body), body);
        if (write(c, reply, (size_t)n) < 0)
            break;
        close(c);
    }
    return NULL;
}

static void registry_start(registry *r)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(sa);

    r->fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(r->fd >= 0);
    assert_int_equal(bind(r->fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(listen(r->fd, 8), 0);
    getsockname(r->fd, (struct sockaddr *)&sa, &len);
    r->port = ntohs(sa.sin_port);
    pthread_create(&r->thread, NULL, serve, r);
}

static void registry_stop(registry *r)
{
    shutdown(r->fd, SHUT_RDWR);
    close(r->fd);
    pthread_join(r->thread, NULL);
}

/* ---- the reference: what the decoders print for these bytes ---- */

static dec_avro_schema *ref_schema;

static const dec_avro_schema *ref_lookup(uint32_t id, void *ctx, char *errstr, size_t size)
{
    (void)ctx;
    if (id == 7)
        return ref_schema;
    snprintf(errstr, size, "no");
    return NULL;
}

static void check_same(ks_tail_decoder *dec, const void *buf, size_t len, ks_fmt forced,
                       bool registry)
{
    ks_decoded ref;
    ks_tail_row row;
    json_t *json;
    char *want;

    decode_bytes(buf, len, forced, registry ? ref_lookup : NULL, NULL, NULL, &ref);
    json = decoded_to_json(&ref);
    want = dec_json_dump(json, 0, 0);
    tail_decoder_bytes(dec, NULL, 0, buf, len, &row);
    if (strcmp(want, row.value.json) || (int)row.value.fmt != (int)ref.fmt) {
        fprintf(stderr, "decoders: %s (%s)\ntail:     %s (%s)\n", want, fmt_name(ref.fmt),
                row.value.json, tail_fmt_name(row.value.fmt));
        fail();
    }
    assert_int_equal(row.value.json_len, strlen(row.value.json));
    assert_int_equal(row.value.schema_id, ref.schema_id);
    assert_int_equal(row.value.error != NULL, ref.err != KS_DEC_OK);
    free(want);
    json_decref(json);
    decoded_free(&ref);
}

static void test_formats_match_decoders(void **state)
{
    (void)state;
    static const struct {
        const char *bytes;
        size_t len;
    } inputs[] = {
        {"{\"id\":\"c42\",\"position\":{\"lat\":48.8566,\"lon\":2.3522}}", 0},
        {"[1, 2.50, 1e5]", 0},
        {"{\"a\":1,\"a\":2}", 0},             /* duplicate: decoders' path */
        {"{\"id\":12345678901234567890}", 0}, /* not JSON for jansson: text */
        {"hello world", 0},
        {"caf\xc3\xa9 \x1b[2J\x07", 0},
        {"\xff\xfe binary\x01\x02", 0},
        {"42", 0},
        {"\"quoted\"", 0},
        {"", 0},
        {"{broken", 0},
        {"\x00\x00\x00\x00\x09\x02\x03", 7}, /* framed, unknown id */
        {"\x00\x01", 2},
    };
    ks_fmt forced[] = {KS_FMT_AUTO, KS_FMT_JSON, KS_FMT_TEXT, KS_FMT_BINARY, KS_FMT_AVRO};

    for (size_t f = 0; f < sizeof(forced) / sizeof(forced[0]); f++) {
        ks_tail_decoder *dec = tail_decoder_new(NULL, KS_TAIL_FMT_AUTO, (ks_tail_fmt)forced[f]);
        for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
            size_t len = inputs[i].len ? inputs[i].len : strlen(inputs[i].bytes);
            check_same(dec, inputs[i].bytes, len, forced[f], false);
        }
        tail_decoder_free(dec);
    }
}

static void test_row_texts(void **state)
{
    (void)state;
    ks_tail_decoder *dec = tail_decoder_new(NULL, KS_TAIL_FMT_AUTO, KS_TAIL_FMT_AUTO);
    ks_tail_row row;

    tail_decoder_bytes(dec,
                       U8("c\x1b"
                          "42"),
                       U8("a\tb\x1b[2J"), &row);
    assert_int_equal(row.key.fmt, KS_TAIL_FMT_TEXT);
    assert_string_equal(row.key.json, "\"c\\u001b42\"");
    assert_string_equal(row.key.text, "c\\x1b42"); /* display: escaped, no raw ESC */
    assert_string_equal(row.value.text, "a\\tb\\x1b[2J");
    assert_null(strchr(row.value.text, 0x1b));
    tail_decoder_bytes(dec, NULL, 0, U8("\x00\x00\x00\x00\x07\x01"), &row);
    assert_int_equal(row.key.fmt, KS_TAIL_FMT_NULL);
    assert_string_equal(row.key.json, "null");
    assert_int_equal(row.value.fmt, KS_TAIL_FMT_BINARY);
    assert_string_equal(row.value.json, "{\"hex\":\"000000000701\"}");
    assert_string_equal(row.value.text, "000000000701");
    assert_int_equal(row.value.schema_id, 7);
    assert_non_null(strstr(row.value.error, "no schema registry configured"));
    assert_string_equal(row.headers_json, "[]");
    tail_decoder_free(dec);
}

static void test_registry_cache(void **state)
{
    (void)state;
    registry r = {0};
    char url[64], err[256];
    ks_tail_row row;

    registry_start(&r);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", r.port);
    ks_tail_decoder *dec = tail_decoder_new(url, KS_TAIL_FMT_AUTO, KS_TAIL_FMT_AUTO);
    ks_tail_schemas *cache = tail_decoder_schemas(dec);

    for (int i = 0; i < 3; i++) { /* one fetch of the schema, one of its subject */
        check_same(dec, courier_msg, sizeof(courier_msg), KS_FMT_AUTO, true);
        tail_decoder_bytes(dec, NULL, 0, courier_msg, sizeof(courier_msg), &row);
        assert_int_equal(row.value.fmt, KS_TAIL_FMT_AVRO);
        assert_string_equal(row.value.json,
                            "{\"id\":\"c1\",\"position\":{\"lat\":1.5,\"lon\":-0.5},"
                            "\"timestamp\":\"2024-01-02T03:04:05.123Z\"}");
        assert_string_equal(row.value.subject, "position-value");
    }
    assert_int_equal(tail_schemas_fetches(cache), 2);
    /* a missing id: asked once, then answered from the cache */
    uint8_t missing[] = {0, 0, 0, 0, 99, 1, 2};
    for (int i = 0; i < 3; i++) {
        tail_decoder_bytes(dec, NULL, 0, missing, sizeof(missing), &row);
        assert_int_equal(row.value.fmt, KS_TAIL_FMT_BINARY);
        assert_non_null(strstr(row.value.error, "schema id 99 not found in the registry"));
        assert_non_null(strstr(row.value.error, "40403"));
    }
    assert_int_equal(tail_schemas_fetches(cache), 3);
    /* not Avro: said once, for good */
    uint8_t proto[] = {0, 0, 0, 0, 8, 1, 2};
    tail_decoder_bytes(dec, NULL, 0, proto, sizeof(proto), &row);
    assert_non_null(strstr(row.value.error, "PROTOBUF schema"));
    tail_decoder_bytes(dec, NULL, 0, proto, sizeof(proto), &row);
    assert_int_equal(tail_schemas_fetches(cache), 4);
    /* truncated Avro under a known id: raw, with the decoder's reason */
    tail_decoder_bytes(dec, NULL, 0, courier_msg, 12, &row);
    assert_int_equal(row.value.fmt, KS_TAIL_FMT_BINARY);
    assert_non_null(strstr(row.value.error, "schema id 7"));
    assert_int_equal(tail_schemas_fetches(cache), 4);
    assert_null(tail_schemas_lookup(1000, cache, err, sizeof(err)));
    tail_decoder_free(dec);

    /* the registry goes away: the first id costs one refused connection, the
     * next ones are answered at once with the same reason */
    registry_stop(&r);
    dec = tail_decoder_new(url, KS_TAIL_FMT_AUTO, KS_TAIL_FMT_AUTO);
    cache = tail_decoder_schemas(dec);
    for (int id = 1; id <= 5; id++) {
        uint8_t framed[] = {0, 0, 0, 0, (uint8_t)id, 1};
        tail_decoder_bytes(dec, NULL, 0, framed, sizeof(framed), &row);
        assert_int_equal(row.value.fmt, KS_TAIL_FMT_BINARY);
        assert_non_null(strstr(row.value.error, "registry unreachable"));
    }
    assert_int_equal(tail_schemas_fetches(cache), 1);
    tail_decoder_free(dec);
}

static int setup(void **state)
{
    char err[160];
    (void)state;
    registry_http_global_init();
    ref_schema = dec_avro_schema_new(courier_schema, strlen(courier_schema), err, sizeof(err));
    return ref_schema ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    dec_avro_schema_free(ref_schema);
    curl_global_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats_match_decoders),
        cmocka_unit_test(test_row_texts),
        cmocka_unit_test(test_registry_cache),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
