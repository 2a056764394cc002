/* view_brokers: the overview: cluster summary, ZooKeeper in one line, and every broker. */
#include "fmt.h"
#include "snapshot.h"
#include "ui.h"
#include "widget_table.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>

enum { C_ID, C_ADDRESS, C_STATE, C_ROLE, C_LEADERS, C_REPLICAS };

static const ks_column columns[] = {
    [C_ID] = {"ID", 6, COL_RIGHT},
    [C_ADDRESS] = {"HOST:PORT", 22, COL_FLEX},
    [C_STATE] = {"STATE", 6, 0},
    [C_ROLE] = {"ROLE", 10, COL_OPTIONAL},
    [C_LEADERS] = {"LEADERS", 8, COL_RIGHT},
    [C_REPLICAS] = {"REPLICAS", 8, COL_RIGHT},
};

typedef struct brokers_state {
    ks_ui *ui;
    ks_table *table;
    char (
        *keys)[12]; /* row keys: broker ids as text; rows of the last build only (no tombstones) */
    int nkeys;
} brokers_state;

static void build(ks_table *table, const ks_snapshot *snap, void *ctx)
{
    brokers_state *st = ctx;
    const ks_cluster *c = snap ? snap->cluster : NULL;

    if (c && c->nbrokers > st->nkeys) {
        st->nkeys = c->nbrokers;
        st->keys = xrealloc(st->keys, sizeof(*st->keys) * (size_t)st->nkeys);
    }
    for (int i = 0; c && i < c->nbrokers; i++) {
        snprintf(st->keys[i], sizeof(st->keys[i]), "%d", c->brokers[i].id);
        table_add(table, st->keys[i], &c->brokers[i]);
    }
}

static void cell(const void *row, int col, char *buf, size_t size, ks_elem *elem, void *ctx)
{
    const ks_broker *b = row;
    const ks_cluster *c = ((brokers_state *)ctx)->ui->snap->cluster;

    switch (col) {
    case C_ID:
        snprintf(buf, size, "%d", b->id);
        break;
    case C_ADDRESS:
        /* a broker known only from replica lists has no address yet */
        if (b->host)
            snprintf(buf, size, "%s:%d", b->host, b->port);
        else {
            snprintf(buf, size, "%s", fmt_glyph(GLYPH_UNKNOWN));
            *elem = ELEM_MUTED;
        }
        break;
    case C_STATE:
        snprintf(buf, size, "%s", b->up ? "up" : "down");
        *elem = b->up ? ELEM_OK : ELEM_ERROR;
        break;
    case C_ROLE:
        snprintf(buf, size, "%s", c && c->controller == b->id ? "controller" : "");
        *elem = ELEM_TITLE;
        break;
    case C_LEADERS:
        snprintf(buf, size, "%d", broker_leader_count(c, b->id));
        break;
    case C_REPLICAS:
        snprintf(buf, size, "%d", broker_replica_count(c, b->id));
        break;
    }
}

static int compare(const void *a, const void *b, int col, void *ctx)
{
    const ks_broker *x = a, *y = b;
    const ks_cluster *c = ((brokers_state *)ctx)->ui->snap->cluster;
    int vx = x->id, vy = y->id;

    if (col == C_STATE)
        vx = x->up, vy = y->up;
    else if (col == C_LEADERS)
        vx = broker_leader_count(c, x->id), vy = broker_leader_count(c, y->id);
    else if (col == C_REPLICAS)
        vx = broker_replica_count(c, x->id), vy = broker_replica_count(c, y->id);
    return (vx > vy) - (vx < vy);
}

static const ks_table_ops ops = {.build = build, .cell = cell, .compare = compare};

static void *create(ks_ui *ui)
{
    brokers_state *st = xcalloc(1, sizeof(*st));
    st->ui = ui;
    st->table = table_new(columns, (int)(sizeof(columns) / sizeof(columns[0])), &ops, st, 0);
    return st;
}

static void destroy(void *state)
{
    brokers_state *st = state;
    table_free(st->table);
    free(st->keys);
    free(st);
}

/* "ZooKeeper  quorum, leader zk1:2181, 2 followers" in plain words. */
static void zk_summary(const ks_ui *ui, char *buf, size_t size, int *elem)
{
    const ks_zk *zk = ui->snap->zk;
    const char *leader = NULL;
    int serving = 0;

    *elem = ELEM_NORMAL;
    if (!ui->opts->zk_configured && !zk) {
        snprintf(buf, size, "not configured (--zookeeper HOST:PORT,...)");
        *elem = ELEM_MUTED;
        return;
    }
    if (!zk || zk->nservers == 0) {
        view_empty_reason(zk, "zookeeper", "no servers", buf, size);
        *elem = zk && zk->part.error ? ELEM_ERROR : ELEM_MUTED;
        return;
    }
    for (int i = 0; i < zk->nservers; i++) {
        ks_zk_mode m = zk->servers[i].mode;
        if (m == KS_ZK_LEADER || m == KS_ZK_STANDALONE)
            leader = zk->servers[i].address;
        serving += m == KS_ZK_LEADER || m == KS_ZK_FOLLOWER || m == KS_ZK_OBSERVER ||
                   m == KS_ZK_STANDALONE;
    }
    if (!zk->quorum_valid) {
        snprintf(buf, size, "quorum unknown: %d of %d servers answer", serving, zk->nservers);
        *elem = ELEM_WARNING;
    } else if (zk->quorum)
        snprintf(buf, size, "quorum: leader %s, %d of %d servers serving", leader ? leader : "?",
                 serving, zk->nservers);
    else {
        snprintf(buf, size, "NO QUORUM: %d of %d servers serving", serving, zk->nservers);
        *elem = ELEM_ERROR;
    }
}

static void draw_summary(ks_ui *ui, ks_rect r)
{
    const ks_cluster *c = ui->snap->cluster;
    const ks_groups *g = ui->snap->groups;
    const char *unknown = fmt_glyph(GLYPH_UNKNOWN);
    bool known = view_part_known(c, c ? c->nbrokers + c->ntopics : 0);
    ks_cluster_counts n;
    ks_rect line = {r.y, r.x + 1, 1, r.w - 1};
    char zk[256];
    int x = line.x, elem;

    cluster_counts(c, &n);
    x = view_pair(line, x, "cluster", known ? ELEM_NORMAL : ELEM_MUTED, "%s",
                  c && c->cluster_id ? c->cluster_id : unknown);
    if (c && c->controller != KS_NO_ID)
        x = view_pair(line, x, "controller", ELEM_NORMAL, "%d", c->controller);
    else
        x = view_pair(line, x, "controller", ELEM_MUTED, "%s", unknown);
    if (known)
        view_pair(line, x, "brokers up", n.brokers_up < c->nbrokers ? ELEM_ERROR : ELEM_OK, "%d/%d",
                  n.brokers_up, c->nbrokers);
    else
        view_pair(line, x, "brokers up", ELEM_MUTED, "%s", unknown);
    line.y++;
    x = line.x;
    if (!known) {
        x = view_pair(line, x, "topics", ELEM_MUTED, "%s", unknown);
        x = view_pair(line, x, "partitions", ELEM_MUTED, "%s", unknown);
    } else {
        x = view_pair(line, x, "topics", ELEM_NORMAL, "%d (+%d internal)",
                      n.topics - n.internal_topics, n.internal_topics);
        x = view_pair(line, x, "partitions", ELEM_NORMAL, "%d", n.partitions);
        x = view_pair(line, x, "under-replicated", n.under_replicated ? ELEM_WARNING : ELEM_OK,
                      "%d", n.under_replicated);
        x = view_pair(line, x, "offline", n.offline ? ELEM_ERROR : ELEM_OK, "%d", n.offline);
    }
    if (g && g->supported && view_part_known(g, g->ngroups))
        view_pair(line, x, "groups", ELEM_NORMAL, "%d", g->ngroups);
    else
        view_pair(line, x, "groups", ELEM_MUTED, "%s", unknown);
    line.y++;
    zk_summary(ui, zk, sizeof(zk), &elem);
    view_pair(line, line.x, "ZooKeeper", elem, "%s", zk);
}

static void sync(void *state, ks_ui *ui)
{
    table_sync(((brokers_state *)state)->table, ui->snap, ui->now_ms, false);
}

static void draw(void *state, ks_ui *ui, ks_rect body)
{
    brokers_state *st = state;
    char why[512];

    sync(st, ui);
    table_set_empty(st->table,
                    view_empty_reason(ui->snap->cluster, "kafka", "no brokers", why, sizeof(why)));
    body = view_title(ui, body, "%s", ui->bootstrap ? ui->bootstrap : "");
    if (body.h > 4) {
        draw_summary(ui, body);
        body = layout_below(body, 4);
    }
    table_draw(st->table, body, true);
}

static ks_table *focus(void *state)
{
    return ((brokers_state *)state)->table;
}

const ks_view_def view_brokers_def = {
    .sync = sync,
    .name = "brokers",
    .aliases = "overview b broker cluster",
    .title = "Brokers",
    .key = '1',
    .create = create,
    .destroy = destroy,
    .draw = draw,
    .focus = focus,
};
