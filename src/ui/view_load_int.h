/* view_load_int: the load view's state, shared by its keys (view_load.c) and its drawing
 * (view_load_draw.c). UI thread only. */
#ifndef KS_VIEW_LOAD_INT_H
#define KS_VIEW_LOAD_INT_H

#include "load.h"
#include "ui.h"
#include "widget_prompt.h"
#include "widget_sparkline.h"

/* The sections top to bottom; Tab moves the focus through the shown ones. */
typedef enum load_section {
    LS_SETTINGS,
    LS_RUN,
    LS_MEMBERS,
    LS_COURIERS,
    LS_REBALANCES,
    LS__COUNT
} load_section;

#define REBALANCES_SHOWN 16

typedef struct load_view {
    ks_ui *ui;                /* borrowed, outlives the view */
    ks_load_spec spec;        /* the next run's settings: the form edits these */
    int field;                /* form cursor */
    int focus;                /* load_section */
    int top[LS__COUNT];       /* first scrolled line per section */
    int rows[LS__COUNT];      /* rows each section got in the last frame (paging) */
    bool shown[LS__COUNT];    /* sections the last frame had (Tab skips the others) */
    char form_err[256];       /* why the last edit was refused, until one succeeds */
    int rejected_field;       /* -1, or the field whose refused text Enter brings back */
    char rejected[PROMPT_MAX * 4];
    ks_spark spark_produce, spark_consume; /* the last minute of the run's history */
    ks_load_stats stats;                   /* copied each frame: ~60 KB, too big for the stack */
    ks_load_rebalance rb[REBALANCES_SHOWN];
    int nrb;
} load_view;

/* Draws the sections into body (below the view's title), from st->stats and st->rb. */
void view_load_draw_body(load_view *st, ks_rect body);

#endif
