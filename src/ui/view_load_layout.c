/* view_load_layout: row budget of the load view's sections and the cell grids inside them. */
#include "view_load_layout.h"

static int min_of(int a, int b)
{
    return a < b ? a : b;
}

void view_load_layout_split(int h, const int *want, int n, int focus, int focus_min,
                            const int *prio, int *out)
{
    int used = 0;

    for (int i = 0; i < n; i++) {
        out[i] = want[i] > 0 ? (i == focus ? min_of(want[i], focus_min) : 1) : 0;
        used += out[i];
    }
    /* too short even for the titles: the least wanted go first */
    for (int k = n - 1; k >= 0 && used > h; k--) {
        int i = prio[k];
        if (i != focus && out[i]) {
            used -= out[i];
            out[i] = 0;
        }
    }
    if (used > h) {
        out[focus] = h < 0 ? 0 : h;
        return;
    }
    if (focus >= 0 && focus < n) {
        int more = min_of(want[focus] - out[focus], h - used);
        out[focus] += more;
        used += more;
    }
    for (int k = 0; k < n && used < h; k++) {
        int i = prio[k];
        if (i == focus || !out[i])
            continue;
        int more = min_of(want[i] - out[i], h - used);
        out[i] += more;
        used += more;
    }
}

int view_load_layout_grid(int n, int cell_w, int width, int *cols)
{
    int c = cell_w > 0 ? (width + 2) / (cell_w + 2) : 1;

    c = c < 1 ? 1 : c;
    *cols = c;
    return n > 0 ? (n + c - 1) / c : 0;
}
