/* test_widget_statusbar: connection state in words and the one-line error summary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"
#include "widget_statusbar.h"

static void test_connection_words(void **state)
{
    ks_cluster *c = fx_cluster(3, 1), *dead = cluster_new();
    ks_snapshot none = fx_snap(NULL, NULL, NULL, NULL), ok = fx_snap(c, NULL, NULL, NULL),
                gone = fx_snap(dead, NULL, NULL, NULL);
    ks_elem elem;

    (void)state;
    assert_string_equal(statusbar_connection(&none, &elem), "connecting");
    assert_string_equal(statusbar_connection(&ok, &elem), "connected");
    assert_int_equal(elem, ELEM_STATUS_OK);
    c->brokers[2].up = false;
    assert_string_equal(statusbar_connection(&ok, &elem), "degraded");
    assert_int_equal(elem, ELEM_STATUS_ERROR);
    part_set_error(dead, "all brokers are down");
    assert_string_equal(statusbar_connection(&gone, &elem), "unreachable");
    assert_int_equal(elem, ELEM_STATUS_ERROR);
    assert_string_equal(statusbar_connection(NULL, &elem), "connecting");
    part_unref(c);
    part_unref(dead);
}

static void test_errors_line(void **state)
{
    ks_cluster *c = fx_cluster(1, 1);
    ks_registry *r = fx_registry(0, false);
    ks_snapshot snap = fx_snap(c, NULL, NULL, r);
    char buf[256];

    (void)state;
    assert_string_equal(statusbar_errors(&snap, buf, sizeof(buf)), "registry: connection refused");
    part_set_error(c, "metadata timed out");
    assert_string_equal(statusbar_errors(&snap, buf, sizeof(buf)),
                        "kafka: metadata timed out; registry: connection refused");
    statusbar_errors(&snap, buf, 12); /* cut, still terminated */
    assert_int_equal(strlen(buf), 11);
    part_unref(c);
    part_unref(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_connection_words),
        cmocka_unit_test(test_errors_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
