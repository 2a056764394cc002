/* view_registry: schema registry subjects with versions, type and compatibility. */
#include "fmt.h"
#include "snapshot.h"
#include "ui.h"
#include "widget_table.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { C_SUBJECT, C_VERSIONS, C_LATEST, C_ID, C_TYPE, C_COMPAT };

static const ks_column columns[] = {
    [C_SUBJECT] = {"SUBJECT", 24, COL_FLEX},
    [C_VERSIONS] = {"VERSIONS", 8, COL_RIGHT},
    [C_LATEST] = {"LATEST", 6, COL_RIGHT},
    [C_ID] = {"ID", 6, COL_RIGHT | COL_OPTIONAL},
    [C_TYPE] = {"TYPE", 8, 0},
    [C_COMPAT] = {"COMPATIBILITY", 20, COL_OPTIONAL},
};

typedef struct registry_state {
    ks_ui *ui;
    ks_table *table;
} registry_state;

static void build(ks_table *table, const ks_snapshot *snap, void *ctx)
{
    const ks_registry *r = snap ? snap->registry : NULL;

    (void)ctx;
    for (int i = 0; r && i < r->nsubjects; i++)
        table_add(table, r->subjects[i].name, &r->subjects[i]);
}

static void cell(const void *row, int col, char *buf, size_t size, ks_elem *elem, void *ctx)
{
    const ks_subject *s = row;
    const ks_registry *r = ((registry_state *)ctx)->ui->snap->registry;
    const char *unknown = fmt_glyph(GLYPH_UNKNOWN);

    switch (col) {
    case C_SUBJECT:
        snprintf(buf, size, "%s", s->name);
        break;
    case C_VERSIONS:
        snprintf(buf, size, "%d", s->nversions);
        break;
    case C_LATEST:
        snprintf(buf, size, "%d", s->latest_version);
        break;
    case C_ID:
        if (s->latest_id >= 0)
            snprintf(buf, size, "%d", s->latest_id);
        else
            snprintf(buf, size, "%s", unknown);
        break;
    case C_TYPE:
        /* the registry omits schemaType for Avro, its default */
        snprintf(buf, size, "%s", s->type ? s->type : "AVRO");
        break;
    case C_COMPAT:
        if (s->compatibility)
            snprintf(buf, size, "%s", s->compatibility);
        else {
            snprintf(buf, size, "%s (global)", r && r->compatibility ? r->compatibility : unknown);
            *elem = ELEM_MUTED;
        }
        break;
    }
}

static int compare(const void *a, const void *b, int col, void *ctx)
{
    const ks_subject *x = a, *y = b;

    (void)ctx;
    switch (col) {
    case C_VERSIONS:
        return (x->nversions > y->nversions) - (x->nversions < y->nversions);
    case C_LATEST:
        return (x->latest_version > y->latest_version) - (x->latest_version < y->latest_version);
    case C_ID:
        return (x->latest_id > y->latest_id) - (x->latest_id < y->latest_id);
    case C_TYPE:
        return strcmp(x->type ? x->type : "AVRO", y->type ? y->type : "AVRO");
    case C_COMPAT:
        return strcmp(x->compatibility ? x->compatibility : "",
                      y->compatibility ? y->compatibility : "");
    }
    return 0;
}

static const ks_table_ops ops = {.build = build, .cell = cell, .compare = compare};

static void *create(ks_ui *ui)
{
    registry_state *st = xcalloc(1, sizeof(*st));
    st->ui = ui;
    st->table =
        table_new(columns, (int)(sizeof(columns) / sizeof(columns[0])), &ops, st, TABLE_TOMBSTONES);
    return st;
}

static void destroy(void *state)
{
    registry_state *st = state;
    table_free(st->table);
    free(st);
}

static void sync(void *state, ks_ui *ui)
{
    registry_state *st = state;
    table_sync(st->table, ui->snap, ui->now_ms, false);
    table_expire(st->table, ui->now_ms);
}

static void draw(void *state, ks_ui *ui, ks_rect body)
{
    registry_state *st = state;
    const ks_registry *r = ui->snap->registry;
    char why[512];

    sync(st, ui);
    if (!r && !ui->opts->registry_configured)
        snprintf(why, sizeof(why), "no schema registry configured (--registry URL)");
    else if (r && !r->reachable && !r->part.error)
        snprintf(why, sizeof(why), "registry: unreachable");
    else
        view_empty_reason(r, "registry", "no subjects", why, sizeof(why));
    table_set_empty(st->table, why);
    body = view_title(ui, body, "%s%s%d subjects", r && r->url ? r->url : "",
                      r && r->url ? "  " : "", table_count(st->table));
    table_draw(st->table, body, true);
}

static ks_table *focus(void *state)
{
    return ((registry_state *)state)->table;
}

static int open_subject(void *state, ks_ui *ui)
{
    const ks_subject *s = table_selected(((registry_state *)state)->table);
    if (!s)
        return REACT_NONE;
    view_push(ui, VIEW_SCHEMA, s->name);
    return REACT_REDRAW;
}

const ks_view_def view_registry_def = {
    .sync = sync,
    .name = "schemas",
    .aliases = "registry subjects sr",
    .title = "Schemas",
    .key = '5',
    .create = create,
    .destroy = destroy,
    .draw = draw,
    .focus = focus,
    .open = open_subject,
};
