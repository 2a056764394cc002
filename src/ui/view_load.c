/* view_load: a load run: the settings form, live counters, members, couriers, rebalances. */
#include "view_load.h"
#include "cmdq.h"
#include "command.h"
#include "draw.h"
#include "keys.h"
#include "load.h"
#include "ui.h"
#include "view_load_form.h"
#include "view_load_int.h"
#include "xmalloc.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ks_load *load_of(ks_ui *ui)
{
    return ui->opts->load;
}

static load_view *state_of(ks_ui *ui)
{
    return ui->states[VIEW_LOAD];
}

static void *create(ks_ui *ui)
{
    load_view *st = xcalloc(1, sizeof(*st));
    st->ui = ui;
    st->rejected_field = -1;
    load_spec_defaults(&st->spec);
    if (!*st->spec.topic)
        snprintf(st->spec.topic, sizeof(st->spec.topic), "ksight-load");
    /* librdkafka 2.0.2's mock cluster ends the rebalance of an established
     * group only when its join timer, the session timeout, runs out: with
     * the default 45 s an added member would wait that long in --demo */
    if (ui->opts->demo)
        st->spec.session_timeout_ms = 6000;
    return st;
}

static void destroy(void *state)
{
    free(state);
}

static void draw(void *state, ks_ui *ui, ks_rect body)
{
    load_view *st = state;

    if (!load_of(ui)) {
        body = view_title(ui, body, "%s", "");
        draw_text(body.y + 1, body.x + 1, body.w - 2, ELEM_MUTED,
                  "load unavailable: this session has no load service", false);
        return;
    }
    load_stats(load_of(ui), &st->stats);
    st->nrb = load_rebalances(load_of(ui), st->rb, REBALANCES_SHOWN);
    body = view_title(ui, body, "%s",
                      ui->read_only ? "read-only: runs are refused"
                                    : "Tab: next section  j/k: move  Enter: edit  Space: cycle");
    view_load_draw_body(st, body);
}

/* ---- actions ---- */

/* The field a one-setting text names ("acks=1"), or -1. */
static int single_field(const char *text)
{
    const char *eq = strchr(text, '=');

    while (*text == ' ')
        text++;
    if (!eq || strchr(eq, ';'))
        return -1;
    return view_load_form_find(text, (size_t)(eq - text));
}

/* Reports an edit's outcome (view_load_form_apply's return) on the message line and the form. */
static int edited(load_view *st, int rc, const char *err, const char *text)
{
    ks_ui *ui = st->ui;
    int f = single_field(text);

    if (rc < 0) {
        snprintf(st->form_err, sizeof(st->form_err), "%s", err);
        /* nothing lost: Enter on that field brings the refused text back */
        st->rejected_field = f;
        snprintf(st->rejected, sizeof(st->rejected), "%s", text);
        ui_message(ui, ELEM_ERROR, "%s (unchanged)", err);
        return REACT_REDRAW;
    }
    st->form_err[0] = '\0';
    st->rejected_field = -1;
    if (f >= 0)
        st->field = f;
    if (rc > 0)
        ui_message(ui, ELEM_WARNING, "settings changed, still not runnable: %s", err);
    else if (f >= 0) {
        char value[PROMPT_MAX];
        ui_message(ui, ELEM_MESSAGE, "settings changed: %s %s (S starts a run)",
                   view_load_form_key(f), view_load_form_value(&st->spec, f, false, value,
                                                               sizeof(value)));
    } else
        ui_message(ui, ELEM_MESSAGE, "settings changed (S starts a run)");
    return REACT_REDRAW;
}

int view_load_cmd_set(ks_ui *ui, const char *arg)
{
    load_view *st = state_of(ui);
    char err[256];

    if (!arg) {
        ui_message(ui, ELEM_ERROR, "usage: :load-set key=value;...");
        return REACT_REDRAW;
    }
    return edited(st, view_load_form_apply(&st->spec, arg, err, sizeof(err)), err, arg);
}

int view_load_cmd_start(ks_ui *ui, const char *arg)
{
    load_view *st = state_of(ui);
    char err[256], *spec;

    (void)arg;
    if (!load_of(ui))
        return REACT_NONE;
    if (load_spec_check(&st->spec, err, sizeof(err)) != 0) {
        ui_message(ui, ELEM_ERROR, "%s", err);
        return REACT_REDRAW;
    }
    spec = load_spec_format(&st->spec);
    cmdq_push(ui->opts->cmdq, KS_CMD_LOAD_START, 0, spec, NULL);
    free(spec);
    ui_message(ui, ELEM_MESSAGE, "starting a load run on %s", st->spec.topic);
    return REACT_REDRAW;
}

int view_load_cmd_rate(ks_ui *ui, const char *arg)
{
    ks_load_spec spec = state_of(ui)->spec;
    char text[64], err[256];

    /* the spec parser checks the number and its range, as for :load-set */
    snprintf(text, sizeof(text), "interval_ms=%s", arg ? arg : "");
    if (!arg || !*arg || load_spec_parse(&spec, text, err, sizeof(err)) != 0) {
        ui_message(ui, ELEM_ERROR, "usage: :load-rate MS (pause between sends, 0-3600000)");
        return REACT_REDRAW;
    }
    state_of(ui)->spec.interval_ms = spec.interval_ms;
    cmdq_push(ui->opts->cmdq, KS_CMD_LOAD_RATE, spec.interval_ms, NULL, NULL);
    ui_message(ui, ELEM_MESSAGE, "pause between sends: %dms", spec.interval_ms);
    return REACT_REDRAW;
}

static int load_prompt(ks_ui *ui, const char *arg)
{
    load_view *st = state_of(ui);
    char text[PROMPT_MAX * 4];

    if (!strcmp(arg, "load-rate"))
        snprintf(text, sizeof(text), "load-rate %d",
                 st->stats.state != LOAD_IDLE ? st->stats.interval_ms : st->spec.interval_ms);
    else
        snprintf(text, sizeof(text),
                 "load-set topic=%s;format=%s;producers=%d;consumers=%d;interval_ms=%d;"
                 "couriers=%d",
                 st->spec.topic, load_format_name(st->spec.format), st->spec.producers,
                 st->spec.consumers, st->spec.interval_ms, st->spec.couriers);
    prompt_open(&ui->prompt, PROMPT_COMMAND, "");
    prompt_set_text(&ui->prompt, text);
    return REACT_REDRAW;
}

/* Enter on a field: ":load-set key=value" to edit, or the text refused last time. */
static int edit_field(load_view *st)
{
    char value[PROMPT_MAX], text[PROMPT_MAX * 4 + 16];

    if (st->rejected_field == st->field)
        snprintf(text, sizeof(text), "load-set %s", st->rejected);
    else
        snprintf(text, sizeof(text), "load-set %s=%s", view_load_form_key(st->field),
                 view_load_form_value(&st->spec, st->field, true, value, sizeof(value)));
    prompt_open(&st->ui->prompt, PROMPT_COMMAND, "");
    prompt_set_text(&st->ui->prompt, text);
    return REACT_REDRAW;
}

static int open_field(void *state, ks_ui *ui)
{
    load_view *st = state;

    (void)ui;
    return st->focus == LS_SETTINGS ? edit_field(st) : REACT_NONE;
}

/* j/k, pages, g/G: the form's cursor, or the focused section's scroll. */
static int load_move(ks_ui *ui, const char *arg)
{
    load_view *st = state_of(ui);
    int n = view_load_form_count(), page = st->rows[st->focus];
    int step = !strcmp(arg, "page+")   ? page
               : !strcmp(arg, "page-") ? -page
               : !strcmp(arg, "home")  ? -1000000
               : !strcmp(arg, "end")   ? 1000000
                                       : atoi(arg);

    if (st->focus == LS_SETTINGS) {
        st->field += step;
        st->field = st->field < 0 ? 0 : st->field >= n ? n - 1 : st->field;
    } else {
        /* the draw clamps the far end, where the line count is known */
        st->top[st->focus] += step;
        if (st->top[st->focus] < 0)
            st->top[st->focus] = 0;
    }
    return REACT_REDRAW;
}

/* h/l, Left/Right, Space: the next or previous choice of the field under the cursor. */
static int load_cycle(ks_ui *ui, const char *arg)
{
    load_view *st = state_of(ui);
    char err[256], text[PROMPT_MAX * 4], value[PROMPT_MAX];
    int dir = atoi(arg), rc;

    if (st->focus != LS_SETTINGS) {
        /* Space pages the other sections, like it pages lists elsewhere */
        return !strcmp(arg, "+space") ? load_move(ui, "page+") : REACT_NONE;
    }
    if (!strcmp(arg, "+space") && view_load_form_kind(st->field) != FORM_ENUM &&
        view_load_form_kind(st->field) != FORM_BOOL)
        return edit_field(st);
    rc = view_load_form_cycle(&st->spec, st->field, dir, err, sizeof(err));
    snprintf(text, sizeof(text), "%s=%s", view_load_form_key(st->field),
             rc < 0 ? "" : view_load_form_value(&st->spec, st->field, true, value, sizeof(value)));
    if (rc < 0) {
        /* a refused choice is not worth bringing back with Enter */
        snprintf(st->form_err, sizeof(st->form_err), "%s", err);
        ui_message(ui, ELEM_ERROR, "%s (unchanged)", err);
        return REACT_REDRAW;
    }
    return edited(st, rc, err, text);
}

/* Tab and Shift-Tab: the next shown section. */
static int next_section(load_view *st, int dir)
{
    for (int i = 1; i <= LS__COUNT; i++) {
        int sec = ((st->focus + dir * i) % LS__COUNT + LS__COUNT) % LS__COUNT;
        if (st->shown[sec]) {
            st->focus = sec;
            break;
        }
    }
    return REACT_REDRAW;
}

static int tab(void *state)
{
    return next_section(state, 1);
}

static int load_back_tab(ks_ui *ui, const char *arg)
{
    (void)arg;
    return next_section(state_of(ui), -1);
}

/* x while producers send and members read: stop the producers only, so the
 * group drains and the audit becomes a verdict; x again stops everything. */
static bool stop_producers_first(ks_ui *ui)
{
    const ks_load_stats *r = &state_of(ui)->stats; /* as last drawn */

    if (r->state != LOAD_RUNNING || r->producers_done || r->nalive == 0)
        return false;
    cmdq_push(ui->opts->cmdq, KS_CMD_LOAD_PRODUCERS_STOP, 0, NULL, NULL);
    ui_message(ui, ELEM_MESSAGE, "stopping the producers: the group drains, then the audit "
                                 "is final (x again stops the members)");
    return true;
}

void view_load_watch(ks_ui *ui)
{
    if (load_of(ui) && load_take_drained_stop(load_of(ui))) {
        cmdq_push(ui->opts->cmdq, KS_CMD_LOAD_STOP, 0, NULL, NULL);
        ui_message(ui, ELEM_MESSAGE, "the run has drained: stopping it (stop_when_drained)");
    }
}

/* x, a, d, K: commands on the running run; i is the member (-1 the newest). */
static int load_cmd(ks_ui *ui, const char *arg)
{
    static const struct {
        const char *name;
        ks_cmd_kind kind;
        const char *done;
    } cmds[] = {
        {"stop", KS_CMD_LOAD_STOP, "stopping the run"},
        {"add", KS_CMD_LOAD_CONSUMER_ADD, "adding a consumer"},
        {"remove", KS_CMD_LOAD_CONSUMER_REMOVE, "removing the newest consumer"},
        {"kill", KS_CMD_LOAD_CONSUMER_KILL, "killing the newest consumer (no LeaveGroup)"},
    };

    if (!load_of(ui))
        return REACT_NONE;
    if (!strcmp(arg, "stop") && stop_producers_first(ui))
        return REACT_REDRAW;
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (!strcmp(arg, cmds[i].name)) {
            cmdq_push(ui->opts->cmdq, cmds[i].kind,
                      cmds[i].kind == KS_CMD_LOAD_CONSUMER_ADD ? 1 : -1, NULL, NULL);
            ui_message(ui, ELEM_MESSAGE, "%s", cmds[i].done);
        }
    return REACT_REDRAW;
}

/* Movement keys shadow the global ones: here they walk the form or scroll a section. */
#define MOVE(k, name, help, arg) {k, name, help, load_move, arg, ACTION_OVERRIDES}
static const ks_binding load_keys[] = {
    {'c', "c", "edit all the settings on one line (:load-set)", load_prompt, "load-set"},
    {'S', "S", "start a run with these settings", view_load_cmd_start, NULL, ACTION_WRITES},
    {'x', "x", "stop the producers (the group drains), again: stop the run", load_cmd, "stop"},
    {'R', "R", "change the pause between sends", load_prompt, "load-rate"},
    {'a', "a", "add a consumer to the group", load_cmd, "add", ACTION_WRITES},
    {'d', "d", "remove the newest consumer cleanly", load_cmd, "remove"},
    {'K', "K", "kill the newest consumer (no LeaveGroup)", load_cmd, "kill"},
    {' ', "Space", "next choice of the setting (edits a number or name)", load_cycle, "+space",
     ACTION_OVERRIDES},
    {'l', "l", "next choice of the setting, or one more", load_cycle, "+1"},
    {KS_KEY_FN(KEY_RIGHT), "Right", "next choice of the setting, or one more", load_cycle, "+1"},
    {'h', "h", "previous choice of the setting, or one less", load_cycle, "-1"},
    {KS_KEY_FN(KEY_LEFT), "Left", "previous choice of the setting, or one less", load_cycle, "-1"},
    {KS_KEY_FN(KEY_BTAB), "Shift-Tab", "previous section", load_back_tab},
    MOVE('k', "k", "previous setting, or scroll the section up", "-1"),
    MOVE(KS_KEY_FN(KEY_UP), "Up", "previous setting, or scroll the section up", "-1"),
    MOVE('j', "j", "next setting, or scroll the section down", "+1"),
    MOVE(KS_KEY_FN(KEY_DOWN), "Down", "next setting, or scroll the section down", "+1"),
    MOVE(KS_KEY_FN(KEY_PPAGE), "PgUp", "page up in the section", "page-"),
    MOVE(KS_KEY_FN(KEY_NPAGE), "PgDn", "page down in the section", "page+"),
    MOVE('g', "g", "first setting, or top of the section", "home"),
    MOVE(KS_KEY_FN(KEY_HOME), "Home", "first setting, or top of the section", "home"),
    MOVE('G', "G", "last setting, or end of the section", "end"),
    MOVE(KS_KEY_FN(KEY_END), "End", "last setting, or end of the section", "end"),
    {0},
};
#undef MOVE

const ks_view_def view_load_def = {
    .name = "load",
    .title = "Load",
    .key = '7',
    .keys = load_keys,
    .create = create,
    .destroy = destroy,
    .draw = draw,
    .open = open_field,
    .tab = tab,
};
