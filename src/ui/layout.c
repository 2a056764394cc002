/* layout: pure screen geometry, unit-tested without a terminal (test_layout.c). */
#include "layout.h"

void layout_screen(int cols, int rows, ks_screen *out)
{
    *out = (ks_screen){0};
    out->too_small = cols < LAYOUT_MIN_COLS || rows < LAYOUT_MIN_ROWS;
    if (out->too_small) {
        /* the whole screen carries the message */
        out->body = (ks_rect){0, 0, rows > 0 ? rows : 0, cols > 0 ? cols : 0};
        return;
    }
    out->header = (ks_rect){0, 0, 1, cols};
    out->body = (ks_rect){1, 0, rows - 3, cols};
    out->status = (ks_rect){rows - 2, 0, 1, cols};
    out->prompt = (ks_rect){rows - 1, 0, 1, cols};
}

static int total_width(const int *w, int n)
{
    int total = 0, visible = 0;
    for (int i = 0; i < n; i++)
        if (w[i] > 0) {
            total += w[i];
            visible++;
        }
    return total + (visible > 1 ? visible - 1 : 0);
}

int layout_columns(const ks_column *cols, int n, int width, int *out)
{
    int visible = 0, nflex = 0, left;

    for (int i = 0; i < n; i++)
        out[i] = cols[i].width > 0 ? cols[i].width : 1;
    /* drop optional columns from the right until the rest fits */
    for (int i = n - 1; i >= 0 && total_width(out, n) > width; i--)
        if (cols[i].flags & COL_OPTIONAL)
            out[i] = 0;
    /* still too wide: cut the last visible column, then hide columns entirely */
    for (int i = n - 1; i > 0 && total_width(out, n) > width; i--) {
        int excess = total_width(out, n) - width;
        if (out[i] > excess && out[i] - excess >= 3) {
            out[i] -= excess;
            break;
        }
        out[i] = 0;
    }
    if (n > 0 && total_width(out, n) > width)
        out[0] = width > 0 ? width : 0;
    for (int i = 0; i < n; i++)
        if (out[i] > 0) {
            visible++;
            nflex += (cols[i].flags & COL_FLEX) != 0;
        }
    left = width - total_width(out, n);
    for (int i = 0, k = 0; i < n && nflex > 0 && left > 0; i++)
        if (out[i] > 0 && (cols[i].flags & COL_FLEX)) {
            int share = left / nflex + (k < left % nflex);
            out[i] += share;
            k++;
        }
    /* shares were computed against the same `left`: fix rounding in one pass */
    left = width - total_width(out, n);
    for (int i = n - 1; i >= 0 && left < 0 && nflex > 0; i--)
        if (out[i] > 0 && (cols[i].flags & COL_FLEX)) {
            out[i] += left;
            left = 0;
        }
    return visible;
}

int layout_scroll(int top, int sel, int height, int n)
{
    if (height <= 0 || n <= 0)
        return 0;
    if (sel < 0)
        sel = 0;
    if (sel < top)
        top = sel;
    if (sel >= top + height)
        top = sel - height + 1;
    if (top > n - height)
        top = n - height;
    return top < 0 ? 0 : top;
}

void layout_split(ks_rect r, int want, int min_top, ks_rect *top, ks_rect *bottom)
{
    int h = want < r.h - min_top ? want : r.h - min_top;

    if (h < 0)
        h = 0;
    *top = (ks_rect){r.y, r.x, r.h - h, r.w};
    *bottom = (ks_rect){r.y + r.h - h, r.x, h, r.w};
}

ks_rect layout_below(ks_rect r, int n)
{
    if (n > r.h)
        n = r.h;
    return (ks_rect){r.y + n, r.x, r.h - n, r.w};
}
