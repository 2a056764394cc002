/* view_load_layout: how the load view's sections share the rows, pure (test_load_form.c). */
#ifndef KS_VIEW_LOAD_LAYOUT_H
#define KS_VIEW_LOAD_LAYOUT_H

/* Splits h rows among n sections that want want[i] rows (0: not shown).
 * Every shown section keeps its title row, the focused one up to
 * focus_min rows; when even that does not fit, sections are dropped from
 * the end of prio (an order of all n, most wanted first; the focused one
 * is never dropped). What is left goes to the focused section, then in
 * prio order, each up to what it wants. Writes out[i]. */
void view_load_layout_split(int h, const int *want, int n, int focus, int focus_min,
                            const int *prio, int *out);

/* Columns of cells cell_w wide (two spaces apart) that fit width (at least
 * one); returns the rows that n cells need. */
int view_load_layout_grid(int n, int cell_w, int width, int *cols);

#endif
