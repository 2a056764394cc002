/* view_zookeeper: each ZooKeeper server's role and stats, and the quorum in plain words. */
#include "draw.h"
#include "fmt.h"
#include "snapshot.h"
#include "ui.h"
#include "widget_table.h"
#include "xmalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { C_SERVER, C_MODE, C_ZXID, C_CONNS, C_LATENCY, C_NODES, C_VERSION, C_ERROR };

static const ks_column columns[] = {
    [C_SERVER] = {"SERVER", 20, 0},
    [C_MODE] = {"MODE", 11, 0},
    [C_ZXID] = {"ZXID", 12, COL_RIGHT},
    [C_CONNS] = {"CONNS", 5, COL_RIGHT},
    [C_LATENCY] = {"LAT AVG/MAX", 11, COL_RIGHT | COL_OPTIONAL},
    [C_NODES] = {"ZNODES", 7, COL_RIGHT | COL_OPTIONAL},
    [C_VERSION] = {"VERSION", 12, COL_OPTIONAL},
    [C_ERROR] = {"ERROR", 16, COL_FLEX | COL_OPTIONAL},
};

typedef struct zk_state {
    ks_table *table;
} zk_state;

static void build(ks_table *table, const ks_snapshot *snap, void *ctx)
{
    const ks_zk *zk = snap ? snap->zk : NULL;

    (void)ctx;
    for (int i = 0; zk && i < zk->nservers; i++)
        table_add(table, zk->servers[i].address, &zk->servers[i]);
}

static ks_elem mode_elem(ks_zk_mode mode)
{
    switch (mode) {
    case KS_ZK_LEADER:
    case KS_ZK_STANDALONE:
        return ELEM_OK;
    case KS_ZK_FOLLOWER:
    case KS_ZK_OBSERVER:
        return ELEM_NORMAL;
    case KS_ZK_REFUSED:
    case KS_ZK_READ_ONLY:
        return ELEM_WARNING;
    case KS_ZK_NOT_SERVING:
    case KS_ZK_DOWN:
        return ELEM_ERROR;
    case KS_ZK_UNKNOWN:
        break;
    }
    return ELEM_MUTED;
}

static void cell(const void *row, int col, char *buf, size_t size, ks_elem *elem, void *ctx)
{
    const ks_zk_server *s = row;
    const char *unknown = fmt_glyph(GLYPH_UNKNOWN);

    (void)ctx;
    if (!s->stats_valid && col >= C_ZXID && col <= C_VERSION) {
        snprintf(buf, size, "%s", unknown);
        *elem = ELEM_MUTED;
        return;
    }
    switch (col) {
    case C_SERVER:
        snprintf(buf, size, "%s", s->address);
        break;
    case C_MODE:
        snprintf(buf, size, "%s", zk_mode_name(s->mode));
        *elem = mode_elem(s->mode);
        break;
    case C_ZXID:
        snprintf(buf, size, "0x%" PRIx64, s->zxid);
        break;
    case C_CONNS:
        snprintf(buf, size, "%d", s->connections);
        break;
    case C_LATENCY:
        snprintf(buf, size, "%.1f/%" PRId64, s->latency_avg_ms, s->latency_max_ms);
        break;
    case C_NODES:
        snprintf(buf, size, "%" PRId64, s->node_count);
        break;
    case C_VERSION:
        snprintf(buf, size, "%s", s->version ? s->version : unknown);
        break;
    case C_ERROR:
        if (s->mode == KS_ZK_REFUSED && !s->error)
            snprintf(buf, size, "srvr is not in 4lw.commands.whitelist");
        else
            snprintf(buf, size, "%s", s->error ? s->error : "");
        *elem = s->mode == KS_ZK_REFUSED ? ELEM_WARNING : ELEM_ERROR;
        break;
    }
}

static const ks_table_ops ops = {.build = build, .cell = cell};

static void *create(ks_ui *ui)
{
    zk_state *st = xcalloc(1, sizeof(*st));
    (void)ui;
    st->table = table_new(columns, (int)(sizeof(columns) / sizeof(columns[0])), &ops, st, 0);
    return st;
}

static void destroy(void *state)
{
    zk_state *st = state;
    table_free(st->table);
    free(st);
}

/* The quorum in words: who leads, how many serve, and what that means. */
static void quorum_words(const ks_zk *zk, char *buf, size_t size, ks_elem *elem)
{
    const char *leader = NULL;
    int serving = 0, n = zk->nservers;

    for (int i = 0; i < n; i++) {
        ks_zk_mode m = zk->servers[i].mode;
        if (m == KS_ZK_LEADER || m == KS_ZK_STANDALONE)
            leader = zk->servers[i].address;
        serving += m == KS_ZK_LEADER || m == KS_ZK_FOLLOWER || m == KS_ZK_OBSERVER ||
                   m == KS_ZK_STANDALONE;
    }
    if (!zk->quorum_valid) {
        snprintf(buf, size,
                 "quorum unknown: no server answered srvr (is it in "
                 "4lw.commands.whitelist?)");
        *elem = ELEM_WARNING;
        return;
    }
    if (zk->quorum && n == 1)
        snprintf(buf, size, "standalone server %s is serving", leader ? leader : "?");
    else if (zk->quorum)
        snprintf(buf, size, "quorum held: %s leads, %d of %d servers serving; %d more may fail",
                 leader ? leader : "?", serving, n, serving - (n / 2 + 1));
    else
        snprintf(buf, size,
                 "NO QUORUM: %d of %d servers serving, %d needed; Kafka cannot elect "
                 "controllers or change metadata",
                 serving, n, n / 2 + 1);
    *elem = !zk->quorum ? ELEM_ERROR : serving < n ? ELEM_WARNING : ELEM_OK;
}

/* No ZooKeeper: say so, and point at the controller that exists instead. */
static void draw_absent(ks_ui *ui, ks_rect body)
{
    const ks_cluster *c = ui->snap->cluster;
    const ks_broker *b = c ? snapshot_broker(ui->snap, c->controller) : NULL;
    char line[256];

    draw_text(body.y + 1, body.x + 1, body.w - 1, ELEM_NORMAL,
              "No ZooKeeper configured (--zookeeper HOST:PORT,... or the profile's zookeeper).",
              false);
    draw_text(body.y + 2, body.x + 1, body.w - 1, ELEM_MUTED,
              "A KRaft cluster has no ZooKeeper: its metadata quorum runs in the controllers.",
              false);
    if (b)
        snprintf(line, sizeof(line), "Active controller: broker %d (%s:%d)", b->id,
                 b->host ? b->host : "?", b->port);
    else
        snprintf(line, sizeof(line), "Active controller: %s", fmt_glyph(GLYPH_UNKNOWN));
    draw_text(body.y + 4, body.x + 1, body.w - 1, ELEM_TITLE, line, false);
}

static void sync(void *state, ks_ui *ui)
{
    table_sync(((zk_state *)state)->table, ui->snap, ui->now_ms, false);
}

static void draw(void *state, ks_ui *ui, ks_rect body)
{
    zk_state *st = state;
    const ks_zk *zk = ui->snap->zk;
    char words[256];
    ks_elem elem;

    sync(st, ui);
    body = view_title(ui, body, "%s", "");
    if (!zk && !ui->opts->zk_configured) {
        if (body.h > 5)
            draw_absent(ui, body);
        return;
    }
    table_set_empty(st->table,
                    view_empty_reason(zk, "zookeeper", "no servers", words, sizeof(words)));
    if (zk && zk->nservers && body.h > 2) {
        quorum_words(zk, words, sizeof(words), &elem);
        draw_text(body.y, body.x + 1, body.w - 1, elem, words, false);
        body = layout_below(body, 2);
    }
    table_draw(st->table, body, true);
}

static ks_table *focus(void *state)
{
    return ((zk_state *)state)->table;
}

const ks_view_def view_zookeeper_def = {
    .sync = sync,
    .name = "zk",
    .aliases = "zookeeper z ensemble",
    .title = "ZooKeeper",
    .key = '4',
    .create = create,
    .destroy = destroy,
    .draw = draw,
    .focus = focus,
};
