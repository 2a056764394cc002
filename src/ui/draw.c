/* draw: curses output of themed, sanitised, width-aware text; the only file calling waddnwstr. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "draw.h"
#include "fmt.h"
#include "sanitize.h"

#include <curses.h>
#include <string.h>
#include <wchar.h>

#define DRAW_MAX_BYTES 2048 /* longer input is cut before sanitising: a line is never wider */

static attr_t elem_attr[ELEM__COUNT];

static attr_t style_attrs(uint16_t a)
{
    attr_t out = A_NORMAL;
    if (a & THEME_BOLD)
        out |= A_BOLD;
    if (a & THEME_DIM)
        out |= A_DIM;
    if (a & THEME_UNDERLINE)
        out |= A_UNDERLINE;
    if (a & THEME_REVERSE)
        out |= A_REVERSE;
    if (a & THEME_ITALIC)
        out |= A_ITALIC;
    if (a & THEME_BLINK)
        out |= A_BLINK;
    return out;
}

/* Colours beyond what the terminal has fold onto the 8 basic ones. */
static short fold_color(int c)
{
    if (c < 0)
        return -1;
    if (c < COLORS)
        return (short)c;
    return (short)(c < 16 ? c - 8 : -1);
}

void draw_init(const ks_theme *theme, bool colors)
{
    bool use = colors && !theme->mono && has_colors();

    if (use) {
        start_color();
        use_default_colors();
    }
    for (int i = 0; i < ELEM__COUNT; i++) {
        const ks_style *st = &theme->styles[i];
        elem_attr[i] = style_attrs(st->attrs);
        if (use && i + 1 < COLOR_PAIRS) {
            init_pair((short)(i + 1), fold_color(st->fg), fold_color(st->bg));
            elem_attr[i] |= COLOR_PAIR(i + 1);
        }
    }
}

static int draw_attr(ks_elem elem)
{
    return (int)elem_attr[elem >= 0 && elem < ELEM__COUNT ? elem : ELEM_NORMAL];
}

/* Sanitises text and decodes it into wide characters that fit in width
 * columns; sets *cut when text was longer. Returns the columns used. */
static int prepare(const char *text, int width, wchar_t *out, int max, int *nout, bool *cut)
{
    char clean[DRAW_MAX_BYTES * 4 + 1];
    size_t len = text ? strnlen(text, DRAW_MAX_BYTES) : 0;
    mbstate_t st;
    const char *p = clean;
    size_t left;
    int cols = 0, n = 0;

    memset(&st, 0, sizeof(st));
    left = sanitize(text, len, clean, sizeof(clean));
    *cut = false;
    while (left > 0 && n < max - 1) {
        wchar_t wc;
        size_t k = mbrtowc(&wc, p, left, &st);
        int w;
        if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
            /* not representable in this locale */
            wc = L'?';
            k = 1;
            memset(&st, 0, sizeof(st));
        }
        w = wcwidth(wc);
        if (w < 0) {
            wc = L'?';
            w = 1;
        }
        if (cols + w > width) {
            *cut = true;
            break;
        }
        out[n++] = wc;
        cols += w;
        p += k;
        left -= k;
    }
    out[n] = L'\0';
    *nout = n;
    return cols;
}

static int put(int y, int x, int width, ks_elem elem, const char *text, bool pad, bool right)
{
    wchar_t wbuf[1024];
    int n, cols, total, cx = x;
    bool cut;

    if (width <= 0 || y < 0 || y >= LINES || x < 0 || x >= COLS)
        return 0;
    if (x + width > COLS)
        width = COLS - x;
    cols = prepare(text, width, wbuf, 1024, &n, &cut);
    if (cut) {
        /* make room for a one-column ellipsis: a cut must never look like the whole */
        while (n > 0 && cols + 1 > width) {
            int cw = wcwidth(wbuf[n - 1]);
            cols -= cw > 0 ? cw : 1;
            n--;
        }
        wbuf[n] = L'\0';
    }
    total = cols + cut;
    attrset((attr_t)draw_attr(elem));
    if (pad && right && total < width) {
        mvhline(y, x, ' ', width - total);
        cx = x + width - total;
    }
    mvaddnwstr(y, cx, wbuf, n);
    if (cut)
        mvaddstr(y, cx + cols, fmt_glyph(GLYPH_ELLIPSIS));
    if (pad && !right && total < width)
        mvhline(y, cx + total, ' ', width - total);
    attrset(A_NORMAL);
    return total;
}

int draw_text(int y, int x, int width, ks_elem elem, const char *text, bool right)
{
    return put(y, x, width, elem, text, true, right);
}

int draw_puts(int y, int x, int width, ks_elem elem, const char *text)
{
    return put(y, x, width, elem, text, false, false);
}

void draw_fill(ks_rect r, ks_elem elem)
{
    attrset((attr_t)draw_attr(elem));
    for (int i = 0; i < r.h; i++)
        if (r.y + i >= 0 && r.y + i < LINES && r.w > 0)
            mvhline(r.y + i, r.x, ' ', r.w);
    attrset(A_NORMAL);
}
