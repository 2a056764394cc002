/* test_registry_parse: Confluent and Apicurio (ccompat v7) shaped replies, and bad ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "registry_parse.h"

#define BODY(s) (s), strlen(s)

static void test_subjects(void **state)
{
    char **names, err[128];
    int n;

    (void)state;
    assert_int_equal(registry_parse_subjects(BODY("[\"position-value\",\"orders-value\"]"), &names,
                                             &n, err, sizeof(err)),
                     0);
    assert_int_equal(n, 2);
    assert_string_equal(names[0], "orders-value"); /* sorted */
    assert_string_equal(names[1], "position-value");
    registry_names_free(names, n);

    assert_int_equal(registry_parse_subjects(BODY("[]"), &names, &n, err, sizeof(err)), 0);
    assert_int_equal(n, 0);
    registry_names_free(names, n);

    /* duplicates and empty names go; UTF-8 and odd characters stay as they are */
    assert_int_equal(registry_parse_subjects(BODY("[\"b\",\"a\",\"b\",\"\",\"caf\\u00e9 / x\"]"),
                                             &names, &n, err, sizeof(err)),
                     0);
    assert_int_equal(n, 3);
    assert_string_equal(names[0], "a");
    assert_string_equal(names[1], "b");
    assert_string_equal(names[2], "caf\xc3\xa9 / x");
    registry_names_free(names, n);
}

static void test_subjects_bad(void **state)
{
    char **names, err[128];
    int n;

    (void)state;
    assert_int_equal(registry_parse_subjects(BODY("[\"a\",1]"), &names, &n, err, sizeof(err)), -1);
    assert_null(names);
    assert_int_equal(n, 0);
    assert_string_equal(err, "subject 1 is not a string");

    assert_int_equal(registry_parse_subjects(BODY("{\"subjects\":[]}"), &names, &n, err,
                                             sizeof(err)),
                     -1);
    assert_non_null(strstr(err, "expected an array"));

    assert_int_equal(registry_parse_subjects(BODY("[\"a\""), &names, &n, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "bad JSON"));

    assert_int_equal(registry_parse_subjects("", 0, &names, &n, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "empty reply"));

    /* NUL inside a string is refused by jansson, not truncated */
    assert_int_equal(registry_parse_subjects(BODY("[\"a\\u0000b\"]"), &names, &n, err,
                                             sizeof(err)),
                     -1);

    /* HTML from a proxy: the error text stays printable */
    assert_int_equal(registry_parse_subjects(BODY("<html>\x1b[31m</html>"), &names, &n, err,
                                             sizeof(err)),
                     -1);
    for (const char *p = err; *p; p++)
        assert_true(*p >= 0x20 && *p < 0x7f);
}

static void test_deep_nesting(void **state)
{
    size_t depth = 100000;
    char *body = malloc(depth * 2), **names, err[128];
    int n;

    (void)state;
    memset(body, '[', depth);
    memset(body + depth, ']', depth);
    assert_int_equal(registry_parse_subjects(body, depth * 2, &names, &n, err, sizeof(err)), -1);
    free(body);
}

static void test_versions(void **state)
{
    int *v, n;
    char err[128];

    (void)state;
    assert_int_equal(registry_parse_versions(BODY("[3,1,2,2]"), &v, &n, err, sizeof(err)), 0);
    assert_int_equal(n, 3);
    assert_int_equal(v[0], 1);
    assert_int_equal(v[2], 3);
    free(v);

    assert_int_equal(registry_parse_versions(BODY("[]"), &v, &n, err, sizeof(err)), 0);
    assert_int_equal(n, 0);
    free(v);

    const char *bad[] = {"[\"1\"]", "[0]", "[-1]", "[2147483648]", "[1.5]", "{}", "null", "[1,"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(registry_parse_versions(BODY(bad[i]), &v, &n, err, sizeof(err)), -1);
        assert_null(v);
    }
}

static void test_schema_confluent_avro(void **state)
{
    /* Confluent omits schemaType for AVRO */
    const char *body = "{\"subject\":\"position-value\",\"version\":2,\"id\":3,"
                       "\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Courier\\\","
                       "\\\"fields\\\":[{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"int\\\"}]}\"}";
    ks_schema_info info;
    char err[128];

    (void)state;
    assert_int_equal(registry_parse_schema(BODY(body), &info, err, sizeof(err)), 0);
    assert_string_equal(info.subject, "position-value");
    assert_int_equal(info.version, 2);
    assert_int_equal(info.id, 3);
    assert_string_equal(info.type, "AVRO");
    assert_string_equal(info.schema, "{\"type\":\"record\",\"name\":\"Courier\","
                                     "\"fields\":[{\"name\":\"id\",\"type\":\"int\"}]}");
    registry_schema_info_clear(&info);
    assert_null(info.schema);
    assert_int_equal(info.id, -1);
}

static void test_schema_apicurio_and_others(void **state)
{
    /* Apicurio 3 ccompat v7: schemaType and references always present */
    const char *apicurio = "{\"subject\":\"orders-value\",\"version\":1,\"id\":1,"
                           "\"schemaType\":\"JSON\",\"references\":[],"
                           "\"schema\":\"{\\\"type\\\":\\\"object\\\"}\"}";
    const char *proto = "{\"subject\":\"p\",\"version\":4,\"id\":12,\"schemaType\":\"PROTOBUF\","
                        "\"references\":[{\"name\":\"o.proto\",\"subject\":\"o\",\"version\":1}],"
                        "\"schema\":\"syntax = \\\"proto3\\\";\\nmessage M {}\\n\"}";
    const char *by_id = "{\"schema\":\"\\\"string\\\"\"}"; /* GET /schemas/ids/{id} */
    ks_schema_info info;
    char err[128];

    (void)state;
    assert_int_equal(registry_parse_schema(BODY(apicurio), &info, err, sizeof(err)), 0);
    assert_string_equal(info.type, "JSON");
    assert_int_equal(info.id, 1);
    registry_schema_info_clear(&info);

    assert_int_equal(registry_parse_schema(BODY(proto), &info, err, sizeof(err)), 0);
    assert_string_equal(info.type, "PROTOBUF");
    assert_string_equal(info.schema, "syntax = \"proto3\";\nmessage M {}\n");
    registry_schema_info_clear(&info);

    assert_int_equal(registry_parse_schema(BODY(by_id), &info, err, sizeof(err)), 0);
    assert_null(info.subject);
    assert_int_equal(info.version, 0);
    assert_int_equal(info.id, -1);
    assert_string_equal(info.schema, "\"string\"");
    assert_string_equal(info.type, "AVRO");
    registry_schema_info_clear(&info);
}

static void test_schema_bad(void **state)
{
    const char *bad[] = {
        "{}",
        "{\"schema\":null}",
        "{\"schema\":{\"type\":\"string\"}}",
        "{\"schema\":\"x\",\"id\":\"3\"}",
        "{\"schema\":\"x\",\"id\":-2}",
        "{\"schema\":\"x\",\"id\":4294967296}",
        "{\"schema\":\"x\",\"version\":0}",
        "{\"schema\":\"x\",\"schemaType\":5}",
        "{\"schema\":\"x\",\"schemaType\":\"\"}",
        "{\"schema\":\"x\",\"subject\":[]}",
        "[\"schema\"]",
        "{\"schema\":\"x\"",
    };
    ks_schema_info info;
    char err[128];

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(registry_parse_schema(BODY(bad[i]), &info, err, sizeof(err)), -1);
        assert_null(info.schema);
        assert_null(info.type);
        assert_int_equal(info.id, -1);
        assert_true(err[0] != '\0');
    }
}

static void test_config(void **state)
{
    char *level, err[128];

    (void)state;
    assert_int_equal(registry_parse_config(BODY("{\"compatibilityLevel\":\"BACKWARD\"}"), &level,
                                           err, sizeof(err)),
                     0);
    assert_string_equal(level, "BACKWARD");
    free(level);

    /* newer Confluent adds keys; PUT bodies use "compatibility" */
    assert_int_equal(registry_parse_config(BODY("{\"normalize\":false,\"compatibilityLevel\":"
                                                "\"FULL_TRANSITIVE\"}"),
                                           &level, err, sizeof(err)),
                     0);
    assert_string_equal(level, "FULL_TRANSITIVE");
    free(level);
    assert_int_equal(registry_parse_config(BODY("{\"compatibility\":\"NONE\"}"), &level, err,
                                           sizeof(err)),
                     0);
    assert_string_equal(level, "NONE");
    free(level);

    const char *bad[] = {"{}", "{\"compatibilityLevel\":3}", "{\"compatibilityLevel\":\"\"}",
                         "[]", "\"BACKWARD\"", "{"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(registry_parse_config(BODY(bad[i]), &level, err, sizeof(err)), -1);
        assert_null(level);
    }
}

static void test_error_bodies(void **state)
{
    char msg[64];

    (void)state;
    assert_int_equal(registry_parse_error(BODY("{\"error_code\":40401,\"message\":\"Subject "
                                               "'nope' not found.\"}"),
                                          msg, sizeof(msg)),
                     REGISTRY_ESUBJECT_NOT_FOUND);
    assert_string_equal(msg, "Subject 'nope' not found.");

    assert_int_equal(registry_parse_error(BODY("{\"error_code\":40408,\"message\":\"Subject 'x' "
                                               "does not have subject-level compatibility "
                                               "configured\"}"),
                                          msg, sizeof(msg)),
                     REGISTRY_ESUBJECT_LEVEL_CONFIG_NOT_FOUND);
    assert_int_equal(strlen(msg), sizeof(msg) - 1); /* truncated, terminated */

    assert_int_equal(registry_parse_error(BODY("{\"error_code\":50001,"
                                               "\"message\":\"a\\nb\\u001b\"}"),
                                          msg, sizeof(msg)),
                     50001);
    assert_string_equal(msg, "a?b?");

    assert_int_equal(registry_parse_error(BODY("<html>Not Found</html>"), msg, sizeof(msg)), 0);
    assert_string_equal(msg, "");
    assert_int_equal(registry_parse_error(BODY("{\"error_code\":\"40401\"}"), msg, sizeof(msg)), 0);
    assert_int_equal(registry_parse_error(BODY("{\"error_code\":-1}"), msg, sizeof(msg)), 0);
    assert_int_equal(registry_parse_error(NULL, 0, NULL, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_subjects),
        cmocka_unit_test(test_subjects_bad),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_schema_confluent_avro),
        cmocka_unit_test(test_schema_apicurio_and_others),
        cmocka_unit_test(test_schema_bad),
        cmocka_unit_test(test_config),
        cmocka_unit_test(test_error_bodies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
