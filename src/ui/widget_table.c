/* widget_table: rows matched by key, tombstones, filter, sort, selection and drawing. */
#define _GNU_SOURCE /* strcasestr, qsort_r */
#include "widget_table.h"
#include "draw.h"
#include "fmt.h"
#include "snapshot.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ks_row {
    const char *key;
    const void *data;
    ks_snapshot *held; /* tombstones: the snapshot their data lives in (a reference) */
    int64_t gone_ms;   /* 0 = live */
} ks_row;

struct ks_table {
    const ks_column *cols;
    int ncols;
    const ks_table_ops *ops;
    void *ctx;
    unsigned flags;
    ks_row *rows; /* live rows as built, then tombstones */
    int nrows, cap, nlive;
    int *order; /* indices into rows: filtered, sorted */
    int norder, order_cap;
    ks_snapshot *snap;
    bool built;
    char *filter; /* as typed, with a leading '!' when inverted */
    int sort_col;
    bool sort_desc;
    int sel, top, height;
    char *sel_key;
    char *empty;
};

ks_table *table_new(const ks_column *cols, int ncols, const ks_table_ops *ops, void *ctx,
                    unsigned flags)
{
    ks_table *t = xcalloc(1, sizeof(*t));

    t->cols = cols;
    t->ncols = ncols;
    t->ops = ops;
    t->ctx = ctx;
    t->flags = flags;
    t->height = 10;
    return t;
}

static void rows_release(ks_row *rows, int n)
{
    for (int i = 0; i < n; i++)
        snapshot_unref(rows[i].held);
}

void table_free(ks_table *t)
{
    if (!t)
        return;
    rows_release(t->rows, t->nrows);
    free(t->rows);
    free(t->order);
    snapshot_unref(t->snap);
    free(t->filter);
    free(t->sel_key);
    free(t->empty);
    free(t);
}

void table_add(ks_table *t, const char *key, const void *row)
{
    if (t->nrows == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->rows = xrealloc(t->rows, sizeof(ks_row) * (size_t)t->cap);
    }
    t->rows[t->nrows++] = (ks_row){.key = key ? key : "", .data = row};
}

/* ---- ordering and filtering ---- */

static int cmp_rows(const void *a, const void *b, void *arg)
{
    const ks_table *t = arg;
    const ks_row *x = &t->rows[*(const int *)a], *y = &t->rows[*(const int *)b];
    int c = t->ops->compare ? t->ops->compare(x->data, y->data, t->sort_col, t->ctx) : 0;

    if (c == 0)
        c = strcmp(x->key, y->key);
    return t->sort_desc ? -c : c;
}

static bool row_matches(const ks_table *t, const ks_row *r)
{
    const char *pat = t->filter;
    bool invert, hit;

    if (!pat || !*pat)
        return true;
    invert = pat[0] == '!';
    if (invert)
        pat++;
    if (!*pat)
        return true;
    hit = t->ops->match ? t->ops->match(r->data, r->key, pat, t->ctx)
                        : strcasestr(r->key, pat) != NULL;
    return hit != invert;
}

static void set_sel_key(ks_table *t)
{
    free(t->sel_key);
    t->sel_key = t->norder ? xstrdup(t->rows[t->order[t->sel]].key) : NULL;
}

/* Recomputes the display order and puts the selection back on its key. */
static void refresh_order(ks_table *t)
{
    if (t->order_cap < t->nrows) {
        t->order_cap = t->nrows;
        t->order = xrealloc(t->order, sizeof(int) * (size_t)t->order_cap);
    }
    t->norder = 0;
    for (int i = 0; i < t->nrows; i++)
        if (row_matches(t, &t->rows[i]))
            t->order[t->norder++] = i;
    if (t->norder > 1)
        qsort_r(t->order, (size_t)t->norder, sizeof(int), cmp_rows, t);
    if (t->sel_key)
        for (int i = 0; i < t->norder; i++)
            if (!strcmp(t->rows[t->order[i]].key, t->sel_key)) {
                t->sel = i;
                return;
            }
    /* the selected row is gone: stay at the same place */
    if (t->sel >= t->norder)
        t->sel = t->norder - 1;
    if (t->sel < 0)
        t->sel = 0;
    set_sel_key(t);
}

/* ---- rebuilding ---- */

static int cmp_key_index(const void *a, const void *b, void *arg)
{
    const ks_row *rows = arg;
    return strcmp(rows[*(const int *)a].key, rows[*(const int *)b].key);
}

static bool key_live(const ks_row *rows, const int *index, int n, const char *key)
{
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2, c = strcmp(rows[index[mid]].key, key);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return false;
}

/* Old rows that vanished become (or stay) tombstones after the live rows. */
static void carry_tombstones(ks_table *t, ks_row *old, int nold, int64_t now)
{
    int *index = xmalloc(sizeof(int) * (size_t)(t->nlive ? t->nlive : 1));

    for (int i = 0; i < t->nlive; i++)
        index[i] = i;
    if (t->nlive > 1)
        qsort_r(index, (size_t)t->nlive, sizeof(int), cmp_key_index, t->rows);
    for (int i = 0; i < nold; i++) {
        ks_row r = old[i];
        if (key_live(t->rows, index, t->nlive, r.key)) {
            snapshot_unref(r.held); /* back to life: the live row replaces it */
            continue;
        }
        if (r.gone_ms == 0 && t->snap) {
            r.held = snapshot_ref(t->snap);
            r.gone_ms = now;
        } else if (r.gone_ms == 0 || now - r.gone_ms >= TABLE_TOMBSTONE_MS) {
            snapshot_unref(r.held);
            continue;
        }
        table_add(t, r.key, r.data);
        t->rows[t->nrows - 1].held = r.held;
        t->rows[t->nrows - 1].gone_ms = r.gone_ms;
    }
    free(index);
}

void table_sync(ks_table *t, ks_snapshot *snap, int64_t now_ms, bool force)
{
    ks_row *old = t->rows;
    int nold = t->nrows;

    if (t->built && !force && snap == t->snap)
        return;
    t->rows = NULL;
    t->nrows = t->cap = 0;
    if (t->ops->build)
        t->ops->build(t, snap, t->ctx);
    t->nlive = t->nrows;
    if (t->flags & TABLE_TOMBSTONES)
        carry_tombstones(t, old, nold, now_ms);
    else
        rows_release(old, nold);
    free(old);
    if (snap != t->snap) {
        snapshot_unref(t->snap);
        t->snap = snapshot_ref(snap);
    }
    t->built = true;
    refresh_order(t);
}

bool table_expire(ks_table *t, int64_t now_ms)
{
    int n = t->nlive;
    bool changed = false;

    for (int i = t->nlive; i < t->nrows; i++) {
        if (now_ms - t->rows[i].gone_ms >= TABLE_TOMBSTONE_MS) {
            snapshot_unref(t->rows[i].held);
            changed = true;
            continue;
        }
        t->rows[n++] = t->rows[i];
    }
    t->nrows = n;
    if (changed)
        refresh_order(t);
    return changed;
}

/* ---- filter, sort, selection ---- */

void table_set_filter(ks_table *t, const char *pattern)
{
    free(t->filter);
    t->filter = pattern && *pattern ? xstrdup(pattern) : NULL;
    refresh_order(t);
}

const char *table_filter(const ks_table *t)
{
    return t->filter ? t->filter : "";
}

void table_set_sort(ks_table *t, int col, bool descending)
{
    t->sort_col = col < 0 ? 0 : col >= t->ncols ? t->ncols - 1 : col;
    t->sort_desc = descending;
    refresh_order(t);
}

void table_sort_step(ks_table *t, int delta)
{
    table_set_sort(t, (t->sort_col + delta + t->ncols) % t->ncols, false);
}

void table_sort_invert(ks_table *t)
{
    table_set_sort(t, t->sort_col, !t->sort_desc);
}

int table_sort_col(const ks_table *t)
{
    return t->sort_col;
}

bool table_sort_desc(const ks_table *t)
{
    return t->sort_desc;
}

void table_move_to(ks_table *t, int index)
{
    if (t->norder == 0)
        return;
    if (index < 0 || index >= t->norder)
        index = index < 0 ? t->norder - 1 : t->norder - 1;
    t->sel = index;
    set_sel_key(t);
}

void table_move(ks_table *t, int delta)
{
    int to = t->sel + delta;
    table_move_to(t, to < 0 ? 0 : to);
}

void table_page(ks_table *t, int pages)
{
    int step = t->height > 1 ? t->height - 1 : 1;
    table_move(t, pages * step);
}

bool table_select_key(ks_table *t, const char *key)
{
    if (!key)
        return false;
    for (int i = 0; i < t->norder; i++)
        if (!strcmp(t->rows[t->order[i]].key, key)) {
            t->sel = i;
            set_sel_key(t);
            return true;
        }
    /* not built yet: remember it so the first build lands on it */
    if (!t->built) {
        free(t->sel_key);
        t->sel_key = xstrdup(key);
    }
    return false;
}

const char *table_selected_key(const ks_table *t)
{
    return t->norder ? t->rows[t->order[t->sel]].key : NULL;
}

const void *table_selected(const ks_table *t)
{
    if (!t->norder || t->rows[t->order[t->sel]].gone_ms)
        return NULL;
    return t->rows[t->order[t->sel]].data;
}

int table_selected_index(const ks_table *t)
{
    return t->norder ? t->sel : -1;
}

int table_count(const ks_table *t)
{
    return t->norder;
}

int table_total(const ks_table *t)
{
    return t->nlive;
}

const char *table_key_at(const ks_table *t, int i)
{
    return i >= 0 && i < t->norder ? t->rows[t->order[i]].key : NULL;
}

const void *table_row_at(const ks_table *t, int i)
{
    return i >= 0 && i < t->norder ? t->rows[t->order[i]].data : NULL;
}

bool table_tombstone_at(const ks_table *t, int i)
{
    return i >= 0 && i < t->norder && t->rows[t->order[i]].gone_ms != 0;
}

void table_set_empty(ks_table *t, const char *text)
{
    if (t->empty && text && !strcmp(t->empty, text))
        return;
    free(t->empty);
    t->empty = xstrdup(text);
}

/* ---- drawing ---- */

static void draw_header(const ks_table *t, ks_rect r, const int *w)
{
    char title[64];
    int x = r.x;

    draw_fill((ks_rect){r.y, r.x, 1, r.w}, ELEM_COLUMN);
    for (int c = 0; c < t->ncols; c++) {
        bool sorted = c == t->sort_col;
        if (!w[c])
            continue;
        snprintf(title, sizeof(title), "%s%s", t->cols[c].title,
                 sorted ? fmt_glyph(t->sort_desc ? GLYPH_SORT_DOWN : GLYPH_SORT_UP) : "");
        draw_text(r.y, x, w[c], sorted ? ELEM_COLUMN_SORTED : ELEM_COLUMN, title,
                  (t->cols[c].flags & COL_RIGHT) != 0);
        x += w[c] + 1;
    }
    /* position in the list, when there is room after the last column */
    if (t->norder > r.h - 1 && x + 12 < r.x + r.w) {
        snprintf(title, sizeof(title), "%d/%d", t->sel + 1, t->norder);
        draw_text(r.y, r.x + r.w - 12, 12, ELEM_COLUMN, title, true);
    }
}

static void draw_row(ks_table *t, const ks_row *row, int y, ks_rect r, const int *w, int override)
{
    char buf[512];
    int x = r.x;

    if (override >= 0)
        draw_fill((ks_rect){y, r.x, 1, r.w}, (ks_elem) override);
    for (int c = 0; c < t->ncols; c++) {
        ks_elem elem = ELEM_NORMAL;
        if (!w[c])
            continue;
        if (!(t->ops->draw_cell &&
              t->ops->draw_cell(row->data, c, (ks_rect){y, x, 1, w[c]}, override, t->ctx))) {
            buf[0] = '\0';
            t->ops->cell(row->data, c, buf, sizeof(buf), &elem, t->ctx);
            draw_text(y, x, w[c], override >= 0 ? (ks_elem) override : elem, buf,
                      (t->cols[c].flags & COL_RIGHT) != 0);
        }
        x += w[c] + 1;
    }
}

void table_draw(ks_table *t, ks_rect r, bool focused)
{
    int w[32], n = t->ncols < 32 ? t->ncols : 32;
    ks_column cols[32];

    if (r.h <= 0 || r.w <= 0)
        return;
    /* a column is at least as wide as its title and the sort arrow */
    for (int c = 0; c < n; c++) {
        int title = (int)strlen(t->cols[c].title) + 1;
        cols[c] = t->cols[c];
        if (cols[c].width < title)
            cols[c].width = title;
    }
    layout_columns(cols, n, r.w, w);
    draw_header(t, r, w);
    t->height = r.h - 1;
    t->top = layout_scroll(t->top, t->sel, t->height, t->norder);
    if (t->norder == 0) {
        char msg[300];
        if (t->filter && t->nrows)
            snprintf(msg, sizeof(msg), "no rows match /%s", t->filter);
        else
            snprintf(msg, sizeof(msg), "%s", t->empty ? t->empty : "nothing to show");
        if (t->height > 0)
            draw_text(r.y + 1, r.x + 1, r.w - 1, ELEM_MUTED, msg, false);
        return;
    }
    for (int i = 0; i < t->height && t->top + i < t->norder; i++) {
        int idx = t->top + i;
        const ks_row *row = &t->rows[t->order[idx]];
        int override = -1;
        if (idx == t->sel)
            override = focused ? ELEM_SELECTED : ELEM_SELECTED_INACTIVE;
        else if (row->gone_ms)
            override = ELEM_TOMBSTONE;
        draw_row(t, row, r.y + 1 + i, r, w, override);
    }
}
