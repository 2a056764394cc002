/* draw: the thin curses layer; every string goes through sanitize() here. */
#ifndef KS_DRAW_H
#define KS_DRAW_H

#include <stdbool.h>

#include "layout.h"
#include "theme.h"

/* After initscr(): colour pairs from theme (colours ignored when !colors). */
void draw_init(const ks_theme *theme, bool colors);

/* Draws text sanitised and cut to width columns (an ellipsis marks the cut),
 * padded with spaces to width; right-aligned if right. Returns columns used by
 * the text itself. Safe with any bytes. */
int draw_text(int y, int x, int width, ks_elem elem, const char *text, bool right);
/* Like draw_text without padding: for composing segments on one line. */
int draw_puts(int y, int x, int width, ks_elem elem, const char *text);
void draw_fill(ks_rect rect, ks_elem elem);

#endif
