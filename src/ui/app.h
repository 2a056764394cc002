/* app: the dashboard's entry point for main.c; owns the terminal while it runs. */
#ifndef KS_APP_H
#define KS_APP_H

#include <stdbool.h>

#include "cmdq.h"
#include "config.h"
#include "group_history.h"
#include "load.h"
#include "schema_view.h"
#include "store.h"
#include "tail.h"
#include "timeline.h"

/* main.c passes tail, load and schema_view when this is defined */

typedef struct ks_app_opts {
    ks_store *store;               /* borrowed; snapshots come only from here */
    ks_timeline *timeline;         /* borrowed; diff events and log lines */
    ks_cmdq *cmdq;                 /* borrowed; user actions to the backend engine */
    ks_tail *tail;                 /* borrowed; NULL: the tail view says it is unavailable */
    ks_load *load;                 /* borrowed; NULL: no load view */
    ks_schema_view *schema_view;   /* borrowed; NULL: schema texts are not fetched */
    ks_group_history *group_history; /* borrowed; NULL: no rebalances in the group view */
    const ks_config *config;       /* profiles, for :ctx completion */
    const char *profile;           /* current profile name or NULL */
    const char *bootstrap;         /* for the status bar */
    const char *theme;             /* --theme or profile theme, NULL = default */
    const char *themes_dir;        /* installed themes dir (fallback search path) */
    const char *source_themes_dir; /* the repo's themes/ (used when running from the build tree) */
    bool read_only, demo, zk_configured, registry_configured;
    int interval_ms;
} ks_app_opts;

/* @locality main thread, after the backend threads have started. Runs the
 * dashboard until q, :quit, Ctrl-C, SIGTERM or SIGHUP. Returns 0 on a normal
 * quit, 1 on a fatal error (not a terminal, curses failure); the terminal is
 * restored in every case, also on ks_fatal() from any thread. */
int app_run(const ks_app_opts *opts);

#endif
