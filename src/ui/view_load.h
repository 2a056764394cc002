/* view_load: the ':' commands behind the load view's form and start action. */
#ifndef KS_VIEW_LOAD_H
#define KS_VIEW_LOAD_H

#include "ui.h"

/* ks_action_fn each: (ui, arg) -> REACT_*. */
int view_load_cmd_set(ks_ui *ui, const char *arg);   /* "key=value;..." over the next run's spec */
int view_load_cmd_rate(ks_ui *ui, const char *arg);  /* pause between sends, ms */
int view_load_cmd_start(ks_ui *ui, const char *arg); /* ACTION_WRITES: the dispatcher confirms */
/* After each wake-up, whatever the view: stops a run whose spec says
 * stop_when_drained once it has drained (load_take_drained_stop). */
void view_load_watch(ks_ui *ui);

#endif
