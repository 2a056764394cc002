/* view_tail: the ':' commands behind the tail view's prompts, and opening a tail from other views. */
#ifndef KS_VIEW_TAIL_H
#define KS_VIEW_TAIL_H

#include "ui.h"

/* ks_action_fn each: (ui, arg) -> REACT_*. */
int view_tail_cmd_filter(ks_ui *ui, const char *arg);     /* tail_set_filter() syntax */
int view_tail_cmd_export(ks_ui *ui, const char *arg);     /* PATH of a JSON Lines file */
int view_tail_cmd_from(ks_ui *ui, const char *arg);       /* a from-spec: restarts the tail */
int view_tail_cmd_partitions(ks_ui *ui, const char *arg); /* "all" or "0,2,5-7": restarts */
int view_tail_cmd_format(ks_ui *ui, const char *arg);     /* "FMT [VALUE-FMT]": restarts */
int view_tail_open(ks_ui *ui, const char *topic);         /* pushes the tail view on topic */

#endif
