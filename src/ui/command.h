/* command: the ':' palette, its command table, and completion. */
#ifndef KS_COMMAND_H
#define KS_COMMAND_H

#include <stdbool.h>
#include <stddef.h>

#include "ui.h"

typedef struct ks_command {
    const char *name;
    const char *aliases; /* space separated */
    const char *args;    /* "NAME" for help, or NULL */
    const char *help;
    ks_action_fn *fn; /* gets the argument (or NULL) */
    unsigned flags;   /* ACTION_WRITES: checked by keys_action() like a key */
    ks_completer *complete;
} ks_command;

extern const ks_command command_table[]; /* {0}-terminated; views add their own names */

/* Runs ":line" (without the colon): a view name (with its argument) or a
 * command. Unknown names say so on the message line. Returns REACT_*. */
int command_run(ks_ui *ui, const char *line);

/* Completes the word at the end of line into out: the longest common prefix
 * of the candidates; several candidates are listed on the message line.
 * Returns true if out differs from line. */
bool command_complete(ks_ui *ui, const char *line, char *out, size_t size);

int view_schema_cmd_diff(ks_ui *ui, const char *arg); /* :schema-diff A B (view_schema.c) */

/* Completion sources, shared with the views' arguments. */
void complete_topics(ks_ui *ui, ks_complete_add *add, void *ctx);
void complete_groups(ks_ui *ui, ks_complete_add *add, void *ctx);
void complete_subjects(ks_ui *ui, ks_complete_add *add, void *ctx);
void complete_profiles(ks_ui *ui, ks_complete_add *add, void *ctx);
void complete_themes(ks_ui *ui, ks_complete_add *add, void *ctx);

#endif
