/* view_group: one group's members and, per partition, committed offset, log end and lag. */
#include "command.h"
#include "fmt.h"
#include "snapshot.h"
#include "ui.h"
#include "widget_table.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { M_CLIENT, M_HOST, M_NPARTS, M_ASSIGNED, M_MEMBER };
enum { O_TOPIC, O_PARTITION, O_COMMITTED, O_END, O_LAG, O_CLIENT };

static const ks_column member_columns[] = {
    [M_CLIENT] = {"CLIENT ID", 18, COL_FLEX},
    [M_HOST] = {"HOST", 16, 0},
    [M_NPARTS] = {"PARTS", 5, COL_RIGHT},
    [M_ASSIGNED] = {"ASSIGNED", 16, COL_FLEX},
    [M_MEMBER] = {"MEMBER ID", 20, COL_OPTIONAL | COL_FLEX},
};

static const ks_column offset_columns[] = {
    [O_TOPIC] = {"TOPIC", 18, COL_FLEX},
    [O_PARTITION] = {"PARTITION", 9, COL_RIGHT},
    [O_COMMITTED] = {"COMMITTED", 12, COL_RIGHT},
    [O_END] = {"LOG-END", 12, COL_RIGHT},
    [O_LAG] = {"LAG", 10, COL_RIGHT},
    [O_CLIENT] = {"CLIENT ID", 16, COL_OPTIONAL | COL_FLEX},
};

typedef struct group_state {
    ks_ui *ui;
    char *id;
    ks_table *members, *offsets;
    int focus;
    char **keys; /* "topic\tpartition" row keys of the last offsets build */
    int nkeys;
} group_state;

static const ks_group *current_group(const group_state *st, const ks_snapshot *snap)
{
    return st->id ? snapshot_group(snap, st->id) : NULL;
}

/* ---- members ---- */

static void build_members(ks_table *table, const ks_snapshot *snap, void *ctx)
{
    const ks_group *g = current_group(ctx, snap);
    for (int i = 0; g && i < g->nmembers; i++)
        table_add(table, g->members[i].member_id, &g->members[i]);
}

/* "position 0,1 other 3" from a sorted assignment. */
static void assigned_text(const ks_member *m, char *buf, size_t size)
{
    const char *last = NULL;
    size_t len = 0;

    buf[0] = '\0';
    for (int i = 0; i < m->nassignment && len < size; i++) {
        const ks_tp *tp = &m->assignment[i];
        bool same = last && !strcmp(last, tp->topic);
        if (same)
            len += (size_t)snprintf(buf + len, size - len, ",%d", tp->partition);
        else
            len += (size_t)snprintf(buf + len, size - len, "%s%s %d", len ? " " : "", tp->topic,
                                    tp->partition);
        last = tp->topic;
    }
}

static void member_cell(const void *row, int col, char *buf, size_t size, ks_elem *elem, void *ctx)
{
    const ks_member *m = row;

    (void)ctx;
    switch (col) {
    case M_CLIENT:
        snprintf(buf, size, "%s", m->client_id ? m->client_id : "");
        break;
    case M_HOST:
        snprintf(buf, size, "%s", m->host ? m->host : "");
        break;
    case M_NPARTS:
        snprintf(buf, size, "%d", m->nassignment);
        *elem = m->nassignment ? ELEM_NORMAL : ELEM_WARNING;
        break;
    case M_ASSIGNED:
        assigned_text(m, buf, size);
        break;
    case M_MEMBER:
        snprintf(buf, size, "%s", m->member_id ? m->member_id : "");
        *elem = ELEM_MUTED;
        break;
    }
}

static int member_compare(const void *a, const void *b, int col, void *ctx)
{
    const ks_member *x = a, *y = b;

    (void)ctx;
    switch (col) {
    case M_CLIENT:
        return strcmp(x->client_id ? x->client_id : "", y->client_id ? y->client_id : "");
    case M_HOST:
        return strcmp(x->host ? x->host : "", y->host ? y->host : "");
    case M_NPARTS:
        return (x->nassignment > y->nassignment) - (x->nassignment < y->nassignment);
    }
    return 0;
}

static const ks_table_ops member_ops = {
    .build = build_members, .cell = member_cell, .compare = member_compare};

/* ---- offsets ---- */

static void keys_free(group_state *st)
{
    for (int i = 0; i < st->nkeys; i++)
        free(st->keys[i]);
    free(st->keys);
    st->keys = NULL;
    st->nkeys = 0;
}

static void build_offsets(ks_table *table, const ks_snapshot *snap, void *ctx)
{
    group_state *st = ctx;
    const ks_group *g = current_group(st, snap);

    /* the previous rows are dropped after build (no tombstones), so old keys can go now */
    keys_free(st);
    if (!g || !g->noffsets)
        return;
    st->keys = xcalloc((size_t)g->noffsets, sizeof(char *));
    st->nkeys = g->noffsets;
    for (int i = 0; i < g->noffsets; i++) {
        st->keys[i] = xasprintf("%s\t%d", g->offsets[i].topic, g->offsets[i].partition);
        table_add(table, st->keys[i], &g->offsets[i]);
    }
}

static const char *client_of(const group_state *st, const char *member_id)
{
    const ks_group *g = current_group(st, st->ui->snap);
    for (int i = 0; g && member_id && i < g->nmembers; i++)
        if (!strcmp(g->members[i].member_id, member_id))
            return g->members[i].client_id;
    return member_id;
}

static void offset_cell(const void *row, int col, char *buf, size_t size, ks_elem *elem, void *ctx)
{
    const ks_offset *o = row;
    const char *client;

    switch (col) {
    case O_TOPIC:
        snprintf(buf, size, "%s", o->topic);
        break;
    case O_PARTITION:
        snprintf(buf, size, "%d", o->partition);
        break;
    case O_COMMITTED:
        fmt_opt(buf, size, o->committed_valid, o->committed);
        break;
    case O_END:
        fmt_opt(buf, size, o->end_valid, o->end);
        break;
    case O_LAG:
        fmt_opt(buf, size, o->lag_valid, o->lag);
        *elem = !o->lag_valid ? ELEM_MUTED : o->lag ? ELEM_LAG_HIGH : ELEM_OK;
        break;
    case O_CLIENT:
        client = client_of(ctx, o->member_id);
        snprintf(buf, size, "%s", client ? client : "");
        *elem = ELEM_MUTED;
        break;
    }
}

static int offset_compare(const void *a, const void *b, int col, void *ctx)
{
    const ks_offset *x = a, *y = b;
    int64_t vx, vy;
    int c;

    (void)ctx;
    switch (col) {
    case O_TOPIC:
    case O_PARTITION:
        c = strcmp(x->topic, y->topic);
        return c ? c : (x->partition > y->partition) - (x->partition < y->partition);
    case O_COMMITTED:
        vx = x->committed_valid ? x->committed : -1, vy = y->committed_valid ? y->committed : -1;
        break;
    case O_END:
        vx = x->end_valid ? x->end : -1, vy = y->end_valid ? y->end : -1;
        break;
    case O_LAG:
        vx = x->lag_valid ? x->lag : -1, vy = y->lag_valid ? y->lag : -1;
        break;
    default:
        return strcmp(x->member_id ? x->member_id : "", y->member_id ? y->member_id : "");
    }
    return (vx > vy) - (vx < vy);
}

static const ks_table_ops offset_ops = {
    .build = build_offsets, .cell = offset_cell, .compare = offset_compare};

/* ---- the view ---- */

static void tables_new(group_state *st)
{
    st->members =
        table_new(member_columns, (int)(sizeof(member_columns) / sizeof(member_columns[0])),
                  &member_ops, st, 0);
    st->offsets =
        table_new(offset_columns, (int)(sizeof(offset_columns) / sizeof(offset_columns[0])),
                  &offset_ops, st, 0);
}

static void *create(ks_ui *ui)
{
    group_state *st = xcalloc(1, sizeof(*st));
    st->ui = ui;
    tables_new(st);
    return st;
}

static void destroy(void *state)
{
    group_state *st = state;
    table_free(st->members);
    table_free(st->offsets);
    keys_free(st);
    free(st->id);
    free(st);
}

static void enter(void *state, ks_ui *ui, const char *arg)
{
    group_state *st = state;

    (void)ui;
    if (st->id && arg && !strcmp(st->id, arg))
        return;
    free(st->id);
    st->id = xstrdup(arg);
    st->focus = 0;
    table_free(st->members);
    table_free(st->offsets);
    tables_new(st);
}

static void draw_summary(const ks_group *g, ks_rect body)
{
    ks_rect line = {body.y, body.x + 1, 1, body.w - 1};
    char buf[32];
    int x;

    x = view_pair(line, line.x, "state",
                  g->state && !strcmp(g->state, "Stable") ? ELEM_OK : ELEM_WARNING, "%s",
                  g->state ? g->state : fmt_glyph(GLYPH_UNKNOWN));
    x = view_pair(line, x, "members", ELEM_NORMAL, "%d", g->nmembers);
    x = view_pair(line, x, "assignor", ELEM_NORMAL, "%s",
                  g->assignor && *g->assignor ? g->assignor : fmt_glyph(GLYPH_UNKNOWN));
    if (g->coordinator != KS_NO_ID)
        x = view_pair(line, x, "coordinator", ELEM_NORMAL, "%d", g->coordinator);
    if (g->generation_valid)
        x = view_pair(line, x, "generation", ELEM_NORMAL, "%d", g->generation);
    x = view_pair(line, x, "lag", g->lag_valid && g->lag ? ELEM_LAG_HIGH : ELEM_NORMAL, "%s",
                  fmt_opt(buf, sizeof(buf), g->lag_valid, g->lag));
    if (g->error)
        view_pair(line, x, "error", ELEM_ERROR, "%s", g->error);
}

static void sync(void *state, ks_ui *ui)
{
    group_state *st = state;
    table_sync(st->members, ui->snap, ui->now_ms, false);
    table_sync(st->offsets, ui->snap, ui->now_ms, false);
}

static void draw(void *state, ks_ui *ui, ks_rect body)
{
    group_state *st = state;
    const ks_group *g = current_group(st, ui->snap);
    ks_rect top, bottom;
    char why[512];
    int members_h;

    sync(st, ui);
    if (!g && ui->snap->groups && !ui->snap->groups->part.error)
        snprintf(why, sizeof(why), "group not found (gone?)");
    else
        view_empty_reason(ui->snap->groups, "groups", "no members", why, sizeof(why));
    table_set_empty(st->members, why);
    table_set_empty(st->offsets, g ? (g->error ? g->error : "no committed offsets") : why);
    body = view_title(ui, body, "%s", g && g->simple ? "simple consumer group" : "");
    if (g && body.h > 2) {
        draw_summary(g, body);
        body = layout_below(body, 2);
    }
    /* members get what they need, at most half; offsets the rest */
    members_h = table_count(st->members) + 2;
    if (members_h > body.h / 2)
        members_h = body.h / 2;
    if (members_h < 3)
        members_h = 3;
    layout_split(body, body.h - members_h, 0, &top, &bottom);
    table_draw(st->members, top, st->focus == 0);
    if (bottom.h > 2)
        table_draw(st->offsets, layout_below(bottom, 1), st->focus == 1);
}

static ks_table *focus(void *state)
{
    group_state *st = state;
    return st->focus ? st->offsets : st->members;
}

static int tab(void *state)
{
    group_state *st = state;
    st->focus = !st->focus;
    return REACT_REDRAW;
}

static int open_row(void *state, ks_ui *ui)
{
    group_state *st = state;
    const ks_offset *o;

    if (st->focus == 0 || !(o = table_selected(st->offsets)))
        return REACT_NONE;
    view_push(ui, VIEW_TOPIC, o->topic);
    return REACT_REDRAW;
}

const ks_view_def view_group_def = {
    .sync = sync,
    .name = "group",
    .title = "Group",
    .arg_name = "GROUP",
    .complete = complete_groups,
    .create = create,
    .destroy = destroy,
    .enter = enter,
    .draw = draw,
    .focus = focus,
    .tab = tab,
    .open = open_row,
};
