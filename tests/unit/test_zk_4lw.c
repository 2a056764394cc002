/* test_zk_4lw: srvr replies as ZooKeeper 3.8 prints them, and broken ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zk_4lw.h"

/* StatCommand + ServerStats.toString at release-3.8, a leader of 3. */
static const char LEADER[] =
    "Zookeeper version: 3.8.4-9316c2a7a97e1666d8f4593f34dd6fc36ecc436c, built on 2024-02-12 "
    "22:16 UTC\n"
    "Latency min/avg/max: 0/0.8571/6\n"
    "Received: 25\n"
    "Sent: 24\n"
    "Connections: 1\n"
    "Outstanding: 0\n"
    "Zxid: 0x100000015\n"
    "Mode: leader\n"
    "Node count: 30\n"
    "Proposal sizes last/min/max: 36/36/412\n";

static const char FOLLOWER[] = "Zookeeper version: 3.8.0-${mvngit.commit.id}, built on "
                               "2023-03-22 10:53 UTC\n"
                               "Latency min/avg/max: 0/0.0/0\n"
                               "Received: 3\n"
                               "Sent: 2\n"
                               "Connections: 1\n"
                               "Outstanding: 0\n"
                               "Zxid: 0x200000000\n"
                               "Mode: follower\n"
                               "Node count: 30\n";

static const char STANDALONE[] = "Zookeeper version: 3.8.0-5a02a05eddb59aee6ac762f7ea82e92a68eb9c0f"
                                 ", built on 2022-02-25 08:49 UTC\n"
                                 "Latency min/avg/max: 1/2.0E-4/13\n"
                                 "Received: 123456789012\n"
                                 "Sent: 123456789011\n"
                                 "Connections: 17\n"
                                 "Outstanding: 2\n"
                                 "Zxid: 0x2a\n"
                                 "Mode: standalone\n"
                                 "Node count: 5\n";

static const char READ_ONLY[] = "Zookeeper version: 3.8.4-9316c2a7, built on 2024-02-12 22:16 UTC\n"
                                "READ-ONLY mode; serving only read-only clients\n"
                                "Latency min/avg/max: 0/0.0/0\n"
                                "Received: 1\n"
                                "Sent: 0\n"
                                "Connections: 1\n"
                                "Outstanding: 0\n"
                                "Zxid: 0xffffffffffffffff\n"
                                "Mode: read-only\n"
                                "Node count: 4\n";

static ks_zk_mode parse(const char *text, zk_4lw_srvr *out, char *err, size_t errsize)
{
    return zk_4lw_parse_srvr(text, strlen(text), out, err, errsize);
}

static void test_leader(void **state)
{
    zk_4lw_srvr s;
    char err[128];

    (void)state;
    assert_int_equal(parse(LEADER, &s, err, sizeof(err)), KS_ZK_LEADER);
    assert_string_equal(err, "");
    assert_string_equal(s.version, "3.8.4-9316c2a7a97e1666d8f4593f34dd6fc36ecc436c");
    assert_true(s.stats_valid);
    assert_true(s.latency_valid);
    assert_int_equal(s.latency_min_ms, 0);
    assert_true(s.latency_avg_ms > 0.857 && s.latency_avg_ms < 0.8572);
    assert_int_equal(s.latency_max_ms, 6);
    assert_int_equal(s.received, 25);
    assert_int_equal(s.sent, 24);
    assert_int_equal(s.connections, 1);
    assert_int_equal(s.outstanding, 0);
    assert_int_equal(s.zxid, 0x100000015LL);
    assert_int_equal(s.node_count, 30);
    assert_false(s.read_only_line);
}

static void test_follower(void **state)
{
    zk_4lw_srvr s;
    char err[128];

    (void)state;
    assert_int_equal(parse(FOLLOWER, &s, err, sizeof(err)), KS_ZK_FOLLOWER);
    assert_string_equal(s.version, "3.8.0-${mvngit.commit.id}");
    assert_true(s.stats_valid);
    assert_true(s.latency_avg_ms == 0.0);
    assert_int_equal(s.zxid, 0x200000000LL);
    assert_true(zk_4lw_mode_serving(s.mode));
}

static void test_standalone_big_numbers_and_java_exponent(void **state)
{
    zk_4lw_srvr s;

    (void)state;
    assert_int_equal(parse(STANDALONE, &s, NULL, 0), KS_ZK_STANDALONE);
    assert_true(s.stats_valid);
    assert_true(s.latency_avg_ms > 1.99e-4 && s.latency_avg_ms < 2.01e-4);
    assert_int_equal(s.received, 123456789012LL);
    assert_int_equal(s.connections, 17);
    assert_int_equal(s.outstanding, 2);
    assert_int_equal(s.zxid, 42);
}

static void test_read_only(void **state)
{
    zk_4lw_srvr s;
    char err[128];

    (void)state;
    assert_int_equal(parse(READ_ONLY, &s, err, sizeof(err)), KS_ZK_READ_ONLY);
    assert_true(s.read_only_line);
    assert_int_equal(s.zxid, -1); /* Long.toHexString(-1) */
    assert_false(zk_4lw_mode_serving(s.mode));
}

static void test_observer_crlf(void **state)
{
    const char text[] = "Zookeeper version: 3.9.2-e454e8c7, built on 2024-03-06 11:03 UTC\r\n"
                        "Latency min/avg/max: 0/1.5/3\r\n"
                        "Connections: 0\r\n"
                        "Zxid: 0x10\r\n"
                        "Mode: observer\r\n"
                        "Node count: 7\r\n";
    zk_4lw_srvr s;

    (void)state;
    assert_int_equal(parse(text, &s, NULL, 0), KS_ZK_OBSERVER);
    assert_true(s.stats_valid);
    assert_false(s.received_valid);
    assert_int_equal(s.node_count, 7);
}

static void test_not_serving(void **state)
{
    zk_4lw_srvr s;
    char err[128];

    (void)state;
    assert_int_equal(parse(ZK_4LW_NOT_SERVING "\n", &s, err, sizeof(err)), KS_ZK_NOT_SERVING);
    assert_non_null(strstr(err, "not currently serving"));
    assert_false(s.stats_valid);
    assert_false(zk_4lw_mode_serving(s.mode));
}

static void test_whitelist_refusal(void **state)
{
    zk_4lw_srvr s;
    char err[128];

    (void)state;
    assert_int_equal(parse("srvr is not executed because it is not in the whitelist.\n", &s, err,
                           sizeof(err)),
                     KS_ZK_REFUSED);
    assert_string_equal(err, "srvr is not in 4lw.commands.whitelist");
}

static void test_truncated_before_mode(void **state)
{
    zk_4lw_srvr s;
    char err[128];
    size_t cut = (size_t)(strstr(LEADER, "Mode:") - LEADER) + 3;

    (void)state;
    assert_int_equal(zk_4lw_parse_srvr(LEADER, cut, &s, err, sizeof(err)), KS_ZK_UNKNOWN);
    assert_non_null(strstr(err, "truncated"));
    assert_false(s.stats_valid);
    assert_true(s.latency_valid); /* what came is kept */
}

static void test_truncated_after_mode(void **state)
{
    zk_4lw_srvr s;
    char err[128];
    size_t cut = (size_t)(strstr(LEADER, "Node count") - LEADER);

    (void)state;
    assert_int_equal(zk_4lw_parse_srvr(LEADER, cut, &s, err, sizeof(err)), KS_ZK_LEADER);
    assert_false(s.node_count_valid);
    assert_false(s.stats_valid); /* node count missing */
    assert_string_equal(err, "");
}

static void test_cut_inside_a_number(void **state)
{
    const char text[] = "Latency min/avg/max: 0/0.";
    zk_4lw_srvr s;

    (void)state;
    assert_int_equal(parse(text, &s, NULL, 0), KS_ZK_UNKNOWN);
    assert_false(s.latency_valid);
}

static void test_garbage(void **state)
{
    const char http[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
    const char bin[] = {'\x00', '\x01', 'M', 'o', 'd', 'e', ':', ' ', '\xff', '\n', '\x00'};
    zk_4lw_srvr s;
    char err[128];

    (void)state;
    assert_int_equal(parse(http, &s, err, sizeof(err)), KS_ZK_UNKNOWN);
    assert_string_equal(err, "not a ZooKeeper srvr reply");

    assert_int_equal(zk_4lw_parse_srvr(bin, sizeof(bin), &s, err, sizeof(err)), KS_ZK_UNKNOWN);
    assert_string_equal(err, "not a ZooKeeper srvr reply"); /* "Mode:" not at line start */

    assert_int_equal(zk_4lw_parse_srvr("", 0, &s, err, sizeof(err)), KS_ZK_UNKNOWN);
    assert_non_null(strstr(err, "empty reply"));
}

static void test_unknown_mode_is_printable(void **state)
{
    const char text[] = "Mode: lea\x1b[2Jder\nNode count: 1\n";
    zk_4lw_srvr s;
    char err[128];

    (void)state;
    assert_int_equal(parse(text, &s, err, sizeof(err)), KS_ZK_UNKNOWN);
    assert_string_equal(err, "unknown mode 'lea?[2Jder'");
}

static void test_bad_numbers(void **state)
{
    const char text[] = "Latency min/avg/max: 0/NaN/3\n"
                        "Received: 99999999999999999999\n"
                        "Sent: -5\n"
                        "Connections: 3000000000\n"
                        "Outstanding: 1 2\n"
                        "Zxid: 0x\n"
                        "Mode: follower\n"
                        "Node count: +4\n";
    zk_4lw_srvr s;

    (void)state;
    assert_int_equal(parse(text, &s, NULL, 0), KS_ZK_FOLLOWER);
    assert_false(s.latency_valid);
    assert_false(s.received_valid);
    assert_true(s.sent_valid);
    assert_int_equal(s.sent, -5);
    assert_false(s.connections_valid);
    assert_false(s.outstanding_valid);
    assert_false(s.zxid_valid);
    assert_false(s.node_count_valid);
    assert_false(s.stats_valid);
}

/* Sets LC_NUMERIC to a comma-decimal locale, building fr_FR with localedef
 * into dir when the system has none installed (minimal Debian images). */
static bool comma_locale(char *dir, size_t size)
{
    char cmd[512];

    dir[0] = '\0';
    if (setlocale(LC_NUMERIC, "fr_FR.UTF-8") || setlocale(LC_NUMERIC, "de_DE.UTF-8"))
        return true;
    snprintf(dir, size, "/tmp/ksight-locale-XXXXXX");
    if (!mkdtemp(dir)) {
        dir[0] = '\0';
        return false;
    }
    snprintf(cmd, sizeof(cmd), "localedef -i fr_FR -f UTF-8 %s/fr_FR.UTF-8 >/dev/null 2>&1", dir);
    if (system(cmd) != 0)
        return false;
    setenv("LOCPATH", dir, 1);
    return setlocale(LC_NUMERIC, "fr_FR.UTF-8") != NULL;
}

static void test_locale_independent(void **state)
{
    zk_4lw_srvr s;
    char dir[64], cmd[128];
    bool ok;
    double c_parse;

    (void)state;
    ok = comma_locale(dir, sizeof(dir));
    c_parse = strtod("0.5", NULL); /* 0 under a comma locale: what we must not use */
    if (ok)
        zk_4lw_parse_srvr(LEADER, strlen(LEADER), &s, NULL, 0);
    setlocale(LC_NUMERIC, "C");
    unsetenv("LOCPATH");
    if (dir[0]) {
        snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
        assert_int_equal(system(cmd), 0);
    }
    if (!ok)
        skip(); /* neither an installed locale nor localedef with fr_FR sources */
    assert_true(c_parse == 0.0);
    assert_int_equal(s.mode, KS_ZK_LEADER);
    assert_true(s.latency_avg_ms > 0.857 && s.latency_avg_ms < 0.8572);
}

static void test_mode_names(void **state)
{
    (void)state;
    assert_int_equal(zk_4lw_mode_from_name("leader", 6), KS_ZK_LEADER);
    assert_int_equal(zk_4lw_mode_from_name("read-only", 9), KS_ZK_READ_ONLY);
    assert_int_equal(zk_4lw_mode_from_name("leader", 5), KS_ZK_UNKNOWN);
    assert_int_equal(zk_4lw_mode_from_name("Leader", 6), KS_ZK_UNKNOWN);
    assert_true(zk_4lw_mode_serving(KS_ZK_STANDALONE));
    assert_false(zk_4lw_mode_serving(KS_ZK_REFUSED));
    assert_false(zk_4lw_mode_serving(KS_ZK_DOWN));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leader),
        cmocka_unit_test(test_follower),
        cmocka_unit_test(test_standalone_big_numbers_and_java_exponent),
        cmocka_unit_test(test_read_only),
        cmocka_unit_test(test_observer_crlf),
        cmocka_unit_test(test_not_serving),
        cmocka_unit_test(test_whitelist_refusal),
        cmocka_unit_test(test_truncated_before_mode),
        cmocka_unit_test(test_truncated_after_mode),
        cmocka_unit_test(test_cut_inside_a_number),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_unknown_mode_is_printable),
        cmocka_unit_test(test_bad_numbers),
        cmocka_unit_test(test_locale_independent),
        cmocka_unit_test(test_mode_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
