/* action: the generic actions behind keys and ':' commands (navigation, prompt, refresh). */
#ifndef KS_ACTION_H
#define KS_ACTION_H

#include "ui.h"

/* Each is a ks_action_fn: (ui, arg) -> REACT_* flags; none draws. */
int action_quit(ks_ui *ui, const char *arg);
int action_back(ks_ui *ui, const char *arg); /* Esc: clear the filter, else pop */
int action_help(ks_ui *ui, const char *arg);
int action_view(ks_ui *ui, const char *arg);    /* arg = view name [+ " " + view arg] */
int action_command(ks_ui *ui, const char *arg); /* open the ':' prompt */
int action_filter(ks_ui *ui, const char *arg);  /* open the '/' prompt */
int action_move(ks_ui *ui, const char *arg);    /* "+1" "-1" "page+" "page-" "home" "end" */
int action_sort(ks_ui *ui, const char *arg);    /* "next" "prev" "invert" */
int action_open(ks_ui *ui, const char *arg);    /* Enter */
int action_tab(ks_ui *ui, const char *arg);
int action_interval(ks_ui *ui, const char *arg); /* "+" "-" or milliseconds */
int action_refresh(ks_ui *ui, const char *arg);
int action_redraw(ks_ui *ui, const char *arg);
int action_internal(ks_ui *ui, const char *arg); /* toggle internal topics */
int action_context(ks_ui *ui, const char *arg);  /* :ctx NAME */
int action_theme(ks_ui *ui, const char *arg);    /* :theme NAME */

/* The interval that + or - leads to from ms (pure; tested). */
int action_interval_step(int ms, int dir);

#endif
