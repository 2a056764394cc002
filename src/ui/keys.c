/* keys: the global binding table, the dispatcher, key names and help lines. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "keys.h"
#include "action.h"
#include "command.h"
#include "widget_table.h"
#include "xmalloc.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Order is the order of the help screen; same help text = one help line. */
const ks_binding keys_global[] = {
    {'?', "?", "help: every key and command", action_help},
    {':', ":", "command palette (Tab completes)", action_command},
    {'/', "/", "filter the list (substring, !inverts)", action_filter},
    {'\n', "Enter", "open the selected row", action_open},
    {KS_KEY_FN(KEY_ENTER), "Enter", "open the selected row", action_open},
    {KS_KEY_ESC, "Esc", "clear the filter, else go back", action_back},
    {'\t', "Tab", "next table in this view", action_tab},
    {'k', "k", "move up", action_move, "-1"},
    {KS_KEY_FN(KEY_UP), "Up", "move up", action_move, "-1"},
    {'j', "j", "move down", action_move, "+1"},
    {KS_KEY_FN(KEY_DOWN), "Down", "move down", action_move, "+1"},
    {KS_KEY_FN(KEY_PPAGE), "PgUp", "page up", action_move, "page-"},
    {KS_CTRL('b'), "Ctrl-B", "page up", action_move, "page-"},
    {KS_KEY_FN(KEY_NPAGE), "PgDn", "page down", action_move, "page+"},
    {KS_CTRL('f'), "Ctrl-F", "page down", action_move, "page+"},
    {' ', "Space", "page down", action_move, "page+"},
    {'g', "g", "first row", action_move, "home"},
    {KS_KEY_FN(KEY_HOME), "Home", "first row", action_move, "home"},
    {'G', "G", "last row", action_move, "end"},
    {KS_KEY_FN(KEY_END), "End", "last row", action_move, "end"},
    {'>', ">", "sort by the next column", action_sort, "next"},
    {'<', "<", "sort by the previous column", action_sort, "prev"},
    {'I', "I", "invert the sort order", action_sort, "invert"},
    {'1', "1", "brokers and cluster overview", action_view, "brokers"},
    {'2', "2", "topics", action_view, "topics"},
    {'3', "3", "consumer groups", action_view, "groups"},
    {'4', "4", "ZooKeeper ensemble", action_view, "zk"},
    {'5', "5", "schema registry subjects", action_view, "schemas"},
    {'6', "6", "timeline of events", action_view, "timeline"},
    {'7', "7", "load test: producers, a group, the audit", action_view, "load"},
    {'+', "+", "longer refresh interval", action_interval, "+"},
    {'=', "=", "longer refresh interval", action_interval, "+"},
    {'-', "-", "shorter refresh interval", action_interval, "-"},
    {'r', "r", "refresh now", action_refresh},
    {KS_CTRL('l'), "Ctrl-L", "repaint the screen", action_redraw},
    {'q', "q", "quit", action_quit},
    {KS_CTRL('c'), "Ctrl-C", "quit", action_quit},
    {0},
};

const ks_binding *keys_find(const ks_binding *table, int key)
{
    for (const ks_binding *b = table; b && b->fn; b++)
        if (b->key == key)
            return b;
    return NULL;
}

int keys_action(ks_ui *ui, ks_action_fn *fn, const char *arg, unsigned flags, const char *what)
{
    if (flags & ACTION_WRITES) {
        if (ui->read_only) {
            ui_message(ui, ELEM_ERROR, "read-only: %s refused", what ? what : "writing");
            return REACT_REDRAW;
        }
        free(ui->pending.arg);
        ui->pending.fn = fn;
        ui->pending.arg = xstrdup(arg);
        snprintf(ui->pending.what, sizeof(ui->pending.what), "%s", what ? what : "write");
        prompt_open(&ui->prompt, PROMPT_CONFIRM, "");
        snprintf(ui->prompt.question, sizeof(ui->prompt.question), "%s? [y/N]", ui->pending.what);
        return REACT_REDRAW;
    }
    return fn(ui, arg);
}

static int run_binding(ks_ui *ui, const ks_binding *b)
{
    return keys_action(ui, b->fn, b->arg, b->flags, b->help);
}

int keys_dispatch_table(ks_ui *ui, const ks_binding *table, int key)
{
    const ks_binding *b = keys_find(table, key);
    return b ? run_binding(ui, b) : REACT_UNBOUND;
}

/* y runs the pending write action, anything else drops it. */
static int confirm_key(ks_ui *ui, int key)
{
    ks_pending p = ui->pending;
    int react = REACT_REDRAW;

    ui->pending = (ks_pending){0};
    prompt_close(&ui->prompt);
    if (key == 'y' || key == 'Y')
        react |= p.fn(ui, p.arg);
    else
        ui_message(ui, ELEM_MESSAGE, "%s: cancelled", p.what);
    free(p.arg);
    return react;
}

static int filter_apply(ks_ui *ui, const char *text)
{
    ks_table *t = view_focus(ui);
    if (t)
        table_set_filter(t, text);
    return REACT_REDRAW;
}

static int prompt_dispatch(ks_ui *ui, int key)
{
    ks_prompt *p = &ui->prompt;
    char line[PROMPT_MAX * 4];
    ks_prompt_result res = prompt_key(p, key);

    prompt_text(p, line, sizeof(line));
    switch (res) {
    case PROMPT_IGNORED:
        return REACT_NONE;
    case PROMPT_MOVED:
        return REACT_REDRAW;
    case PROMPT_EDITED:
        /* a filter applies as it is typed */
        return p->mode == PROMPT_FILTER ? filter_apply(ui, line) : REACT_REDRAW;
    case PROMPT_COMPLETE:
        if (p->mode == PROMPT_COMMAND) {
            char done[PROMPT_MAX * 4];
            if (command_complete(ui, line, done, sizeof(done)))
                prompt_set_text(p, done);
        }
        return REACT_REDRAW;
    case PROMPT_CANCEL:
        ui->msg_until_ms = 0; /* completion lists and the like belong to the closed line */
        if (p->mode == PROMPT_FILTER)
            filter_apply(ui, p->saved);
        prompt_close(p);
        return REACT_REDRAW;
    case PROMPT_SUBMIT:
        ui->msg_until_ms = 0;
        if (p->mode == PROMPT_FILTER) {
            prompt_close(p);
            return filter_apply(ui, line);
        }
        prompt_remember(p, line);
        prompt_close(p);
        return REACT_REDRAW | command_run(ui, line);
    }
    return REACT_NONE;
}

int keys_dispatch(ks_ui *ui, int key)
{
    const ks_view_def *def = view_def(view_current(ui));
    int react;

    /* a view shows its rows only once drawn: keys typed ahead need them now */
    view_sync(ui);
    if (ui->prompt.mode == PROMPT_CONFIRM && ui->pending.fn)
        return confirm_key(ui, key);
    if (ui->prompt.mode != PROMPT_NONE)
        return prompt_dispatch(ui, key);
    if (def->keys && (react = keys_dispatch_table(ui, def->keys, key)) != REACT_UNBOUND)
        return react;
    return keys_dispatch_table(ui, keys_global, key);
}

const char *keys_name(int key, char *buf, size_t size)
{
    static const struct {
        int key;
        const char *name;
    } names[] = {
        {KS_KEY_FN(KEY_UP), "Up"},
        {KS_KEY_FN(KEY_DOWN), "Down"},
        {KS_KEY_FN(KEY_LEFT), "Left"},
        {KS_KEY_FN(KEY_RIGHT), "Right"},
        {KS_KEY_FN(KEY_PPAGE), "PgUp"},
        {KS_KEY_FN(KEY_NPAGE), "PgDn"},
        {KS_KEY_FN(KEY_HOME), "Home"},
        {KS_KEY_FN(KEY_END), "End"},
        {KS_KEY_FN(KEY_ENTER), "Enter"},
        {KS_KEY_FN(KEY_BACKSPACE), "Backspace"},
        {KS_KEY_FN(KEY_DC), "Delete"},
        {KS_KEY_ESC, "Esc"},
        {'\n', "Enter"},
        {'\t', "Tab"},
        {' ', "Space"},
        {127, "Backspace"},
    };

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].key == key) {
            snprintf(buf, size, "%s", names[i].name);
            return buf;
        }
    if (key & KS_KEY_FN(0)) {
        int k = key & ~KS_KEY_FN(0);
        if (k >= KEY_F(1) && k <= KEY_F(12))
            snprintf(buf, size, "F%d", k - KEY_F(0));
        else
            snprintf(buf, size, "key %d", k);
    } else if (key > 0 && key < 0x20)
        snprintf(buf, size, "Ctrl-%c", '@' + key);
    else {
        wchar_t w[2] = {(wchar_t)key, 0};
        if (wcstombs(buf, w, size) == (size_t)-1)
            snprintf(buf, size, "U+%04X", (unsigned)key);
    }
    return buf;
}

int keys_help(const ks_binding *table, ks_help_line *out, int max)
{
    int n = 0;

    for (const ks_binding *b = table; b && b->fn; b++) {
        const char *name = b->keyname;
        char buf[32];
        if (!name)
            name = keys_name(b->key, buf, sizeof(buf));
        if (n > 0 && !strcmp(out[n - 1].help, b->help)) {
            ks_help_line *h = &out[n - 1];
            /* Enter is bound twice (\n and KEY_ENTER): list a name once */
            if (!strstr(h->keys, name)) {
                size_t len = strlen(h->keys);
                snprintf(h->keys + len, sizeof(h->keys) - len, " %s", name);
            }
            continue;
        }
        if (n == max)
            break;
        snprintf(out[n].keys, sizeof(out[n].keys), "%s", name);
        out[n].help = b->help;
        out[n].flags = b->flags;
        n++;
    }
    return n;
}
