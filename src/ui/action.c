/* action: generic actions shared by key bindings and ':' commands; they change state, never draw.
 */
#include "action.h"
#include "cmdq.h"
#include "config.h"
#include "fmt.h"
#include "widget_table.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Refresh intervals + and - step through, in ms. */
static const int intervals[] = {500, 1000, 2000, 5000, 10000, 30000, 60000};
#define NINTERVALS ((int)(sizeof(intervals) / sizeof(intervals[0])))

int action_quit(ks_ui *ui, const char *arg)
{
    (void)arg;
    ui->quit = true;
    return REACT_QUIT;
}

int action_back(ks_ui *ui, const char *arg)
{
    ks_table *t = view_focus(ui);

    (void)arg;
    /* Esc first undoes a filter, as in k9s; then it walks back */
    if (t && *table_filter(t)) {
        table_set_filter(t, NULL);
        return REACT_REDRAW;
    }
    return view_pop(ui) ? REACT_REDRAW : REACT_NONE;
}

int action_help(ks_ui *ui, const char *arg)
{
    (void)arg;
    if (view_current(ui) == VIEW_HELP)
        view_pop(ui);
    else
        view_push(ui, VIEW_HELP, NULL);
    return REACT_REDRAW;
}

int action_view(ks_ui *ui, const char *arg)
{
    char name[64];
    size_t len = strcspn(arg, " \t");
    const char *rest = arg + len;
    int id;

    while (isspace((unsigned char)*rest))
        rest++;
    snprintf(name, sizeof(name), "%.*s", (int)len, arg);
    if ((id = view_find(name)) < 0) {
        ui_message(ui, ELEM_ERROR, "no view \"%s\"", name);
        return REACT_REDRAW;
    }
    if (view_def(id)->arg_name) {
        if (!*rest) {
            ui_message(ui, ELEM_ERROR, "usage: :%s %s", view_def(id)->name, view_def(id)->arg_name);
            return REACT_REDRAW;
        }
        view_push(ui, id, rest);
        return REACT_REDRAW;
    }
    if (id == VIEW_HELP)
        view_push(ui, id, NULL);
    else
        view_switch(ui, id);
    /* ":topics pos" opens the view filtered, as k9s's ":pod /filter" */
    if (*rest && view_focus(ui))
        table_set_filter(view_focus(ui), rest);
    return REACT_REDRAW;
}

int action_command(ks_ui *ui, const char *arg)
{
    (void)arg;
    prompt_open(&ui->prompt, PROMPT_COMMAND, "");
    return REACT_REDRAW;
}

int action_filter(ks_ui *ui, const char *arg)
{
    ks_table *t = view_focus(ui);

    (void)arg;
    if (!t) {
        ui_message(ui, ELEM_MUTED, "nothing to filter here");
        return REACT_REDRAW;
    }
    prompt_open(&ui->prompt, PROMPT_FILTER, table_filter(t));
    snprintf(ui->prompt.saved, sizeof(ui->prompt.saved), "%s", table_filter(t));
    return REACT_REDRAW;
}

int action_move(ks_ui *ui, const char *arg)
{
    ks_table *t = view_focus(ui);

    if (!t)
        return REACT_NONE;
    if (!strcmp(arg, "home"))
        table_move_to(t, 0);
    else if (!strcmp(arg, "end"))
        table_move_to(t, -1);
    else if (!strcmp(arg, "page+"))
        table_page(t, 1);
    else if (!strcmp(arg, "page-"))
        table_page(t, -1);
    else
        table_move(t, atoi(arg));
    return REACT_REDRAW;
}

int action_sort(ks_ui *ui, const char *arg)
{
    ks_table *t = view_focus(ui);

    if (!t)
        return REACT_NONE;
    if (!strcmp(arg, "invert"))
        table_sort_invert(t);
    else
        table_sort_step(t, !strcmp(arg, "next") ? 1 : -1);
    return REACT_REDRAW;
}

int action_open(ks_ui *ui, const char *arg)
{
    const ks_view_def *def = view_def(view_current(ui));

    (void)arg;
    return def->open ? def->open(ui->states[view_current(ui)], ui) : REACT_NONE;
}

int action_tab(ks_ui *ui, const char *arg)
{
    const ks_view_def *def = view_def(view_current(ui));

    (void)arg;
    return def->tab ? def->tab(ui->states[view_current(ui)]) : REACT_NONE;
}

int action_interval_step(int ms, int dir)
{
    int i = 0;

    /* nearest step at or above ms, then one step in dir */
    while (i < NINTERVALS - 1 && intervals[i] < ms)
        i++;
    if (dir > 0 && intervals[i] <= ms)
        i++;
    else if (dir < 0)
        i--;
    i = i < 0 ? 0 : i >= NINTERVALS ? NINTERVALS - 1 : i;
    return intervals[i];
}

int action_interval(ks_ui *ui, const char *arg)
{
    char buf[16];
    int ms;

    if (!arg) {
        ui_message(ui, ELEM_ERROR, "usage: :interval SECONDS");
        return REACT_REDRAW;
    }
    if (!strcmp(arg, "+") || !strcmp(arg, "-"))
        ms = action_interval_step(ui->interval_ms, arg[0] == '+' ? 1 : -1);
    else {
        double s = atof(arg);
        if (s < 0.1 || s > 3600) {
            ui_message(ui, ELEM_ERROR, "interval must be 0.1 to 3600 seconds");
            return REACT_REDRAW;
        }
        ms = (int)(s * 1000);
    }
    ui->interval_ms = ms;
    cmdq_push(ui->opts->cmdq, KS_CMD_SET_INTERVAL, ms, NULL, NULL);
    ui_message(ui, ELEM_MESSAGE, "refresh every %s", fmt_age(buf, sizeof(buf), ms));
    return REACT_REDRAW;
}

int action_refresh(ks_ui *ui, const char *arg)
{
    (void)arg;
    cmdq_push(ui->opts->cmdq, KS_CMD_REFRESH, 0, NULL, NULL);
    ui_message(ui, ELEM_MESSAGE, "refreshing");
    return REACT_REDRAW;
}

int action_redraw(ks_ui *ui, const char *arg)
{
    (void)ui, (void)arg;
    return REACT_REPAINT | REACT_REDRAW;
}

int action_internal(ks_ui *ui, const char *arg)
{
    (void)arg;
    ui->show_internal = !ui->show_internal;
    ui_message(ui, ELEM_MESSAGE, "internal topics %s", ui->show_internal ? "shown" : "hidden");
    return REACT_REBUILD | REACT_REDRAW;
}

int action_context(ks_ui *ui, const char *arg)
{
    const ks_profile *prof = arg && ui->opts->config ? config_profile(ui->opts->config, arg) : NULL;

    if (!arg) {
        ui_message(ui, ELEM_MESSAGE, "context: %s (:ctx NAME switches)",
                   ui->profile ? ui->profile : "none");
        return REACT_REDRAW;
    }
    if (!prof) {
        ui_message(ui, ELEM_ERROR, "no profile \"%s\" in %s", arg,
                   ui->opts->config && ui->opts->config->path ? ui->opts->config->path
                                                              : "the config file");
        return REACT_REDRAW;
    }
    cmdq_push(ui->opts->cmdq, KS_CMD_SWITCH_PROFILE, 0, prof->name, NULL);
    ui->profile = prof->name;
    ui->bootstrap = prof->bootstrap;
    ui->read_only = ui->opts->read_only || prof->read_only;
    if (prof->theme)
        ui_load_theme(ui, prof->theme);
    ui->context_gen++; /* lag histories and saved selections belong to the old cluster */
    ui_message(ui, ELEM_MESSAGE, "switching to %s", prof->name);
    return REACT_REDRAW | REACT_REPAINT;
}

int action_theme(ks_ui *ui, const char *arg)
{
    if (!arg) {
        ui_message(ui, ELEM_MESSAGE, "theme: %s", ui->theme.name);
        return REACT_REDRAW;
    }
    if (ui_load_theme(ui, arg) == 0)
        ui_message(ui, ELEM_MESSAGE, "theme %s", ui->theme.name);
    return REACT_REDRAW | REACT_REPAINT;
}
