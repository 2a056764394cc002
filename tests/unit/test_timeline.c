/* test_timeline: bounded ring, newest first, text made safe for the screen. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "cmdq.h"
#include "timeline.h"

static void test_ring_wraps_newest_first(void **state)
{
    (void)state;
    ks_timeline *tl = timeline_new(3);
    ks_event ev[5];

    assert_int_equal(timeline_copy(tl, ev, 5), 0);
    for (int i = 1; i <= 5; i++)
        timeline_push(tl, i, KS_EV_BROKER_DOWN, KS_SEV_WARN, "broker 2", "event %d", i);
    assert_int_equal(timeline_seq(tl), 5);
    assert_int_equal(timeline_copy(tl, ev, 5), 3);
    assert_string_equal(ev[0].text, "event 5");
    assert_string_equal(ev[2].text, "event 3");
    assert_int_equal(ev[0].seq, 5);
    assert_int_equal(timeline_copy(tl, ev, 2), 2);
    timeline_free(tl);
}

static void test_control_chars_removed(void **state)
{
    (void)state;
    ks_timeline *tl = timeline_new(4);
    ks_event ev;

    timeline_push(tl, 0, KS_EV_LOG, KS_SEV_INFO, "g\x1b[31m", "bad\x1b]0;x\x07 text\n");
    timeline_copy(tl, &ev, 1);
    assert_null(strchr(ev.text, 0x1b));
    assert_null(strchr(ev.text, '\n'));
    assert_null(strchr(ev.subject, 0x1b));
    assert_string_equal(event_kind_name(KS_EV_ISR_SHRANK), "isr-shrank");
    timeline_free(tl);
}

static void test_cmdq_fifo_and_timeout(void **state)
{
    (void)state;
    ks_cmdq *q = cmdq_new();
    ks_cmd cmd;

    assert_false(cmdq_pop(q, &cmd, 0));
    assert_false(cmdq_pop(q, &cmd, 20)); /* times out, does not hang */
    cmdq_push(q, KS_CMD_SET_INTERVAL, 5000, NULL, NULL);
    cmdq_push(q, KS_CMD_SWITCH_PROFILE, 0, "lab", NULL);
    assert_true(cmdq_pop(q, &cmd, -1));
    assert_int_equal(cmd.kind, KS_CMD_SET_INTERVAL);
    assert_int_equal(cmd.i, 5000);
    cmd_free(&cmd);
    assert_true(cmdq_pop(q, &cmd, 0));
    assert_string_equal(cmd.s, "lab");
    cmd_free(&cmd);
    cmdq_push(q, KS_CMD_REFRESH, 0, "left", "over"); /* freed by cmdq_free */
    cmdq_free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ring_wraps_newest_first),
        cmocka_unit_test(test_control_chars_removed),
        cmocka_unit_test(test_cmdq_fifo_and_timeout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
