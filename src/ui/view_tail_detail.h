/* view_tail_detail: the tail view's detail pane: one message, pretty-printed with colours. */
#ifndef KS_VIEW_TAIL_DETAIL_H
#define KS_VIEW_TAIL_DETAIL_H

#include "layout.h"
#include "tail.h"

typedef struct ks_tail_detail ks_tail_detail;

/* Lays row out in lines at most width columns wide (long texts wrap). The
 * row is read during the call only: the detail owns copies. Caller frees. */
ks_tail_detail *view_tail_detail_new(const ks_tail_row *row, int width);
void view_tail_detail_free(ks_tail_detail *d); /* NULL is fine */

int view_tail_detail_width(const ks_tail_detail *d); /* the width it was laid out for */
int view_tail_detail_count(const ks_tail_detail *d); /* lines */
uint64_t view_tail_detail_seq(const ks_tail_detail *d);

/* Draws lines [top, top + r.h) into r. */
void view_tail_detail_draw(const ks_tail_detail *d, ks_rect r, int top);

#endif
