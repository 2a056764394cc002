/* widget_prompt: a one-line editor with history; the dispatcher decides what a line means. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "widget_prompt.h"
#include "draw.h"
#include "keys.h"
#include "xmalloc.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

void prompt_open(ks_prompt *p, ks_prompt_mode mode, const char *text)
{
    p->mode = mode;
    p->hpos = p->nhistory;
    prompt_set_text(p, text ? text : "");
}

void prompt_close(ks_prompt *p)
{
    p->mode = PROMPT_NONE;
    p->len = p->cur = 0;
    p->question[0] = '\0';
}

void prompt_free(ks_prompt *p)
{
    for (int i = 0; i < p->nhistory; i++)
        free(p->history[i]);
    p->nhistory = 0;
}

char *prompt_text(const ks_prompt *p, char *buf, size_t size)
{
    wchar_t w[PROMPT_MAX + 1];
    size_t n;

    wmemcpy(w, p->buf, (size_t)p->len);
    w[p->len] = L'\0';
    n = wcstombs(buf, w, size);
    if (n == (size_t)-1 || n >= size)
        buf[0] = '\0';
    return buf;
}

void prompt_set_text(ks_prompt *p, const char *text)
{
    size_t n = mbstowcs(p->buf, text, PROMPT_MAX - 1);
    p->len = n == (size_t)-1 ? 0 : (int)n;
    p->cur = p->len;
}

void prompt_remember(ks_prompt *p, const char *line)
{
    if (!*line || (p->nhistory && !strcmp(p->history[p->nhistory - 1], line)))
        return;
    if (p->nhistory == PROMPT_HISTORY) {
        free(p->history[0]);
        memmove(p->history, p->history + 1, sizeof(char *) * (PROMPT_HISTORY - 1));
        p->nhistory--;
    }
    p->history[p->nhistory++] = xstrdup(line);
    p->hpos = p->nhistory;
}

static void delete_range(ks_prompt *p, int from, int to)
{
    wmemmove(p->buf + from, p->buf + to, (size_t)(p->len - to));
    p->len -= to - from;
    p->cur = from;
}

static ks_prompt_result history(ks_prompt *p, int dir)
{
    int to = p->hpos + dir;
    if (p->mode != PROMPT_COMMAND || to < 0 || to > p->nhistory)
        return PROMPT_IGNORED;
    p->hpos = to;
    prompt_set_text(p, to == p->nhistory ? "" : p->history[to]);
    return PROMPT_EDITED;
}

ks_prompt_result prompt_key(ks_prompt *p, int key)
{
    int from;

    switch (key) {
    case KS_KEY_ESC:
    case KS_CTRL('g'):
        return PROMPT_CANCEL;
    case '\n':
    case '\r':
    case KS_KEY_FN(KEY_ENTER):
        return PROMPT_SUBMIT;
    case '\t':
        return PROMPT_COMPLETE;
    case KS_KEY_FN(KEY_BACKSPACE):
    case 127:
    case KS_CTRL('h'):
        if (p->len == 0)
            return PROMPT_CANCEL; /* backspace over the ':' closes the prompt, as in vi */
        if (p->cur == 0)
            return PROMPT_IGNORED;
        delete_range(p, p->cur - 1, p->cur);
        return PROMPT_EDITED;
    case KS_KEY_FN(KEY_DC):
    case KS_CTRL('d'):
        if (p->cur >= p->len)
            return PROMPT_IGNORED;
        delete_range(p, p->cur, p->cur + 1);
        return PROMPT_EDITED;
    case KS_CTRL('u'):
        delete_range(p, 0, p->cur);
        return PROMPT_EDITED;
    case KS_CTRL('k'):
        p->len = p->cur;
        return PROMPT_EDITED;
    case KS_CTRL('w'):
        from = p->cur;
        while (from > 0 && p->buf[from - 1] == L' ')
            from--;
        while (from > 0 && p->buf[from - 1] != L' ')
            from--;
        delete_range(p, from, p->cur);
        return PROMPT_EDITED;
    case KS_KEY_FN(KEY_LEFT):
    case KS_CTRL('b'):
        p->cur -= p->cur > 0;
        return PROMPT_MOVED;
    case KS_KEY_FN(KEY_RIGHT):
    case KS_CTRL('f'):
        p->cur += p->cur < p->len;
        return PROMPT_MOVED;
    case KS_KEY_FN(KEY_HOME):
    case KS_CTRL('a'):
        p->cur = 0;
        return PROMPT_MOVED;
    case KS_KEY_FN(KEY_END):
    case KS_CTRL('e'):
        p->cur = p->len;
        return PROMPT_MOVED;
    case KS_KEY_FN(KEY_UP):
        return history(p, -1);
    case KS_KEY_FN(KEY_DOWN):
        return history(p, 1);
    default:
        break;
    }
    if ((key & KS_KEY_FN(0)) || key < 0x20 || !iswprint((wint_t)key) || p->len >= PROMPT_MAX - 1)
        return PROMPT_IGNORED;
    wmemmove(p->buf + p->cur + 1, p->buf + p->cur, (size_t)(p->len - p->cur));
    p->buf[p->cur++] = (wchar_t)key;
    p->len++;
    return PROMPT_EDITED;
}

void prompt_draw(const ks_prompt *p, ks_rect line)
{
    static const char *const lead[] = {[PROMPT_COMMAND] = ":", [PROMPT_FILTER] = "/"};
    char text[PROMPT_MAX * 4];
    int x = line.x, before = 0, start = 0;

    draw_fill(line, ELEM_PROMPT);
    if (p->mode == PROMPT_CONFIRM) {
        draw_text(line.y, line.x, line.w, ELEM_WARNING, p->question, false);
        return;
    }
    x += draw_puts(line.y, x, line.w, ELEM_PROMPT, lead[p->mode] ? lead[p->mode] : "");
    /* keep the cursor visible on long lines by scrolling the text left */
    for (int i = 0; i < p->cur; i++)
        before += wcwidth(p->buf[i]) > 0 ? wcwidth(p->buf[i]) : 1;
    while (before >= line.w - (x - line.x) - 1 && start < p->cur) {
        before -= wcwidth(p->buf[start]) > 0 ? wcwidth(p->buf[start]) : 1;
        start++;
    }
    {
        ks_prompt tail = *p;
        wmemmove(tail.buf, p->buf + start, (size_t)(p->len - start));
        tail.len = p->len - start;
        prompt_text(&tail, text, sizeof(text));
    }
    draw_text(line.y, x, line.w - (x - line.x), ELEM_PROMPT, text, false);
    move(line.y, x + before);
}
