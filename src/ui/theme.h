/* theme: semantic screen elements and their styles, parsed from themes/NAME.theme files. */
#ifndef KS_THEME_H
#define KS_THEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Style attributes, independent of curses so that parsing is testable. */
#define THEME_BOLD 0x01u
#define THEME_DIM 0x02u
#define THEME_UNDERLINE 0x04u
#define THEME_REVERSE 0x08u
#define THEME_ITALIC 0x10u
#define THEME_BLINK 0x20u

#define THEME_DEFAULT_COLOR (-1)

/* X(enum suffix, name in .theme files, monochrome attributes): the one list of
 * elements; views draw with these, never with raw colours. */
#define KS_THEME_ELEMENTS(X)                                                                       \
    X(NORMAL, "normal", 0)                                                                         \
    X(HEADER, "header", THEME_REVERSE)                                                             \
    X(TAB, "tab", THEME_REVERSE)                                                                   \
    X(TAB_ACTIVE, "tab-active", THEME_BOLD)                                                        \
    X(TITLE, "title", THEME_BOLD)                                                                  \
    X(COLUMN, "column", THEME_BOLD | THEME_UNDERLINE)                                              \
    X(COLUMN_SORTED, "column-sorted", THEME_BOLD | THEME_REVERSE)                                  \
    X(SELECTED, "selected", THEME_REVERSE)                                                         \
    X(SELECTED_INACTIVE, "selected-inactive", THEME_UNDERLINE)                                     \
    X(OK, "ok", 0)                                                                                 \
    X(WARNING, "warning", THEME_BOLD)                                                              \
    X(ERROR, "error", THEME_BOLD | THEME_UNDERLINE)                                                \
    X(MUTED, "muted", THEME_DIM)                                                                   \
    X(LAG_HIGH, "lag-high", THEME_BOLD)                                                            \
    X(TOMBSTONE, "tombstone", THEME_DIM)                                                           \
    X(KEY, "key", THEME_BOLD)                                                                      \
    X(SPARK, "spark", 0)                                                                           \
    X(STATUS, "status", THEME_REVERSE)                                                             \
    X(STATUS_OK, "status-ok", THEME_REVERSE)                                                       \
    X(STATUS_ERROR, "status-error", THEME_REVERSE | THEME_BOLD)                                    \
    X(BADGE, "badge", THEME_BOLD)                                                                  \
    X(PROMPT, "prompt", THEME_BOLD)                                                                \
    X(MESSAGE, "message", 0)

typedef enum ks_elem {
#define KS_THEME_ENUM(id, name, mono) ELEM_##id,
    KS_THEME_ELEMENTS(KS_THEME_ENUM)
#undef KS_THEME_ENUM
        ELEM__COUNT
} ks_elem;

typedef struct ks_style {
    int16_t fg, bg; /* 0..255 or THEME_DEFAULT_COLOR */
    uint16_t attrs; /* THEME_* */
} ks_style;

typedef struct ks_theme {
    char name[64];
    bool mono; /* no colour at all */
    ks_style styles[ELEM__COUNT];
} ks_theme;

const char *theme_elem_name(ks_elem elem);
int theme_elem_find(const char *name); /* -1 if unknown */

/* The built-in monochrome theme: the fallback for anything that goes wrong. */
void theme_mono(ks_theme *theme);

/* Parses "fg=cyan,bg=default,bold". Returns 0, or -1 with errstr. */
int theme_parse_style(const char *text, ks_style *out, char *errstr, size_t errstr_size);

/* Parses a whole theme file's text ("element = style" lines, '#' comments).
 * Elements it does not name keep the monochrome attributes on the normal
 * colours. On error theme is the mono theme and errstr names origin:line. */
int theme_parse(ks_theme *theme, const char *text, const char *origin, char *errstr,
                size_t errstr_size);

/* Search path: $XDG_CONFIG_HOME/ksight/themes (or ~/.config/ksight/themes),
 * then source_dir, then installed_dir (either may be NULL). Fills up to max
 * caller-freed strings; returns the count. */
int theme_dirs(const char *source_dir, const char *installed_dir, char **out, int max);

/* Loads NAME (or a path containing '/') from dirs. "mono" needs no file.
 * On any failure theme is mono and errstr says why; returns -1. */
int theme_load(ks_theme *theme, const char *name, char *const *dirs, int ndirs, char *errstr,
               size_t errstr_size);

#endif
