/* view: the table of views, and navigation between them (a stack of frames). */
#ifndef KS_VIEW_H
#define KS_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "layout.h"

struct ks_ui;
struct ks_table;
struct ks_binding;

/* Top-level views first, in tab order; drill-down views after. The tail and
 * load views slot in here and in view.c's table. */
typedef enum ks_view_id {
    VIEW_BROKERS,
    VIEW_TOPICS,
    VIEW_GROUPS,
    VIEW_ZK,
    VIEW_SCHEMAS,
    VIEW_TIMELINE,
    VIEW_LOAD,
    VIEW_TOPIC,
    VIEW_GROUP,
    VIEW_SCHEMA,
    VIEW_TAIL,
    VIEW_HELP,
    VIEW__COUNT
} ks_view_id;

/* Adds completion candidates for a view's or command's argument. */
typedef void ks_complete_add(void *ctx, const char *word);
typedef void ks_completer(struct ks_ui *ui, ks_complete_add *add, void *ctx);

typedef struct ks_view_def {
    const char *name;     /* ":name" command, help section */
    const char *aliases;  /* other command names, space separated */
    const char *title;    /* tab and breadcrumb */
    int key;              /* top-level shortcut key, 0 for drill-down views */
    const char *arg_name; /* drill-down views: what ":name ARG" takes */
    ks_completer *complete;
    const struct ks_binding *keys; /* view-scoped bindings, {0}-terminated, or NULL */
    void *(*create)(struct ks_ui *ui);
    void (*destroy)(void *state);
    void (*enter)(void *state, struct ks_ui *ui, const char *arg); /* shown (again) with arg */
    void (*draw)(void *state, struct ks_ui *ui, ks_rect body);
    struct ks_table *(*focus)(void *state);        /* table the movement/filter/sort keys act on */
    int (*open)(void *state, struct ks_ui *ui);    /* Enter; returns REACT_* */
    int (*tab)(void *state);                       /* Tab: next table; returns REACT_* */
    void (*sample)(void *state, struct ks_ui *ui); /* every new snapshot, shown or not */
    /* brings the tables up to ui->snap, so keys typed ahead act on fresh rows */
    void (*sync)(void *state, struct ks_ui *ui);
} ks_view_def;

extern const ks_view_def view_brokers_def, view_topics_def, view_groups_def, view_zookeeper_def,
    view_registry_def, view_timeline_def, view_topic_def, view_group_def, view_schema_def,
    view_help_def, view_tail_def, view_load_def;

const ks_view_def *view_def(int id);
int view_find(const char *name); /* by name or alias; -1 if none */
int view_current(const struct ks_ui *ui);
const char *view_arg(const struct ks_ui *ui);  /* argument of the current frame, or NULL */
struct ks_table *view_focus(struct ks_ui *ui); /* focused table of the current view, or NULL */

void views_create(struct ks_ui *ui);
void views_destroy(struct ks_ui *ui);
void views_sample(struct ks_ui *ui);

/* Navigation. switch resets the stack to a top-level view; push drills down
 * (a frame already open for the same view and argument is returned to);
 * pop returns false at the root. */
void view_switch(struct ks_ui *ui, int id);
void view_push(struct ks_ui *ui, int id, const char *arg);
bool view_pop(struct ks_ui *ui);

void view_draw(struct ks_ui *ui, ks_rect body);
void view_sync(struct ks_ui *ui); /* the current view's sync, if it has one */
void view_draw_header(struct ks_ui *ui, ks_rect header);

/* Draws the view's title line ("Topics ▸ position  3 partitions") and returns the rest. */
ks_rect view_title(struct ks_ui *ui, ks_rect body, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Why a part has no rows to show: "waiting for the first poll of kafka",
 * "kafka: <error>", or fallback when the part answered; into buf. */
const char *view_empty_reason(const void *part, const char *source, const char *fallback, char *buf,
                              size_t size);

/* Draws "label value  " at x on row y (within line's width) and returns the next x:
 * the summary lines above the tables are made of these. */
int view_pair(ks_rect line, int x, const char *label, int elem, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Whether a part's numbers mean anything: it exists and did not fail empty
 * (a failed first poll has count 0 and an error: unknown, not zero). */
bool view_part_known(const void *part, int count);

#endif
