/* widget_table: the one list widget; views give it build/cell/compare/match callbacks. */
#ifndef KS_WIDGET_TABLE_H
#define KS_WIDGET_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "layout.h"
#include "model.h"
#include "theme.h"

typedef struct ks_table ks_table;

typedef struct ks_table_ops {
    /* Adds every row of snap with table_add(). Row pointers and keys must stay
     * valid as long as snap (for tombstones the table keeps snap alive). */
    void (*build)(ks_table *table, const ks_snapshot *snap, void *ctx);
    /* Formats one cell into buf (called for visible rows only); may set *elem. */
    void (*cell)(const void *row, int col, char *buf, size_t size, ks_elem *elem, void *ctx);
    /* Orders two rows by column col, ascending; NULL or 0 falls back to the key. */
    int (*compare)(const void *a, const void *b, int col, void *ctx);
    /* Filter test; NULL = case-insensitive substring of the key. */
    bool (*match)(const void *row, const char *key, const char *pattern, void *ctx);
    /* Optional custom drawing of one cell; returns false to fall back to cell().
     * override is the row's element (selected, tombstone) or -1. */
    bool (*draw_cell)(const void *row, int col, ks_rect cell, int override, void *ctx);
} ks_table_ops;

#define TABLE_TOMBSTONES 0x1u /* vanished rows stay, marked, for TABLE_TOMBSTONE_MS */
#define TABLE_TOMBSTONE_MS 5000

/* cols and ops are borrowed (static tables); ctx is passed to every callback. */
ks_table *table_new(const ks_column *cols, int ncols, const ks_table_ops *ops, void *ctx,
                    unsigned flags);
void table_free(ks_table *table);

/* From build(): one row. key identifies the row across snapshots. */
void table_add(ks_table *table, const char *key, const void *row);

/* Rebuilds from snap when it is not the snapshot last built from, or when
 * forced; matches rows by key, keeps the selection on its key, turns vanished
 * rows into tombstones. Holds a reference to snap (may be NULL: no rows). */
void table_sync(ks_table *table, ks_snapshot *snap, int64_t now_ms, bool force);
/* Drops tombstones older than TABLE_TOMBSTONE_MS; true if any went. */
bool table_expire(ks_table *table, int64_t now_ms);

/* Substring filter; a leading '!' inverts it; "" or NULL clears it. */
void table_set_filter(ks_table *table, const char *pattern);
const char *table_filter(const ks_table *table); /* "" when none */
void table_set_sort(ks_table *table, int col, bool descending);
void table_sort_step(ks_table *table, int delta); /* next/previous column */
void table_sort_invert(ks_table *table);
int table_sort_col(const ks_table *table);
bool table_sort_desc(const ks_table *table);

/* Selection, by row in display order; moves clamp. */
void table_move(ks_table *table, int delta);
void table_page(ks_table *table, int pages);
void table_move_to(ks_table *table, int index); /* -1 = last */
bool table_select_key(ks_table *table, const char *key);
const char *table_selected_key(const ks_table *table); /* NULL if empty */
const void *table_selected(const ks_table *table);     /* NULL if empty or a tombstone */
int table_selected_index(const ks_table *table);

int table_count(const ks_table *table); /* rows shown (after the filter), tombstones included */
int table_total(const ks_table *table); /* live rows before the filter */
const char *table_key_at(const ks_table *table, int index);
const void *table_row_at(const ks_table *table, int index);
bool table_tombstone_at(const ks_table *table, int index);

/* What an empty table says instead of rows (the reason: an error, "waiting"). */
void table_set_empty(ks_table *table, const char *text);

/* Draws the column header and the visible rows only: 10,000 rows cost what 40 do. */
void table_draw(ks_table *table, ks_rect rect, bool focused);

#endif
