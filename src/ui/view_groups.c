/* view_groups: consumer groups with state, members, lag and a lag sparkline kept UI-side. */
#include "command.h"
#include "fmt.h"
#include "group_history.h"
#include "snapshot.h"
#include "ui.h"
#include "widget_sparkline.h"
#include "widget_table.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HISTORY_FORGET_MS (10 * 60 * 1000) /* a group unseen this long loses its history */
#define TREND_WIDTH 9

enum {
    C_ID,
    C_STATE,
    C_MEMBERS,
    C_GEN,
    C_REBALANCED,
    C_ASSIGNOR,
    C_TOPICS,
    C_LAG,
    C_TIME_LAG,
    C_TREND
};

static const ks_column columns[] = {
    [C_ID] = {"GROUP", 20, COL_FLEX},
    [C_STATE] = {"STATE", 18, 0},
    [C_MEMBERS] = {"MEMBERS", 7, COL_RIGHT},
    [C_GEN] = {"GEN", 4, COL_RIGHT | COL_OPTIONAL},
    [C_REBALANCED] = {"REBALANCED", 10, COL_RIGHT | COL_OPTIONAL},
    [C_ASSIGNOR] = {"ASSIGNOR", 10, COL_OPTIONAL},
    [C_TOPICS] = {"TOPICS", 11, COL_OPTIONAL},
    [C_LAG] = {"LAG", 10, COL_RIGHT},
    [C_TIME_LAG] = {"TIME LAG", 8, COL_RIGHT | COL_OPTIONAL},
    [C_TREND] = {"LAG TREND", TREND_WIDTH, COL_OPTIONAL},
};

/* Lag samples of one group from successive snapshots. */
typedef struct lag_history {
    char *id;
    int64_t seen_ms;
    ks_spark spark;
} lag_history;

typedef struct groups_state {
    ks_ui *ui;
    ks_table *table;
    lag_history **hist; /* sorted by id */
    int nhist;
    const void *sampled; /* groups part last sampled */
    unsigned context_gen;
} groups_state;

static void history_clear(groups_state *st)
{
    for (int i = 0; i < st->nhist; i++) {
        free(st->hist[i]->id);
        free(st->hist[i]);
    }
    free(st->hist);
    st->hist = NULL;
    st->nhist = 0;
}

static const lag_history *history_find(const groups_state *st, const char *id)
{
    int lo = 0, hi = st->nhist - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2, c = strcmp(st->hist[mid]->id, id);
        if (!c)
            return st->hist[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

/* One merge pass of the sorted history with the sorted groups: O(n + m). */
static void sample(void *state, ks_ui *ui)
{
    groups_state *st = state;
    const ks_groups *gs = ui->snap->groups;
    lag_history **out;
    int i = 0, j = 0, n = 0;

    if (st->context_gen != ui->context_gen) {
        history_clear(st);
        st->context_gen = ui->context_gen;
    }
    if (!gs || (const void *)gs == st->sampled || !gs->supported)
        return;
    st->sampled = gs;
    out = xmalloc(sizeof(*out) * (size_t)(st->nhist + gs->ngroups + 1));
    while (i < st->nhist || j < gs->ngroups) {
        int c = i >= st->nhist     ? 1
                : j >= gs->ngroups ? -1
                                   : strcmp(st->hist[i]->id, gs->groups[j].id);
        lag_history *h;
        if (c < 0) {
            h = st->hist[i++];
            if (ui->now_ms - h->seen_ms < HISTORY_FORGET_MS)
                out[n++] = h;
            else {
                free(h->id);
                free(h);
            }
            continue;
        }
        if (c > 0) {
            h = xcalloc(1, sizeof(*h));
            h->id = xstrdup(gs->groups[j].id);
        } else
            h = st->hist[i++];
        sparkline_push(&h->spark, gs->groups[j].lag_valid, gs->groups[j].lag);
        h->seen_ms = ui->now_ms;
        out[n++] = h;
        j++;
    }
    free(st->hist);
    st->hist = out;
    st->nhist = n;
}

static void build(ks_table *table, const ks_snapshot *snap, void *ctx)
{
    const ks_groups *gs = snap ? snap->groups : NULL;

    (void)ctx;
    for (int i = 0; gs && i < gs->ngroups; i++)
        table_add(table, gs->groups[i].id, &gs->groups[i]);
}

/* Distinct topics of a group ("position" or "a, b +2"). */
static void topics_text(const ks_group *g, char *buf, size_t size)
{
    const char *last = NULL;
    size_t len = 0;
    int shown = 0, more = 0;

    buf[0] = '\0';
    for (int i = 0; i < g->noffsets; i++) {
        const char *t = g->offsets[i].topic;
        if (last && !strcmp(last, t))
            continue;
        last = t;
        if (shown < 2 && len < size) {
            len += (size_t)snprintf(buf + len, size - len, "%s%s", shown ? ", " : "", t);
            shown++;
        } else
            more++;
    }
    if (more && len < size)
        snprintf(buf + len, size - len, " +%d", more);
}

static void cell(const void *row, int col, char *buf, size_t size, ks_elem *elem, void *ctx)
{
    const ks_group *g = row;
    groups_state *st = ctx;
    ks_group_history *hist = st->ui->opts->group_history;
    const lag_history *h;
    int64_t end;
    uint64_t count;
    bool open;
    int32_t gen;
    char age[16];

    switch (col) {
    case C_ID:
        snprintf(buf, size, "%s", g->id);
        *elem = g->error ? ELEM_ERROR : ELEM_NORMAL;
        break;
    case C_STATE:
        snprintf(buf, size, "%s", g->state ? g->state : fmt_glyph(GLYPH_UNKNOWN));
        *elem = !g->state                     ? ELEM_MUTED
                : !strcmp(g->state, "Stable") ? ELEM_OK
                : !strcmp(g->state, "Empty")  ? ELEM_MUTED
                                              : ELEM_WARNING;
        break;
    case C_MEMBERS:
        snprintf(buf, size, "%d", g->nmembers);
        break;
    case C_GEN:
        /* the coordinator's, from its log (group_history), or the model's */
        if (g->generation_valid)
            snprintf(buf, size, "%d", g->generation);
        else if (!hist || !group_history_generation(hist, g->id, &gen))
            snprintf(buf, size, "%s", fmt_glyph(GLYPH_UNKNOWN));
        else
            snprintf(buf, size, "%d", gen);
        break;
    case C_REBALANCED:
        /* how long ago the newest rebalance known ended (seen, or replayed from the log) */
        if (!hist || !group_history_latest(hist, g->id, &end, &open, &count)) {
            snprintf(buf, size, "%s", fmt_glyph(GLYPH_UNKNOWN));
            *elem = ELEM_MUTED;
            break;
        }
        (void)count; /* the group view's rebalances tab numbers them */
        if (open)
            snprintf(buf, size, "now");
        else
            snprintf(buf, size, "%s ago", fmt_age(age, sizeof(age), st->ui->now_ms - end));
        /* under way, or within the last minute: the group is churning */
        *elem = open || st->ui->now_ms - end < 60000 ? ELEM_WARNING : ELEM_NORMAL;
        break;
    case C_ASSIGNOR:
        snprintf(buf, size, "%s", g->assignor && *g->assignor ? g->assignor : "");
        break;
    case C_TOPICS:
        topics_text(g, buf, size);
        break;
    case C_LAG:
        fmt_opt(buf, size, g->lag_valid, g->lag);
        h = history_find(st, g->id);
        /* a lag that grew over the last four refreshes is a consumer falling behind */
        *elem = !g->lag_valid                            ? ELEM_MUTED
                : g->lag == 0                            ? ELEM_OK
                : h && sparkline_trend(&h->spark, 4) > 0 ? ELEM_LAG_HIGH
                                                         : ELEM_NORMAL;
        break;
    case C_TIME_LAG:
        /* the age of the oldest unconsumed message (lagclock.h) */
        fmt_time_lag(buf, size, g->time_lag_valid, g->time_lag_at_least, g->time_lag_ms);
        *elem = !g->time_lag_valid ? ELEM_MUTED : g->time_lag_ms ? ELEM_NORMAL : ELEM_OK;
        break;
    case C_TREND:
        h = history_find(st, g->id);
        if (h)
            sparkline_render(&h->spark, TREND_WIDTH, fmt_utf8(), buf, size);
        *elem = ELEM_SPARK;
        break;
    }
}

/* When the group's newest rebalance ended (now if open); -1 if none. */
static int64_t latest_end(void *ctx, const char *id)
{
    groups_state *st = ctx;
    ks_group_history *hist = st->ui->opts->group_history;
    int64_t end;
    uint64_t count;
    bool open;

    if (!hist || !group_history_latest(hist, id, &end, &open, &count))
        return -1;
    return open ? st->ui->now_ms : end;
}

static int compare(const void *a, const void *b, int col, void *ctx)
{
    const ks_group *x = a, *y = b;
    int64_t vx, vy;

    switch (col) {
    case C_STATE:
        return strcmp(x->state ? x->state : "", y->state ? y->state : "");
    case C_MEMBERS:
        return (x->nmembers > y->nmembers) - (x->nmembers < y->nmembers);
    case C_REBALANCED: /* the most recent first when descending */
        vx = latest_end(ctx, x->id);
        vy = latest_end(ctx, y->id);
        return (vx > vy) - (vx < vy);
    case C_ASSIGNOR:
        return strcmp(x->assignor ? x->assignor : "", y->assignor ? y->assignor : "");
    case C_LAG:
    case C_TREND:
        vx = x->lag_valid ? x->lag : -1;
        vy = y->lag_valid ? y->lag : -1;
        return (vx > vy) - (vx < vy);
    case C_TIME_LAG:
        vx = x->time_lag_valid ? x->time_lag_ms : -1;
        vy = y->time_lag_valid ? y->time_lag_ms : -1;
        return (vx > vy) - (vx < vy);
    }
    return 0;
}

static const ks_table_ops ops = {.build = build, .cell = cell, .compare = compare};

static void *create(ks_ui *ui)
{
    groups_state *st = xcalloc(1, sizeof(*st));
    st->ui = ui;
    st->table =
        table_new(columns, (int)(sizeof(columns) / sizeof(columns[0])), &ops, st, TABLE_TOMBSTONES);
    return st;
}

static void destroy(void *state)
{
    groups_state *st = state;
    table_free(st->table);
    history_clear(st);
    free(st);
}

static void sync(void *state, ks_ui *ui)
{
    groups_state *st = state;
    table_sync(st->table, ui->snap, ui->now_ms, false);
    table_expire(st->table, ui->now_ms);
}

static void draw(void *state, ks_ui *ui, ks_rect body)
{
    groups_state *st = state;
    const ks_groups *gs = ui->snap->groups;
    char why[512];

    sync(st, ui);
    if (gs && !gs->supported)
        snprintf(why, sizeof(why), "this cluster cannot list consumer groups%s",
                 ui->opts->demo ? " (the mock cluster has no group-listing API)" : "");
    else
        view_empty_reason(gs, "groups", "no consumer groups", why, sizeof(why));
    table_set_empty(st->table, why);
    if (!gs || !gs->supported || !view_part_known(gs, gs->ngroups)) {
        table_draw(st->table, view_title(ui, body, "%s", ""), true);
        return;
    }
    body = view_title(ui, body, "%d groups%s", table_count(st->table),
                      *table_filter(st->table) ? ", filtered" : "");
    table_draw(st->table, body, true);
}

static ks_table *focus(void *state)
{
    return ((groups_state *)state)->table;
}

static int open_group(void *state, ks_ui *ui)
{
    const ks_group *g = table_selected(((groups_state *)state)->table);
    if (!g)
        return REACT_NONE;
    view_push(ui, VIEW_GROUP, g->id);
    return REACT_REDRAW;
}

const ks_view_def view_groups_def = {
    .sync = sync,
    .name = "groups",
    .aliases = "g cg consumers consumergroups",
    .title = "Groups",
    .key = '3',
    .create = create,
    .destroy = destroy,
    .draw = draw,
    .focus = focus,
    .open = open_group,
    .sample = sample,
};
