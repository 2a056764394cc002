/* test_keys: the binding tables, dispatch order, ACTION_WRITES, the prompt and ':' commands. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <curses.h>

#include "action.h"
#include "command.h"
#include "fixtures.h"
#include "keys.h"
#include "store.h"
#include "ui.h"
#include "widget_table.h"

typedef struct fixture {
    ks_store *store;
    ks_timeline *tl;
    ks_cmdq *q;
    ks_config cfg;
    ks_app_opts opts;
    ks_ui ui;
} fixture;

static int setup(void **state)
{
    static fixture fx;
    ks_cluster *c = fx_cluster(3, 4);
    ks_groups *g = fx_groups(2);

    memset(&fx, 0, sizeof(fx));
    fx.store = store_new();
    fx.tl = timeline_new(16);
    fx.q = cmdq_new();
    fx_topic(c, "alpha", 1, 1);
    fx_topic(c, "position", 3, 3);
    fx_topic(c, "positive", 1, 1);
    store_publish(fx.store, KS_PART_CLUSTER, c);
    fx_group(g, "readers", "Stable", 1, 1);
    store_publish(fx.store, KS_PART_GROUPS, g);
    fx.cfg.nprofiles = 2;
    fx.cfg.profiles = calloc(2, sizeof(ks_profile));
    fx.cfg.profiles[0].name = strdup("lab");
    fx.cfg.profiles[0].bootstrap = strdup("localhost:9092");
    fx.cfg.profiles[1].name = strdup("prod");
    fx.cfg.profiles[1].bootstrap = strdup("kafka:9092");
    fx.cfg.profiles[1].read_only = true;
    fx.opts = (ks_app_opts){
        .store = fx.store, .timeline = fx.tl, .cmdq = fx.q, .config = &fx.cfg, .interval_ms = 2000};
    ui_init(&fx.ui, &fx.opts, store_acquire(fx.store));
    *state = &fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    ks_cmd cmd;

    ui_free(&fx->ui);
    while (cmdq_pop(fx->q, &cmd, 0))
        cmd_free(&cmd);
    cmdq_free(fx->q);
    timeline_free(fx->tl);
    store_free(fx->store);
    config_free(&fx->cfg);
    return 0;
}

static int writes_ran;

static int fake_write(ks_ui *ui, const char *arg)
{
    (void)ui;
    writes_ran++;
    assert_string_equal(arg, "victim");
    return REACT_REDRAW;
}

static const ks_binding write_table[] = {
    {'D', "D", "delete topic", fake_write, "victim", ACTION_WRITES},
    {0},
};

static void type(ks_ui *ui, const char *s)
{
    for (; *s; s++)
        keys_dispatch(ui, (unsigned char)*s);
}

static void test_tables_are_sane(void **state)
{
    char name[32];
    (void)state;
    /* no key bound twice globally, and every view key is free of clashes with it
     * unless it says it shadows the global one on purpose */
    for (const ks_binding *a = keys_global; a->fn; a++) {
        assert_non_null(a->help);
        for (const ks_binding *b = a + 1; b->fn; b++)
            assert_int_not_equal(a->key, b->key);
    }
    for (int id = 0; id < VIEW__COUNT; id++)
        for (const ks_binding *b = view_def(id)->keys; b && b->fn; b++)
            if (!(b->flags & ACTION_OVERRIDES))
                assert_null(keys_find(keys_global, b->key));
    assert_ptr_equal(keys_find(keys_global, 'q')->fn, action_quit);
    assert_null(keys_find(keys_global, 'Z'));
    assert_string_equal(keys_name(KS_KEY_FN(KEY_DOWN), name, sizeof(name)), "Down");
    assert_string_equal(keys_name(KS_CTRL('f'), name, sizeof(name)), "Ctrl-F");
    assert_string_equal(keys_name('x', name, sizeof(name)), "x");
    assert_string_equal(keys_name(KS_KEY_FN(KEY_F(5)), name, sizeof(name)), "F5");
    assert_string_equal(keys_name(KS_KEY_ESC, name, sizeof(name)), "Esc");
}

static void test_help_lines_merge_aliases(void **state)
{
    ks_help_line lines[128];
    int n = keys_help(keys_global, lines, 128), found = 0;

    (void)state;
    assert_true(n > 20);
    for (int i = 0; i < n; i++) {
        if (!strcmp(lines[i].help, "move down")) {
            assert_string_equal(lines[i].keys, "j Down");
            found++;
        }
        if (!strcmp(lines[i].help, "open the selected row")) {
            assert_string_equal(lines[i].keys, "Enter"); /* bound twice, listed once */
            found++;
        }
        if (!strcmp(lines[i].help, "quit")) {
            assert_string_equal(lines[i].keys, "q Ctrl-C");
            found++;
        }
    }
    assert_int_equal(found, 3);
    assert_int_equal(keys_help(keys_global, lines, 2), 2);
}

static void test_writes_refused_read_only(void **state)
{
    fixture *fx = *state;

    fx->ui.read_only = true;
    writes_ran = 0;
    keys_dispatch_table(&fx->ui, write_table, 'D');
    assert_int_equal(writes_ran, 0);
    assert_non_null(strstr(fx->ui.msg, "read-only: delete topic refused"));
    assert_int_equal(fx->ui.prompt.mode, PROMPT_NONE);
    fx->ui.read_only = false;
}

static void test_writes_confirmed(void **state)
{
    fixture *fx = *state;

    writes_ran = 0;
    keys_dispatch_table(&fx->ui, write_table, 'D');
    assert_int_equal(writes_ran, 0);
    assert_int_equal(fx->ui.prompt.mode, PROMPT_CONFIRM);
    assert_string_equal(fx->ui.prompt.question, "delete topic? [y/N]");
    keys_dispatch(&fx->ui, 'n'); /* anything but y cancels */
    assert_int_equal(writes_ran, 0);
    assert_int_equal(fx->ui.prompt.mode, PROMPT_NONE);
    keys_dispatch_table(&fx->ui, write_table, 'D');
    keys_dispatch(&fx->ui, 'y');
    assert_int_equal(writes_ran, 1);
    assert_int_equal(fx->ui.prompt.mode, PROMPT_NONE);
}

static void test_navigation_keys(void **state)
{
    fixture *fx = *state;
    ks_ui *ui = &fx->ui;

    assert_int_equal(view_current(ui), VIEW_BROKERS);
    keys_dispatch(ui, '2');
    assert_int_equal(view_current(ui), VIEW_TOPICS);
    table_sync(view_focus(ui), ui->snap, 0, false); /* views build when drawn */
    keys_dispatch(ui, 'j');
    assert_string_equal(table_selected_key(view_focus(ui)), "position");
    keys_dispatch(ui, '\n');
    assert_int_equal(view_current(ui), VIEW_TOPIC);
    assert_string_equal(view_arg(ui), "position");
    keys_dispatch(ui, '?');
    assert_int_equal(view_current(ui), VIEW_HELP);
    keys_dispatch(ui, '?');
    assert_int_equal(view_current(ui), VIEW_TOPIC);
    keys_dispatch(ui, KS_KEY_ESC);
    assert_int_equal(view_current(ui), VIEW_TOPICS);
    /* the selection came back with the frame */
    table_sync(view_focus(ui), ui->snap, 0, false);
    assert_string_equal(table_selected_key(view_focus(ui)), "position");
    assert_int_equal(keys_dispatch(ui, KS_KEY_ESC), REACT_NONE); /* root: nothing to pop */
    /* a view-scoped key wins over nothing, and is unbound elsewhere */
    keys_dispatch(ui, 'i');
    assert_true(ui->show_internal);
    keys_dispatch(ui, '1');
    assert_int_equal(keys_dispatch(ui, 'i'), REACT_UNBOUND);
    assert_int_equal(keys_dispatch(ui, 'q') & REACT_QUIT, REACT_QUIT);
    assert_true(ui->quit);
    ui->quit = false;
}

static void test_themes_and_no_color(void **state)
{
    fixture *fx = *state;
    ks_ui ui;

    fx->opts.source_themes_dir = KSIGHT_SOURCE_DIR "/themes";
    assert_int_equal(ui_load_theme(&fx->ui, "light"), 0);
    assert_false(fx->ui.theme.mono);
    assert_int_equal(ui_load_theme(&fx->ui, "no-such-theme"), -1);
    assert_true(fx->ui.theme.mono);
    assert_non_null(strstr(fx->ui.theme_error, "not found")); /* stays in the status bar */
    assert_int_equal(ui_load_theme(&fx->ui, NULL), 0);        /* NULL = default */
    assert_string_equal(fx->ui.theme.name, "default");
    assert_string_equal(fx->ui.theme_error, "");
    setenv("NO_COLOR", "1", 1);
    ui_init(&ui, &fx->opts, store_acquire(fx->store));
    ui_load_theme(&ui, "default");
    assert_true(ui.theme.mono);
    ui_free(&ui);
    unsetenv("NO_COLOR");
}

static void test_type_ahead(void **state)
{
    fixture *fx = *state;
    ks_ui *ui = &fx->ui;

    /* no draw between the keys: the dispatcher brings the rows itself */
    type(ui, "2j\n");
    assert_int_equal(view_current(ui), VIEW_TOPIC);
    assert_string_equal(view_arg(ui), "position");
}

static void test_filter_prompt(void **state)
{
    fixture *fx = *state;
    ks_ui *ui = &fx->ui;
    ks_table *t;

    keys_dispatch(ui, '2');
    t = view_focus(ui);
    table_sync(t, ui->snap, 0, false);
    keys_dispatch(ui, '/');
    assert_int_equal(ui->prompt.mode, PROMPT_FILTER);
    type(ui, "posit");
    assert_int_equal(table_count(t), 2); /* applied while typing */
    keys_dispatch(ui, KS_KEY_ESC);       /* cancel restores the old filter */
    assert_int_equal(table_count(t), 3);
    keys_dispatch(ui, '/');
    type(ui, "!posit\n");
    assert_int_equal(ui->prompt.mode, PROMPT_NONE);
    assert_string_equal(table_filter(t), "!posit");
    assert_int_equal(table_count(t), 1);
    keys_dispatch(ui, KS_KEY_ESC); /* Esc clears a filter before it goes back */
    assert_int_equal(table_count(t), 3);
    assert_int_equal(view_current(ui), VIEW_TOPICS);
}

static void test_command_palette(void **state)
{
    fixture *fx = *state;
    ks_ui *ui = &fx->ui;
    char out[256];
    ks_cmd cmd;

    type(ui, ":groups\n");
    assert_int_equal(view_current(ui), VIEW_GROUPS);
    type(ui, ":topic position\n");
    assert_int_equal(view_current(ui), VIEW_TOPIC);
    assert_string_equal(view_arg(ui), "position");
    type(ui, ":topics pos\n"); /* an argument filters a list view */
    assert_int_equal(view_current(ui), VIEW_TOPICS);
    assert_string_equal(table_filter(view_focus(ui)), "pos");
    type(ui, ":nonsense\n");
    assert_non_null(strstr(ui->msg, "unknown command"));
    type(ui, ":topic\n");
    assert_non_null(strstr(ui->msg, "usage: :topic TOPIC"));

    /* completion: names, then arguments from the snapshot and the config */
    assert_true(command_complete(ui, "ti", out, sizeof(out)));
    assert_string_equal(out, "timeline ");
    assert_true(command_complete(ui, "to", out, sizeof(out)));
    assert_string_equal(out, "topic");
    assert_non_null(strstr(ui->msg, "topic  topics"));
    assert_true(command_complete(ui, "topic po", out, sizeof(out)));
    assert_string_equal(out, "topic positi");
    assert_true(command_complete(ui, "ctx p", out, sizeof(out)));
    assert_string_equal(out, "ctx prod ");
    assert_false(command_complete(ui, "zzz", out, sizeof(out)));

    /* ':ctx' pushes a command and takes the profile's read-only flag */
    type(ui, ":ctx nosuch\n");
    assert_non_null(strstr(ui->msg, "no profile"));
    type(ui, ":ctx prod\n");
    assert_true(cmdq_pop(fx->q, &cmd, 0));
    assert_int_equal(cmd.kind, KS_CMD_SWITCH_PROFILE);
    assert_string_equal(cmd.s, "prod");
    cmd_free(&cmd);
    assert_true(ui->read_only);
    assert_string_equal(ui->bootstrap, "kafka:9092");

    /* history: Up recalls the last line */
    keys_dispatch(ui, ':');
    keys_dispatch(ui, KS_KEY_FN(KEY_UP));
    assert_string_equal(prompt_text(&ui->prompt, out, sizeof(out)), "ctx prod");
    keys_dispatch(ui, KS_KEY_ESC);
    assert_int_equal(ui->prompt.mode, PROMPT_NONE);
    type(ui, ":quit\n");
    assert_true(ui->quit);
    ui->quit = false;
}

static void test_interval(void **state)
{
    fixture *fx = *state;
    ks_cmd cmd;

    assert_int_equal(action_interval_step(2000, 1), 5000);
    assert_int_equal(action_interval_step(2000, -1), 1000);
    assert_int_equal(action_interval_step(500, -1), 500);
    assert_int_equal(action_interval_step(60000, 1), 60000);
    assert_int_equal(action_interval_step(3000, 1), 5000); /* off-grid values snap */
    assert_int_equal(action_interval_step(3000, -1), 2000);
    keys_dispatch(&fx->ui, '+');
    assert_int_equal(fx->ui.interval_ms, 5000);
    assert_true(cmdq_pop(fx->q, &cmd, 0));
    assert_int_equal(cmd.kind, KS_CMD_SET_INTERVAL);
    assert_int_equal(cmd.i, 5000);
    keys_dispatch(&fx->ui, '-');
    keys_dispatch(&fx->ui, '-');
    assert_int_equal(fx->ui.interval_ms, 1000);
    keys_dispatch(&fx->ui, 'r');
    while (cmdq_pop(fx->q, &cmd, 0))
        cmd_free(&cmd);
    assert_int_equal(cmd.kind, KS_CMD_REFRESH);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables_are_sane),
        cmocka_unit_test(test_help_lines_merge_aliases),
        cmocka_unit_test_setup_teardown(test_writes_refused_read_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writes_confirmed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_navigation_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_themes_and_no_color, setup, teardown),
        cmocka_unit_test_setup_teardown(test_type_ahead, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filter_prompt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_command_palette, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interval, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
