/* keys: the key binding tables; one table drives both dispatch and the help screen. */
#ifndef KS_KEYS_H
#define KS_KEYS_H

#include <stddef.h>

#include "ui.h"

/* Function keys (KEY_* from curses) are kept apart from characters. */
#define KS_KEY_FN(k) ((k) | 0x40000000)
#define KS_CTRL(c) ((c)&0x1f)
#define KS_KEY_ESC 27

/* An action that writes to the cluster: refused under --read-only and asked
 * for confirmation otherwise, by keys_action() and nowhere else. */
#define ACTION_WRITES 0x1u
/* A view binding that deliberately shadows a global key (the tail's Space
 * pauses, its j/k move through the ring): without it a clash is a bug. */
#define ACTION_OVERRIDES 0x2u

typedef struct ks_binding {
    int key;
    const char *keyname; /* as shown in help: "j", "Down", "Ctrl-C" */
    const char *help;    /* consecutive bindings with the same help share one help line */
    ks_action_fn *fn;
    const char *arg; /* static argument for fn */
    unsigned flags;  /* ACTION_* */
} ks_binding;

extern const ks_binding keys_global[]; /* {0}-terminated */

/* The binding for key in table, or NULL. */
const ks_binding *keys_find(const ks_binding *table, int key);

/* Everything a key press does: prompt, pending confirmation, the current
 * view's bindings, then the global ones. Returns REACT_* flags. */
int keys_dispatch(ks_ui *ui, int key);

/* Dispatches key through one table only (tests, and the help of a view). */
int keys_dispatch_table(ks_ui *ui, const ks_binding *table, int key);

/* The one place ACTION_WRITES is checked: read-only refuses, otherwise the
 * action waits for "y" on the prompt line. what names it ("delete topic x"). */
int keys_action(ks_ui *ui, ks_action_fn *fn, const char *arg, unsigned flags, const char *what);

/* Human name of a key code ("Down", "Ctrl-F", "x") into buf. */
const char *keys_name(int key, char *buf, size_t size);

/* One help line: the key names of consecutive bindings sharing a help text. */
typedef struct ks_help_line {
    char keys[48];
    const char *help;
    unsigned flags;
} ks_help_line;

/* Help lines of table, at most max; returns the count. */
int keys_help(const ks_binding *table, ks_help_line *out, int max);

#endif
