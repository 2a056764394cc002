/* ui: the state shared by the loop, the dispatcher and the views (UI thread only). */
#ifndef KS_UI_H
#define KS_UI_H

#include <stdbool.h>
#include <stdint.h>

#include "app.h"
#include "model.h"
#include "theme.h"
#include "view.h"
#include "widget_prompt.h"

/* Reaction flags returned by every handler: handlers never draw (htop's Htop_Reaction). */
#define REACT_NONE 0
#define REACT_REDRAW 0x1  /* something visible changed */
#define REACT_REBUILD 0x2 /* rows must be rebuilt: filter, sort, toggle */
#define REACT_QUIT 0x4
#define REACT_UNBOUND 0x8  /* nobody took the key */
#define REACT_REPAINT 0x10 /* the terminal may be garbled: repaint every cell */

#define UI_STACK_MAX 16

typedef struct ks_frame {
    int view;      /* ks_view_id */
    char *arg;     /* topic name, group id...; owned */
    char *sel_key; /* selection saved when another frame covers this one; owned */
} ks_frame;

typedef int ks_action_fn(struct ks_ui *ui, const char *arg);

/* A write action waiting for its "y" (see keys_action()). */
typedef struct ks_pending {
    ks_action_fn *fn;
    char *arg;
    char what[96];
} ks_pending;

typedef struct ks_ui {
    const ks_app_opts *opts;
    ks_snapshot *snap; /* the frame views draw from; owned reference, never NULL */
    int64_t now_ms;    /* wall clock at the start of this turn of the loop */
    int interval_ms;
    bool read_only;
    const char *profile; /* borrowed from opts or the config */
    const char *bootstrap;
    ks_theme theme;
    char theme_error[600]; /* why the theme fell back to mono; shown until a theme loads */
    bool colors;           /* the terminal has colours and NO_COLOR is unset */
    bool show_internal;    /* topics: internal topics shown */
    bool curses;           /* the terminal is in curses mode (colours can change) */
    unsigned context_gen;  /* bumped by :ctx; per-cluster history resets */
    void *states[VIEW__COUNT];
    ks_frame stack[UI_STACK_MAX];
    int depth;
    ks_prompt prompt;
    ks_pending pending;
    char msg[256]; /* message line */
    ks_elem msg_elem;
    int64_t msg_until_ms;
    bool quit;
} ks_ui;

/* Prepares ui for opts (no curses): states of every view, root view, theme unset. */
void ui_init(ks_ui *ui, const ks_app_opts *opts, ks_snapshot *snap);
void ui_free(ks_ui *ui);

/* Replaces the current snapshot (takes the caller's reference). */
void ui_set_snapshot(ks_ui *ui, ks_snapshot *snap);

/* Shows a one-line message for a few seconds (errors a little longer). */
void ui_message(ks_ui *ui, ks_elem elem, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Loads name (NULL = "default") through the theme search path; on failure
 * falls back to mono and says so on the message line. Returns 0 or -1. */
int ui_load_theme(ks_ui *ui, const char *name);

#endif
