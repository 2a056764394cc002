/* test_config: -X, -F (kcat's format), profiles and secret redaction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

static char *write_tmp(const char *text)
{
    char *path = strdup("/tmp/ksight-test-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void test_add_kv(void **state)
{
    (void)state;
    ks_props p = {0};
    char err[256];

    assert_int_equal(props_add_kv(&p, "security.protocol=SSL", err, sizeof(err)), 0);
    assert_int_equal(props_add_kv(&p, "sasl.jaas = a=b=c", err, sizeof(err)), 0);
    assert_string_equal(props_get(&p, "security.protocol"), "SSL");
    assert_string_equal(props_get(&p, "sasl.jaas"), "a=b=c"); /* first '=' splits */
    assert_int_equal(props_add_kv(&p, "security.protocol=PLAINTEXT", err, sizeof(err)), 0);
    assert_int_equal(p.n, 2); /* replaced, not appended */
    assert_string_equal(props_get(&p, "security.protocol"), "PLAINTEXT");
    assert_int_equal(props_add_kv(&p, "novalue", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "novalue"));
    assert_int_equal(props_add_kv(&p, "=x", err, sizeof(err)), -1);
    props_free(&p);
}

static void test_load_file(void **state)
{
    (void)state;
    ks_props p = {0};
    char err[256];
    char *path = write_tmp("# client config\n\nbootstrap.servers=a:9092\n  ssl.ca.location = /x/ca.pem  \n");

    assert_int_equal(props_load_file(&p, path, err, sizeof(err)), 0);
    assert_int_equal(p.n, 2);
    assert_string_equal(props_get(&p, "ssl.ca.location"), "/x/ca.pem");
    unlink(path);
    free(path);
    props_free(&p);
}

static void test_load_file_names_bad_line(void **state)
{
    (void)state;
    ks_props p = {0};
    char err[256], want[300];
    char *path = write_tmp("a=1\n# fine\nthis line is garbage\nb=2\n");

    assert_int_equal(props_load_file(&p, path, err, sizeof(err)), -1);
    snprintf(want, sizeof(want), "%s:3:", path);
    assert_non_null(strstr(err, want));
    unlink(path);
    free(path);
    props_free(&p);
    assert_int_equal(props_load_file(&p, "/nonexistent/ksight", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "No such file"));
}

static void test_secrets(void **state)
{
    (void)state;
    assert_true(props_is_secret("sasl.password"));
    assert_true(props_is_secret("ssl.key.password"));
    assert_true(props_is_secret("ssl.keystore.password"));
    assert_true(props_is_secret("sasl.oauthbearer.client.secret"));
    assert_false(props_is_secret("sasl.username"));
    assert_false(props_is_secret("bootstrap.servers"));
    assert_string_equal(props_display("sasl.password", "hunter2"), "***");
    assert_string_equal(props_display("sasl.username", "alice"), "alice");
}

static void test_profiles(void **state)
{
    (void)state;
    ks_config cfg;
    char err[256];
    const ks_profile *p;
    char *path = write_tmp("default = lab\n"
                           "[lab]\n"
                           "bootstrap = 127.0.0.1:9092\n"
                           "zookeeper = 127.0.0.1:2181\n"
                           "registry = http://127.0.0.1:8081/apis/ccompat/v7\n"
                           "theme = light\n"
                           "read-only = yes\n"
                           "security.protocol = SASL_SSL\n"
                           "sasl.password = s3cret\n"
                           "\n[prod]\nbootstrap = k1:9093\n");

    assert_int_equal(config_load(&cfg, path, err, sizeof(err)), 0);
    assert_int_equal(cfg.nprofiles, 2);
    assert_string_equal(cfg.default_profile, "lab");
    p = config_profile(&cfg, "lab");
    assert_non_null(p);
    assert_string_equal(p->bootstrap, "127.0.0.1:9092");
    assert_string_equal(p->zookeeper, "127.0.0.1:2181");
    assert_string_equal(p->theme, "light");
    assert_true(p->read_only);
    assert_string_equal(props_get(&p->props, "security.protocol"), "SASL_SSL");
    assert_string_equal(props_get(&p->props, "sasl.password"), "s3cret");
    p = config_profile(&cfg, "prod");
    assert_false(p->read_only);
    assert_null(p->zookeeper);
    assert_null(config_profile(&cfg, "nope"));
    config_free(&cfg);
    unlink(path);
    free(path);
}

static void test_profile_errors(void **state)
{
    (void)state;
    ks_config cfg;
    char err[256];
    char *p1 = write_tmp("[lab]\nread-only = maybe\n");
    char *p2 = write_tmp("bootstrap = x\n");
    char *p3 = write_tmp("[]\n");

    assert_int_equal(config_load(&cfg, p1, err, sizeof(err)), -1);
    assert_non_null(strstr(err, ":2: bad value for read-only"));
    assert_int_equal(config_load(&cfg, p2, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "outside a [profile]"));
    assert_int_equal(config_load(&cfg, p3, err, sizeof(err)), -1);
    assert_int_equal(config_load(&cfg, "/nonexistent/ksight/config", err, sizeof(err)), 0);
    assert_int_equal(cfg.nprofiles, 0);
    config_free(&cfg);
    unlink(p1); unlink(p2); unlink(p3);
    free(p1); free(p2); free(p3);
}

static void test_default_path(void **state)
{
    (void)state;
    char *p;
    setenv("XDG_CONFIG_HOME", "/xdg", 1);
    p = config_default_path();
    assert_string_equal(p, "/xdg/ksight/config");
    free(p);
    unsetenv("XDG_CONFIG_HOME");
    setenv("HOME", "/home/u", 1);
    p = config_default_path();
    assert_string_equal(p, "/home/u/.config/ksight/config");
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_kv),      cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_load_file_names_bad_line), cmocka_unit_test(test_secrets),
        cmocka_unit_test(test_profiles),    cmocka_unit_test(test_profile_errors),
        cmocka_unit_test(test_default_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
