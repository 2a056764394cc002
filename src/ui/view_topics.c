/* view_topics: every topic with partitions, replication, under-replicated and message counts. */
#include "command.h"
#include "fmt.h"
#include "keys.h"
#include "action.h"
#include "snapshot.h"
#include "ui.h"
#include "view_tail.h"
#include "widget_table.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { C_NAME, C_PARTS, C_RF, C_URP, C_OFFLINE, C_MESSAGES, C_ERROR };

static const ks_column columns[] = {
    [C_NAME] = {"TOPIC", 20, COL_FLEX},
    [C_PARTS] = {"PARTITIONS", 10, COL_RIGHT},
    [C_RF] = {"RF", 3, COL_RIGHT},
    [C_URP] = {"URP", 4, COL_RIGHT},
    [C_OFFLINE] = {"OFFLINE", 7, COL_RIGHT | COL_OPTIONAL},
    [C_MESSAGES] = {"MESSAGES", 12, COL_RIGHT},
    [C_ERROR] = {"ERROR", 16, COL_OPTIONAL},
};

typedef struct topics_state {
    ks_ui *ui;
    ks_table *table;
    bool internal_built; /* ui->show_internal when last built */
} topics_state;

static int offline_count(const ks_topic *t)
{
    int n = 0;
    for (int i = 0; i < t->npartitions; i++)
        n += partition_offline(&t->partitions[i]);
    return n;
}

static void build(ks_table *table, const ks_snapshot *snap, void *ctx)
{
    topics_state *st = ctx;
    const ks_cluster *c = snap ? snap->cluster : NULL;

    for (int i = 0; c && i < c->ntopics; i++)
        if (!c->topics[i].internal || st->ui->show_internal)
            table_add(table, c->topics[i].name, &c->topics[i]);
}

static void cell(const void *row, int col, char *buf, size_t size, ks_elem *elem, void *ctx)
{
    const ks_topic *t = row;
    int64_t msgs = 0;
    bool valid;
    int n;

    (void)ctx;
    switch (col) {
    case C_NAME:
        snprintf(buf, size, "%s", t->name);
        *elem = t->error ? ELEM_ERROR : t->internal ? ELEM_MUTED : ELEM_NORMAL;
        break;
    case C_PARTS:
        snprintf(buf, size, "%d", t->npartitions);
        break;
    case C_RF:
        snprintf(buf, size, "%d", topic_replication_factor(t));
        break;
    case C_URP:
        n = topic_under_replicated(t);
        snprintf(buf, size, "%d", n);
        *elem = n ? ELEM_WARNING : ELEM_OK;
        break;
    case C_OFFLINE:
        n = offline_count(t);
        snprintf(buf, size, "%d", n);
        *elem = n ? ELEM_ERROR : ELEM_OK;
        break;
    case C_MESSAGES:
        valid = topic_messages(t, &msgs); /* before reading msgs: argument order is unspecified */
        fmt_opt(buf, size, valid, msgs);
        break;
    case C_ERROR:
        snprintf(buf, size, "%s", t->error ? t->error : "");
        *elem = ELEM_ERROR;
        break;
    }
}

static int cmp_i64(int64_t a, int64_t b)
{
    return (a > b) - (a < b);
}

static int compare(const void *a, const void *b, int col, void *ctx)
{
    const ks_topic *x = a, *y = b;
    int64_t mx = -1, my = -1;

    (void)ctx;
    switch (col) {
    case C_PARTS:
        return cmp_i64(x->npartitions, y->npartitions);
    case C_RF:
        return cmp_i64(topic_replication_factor(x), topic_replication_factor(y));
    case C_URP:
        return cmp_i64(topic_under_replicated(x), topic_under_replicated(y));
    case C_OFFLINE:
        return cmp_i64(offline_count(x), offline_count(y));
    case C_MESSAGES:
        /* unknown sorts below every known count */
        if (!topic_messages(x, &mx))
            mx = -1;
        if (!topic_messages(y, &my))
            my = -1;
        return cmp_i64(mx, my);
    case C_ERROR:
        return strcmp(x->error ? x->error : "", y->error ? y->error : "");
    }
    return 0;
}

static const ks_table_ops ops = {.build = build, .cell = cell, .compare = compare};

static void *create(ks_ui *ui)
{
    topics_state *st = xcalloc(1, sizeof(*st));
    st->ui = ui;
    st->table =
        table_new(columns, (int)(sizeof(columns) / sizeof(columns[0])), &ops, st, TABLE_TOMBSTONES);
    return st;
}

static void destroy(void *state)
{
    topics_state *st = state;
    table_free(st->table);
    free(st);
}

static void sync(void *state, ks_ui *ui)
{
    topics_state *st = state;
    table_sync(st->table, ui->snap, ui->now_ms, st->internal_built != ui->show_internal);
    st->internal_built = ui->show_internal;
    table_expire(st->table, ui->now_ms);
}

static void draw(void *state, ks_ui *ui, ks_rect body)
{
    topics_state *st = state;
    ks_cluster_counts counts;
    char why[512];

    sync(st, ui);
    cluster_counts(ui->snap->cluster, &counts);
    table_set_empty(st->table,
                    view_empty_reason(ui->snap->cluster, "kafka", "no topics", why, sizeof(why)));
    if (!view_part_known(ui->snap->cluster,
                         counts.topics + (ui->snap->cluster ? ui->snap->cluster->nbrokers : 0))) {
        table_draw(st->table, view_title(ui, body, "%s", ""), true);
        return;
    }
    body = view_title(ui, body, "%d topics, %d partitions%s%s", table_count(st->table),
                      counts.partitions,
                      counts.internal_topics && !ui->show_internal ? ", internal hidden (i)" : "",
                      *table_filter(st->table) ? ", filtered" : "");
    table_draw(st->table, body, true);
}

static ks_table *focus(void *state)
{
    return ((topics_state *)state)->table;
}

static int open_topic(void *state, ks_ui *ui)
{
    const ks_topic *t = table_selected(((topics_state *)state)->table);
    if (!t)
        return REACT_NONE;
    view_push(ui, VIEW_TOPIC, t->name);
    return REACT_REDRAW;
}

/* t: the selected topic's messages, live */
static int tail_topic(ks_ui *ui, const char *arg)
{
    const ks_topic *t = table_selected(((topics_state *)ui->states[VIEW_TOPICS])->table);

    (void)arg;
    return t ? view_tail_open(ui, t->name) : REACT_NONE;
}

static const ks_binding topics_keys[] = {
    {'i', "i", "show or hide internal topics", action_internal},
    {'t', "t", "tail the selected topic's messages", tail_topic},
    {0},
};

const ks_view_def view_topics_def = {
    .sync = sync,
    .name = "topics",
    .aliases = "t topic-list tp",
    .title = "Topics",
    .key = '2',
    .keys = topics_keys,
    .create = create,
    .destroy = destroy,
    .draw = draw,
    .focus = focus,
    .open = open_topic,
};
