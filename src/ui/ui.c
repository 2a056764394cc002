/* ui: create and free the shared UI state; messages; theme switching. */
#include "ui.h"
#include "draw.h"
#include "snapshot.h"
#include "xmalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MESSAGE_MS 4000       /* how long a message stays on the bottom line */
#define MESSAGE_ERROR_MS 8000 /* errors stay longer: they are what one looks for */

void ui_init(ks_ui *ui, const ks_app_opts *opts, ks_snapshot *snap)
{
    const char *no_color = getenv("NO_COLOR");

    memset(ui, 0, sizeof(*ui));
    ui->opts = opts;
    ui->snap = snap;
    ui->interval_ms = opts->interval_ms > 0 ? opts->interval_ms : 2000;
    ui->read_only = opts->read_only;
    ui->profile = opts->profile;
    ui->bootstrap = opts->bootstrap;
    ui->colors = !(no_color && *no_color); /* https://no-color.org: set and non-empty */
    theme_mono(&ui->theme);
    views_create(ui);
    view_switch(ui, VIEW_BROKERS);
}

void ui_free(ks_ui *ui)
{
    for (int i = 0; i < ui->depth; i++) {
        free(ui->stack[i].arg);
        free(ui->stack[i].sel_key);
    }
    ui->depth = 0;
    views_destroy(ui);
    prompt_free(&ui->prompt);
    free(ui->pending.arg);
    snapshot_unref(ui->snap);
    ui->snap = NULL;
}

void ui_set_snapshot(ks_ui *ui, ks_snapshot *snap)
{
    snapshot_unref(ui->snap);
    ui->snap = snap;
}

void ui_message(ks_ui *ui, ks_elem elem, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(ui->msg, sizeof(ui->msg), fmt, ap);
    va_end(ap);
    ui->msg_elem = elem;
    ui->msg_until_ms = ui->now_ms + (elem == ELEM_ERROR ? MESSAGE_ERROR_MS : MESSAGE_MS);
}

int ui_load_theme(ks_ui *ui, const char *name)
{
    char *dirs[4], err[512];
    int n = theme_dirs(ui->opts->source_themes_dir, ui->opts->themes_dir, dirs, 4), rc = 0;

    ui->theme_error[0] = '\0';
    if (!ui->colors)
        theme_mono(&ui->theme); /* NO_COLOR wins over any theme */
    else if ((rc = theme_load(&ui->theme, name ? name : "default", dirs, n, err, sizeof(err)))) {
        ui_message(ui, ELEM_ERROR, "theme: %s; using mono", err);
        snprintf(ui->theme_error, sizeof(ui->theme_error), "theme: %s", err);
    }
    for (int i = 0; i < n; i++)
        free(dirs[i]);
    if (ui->curses)
        draw_init(&ui->theme, ui->colors);
    return rc;
}
