/* view_topic: one topic's partitions (leader, replicas, ISR, offsets) and the groups reading it. */
#include "command.h"
#include "draw.h"
#include "fmt.h"
#include "snapshot.h"
#include "ui.h"
#include "widget_table.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { P_ID, P_LEADER, P_REPLICAS, P_ISR, P_LOW, P_HIGH, P_MESSAGES, P_ERROR };
enum { G_ID, G_STATE, G_PARTS, G_LAG, G_TIME_LAG };

static const ks_column part_columns[] = {
    [P_ID] = {"PARTITION", 9, COL_RIGHT},
    [P_LEADER] = {"LEADER", 6, COL_RIGHT},
    [P_REPLICAS] = {"REPLICAS", 12, 0},
    [P_ISR] = {"ISR", 12, 0},
    [P_LOW] = {"LOW", 10, COL_RIGHT | COL_OPTIONAL},
    [P_HIGH] = {"HIGH", 10, COL_RIGHT},
    [P_MESSAGES] = {"MESSAGES", 10, COL_RIGHT},
    [P_ERROR] = {"ERROR", 12, COL_OPTIONAL | COL_FLEX},
};

static const ks_column group_columns[] = {
    [G_ID] = {"GROUP", 24, COL_FLEX},
    [G_STATE] = {"STATE", 18, 0},
    [G_PARTS] = {"PARTITIONS", 10, COL_RIGHT},
    [G_LAG] = {"LAG", 10, COL_RIGHT},
    [G_TIME_LAG] = {"TIME LAG", 8, COL_RIGHT | COL_OPTIONAL},
};

typedef struct topic_state {
    ks_ui *ui;
    char *name; /* the topic shown */
    ks_table *parts, *groups;
    int focus;        /* 0 partitions, 1 groups */
    char (*keys)[12]; /* partition ids as row keys, for the last build */
    int nkeys;
} topic_state;

static const ks_topic *current_topic(const topic_state *st, const ks_snapshot *snap)
{
    return st->name ? snapshot_topic(snap, st->name) : NULL;
}

/* ---- partitions ---- */

static void build_parts(ks_table *table, const ks_snapshot *snap, void *ctx)
{
    topic_state *st = ctx;
    const ks_topic *t = current_topic(st, snap);

    if (t && t->npartitions > st->nkeys) {
        st->nkeys = t->npartitions;
        st->keys = xrealloc(st->keys, sizeof(*st->keys) * (size_t)st->nkeys);
    }
    for (int i = 0; t && i < t->npartitions; i++) {
        snprintf(st->keys[i], sizeof(st->keys[i]), "%d", t->partitions[i].id);
        table_add(table, st->keys[i], &t->partitions[i]);
    }
}

static void part_cell(const void *row, int col, char *buf, size_t size, ks_elem *elem, void *ctx)
{
    const ks_partition *p = row;

    (void)ctx;
    switch (col) {
    case P_ID:
        snprintf(buf, size, "%d", p->id);
        break;
    case P_LEADER:
        if (partition_offline(p)) {
            snprintf(buf, size, "none");
            *elem = ELEM_ERROR;
        } else
            snprintf(buf, size, "%d", p->leader);
        break;
    case P_REPLICAS:
        fmt_ids(buf, size, p->replicas, p->nreplicas);
        break;
    case P_ISR:
        fmt_ids(buf, size, p->isr, p->nisr);
        *elem = partition_under_replicated(p) ? ELEM_WARNING : ELEM_NORMAL;
        break;
    case P_LOW:
        fmt_opt(buf, size, p->low_valid, p->low);
        break;
    case P_HIGH:
        fmt_opt(buf, size, p->high_valid, p->high);
        break;
    case P_MESSAGES:
        fmt_opt(buf, size, p->low_valid && p->high_valid, p->high - p->low);
        break;
    case P_ERROR:
        snprintf(buf, size, "%s", p->error ? p->error : "");
        *elem = ELEM_ERROR;
        break;
    }
}

/* Replicas out of the ISR are drawn in the warning colour, one id at a time. */
static bool part_draw_cell(const void *row, int col, ks_rect cell, int override, void *ctx)
{
    const ks_partition *p = row;
    int x = cell.x, end = cell.x + cell.w;
    char id[16];

    (void)ctx;
    if (col != P_REPLICAS || override >= 0 || !partition_under_replicated(p))
        return false;
    for (int i = 0; i < p->nreplicas && x < end; i++) {
        bool in = partition_in_isr(p, p->replicas[i]);
        snprintf(id, sizeof(id), "%s%d", i ? "," : "", p->replicas[i]);
        x += draw_puts(cell.y, x, end - x, in ? ELEM_NORMAL : ELEM_ERROR, id);
    }
    return true;
}

static int part_compare(const void *a, const void *b, int col, void *ctx)
{
    const ks_partition *x = a, *y = b;
    int64_t vx = x->id, vy = y->id;

    (void)ctx;
    switch (col) {
    case P_LEADER:
        vx = x->leader, vy = y->leader;
        break;
    case P_REPLICAS:
        vx = x->nreplicas, vy = y->nreplicas;
        break;
    case P_ISR:
        vx = x->nisr, vy = y->nisr;
        break;
    case P_LOW:
        vx = x->low_valid ? x->low : -1, vy = y->low_valid ? y->low : -1;
        break;
    case P_HIGH:
        vx = x->high_valid ? x->high : -1, vy = y->high_valid ? y->high : -1;
        break;
    case P_MESSAGES:
        vx = x->low_valid && x->high_valid ? x->high - x->low : -1;
        vy = y->low_valid && y->high_valid ? y->high - y->low : -1;
        break;
    }
    return (vx > vy) - (vx < vy);
}

static const ks_table_ops part_ops = {
    .build = build_parts, .cell = part_cell, .compare = part_compare, .draw_cell = part_draw_cell};

/* ---- groups consuming the topic ---- */

/* Partitions of this topic the group has offsets for, and their summed lag. */
/* A group's partitions of one topic: how many, their lag, their worst time lag. */
typedef struct on_topic {
    int n;
    bool lag_valid, time_lag_valid, time_lag_at_least;
    int64_t lag, time_lag_ms;
} on_topic;

static on_topic group_on_topic(const ks_group *g, const char *topic)
{
    on_topic t = {0};

    for (int i = 0; i < g->noffsets; i++) {
        const ks_offset *o = &g->offsets[i];
        if (strcmp(o->topic, topic))
            continue;
        t.n++;
        if (o->lag_valid) {
            t.lag_valid = true;
            t.lag += o->lag;
        }
        if (o->time_lag_valid && (!t.time_lag_valid || o->time_lag_ms > t.time_lag_ms)) {
            t.time_lag_valid = true;
            t.time_lag_ms = o->time_lag_ms;
            t.time_lag_at_least = o->time_lag_at_least;
        }
    }
    return t;
}

static bool group_reads(const ks_group *g, const char *topic)
{
    if (group_on_topic(g, topic).n)
        return true;
    for (int m = 0; m < g->nmembers; m++)
        for (int a = 0; a < g->members[m].nassignment; a++)
            if (!strcmp(g->members[m].assignment[a].topic, topic))
                return true;
    return false;
}

static void build_groups(ks_table *table, const ks_snapshot *snap, void *ctx)
{
    topic_state *st = ctx;
    const ks_groups *gs = snap ? snap->groups : NULL;

    for (int i = 0; gs && st->name && i < gs->ngroups; i++)
        if (group_reads(&gs->groups[i], st->name))
            table_add(table, gs->groups[i].id, &gs->groups[i]);
}

static void group_cell(const void *row, int col, char *buf, size_t size, ks_elem *elem, void *ctx)
{
    const ks_group *g = row;
    topic_state *st = ctx;
    on_topic t = group_on_topic(g, st->name);

    switch (col) {
    case G_ID:
        snprintf(buf, size, "%s", g->id);
        break;
    case G_STATE:
        snprintf(buf, size, "%s", g->state ? g->state : fmt_glyph(GLYPH_UNKNOWN));
        *elem = g->state && !strcmp(g->state, "Stable") ? ELEM_OK : ELEM_WARNING;
        break;
    case G_PARTS:
        snprintf(buf, size, "%d", t.n);
        break;
    case G_LAG:
        fmt_opt(buf, size, t.lag_valid, t.lag);
        *elem = t.lag_valid && t.lag > 0 ? ELEM_LAG_HIGH : ELEM_NORMAL;
        break;
    case G_TIME_LAG:
        fmt_time_lag(buf, size, t.time_lag_valid, t.time_lag_at_least, t.time_lag_ms);
        *elem = !t.time_lag_valid ? ELEM_MUTED : t.time_lag_ms ? ELEM_NORMAL : ELEM_OK;
        break;
    }
}

static int group_compare(const void *a, const void *b, int col, void *ctx)
{
    topic_state *st = ctx;
    on_topic x = group_on_topic(a, st->name), y = group_on_topic(b, st->name);
    int64_t lx, ly;

    switch (col) {
    case G_STATE:
        return strcmp(((const ks_group *)a)->state ? ((const ks_group *)a)->state : "",
                      ((const ks_group *)b)->state ? ((const ks_group *)b)->state : "");
    case G_PARTS:
        return (x.n > y.n) - (x.n < y.n);
    case G_LAG:
        lx = x.lag_valid ? x.lag : -1;
        ly = y.lag_valid ? y.lag : -1;
        return (lx > ly) - (lx < ly);
    case G_TIME_LAG:
        lx = x.time_lag_valid ? x.time_lag_ms : -1;
        ly = y.time_lag_valid ? y.time_lag_ms : -1;
        return (lx > ly) - (lx < ly);
    }
    return 0;
}

static const ks_table_ops group_ops = {
    .build = build_groups, .cell = group_cell, .compare = group_compare};

/* ---- the view ---- */

static void *create(ks_ui *ui)
{
    topic_state *st = xcalloc(1, sizeof(*st));
    st->ui = ui;
    st->parts = table_new(part_columns, (int)(sizeof(part_columns) / sizeof(part_columns[0])),
                          &part_ops, st, 0);
    st->groups = table_new(group_columns, (int)(sizeof(group_columns) / sizeof(group_columns[0])),
                           &group_ops, st, TABLE_TOMBSTONES);
    return st;
}

static void destroy(void *state)
{
    topic_state *st = state;
    table_free(st->parts);
    table_free(st->groups);
    free(st->keys);
    free(st->name);
    free(st);
}

static void enter(void *state, ks_ui *ui, const char *arg)
{
    topic_state *st = state;

    if (st->name && arg && !strcmp(st->name, arg))
        return;
    /* another topic: fresh tables, nothing carried over from the last one */
    free(st->name);
    st->name = xstrdup(arg);
    st->focus = 0;
    table_free(st->parts);
    table_free(st->groups);
    st->parts = table_new(part_columns, (int)(sizeof(part_columns) / sizeof(part_columns[0])),
                          &part_ops, st, 0);
    st->groups = table_new(group_columns, (int)(sizeof(group_columns) / sizeof(group_columns[0])),
                           &group_ops, st, TABLE_TOMBSTONES);
    (void)ui;
}

static void sync(void *state, ks_ui *ui)
{
    topic_state *st = state;
    table_sync(st->parts, ui->snap, ui->now_ms, false);
    table_sync(st->groups, ui->snap, ui->now_ms, false);
    table_expire(st->groups, ui->now_ms);
}

static void draw(void *state, ks_ui *ui, ks_rect body)
{
    topic_state *st = state;
    const ks_topic *t = current_topic(st, ui->snap);
    ks_rect top, bottom, line;
    char why[512];
    int64_t msgs = 0;
    bool valid;
    int x;

    sync(st, ui);
    if (!t && ui->snap->cluster && !ui->snap->cluster->part.error)
        snprintf(why, sizeof(why), "topic not in the cluster's metadata (deleted?)");
    else
        view_empty_reason(ui->snap->cluster, "kafka", "no partitions", why, sizeof(why));
    table_set_empty(st->parts, why);
    table_set_empty(st->groups, ui->snap->groups && !ui->snap->groups->supported
                                    ? "this cluster cannot list consumer groups"
                                    : view_empty_reason(ui->snap->groups, "groups",
                                                        "no group has offsets on this topic", why,
                                                        sizeof(why)));
    body = view_title(ui, body, "%s", t && t->internal ? "internal topic" : "");
    if (t && body.h > 2) {
        line = (ks_rect){body.y, body.x + 1, 1, body.w - 1};
        x = view_pair(line, line.x, "partitions", ELEM_NORMAL, "%d", t->npartitions);
        x = view_pair(line, x, "replication", ELEM_NORMAL, "%d", topic_replication_factor(t));
        x = view_pair(line, x, "under-replicated",
                      topic_under_replicated(t) ? ELEM_WARNING : ELEM_OK, "%d",
                      topic_under_replicated(t));
        valid = topic_messages(t, &msgs);
        x = view_pair(line, x, "messages", ELEM_NORMAL, "%s",
                      fmt_opt(why, sizeof(why), valid, msgs));
        if (t->error)
            view_pair(line, x, "error", ELEM_ERROR, "%s", t->error);
        body = layout_below(body, 2);
    }
    layout_split(body, table_count(st->groups) + 3, 4, &top, &bottom);
    table_draw(st->parts, top, st->focus == 0);
    if (bottom.h > 2)
        table_draw(st->groups, layout_below(bottom, 1), st->focus == 1);
}

static ks_table *focus(void *state)
{
    topic_state *st = state;
    return st->focus ? st->groups : st->parts;
}

static int tab(void *state)
{
    topic_state *st = state;
    st->focus = !st->focus;
    return REACT_REDRAW;
}

static int open_row(void *state, ks_ui *ui)
{
    topic_state *st = state;
    const ks_group *g;

    if (st->focus == 0) {
        ui_message(ui, ELEM_MUTED, "Tab moves to the groups reading this topic");
        return REACT_REDRAW;
    }
    if (!(g = table_selected(st->groups)))
        return REACT_NONE;
    view_push(ui, VIEW_GROUP, g->id);
    return REACT_REDRAW;
}

const ks_view_def view_topic_def = {
    .sync = sync,
    .name = "topic",
    .title = "Topic",
    .arg_name = "TOPIC",
    .complete = complete_topics,
    .create = create,
    .destroy = destroy,
    .enter = enter,
    .draw = draw,
    .focus = focus,
    .tab = tab,
    .open = open_row,
};
