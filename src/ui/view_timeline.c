/* view_timeline: events from snapshot diffs and the log, newest first, filterable. */
#define _GNU_SOURCE /* strcasestr, qsort_r */
#include "action.h"
#include "clock.h"
#include "keys.h"
#include "timeline.h"
#include "ui.h"
#include "widget_table.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TIMELINE_ROWS 2048 /* events copied out per change; main.c keeps 2000 */

enum { C_TIME, C_KIND, C_SUBJECT, C_TEXT };

static const ks_column columns[] = {
    [C_TIME] = {"TIME", 8, 0},
    [C_KIND] = {"EVENT", 16, 0},
    [C_SUBJECT] = {"SUBJECT", 20, 0},
    [C_TEXT] = {"DETAIL", 20, COL_FLEX},
};

typedef struct timeline_state {
    ks_ui *ui;
    ks_table *table;
    ks_event *events; /* copied out of the timeline; rows point here */
    char (*keys)[24];
    int nevents;
    uint64_t seq; /* newest event copied */
    bool serious; /* warnings and errors only */
    bool serious_built;
} timeline_state;

static void build(ks_table *table, const ks_snapshot *snap, void *ctx)
{
    timeline_state *st = ctx;

    (void)snap;
    st->nevents = timeline_copy(st->ui->opts->timeline, st->events, TIMELINE_ROWS);
    for (int i = 0; i < st->nevents; i++) {
        if (st->serious && st->events[i].severity == KS_SEV_INFO)
            continue;
        snprintf(st->keys[i], sizeof(st->keys[i]), "%llu", (unsigned long long)st->events[i].seq);
        table_add(table, st->keys[i], &st->events[i]);
    }
}

static ks_elem severity_elem(ks_severity sev)
{
    return sev == KS_SEV_ERROR ? ELEM_ERROR : sev == KS_SEV_WARN ? ELEM_WARNING : ELEM_NORMAL;
}

static void cell(const void *row, int col, char *buf, size_t size, ks_elem *elem, void *ctx)
{
    const ks_event *ev = row;

    (void)ctx;
    switch (col) {
    case C_TIME:
        clock_format(ev->time_ms, buf, (int)size, 0);
        *elem = ELEM_MUTED;
        break;
    case C_KIND:
        snprintf(buf, size, "%s", event_kind_name(ev->kind));
        *elem = severity_elem(ev->severity);
        break;
    case C_SUBJECT:
        snprintf(buf, size, "%s", ev->subject);
        break;
    case C_TEXT:
        snprintf(buf, size, "%s", ev->text);
        *elem = severity_elem(ev->severity);
        break;
    }
}

static int compare(const void *a, const void *b, int col, void *ctx)
{
    const ks_event *x = a, *y = b;

    (void)ctx;
    switch (col) {
    case C_KIND:
        return strcmp(event_kind_name(x->kind), event_kind_name(y->kind));
    case C_SUBJECT:
        return strcmp(x->subject, y->subject);
    case C_TEXT:
        return strcmp(x->text, y->text);
    }
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static bool match(const void *row, const char *key, const char *pattern, void *ctx)
{
    const ks_event *ev = row;

    (void)key, (void)ctx;
    return strcasestr(ev->subject, pattern) || strcasestr(ev->text, pattern) ||
           strcasestr(event_kind_name(ev->kind), pattern);
}

static const ks_table_ops ops = {.build = build, .cell = cell, .compare = compare, .match = match};

static void *create(ks_ui *ui)
{
    timeline_state *st = xcalloc(1, sizeof(*st));
    st->ui = ui;
    st->events = xcalloc(TIMELINE_ROWS, sizeof(ks_event));
    st->keys = xcalloc(TIMELINE_ROWS, sizeof(*st->keys));
    st->table = table_new(columns, (int)(sizeof(columns) / sizeof(columns[0])), &ops, st, 0);
    table_set_sort(st->table, C_TIME, true); /* newest first */
    table_set_empty(st->table, "no events yet: changes between refreshes appear here");
    return st;
}

static void destroy(void *state)
{
    timeline_state *st = state;
    table_free(st->table);
    free(st->events);
    free(st->keys);
    free(st);
}

static void sync(void *state, ks_ui *ui)
{
    timeline_state *st = state;
    uint64_t seq = timeline_seq(ui->opts->timeline);
    /* on the newest row, keep following the newest (like tail -f); once the
     * user moved down, the selection stays on its event */
    bool follow = table_selected_index(st->table) <= 0;

    /* events live outside the snapshot: rebuild when the ring moved, not per snapshot */
    table_sync(st->table, NULL, ui->now_ms, seq != st->seq || st->serious != st->serious_built);
    if (follow && seq != st->seq)
        table_move_to(st->table, 0);
    st->seq = seq;
    st->serious_built = st->serious;
}

static void draw(void *state, ks_ui *ui, ks_rect body)
{
    timeline_state *st = state;
    sync(st, ui);
    body = view_title(ui, body, "%d events%s%s", table_count(st->table),
                      st->serious ? ", warnings and errors only (w)" : "",
                      *table_filter(st->table) ? ", filtered" : "");
    table_draw(st->table, body, true);
}

static ks_table *focus(void *state)
{
    return ((timeline_state *)state)->table;
}

static int toggle_serious(ks_ui *ui, const char *arg)
{
    timeline_state *st = ui->states[VIEW_TIMELINE];

    (void)arg;
    st->serious = !st->serious;
    return REACT_REDRAW;
}

static const ks_binding timeline_keys[] = {
    {'w', "w", "warnings and errors only, or everything", toggle_serious},
    {0},
};

const ks_view_def view_timeline_def = {
    .sync = sync,
    .name = "timeline",
    .aliases = "events tl log",
    .title = "Timeline",
    .key = '6',
    .keys = timeline_keys,
    .create = create,
    .destroy = destroy,
    .draw = draw,
    .focus = focus,
};
