/* layout: pure screen geometry (regions, column widths, scrolling); no curses. */
#ifndef KS_LAYOUT_H
#define KS_LAYOUT_H

#include <stdbool.h>

/* Below this the screen shows "terminal too small"; 80x24 is the comfortable size. */
#define LAYOUT_MIN_COLS 60
#define LAYOUT_MIN_ROWS 12

typedef struct ks_rect {
    int y, x, h, w;
} ks_rect;

/* The four bands of the screen: tabs on top, the view, the status bar, the prompt. */
typedef struct ks_screen {
    bool too_small;
    ks_rect header, body, status, prompt;
} ks_screen;

void layout_screen(int cols, int rows, ks_screen *out);

/* Column flags: right-aligned numbers, flexible width, first to go when narrow. */
#define COL_RIGHT 0x1u
#define COL_FLEX 0x2u
#define COL_OPTIONAL 0x4u

typedef struct ks_column {
    const char *title;
    int width; /* minimum (and, unless COL_FLEX, exact) width */
    unsigned flags;
} ks_column;

/* Fits columns into width (one space between columns): optional columns are
 * hidden right to left until the rest fits, flexible columns share what is
 * left, and the last visible column is cut if nothing else helps. Writes each
 * width to out (0 = hidden); returns the number of visible columns. */
int layout_columns(const ks_column *cols, int n, int width, int *out);

/* First visible row so that sel stays in [top, top + height) and the window
 * does not run past the end when it need not. */
int layout_scroll(int top, int sel, int height, int n);

/* Splits r into a top part and a bottom part that wants `want` rows; the top
 * keeps at least min_top rows. The bottom may be empty (h == 0). */
void layout_split(ks_rect r, int want, int min_top, ks_rect *top, ks_rect *bottom);

/* Shrinks r by n rows from the top (for title lines). */
ks_rect layout_below(ks_rect r, int n);

#endif
