/* view_help: every key and command, generated from the tables the dispatcher uses. */
#define _GNU_SOURCE /* strcasestr, qsort_r */
#include "command.h"
#include "keys.h"
#include "ui.h"
#include "widget_table.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { C_KEY, C_WHERE, C_WHAT };

static const ks_column columns[] = {
    [C_KEY] = {"KEY", 20, 0},
    [C_WHERE] = {"WHERE", 10, 0},
    [C_WHAT] = {"WHAT IT DOES", 30, COL_FLEX},
};

typedef struct help_row {
    char key[12]; /* row key: position, so the order stays the tables' order */
    char keys[64];
    const char *where;
    char what[160];
    ks_elem elem;
} help_row;

typedef struct help_state {
    help_row *rows;
    int nrows, cap;
    ks_table *table;
} help_state;

static help_row *row_new(help_state *st)
{
    if (st->nrows == st->cap) {
        st->cap = st->cap ? st->cap * 2 : 64;
        st->rows = xrealloc(st->rows, sizeof(help_row) * (size_t)st->cap);
    }
    memset(&st->rows[st->nrows], 0, sizeof(help_row));
    snprintf(st->rows[st->nrows].key, sizeof(st->rows[0].key), "%05d", st->nrows);
    return &st->rows[st->nrows++];
}

static void add_bindings(help_state *st, const ks_binding *table, const char *where)
{
    ks_help_line lines[128];
    int n = keys_help(table, lines, 128);

    for (int i = 0; i < n; i++) {
        help_row *r = row_new(st);
        snprintf(r->keys, sizeof(r->keys), "%.*s", (int)sizeof(r->keys) - 1, lines[i].keys);
        r->where = where;
        snprintf(r->what, sizeof(r->what), "%s%s", lines[i].help,
                 lines[i].flags & ACTION_WRITES ? " (writes: asks first, refused when read-only)"
                                                : "");
        r->elem = ELEM_KEY;
    }
}

static void add_commands(help_state *st)
{
    for (int id = 0; id < VIEW__COUNT; id++) {
        const ks_view_def *def = view_def(id);
        help_row *r = row_new(st);
        snprintf(r->keys, sizeof(r->keys), ":%s%s%s", def->name, def->arg_name ? " " : "",
                 def->arg_name ? def->arg_name : "");
        r->where = "command";
        snprintf(r->what, sizeof(r->what), "%s view%s%s%s", def->title,
                 def->arg_name ? "" : " (an argument filters it)", def->aliases ? "; also :" : "",
                 def->aliases ? def->aliases : "");
        r->elem = ELEM_KEY;
    }
    for (const ks_command *c = command_table; c->name; c++) {
        help_row *r = row_new(st);
        snprintf(r->keys, sizeof(r->keys), ":%s%s%s", c->name, c->args ? " " : "",
                 c->args ? c->args : "");
        r->where = "command";
        snprintf(r->what, sizeof(r->what), "%s%s%s", c->help, c->aliases ? "; also :" : "",
                 c->aliases ? c->aliases : "");
        r->elem = ELEM_KEY;
    }
}

static void build(ks_table *table, const ks_snapshot *snap, void *ctx)
{
    help_state *st = ctx;

    (void)snap;
    for (int i = 0; i < st->nrows; i++)
        table_add(table, st->rows[i].key, &st->rows[i]);
}

static void cell(const void *row, int col, char *buf, size_t size, ks_elem *elem, void *ctx)
{
    const help_row *r = row;

    (void)ctx;
    switch (col) {
    case C_KEY:
        snprintf(buf, size, "%s", r->keys);
        *elem = r->elem;
        break;
    case C_WHERE:
        snprintf(buf, size, "%s", r->where);
        *elem = ELEM_MUTED;
        break;
    case C_WHAT:
        snprintf(buf, size, "%s", r->what);
        break;
    }
}

static bool match(const void *row, const char *key, const char *pattern, void *ctx)
{
    const help_row *r = row;

    (void)key, (void)ctx;
    return strcasestr(r->keys, pattern) || strcasestr(r->what, pattern) ||
           strcasestr(r->where, pattern);
}

static const ks_table_ops ops = {.build = build, .cell = cell, .match = match};

static void *create(ks_ui *ui)
{
    help_state *st = xcalloc(1, sizeof(*st));

    (void)ui;
    add_bindings(st, keys_global, "anywhere");
    for (int id = 0; id < VIEW__COUNT; id++)
        if (view_def(id)->keys)
            add_bindings(st, view_def(id)->keys, view_def(id)->title);
    add_commands(st);
    st->table = table_new(columns, (int)(sizeof(columns) / sizeof(columns[0])), &ops, st, 0);
    return st;
}

static void destroy(void *state)
{
    help_state *st = state;
    table_free(st->table);
    free(st->rows);
    free(st);
}

static void sync(void *state, ks_ui *ui)
{
    table_sync(((help_state *)state)->table, NULL, ui->now_ms, false);
}

static void draw(void *state, ks_ui *ui, ks_rect body)
{
    help_state *st = state;

    sync(st, ui);
    body = view_title(ui, body, "%d keys and commands; / filters, Esc or ? goes back",
                      table_count(st->table));
    table_draw(st->table, body, true);
}

static ks_table *focus(void *state)
{
    return ((help_state *)state)->table;
}

const ks_view_def view_help_def = {
    .sync = sync,
    .name = "help",
    .aliases = "h ?",
    .title = "Help",
    .create = create,
    .destroy = destroy,
    .draw = draw,
    .focus = focus,
};
