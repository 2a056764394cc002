/* view_group: one group's members, per partition committed offset, log end and lag, and
 * the group's rebalances as ksight observed them. */
#include "command.h"
#include "fmt.h"
#include "group_history.h"
#include "keys.h"
#include "snapshot.h"
#include "ui.h"
#include "widget_table.h"
#include "xmalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { M_CLIENT, M_HOST, M_NPARTS, M_ASSIGNED, M_MEMBER };
enum { O_TOPIC, O_PARTITION, O_COMMITTED, O_END, O_LAG, O_TIME_LAG, O_CLIENT };

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
    [O_TIME_LAG] = {"TIME LAG", 8, COL_RIGHT | COL_OPTIONAL},
    [O_CLIENT] = {"CLIENT ID", 16, COL_OPTIONAL | COL_FLEX},
};

enum { R_SEQ, R_GEN, R_START, R_TOOK, R_MEMBERS, R_MOVED, R_STOPPED, R_COVER, R_CHANGES };

static const ks_column rebalance_columns[] = {
    [R_SEQ] = {"#", 4, COL_RIGHT},
    [R_GEN] = {"GEN", 4, COL_RIGHT | COL_OPTIONAL},
    [R_START] = {"START (UTC)", 14, 0},
    [R_TOOK] = {"TOOK", 6, COL_RIGHT},
    [R_MEMBERS] = {"MEMBERS", 7, 0},
    [R_MOVED] = {"MOVED", 5, COL_RIGHT},
    [R_STOPPED] = {"STOPPED", 10, COL_RIGHT | COL_OPTIONAL},
    [R_COVER] = {"COVER", 5, 0},
    [R_CHANGES] = {"CHANGES", 12, COL_FLEX},
};

enum { FOCUS_MEMBERS, FOCUS_OFFSETS, FOCUS_REBALANCES, FOCUS__COUNT };

/* A line of the rebalances table: a record, or one member's changes under it. */
typedef struct reb_row {
    const gh_record *r;
    int entry; /* -1: the record's own line */
    char key[48];
} reb_row;

typedef struct group_state {
    ks_ui *ui;
    char *id;
    ks_table *members, *offsets, *rebalances;
    int focus; /* FOCUS_*: the rebalances take the offsets' place below the members */
    char **keys; /* "topic\tpartition" row keys of the last offsets build */
    int nkeys;
    gh_record recs[GH_MAX_RECORDS]; /* copies of the last rebalances build, newest first */
    int nrecs;
    reb_row *rows;
    int nrows;
    uint64_t history_version; /* of the last rebalances build */
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
    case O_TIME_LAG:
        fmt_time_lag(buf, size, o->time_lag_valid, o->time_lag_at_least, o->time_lag_ms);
        *elem = !o->time_lag_valid ? ELEM_MUTED : o->time_lag_ms ? ELEM_NORMAL : ELEM_OK;
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
    case O_TIME_LAG:
        vx = x->time_lag_valid ? x->time_lag_ms : -1;
        vy = y->time_lag_valid ? y->time_lag_ms : -1;
        break;
    default:
        return strcmp(x->member_id ? x->member_id : "", y->member_id ? y->member_id : "");
    }
    return (vx > vy) - (vx < vy);
}

static const ks_table_ops offset_ops = {
    .build = build_offsets, .cell = offset_cell, .compare = offset_compare};

/* ---- rebalances ---- */

static void rebalances_free(group_state *st)
{
    group_record_free(st->recs, st->nrecs);
    st->nrecs = 0;
    free(st->rows);
    st->rows = NULL;
    st->nrows = 0;
}

static bool entry_changed(const gh_entry *e)
{
    return e->joined || e->left || e->nassigned || e->nrevoked;
}

static void build_rebalances(ks_table *table, const ks_snapshot *snap, void *ctx)
{
    group_state *st = ctx;
    ks_group_history *h = st->ui->opts->group_history;
    int cap = 0;

    (void)snap;
    rebalances_free(st); /* no tombstones: the previous rows are dropped after build */
    if (!h || !st->id)
        return;
    st->history_version = group_history_version(h);
    st->nrecs = group_history_get(h, st->id, st->recs, GH_MAX_RECORDS);
    for (int i = 0; i < st->nrecs; i++)
        cap += 1 + st->recs[i].nentries;
    st->rows = xcalloc((size_t)cap + 1, sizeof(*st->rows));
    for (int i = 0; i < st->nrecs; i++) {
        const gh_record *r = &st->recs[i];
        /* keys sort newest first, each record's members right under it */
        for (int e = -1; e < r->nentries; e++) {
            reb_row *row = &st->rows[st->nrows];
            if (e >= 0 && !entry_changed(&r->entries[e]))
                continue;
            row->r = r;
            row->entry = e;
            snprintf(row->key, sizeof(row->key), "%020llu.%05d",
                     (unsigned long long)(UINT64_MAX - r->seq), e + 1);
            table_add(table, row->key, row);
            st->nrows++;
        }
    }
}

/* "11-24 18:27:03" in UTC: the year is rarely news in a rebalance list. */
static void utc_short(int64_t ms, char *buf, size_t size)
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;

    if (!gmtime_r(&secs, &tm))
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%02d-%02d %02d:%02d:%02d", tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                 tm.tm_min, tm.tm_sec);
}

/* The record line's CHANGES: who joined and left, and an end other than Stable. */
static void record_changes(const gh_record *r, char *buf, size_t size)
{
    size_t len = 0;

    buf[0] = '\0';
    for (int pass = 0; pass < 2; pass++) {
        int shown = 0;
        for (int i = 0; i < r->nentries && len < size; i++) {
            const gh_entry *e = &r->entries[i];
            if (pass ? !e->left : !e->joined)
                continue;
            const char *sep = shown ? " " : !pass ? "joined " : len ? "; left " : "left ";
            len += (size_t)snprintf(buf + len, size - len, "%s%s", sep,
                                    group_record_str(r, e->client_id));
            shown++;
        }
    }
    if (len < size && r->open)
        snprintf(buf + len, size - len, "%sin progress (%s)", len ? "; " : "",
                 group_record_state_name(r->states[r->nstates ? r->nstates - 1 : 0]));
    else if (len < size && r->end_state != GH_STABLE)
        snprintf(buf + len, size - len, "%sended %s", len ? "; " : "",
                 group_record_state_name(r->end_state));
}

static void record_cell(const gh_record *r, int col, char *buf, size_t size, ks_elem *elem)
{
    switch (col) {
    case R_SEQ:
        snprintf(buf, size, "%llu", (unsigned long long)r->seq);
        break;
    case R_GEN:
        /* the coordinator's log (or the load group's members) gave it; "obs":
         * neither did, and # is ksight's own count */
        if (r->generation_valid && r->generations > 1)
            snprintf(buf, size, "%d-%d", r->generation - r->generations + 1, r->generation);
        else if (r->generation_valid)
            snprintf(buf, size, "%d", r->generation);
        else
            snprintf(buf, size, "obs");
        *elem = r->generation_valid ? ELEM_NORMAL : ELEM_MUTED;
        break;
    case R_START:
        utc_short(r->start_ms, buf, size);
        break;
    case R_TOOK:
        /* history from the coordinator's log: one instant, no duration */
        if (r->replayed)
            snprintf(buf, size, "log");
        else
            snprintf(buf, size, "%.1fs", (double)(r->end_ms - r->start_ms) / 1000.0);
        *elem = r->replayed ? ELEM_MUTED : ELEM_NORMAL;
        break;
    case R_MEMBERS:
        snprintf(buf, size, "%d->%d", r->members_before, r->members_after);
        break;
    case R_MOVED:
        snprintf(buf, size, "%d", r->nmoved);
        break;
    case R_STOPPED:
        if (r->stopped_valid)
            snprintf(buf, size, "%.1f-%.1fs", (double)r->stopped_min_ms / 1000.0,
                     (double)r->stopped_max_ms / 1000.0);
        else
            snprintf(buf, size, "%s", fmt_glyph(GLYPH_UNKNOWN));
        break;
    case R_COVER:
        snprintf(buf, size, "%s", r->open ? "..." : !r->cover_valid ? fmt_glyph(GLYPH_UNKNOWN)
                                  : r->cover_ok                      ? "ok"
                                                                     : "BAD");
        *elem = r->open ? ELEM_WARNING : r->cover_valid && !r->cover_ok ? ELEM_ERROR : ELEM_OK;
        break;
    case R_CHANGES:
        record_changes(r, buf, size);
        break;
    }
}

static void rebalance_cell(const void *row, int col, char *buf, size_t size, ks_elem *elem,
                           void *ctx)
{
    const reb_row *rr = row;
    const gh_record *r = rr->r;
    const gh_entry *e;
    char set[512];
    size_t len;
    bool topics;

    (void)ctx;
    buf[0] = '\0';
    if (rr->entry < 0) {
        record_cell(r, col, buf, size, elem);
        return;
    }
    e = &r->entries[rr->entry];
    if (col == R_START) {
        char id[256];
        snprintf(buf, size, "  %s",
                 fmt_tail(id, sizeof(id), group_record_str(r, e->client_id),
                          rebalance_columns[R_START].width - 2));
        *elem = ELEM_MUTED;
    } else if (col == R_MEMBERS) {
        snprintf(buf, size, "%s", e->joined ? "joined" : e->left ? "left" : "");
    } else if (col == R_CHANGES) {
        /* one topic (the usual case) is named in the members above: partitions suffice */
        topics = !group_record_one_topic(r);
        len = (size_t)snprintf(buf, size, "%s%s", e->nassigned ? "+" : "",
                               e->nassigned ? group_record_tps_format(r, e->assigned, e->nassigned,
                                                                      topics, set, sizeof(set))
                                            : "");
        if (e->nrevoked && len < size)
            snprintf(buf + len, size - len, "%s-%s", len ? "  " : "",
                     group_record_tps_format(r, e->revoked, e->nrevoked, topics, set,
                                             sizeof(set)));
    }
}

static const ks_table_ops rebalance_ops = {.build = build_rebalances, .cell = rebalance_cell};

/* ---- the view ---- */

static void tables_new(group_state *st)
{
    st->members =
        table_new(member_columns, (int)(sizeof(member_columns) / sizeof(member_columns[0])),
                  &member_ops, st, 0);
    st->offsets =
        table_new(offset_columns, (int)(sizeof(offset_columns) / sizeof(offset_columns[0])),
                  &offset_ops, st, 0);
    st->rebalances = table_new(rebalance_columns,
                               (int)(sizeof(rebalance_columns) / sizeof(rebalance_columns[0])),
                               &rebalance_ops, st, 0);
}

static void tables_free(group_state *st)
{
    table_free(st->members);
    table_free(st->offsets);
    table_free(st->rebalances);
    rebalances_free(st);
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
    tables_free(st);
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
    st->focus = FOCUS_MEMBERS;
    tables_free(st);
    tables_new(st);
}

static void draw_summary(const ks_group *g, ks_group_history *h, ks_rect body)
{
    int32_t gen;
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
    else if (h && group_history_generation(h, g->id, &gen)) /* from __consumer_offsets */
        x = view_pair(line, x, "generation", ELEM_NORMAL, "%d", gen);
    x = view_pair(line, x, "lag", g->lag_valid && g->lag ? ELEM_LAG_HIGH : ELEM_NORMAL, "%s",
                  fmt_opt(buf, sizeof(buf), g->lag_valid, g->lag));
    if (g->time_lag_valid)
        x = view_pair(line, x, "time lag", ELEM_NORMAL, "%s",
                      fmt_time_lag(buf, sizeof(buf), true, g->time_lag_at_least, g->time_lag_ms));
    if (g->error)
        view_pair(line, x, "error", ELEM_ERROR, "%s", g->error);
}

static void sync(void *state, ks_ui *ui)
{
    group_state *st = state;
    ks_group_history *h = ui->opts->group_history;

    table_sync(st->members, ui->snap, ui->now_ms, false);
    table_sync(st->offsets, ui->snap, ui->now_ms, false);
    /* the history changes with the groups part, but also on its own lock: ask it */
    table_sync(st->rebalances, ui->snap, ui->now_ms,
               h && group_history_version(h) != st->history_version);
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
    table_set_empty(st->rebalances,
                    !ui->opts->group_history
                        ? "rebalances are not followed in this session"
                        : "no rebalance seen yet (the first poll is the baseline)");
    body = view_title(ui, body, "%s", g && g->simple ? "simple consumer group" : "");
    if (g && body.h > 2) {
        draw_summary(g, ui->opts->group_history, body);
        body = layout_below(body, 2);
    }
    /* members get what they need, at most half (a third under rebalances); the rest below */
    members_h = table_count(st->members) + 2;
    if (members_h > body.h / (st->focus == FOCUS_REBALANCES ? 3 : 2))
        members_h = body.h / (st->focus == FOCUS_REBALANCES ? 3 : 2);
    if (members_h < 3)
        members_h = 3;
    layout_split(body, body.h - members_h, 0, &top, &bottom);
    table_draw(st->members, top, st->focus == FOCUS_MEMBERS);
    if (bottom.h > 2 && st->focus == FOCUS_REBALANCES)
        table_draw(st->rebalances, layout_below(bottom, 1), true);
    else if (bottom.h > 2)
        table_draw(st->offsets, layout_below(bottom, 1), st->focus == FOCUS_OFFSETS);
}

static ks_table *focus(void *state)
{
    group_state *st = state;
    return st->focus == FOCUS_REBALANCES ? st->rebalances
           : st->focus == FOCUS_OFFSETS  ? st->offsets
                                         : st->members;
}

static int tab(void *state)
{
    group_state *st = state;
    st->focus = (st->focus + 1) % FOCUS__COUNT;
    return REACT_REDRAW;
}

static int toggle_rebalances(ks_ui *ui, const char *arg)
{
    group_state *st = ui->states[VIEW_GROUP];

    (void)arg;
    st->focus = st->focus == FOCUS_REBALANCES ? FOCUS_MEMBERS : FOCUS_REBALANCES;
    return REACT_REDRAW;
}

static const ks_binding group_keys[] = {
    {'R', "R", "this group's rebalances, newest first (again: back)",
     toggle_rebalances},
    {0},
};

static int open_row(void *state, ks_ui *ui)
{
    group_state *st = state;
    const ks_offset *o;

    if (st->focus != FOCUS_OFFSETS || !(o = table_selected(st->offsets)))
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
    .keys = group_keys,
    .create = create,
    .destroy = destroy,
    .enter = enter,
    .draw = draw,
    .focus = focus,
    .tab = tab,
    .open = open_row,
};
