/* view_tail: a topic's messages live from the shared tail ring: follow, pause, filter, detail, export. */
#include "view_tail.h"
#include "action.h"
#include "cmdq.h"
#include "command.h"
#include "draw.h"
#include "fmt.h"
#include "keys.h"
#include "tail.h"
#include "tail_spec.h"
#include "ui.h"
#include "view_tail_detail.h"
#include "xmalloc.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINES_MAX 256 /* rows fetched per frame: taller screens show this many */

enum { C_PART, C_OFFSET, C_TIME, C_KEY, C_FMT, C_VALUE };

static const ks_column columns[] = {
    [C_PART] = {"P", 3, COL_RIGHT},
    [C_OFFSET] = {"OFFSET", 10, COL_RIGHT},
    [C_TIME] = {"TIMESTAMP (UTC)", 24, COL_OPTIONAL},
    [C_KEY] = {"KEY", 18, 0},
    [C_FMT] = {"FMT", 6, 0},
    [C_VALUE] = {"VALUE", 20, COL_FLEX},
};
#define NCOLS ((int)(sizeof(columns) / sizeof(columns[0])))

typedef struct tail_state {
    ks_ui *ui;
    char *topic;         /* of the tail this view started; owned */
    char from[64];       /* from-spec of the next start */
    char partitions[96]; /* "" = all */
    char formats[64];    /* ";key=F;value=F" overrides, "" = auto */
    uint64_t generation; /* of the ring when last drawn */
    bool follow;         /* the newest row is selected and stays so */
    bool show_all;       /* with a filter: non-matching rows shown dimmed */
    uint64_t top_seq, sel_seq;
    int page; /* rows visible in the last frame */
    ks_tail_detail *detail;
    int detail_top;
    ks_tail_line lines[LINES_MAX];
    ks_tail_line scratch[LINES_MAX];
    int nlines;
} tail_state;

static ks_tail *tail_of(ks_ui *ui)
{
    return ui->opts->tail;
}

static tail_state *state_of(ks_ui *ui)
{
    return ui->states[VIEW_TAIL];
}

static bool matched_only(tail_state *st)
{
    ks_tail_stats s;
    tail_stats(tail_of(st->ui), &s);
    return *s.filter && !st->show_all;
}

/* Asks the service for a fresh tail of st->topic with the view's from and partitions. */
static void tail_restart(tail_state *st)
{
    char opts[256];

    if (!st->topic || !tail_of(st->ui))
        return;
    snprintf(opts, sizeof(opts), "from=%s%s%s%s", st->from, *st->partitions ? ";partitions=" : "",
             st->partitions, st->formats);
    cmdq_push(st->ui->opts->cmdq, KS_CMD_TAIL_START, 0, st->topic, opts);
    st->follow = true;
    view_tail_detail_free(st->detail);
    st->detail = NULL;
}

static void *create(ks_ui *ui)
{
    tail_state *st = xcalloc(1, sizeof(*st));
    st->ui = ui;
    st->follow = true;
    snprintf(st->from, sizeof(st->from), "end");
    return st;
}

static void destroy(void *state)
{
    tail_state *st = state;
    view_tail_detail_free(st->detail);
    free(st->topic);
    free(st);
}

static void enter(void *state, ks_ui *ui, const char *arg)
{
    tail_state *st = state;
    ks_tail_stats s;

    if (!arg || !tail_of(ui))
        return;
    tail_stats(tail_of(ui), &s);
    /* coming back to the same running tail keeps it; another topic starts anew */
    if (st->topic && !strcmp(st->topic, arg) && !strcmp(s.topic, arg) &&
        (s.state == KS_TAIL_RUNNING || s.state == KS_TAIL_STARTING))
        return;
    free(st->topic);
    st->topic = xstrdup(arg);
    st->partitions[0] = st->formats[0] = '\0';
    snprintf(st->from, sizeof(st->from), "end");
    tail_restart(st);
}

/* The seq `delta` rows away from seq (clamped to the ring), among the shown rows. */
static uint64_t seq_step(tail_state *st, uint64_t seq, int delta)
{
    ks_tail *tail = tail_of(st->ui);
    int want = (delta < 0 ? -delta : delta) + 1, n;

    if (want > LINES_MAX)
        want = LINES_MAX;
    n = tail_lines(tail, seq, delta < 0, matched_only(st), st->scratch, want);
    if (n == 0)
        return seq;
    return delta < 0 ? st->scratch[0].seq : st->scratch[n - 1].seq;
}

/* Fills st->lines with the rows to show in height rows and fixes the selection. */
static void fetch(tail_state *st, int height)
{
    ks_tail *tail = tail_of(st->ui);
    bool mo = matched_only(st);
    int n;

    if (height > LINES_MAX)
        height = LINES_MAX;
    if (height < 1)
        height = 1;
    if (st->follow) {
        st->nlines = tail_lines(tail, TAIL_SEQ_NEWEST, true, mo, st->lines, height);
        st->sel_seq = st->nlines ? st->lines[st->nlines - 1].seq : 0;
        st->top_seq = st->nlines ? st->lines[0].seq : 0;
        return;
    }
    if (st->sel_seq < st->top_seq)
        st->top_seq = st->sel_seq;
    n = tail_lines(tail, st->top_seq, false, mo, st->lines, height);
    /* the selection fell below the window: the window ends at it */
    if (n && st->lines[n - 1].seq < st->sel_seq && n == height) {
        n = tail_lines(tail, st->sel_seq, true, mo, st->lines, height);
        st->top_seq = n ? st->lines[0].seq : st->sel_seq;
    }
    /* near the newest rows: fill the page from the bottom */
    if (n < height) {
        n = tail_lines(tail, TAIL_SEQ_NEWEST, true, mo, st->lines, height);
        st->top_seq = n ? st->lines[0].seq : 0;
    }
    st->nlines = n;
    /* rows evicted under the selection: it moves to the oldest kept */
    if (n && st->sel_seq < st->lines[0].seq)
        st->sel_seq = st->lines[0].seq;
}

static void cell(const ks_tail_line *l, int col, char *buf, size_t size, ks_elem *elem)
{
    char ts[48];

    *elem = l->match ? ELEM_NORMAL : ELEM_MUTED;
    switch (col) {
    case C_PART:
        snprintf(buf, size, "%d", (int)l->partition);
        break;
    case C_OFFSET:
        snprintf(buf, size, "%lld", (long long)l->offset);
        break;
    case C_TIME:
        snprintf(buf, size, "%s", tail_format_time(l->timestamp, ts, sizeof(ts)));
        if (l->match)
            *elem = ELEM_MUTED;
        break;
    case C_KEY:
        /* the worker escaped every control byte; draw_text sanitizes once more */
        snprintf(buf, size, "%s", l->key);
        if (l->key_fmt == KS_TAIL_FMT_NULL)
            *elem = ELEM_MUTED;
        else if (l->match)
            *elem = ELEM_KEY;
        break;
    case C_FMT:
        snprintf(buf, size, "%s%s", tail_fmt_name(l->value_fmt), l->error ? "!" : "");
        if (l->match)
            *elem = l->error ? ELEM_WARNING : ELEM_BADGE;
        break;
    case C_VALUE:
        snprintf(buf, size, "%s", l->value);
        break;
    }
}

static void draw_rows(tail_state *st, ks_rect r)
{
    int widths[NCOLS], x;
    char buf[TAIL_LINE_VALUE + 16];
    ks_elem elem;

    layout_columns(columns, NCOLS, r.w, widths);
    x = r.x;
    for (int c = 0; c < NCOLS; c++) {
        if (!widths[c])
            continue;
        draw_text(r.y, x, widths[c], ELEM_COLUMN, columns[c].title, columns[c].flags & COL_RIGHT);
        x += widths[c] + 1;
    }
    for (int i = 0; i < st->nlines && i + 1 < r.h; i++) {
        const ks_tail_line *l = &st->lines[i];
        bool sel = l->seq == st->sel_seq;
        int y = r.y + 1 + i;
        x = r.x;
        if (sel)
            draw_fill((ks_rect){y, r.x, 1, r.w}, ELEM_SELECTED);
        for (int c = 0; c < NCOLS; c++) {
            if (!widths[c])
                continue;
            cell(l, c, buf, sizeof(buf), &elem);
            draw_text(y, x, widths[c], sel ? ELEM_SELECTED : elem, buf,
                      columns[c].flags & COL_RIGHT);
            x += widths[c] + 1;
        }
    }
}

/* The counters line: what was read, what matched, what the ring lost. */
static void draw_counters(const ks_tail_stats *s, ks_rect line)
{
    int x = line.x;

    draw_fill(line, ELEM_NORMAL);
    x = view_pair(line, x, "", s->state == KS_TAIL_FAILED ? ELEM_ERROR
                               : s->paused                ? ELEM_WARNING
                                                          : ELEM_OK,
                  "%s", s->paused ? "paused" : tail_state_name(s->state));
    x = view_pair(line, x, "scanned", ELEM_NORMAL, "%llu", (unsigned long long)s->scanned);
    x = view_pair(line, x, "matched", ELEM_NORMAL, "%llu", (unsigned long long)s->matched);
    x = view_pair(line, x, "dropped", s->dropped ? ELEM_WARNING : ELEM_NORMAL, "%llu",
                  (unsigned long long)s->dropped);
    x = view_pair(line, x, "rows", ELEM_NORMAL, "%d/%d", s->rows, s->capacity);
    x = view_pair(line, x, "", ELEM_NORMAL, "%.0f msg/s", s->msgs_per_s);
    if (s->decode_errors)
        x = view_pair(line, x, "undecoded", ELEM_WARNING, "%llu",
                      (unsigned long long)s->decode_errors);
    if (s->sampling || s->sampled)
        view_pair(line, x, "", ELEM_WARNING, "sampling: %llu skipped to keep up",
                  (unsigned long long)s->sampled);
}

static void draw(void *state, ks_ui *ui, ks_rect body)
{
    tail_state *st = state;
    ks_tail *tail = tail_of(ui);
    ks_tail_stats s;
    ks_rect top, bottom;

    if (!tail) {
        body = view_title(ui, body, "%s", "");
        draw_text(body.y + 1, body.x + 1, body.w - 2, ELEM_MUTED,
                  "tail unavailable: this session has no tail service", false);
        return;
    }
    tail_stats(tail, &s);
    if (s.generation != st->generation) {
        st->generation = s.generation;
        st->follow = true;
    }
    body = view_title(ui, body, "%s%s%s%s", s.spec, *s.filter ? "  filter: " : "", s.filter,
                      st->follow ? "" : "  (scrolled: G follows)");
    if (body.h < 3)
        return;
    draw_counters(&s, (ks_rect){body.y, body.x, 1, body.w});
    body = layout_below(body, 1);
    if (*s.error || *s.notice) {
        draw_text(body.y, body.x, body.w, *s.error ? ELEM_ERROR : ELEM_MESSAGE,
                  *s.error ? s.error : s.notice, false);
        body = layout_below(body, 1);
    }
    layout_split(body, st->detail ? body.h / 2 + 1 : 0, 4, &top, &bottom);
    st->page = top.h - 1;
    fetch(st, top.h - 1);
    if (!st->nlines) {
        draw_rows(st, top);
        draw_text(top.y + 2, top.x + 1, top.w - 2, ELEM_MUTED,
                  s.rows && *s.filter ? "no row matches the filter (a shows all)"
                  : s.state == KS_TAIL_STARTING ? "starting: assigning partitions"
                  : s.state == KS_TAIL_RUNNING  ? "waiting for messages"
                                                : "no messages",
                  false);
    } else
        draw_rows(st, top);
    if (st->detail && bottom.h > 1) {
        draw_text(bottom.y, bottom.x, bottom.w, ELEM_COLUMN,
                  "DETAIL  (Enter closes, J/K scroll)", false);
        if (view_tail_detail_width(st->detail) != bottom.w) {
            /* laid out again for the new width, from the ring if the row is still there */
            ks_tail_row *row = tail_row_get(tail, view_tail_detail_seq(st->detail));
            if (row) {
                view_tail_detail_free(st->detail);
                st->detail = view_tail_detail_new(row, bottom.w);
                tail_row_unref(row);
            }
        }
        view_tail_detail_draw(st->detail, layout_below(bottom, 1), st->detail_top);
    }
}

/* ---- keys ---- */

static int tail_move(ks_ui *ui, const char *arg)
{
    tail_state *st = state_of(ui);
    int delta;

    if (!tail_of(ui))
        return REACT_NONE;
    if (!strcmp(arg, "end")) {
        st->follow = true;
        return REACT_REDRAW;
    }
    if (!strcmp(arg, "home")) {
        st->follow = false;
        st->sel_seq = st->top_seq = 0;
        fetch(st, st->page);
        st->top_seq = st->nlines ? st->lines[0].seq : 0;
        st->sel_seq = st->top_seq;
        return REACT_REDRAW;
    }
    delta = !strcmp(arg, "page+") ? st->page : !strcmp(arg, "page-") ? -st->page : atoi(arg);
    if (!st->sel_seq)
        return REACT_NONE;
    st->sel_seq = seq_step(st, st->sel_seq, delta);
    st->follow = false;
    /* moving onto the newest row follows again */
    if (delta > 0 && seq_step(st, st->sel_seq, 1) == st->sel_seq)
        st->follow = true;
    return REACT_REDRAW;
}

static int tail_pause(ks_ui *ui, const char *arg)
{
    ks_tail_stats s;

    (void)arg;
    if (!tail_of(ui))
        return REACT_NONE;
    tail_stats(tail_of(ui), &s);
    cmdq_push(ui->opts->cmdq, KS_CMD_TAIL_PAUSE, s.paused ? 0 : 1, NULL, NULL);
    ui_message(ui, ELEM_MESSAGE, "%s", s.paused ? "resumed" : "paused (Space resumes)");
    return REACT_REDRAW;
}

static int tail_stop(ks_ui *ui, const char *arg)
{
    ks_tail_stats s;

    (void)arg;
    if (!tail_of(ui))
        return REACT_NONE;
    tail_stats(tail_of(ui), &s);
    if (s.state == KS_TAIL_RUNNING || s.state == KS_TAIL_STARTING) {
        cmdq_push(ui->opts->cmdq, KS_CMD_TAIL_STOP, 0, NULL, NULL);
        ui_message(ui, ELEM_MESSAGE, "tail stopped; rows stay (s starts again)");
    } else
        tail_restart(state_of(ui));
    return REACT_REDRAW;
}

/* Opens the ':' line with a command prefilled, so the prompt edits its argument. */
static int tail_prompt(ks_ui *ui, const char *arg)
{
    tail_state *st = state_of(ui);
    ks_tail_stats s;
    char text[PROMPT_MAX * 4];

    if (!tail_of(ui))
        return REACT_NONE;
    tail_stats(tail_of(ui), &s);
    if (!strcmp(arg, "tail-filter"))
        snprintf(text, sizeof(text), "%s %s", arg, s.filter);
    else if (!strcmp(arg, "tail-from"))
        snprintf(text, sizeof(text), "%s %s", arg, st->from);
    else if (!strcmp(arg, "tail-format"))
        snprintf(text, sizeof(text), "%s auto auto", arg);
    else if (!strcmp(arg, "tail-partitions"))
        snprintf(text, sizeof(text), "%s %s", arg, *st->partitions ? st->partitions : "all");
    else
        snprintf(text, sizeof(text), "%s ksight-%s.jsonl", arg, st->topic ? st->topic : "tail");
    prompt_open(&ui->prompt, PROMPT_COMMAND, "");
    prompt_set_text(&ui->prompt, text);
    return REACT_REDRAW;
}

static int tail_show_all(ks_ui *ui, const char *arg)
{
    tail_state *st = state_of(ui);

    (void)arg;
    st->show_all = !st->show_all;
    ui_message(ui, ELEM_MESSAGE, "%s", st->show_all ? "all rows, non-matching dimmed"
                                                    : "matching rows only");
    return REACT_REDRAW;
}

static int tail_detail_scroll(ks_ui *ui, const char *arg)
{
    tail_state *st = state_of(ui);

    if (!st->detail)
        return REACT_NONE;
    st->detail_top += atoi(arg);
    if (st->detail_top > view_tail_detail_count(st->detail) - 1)
        st->detail_top = view_tail_detail_count(st->detail) - 1;
    if (st->detail_top < 0)
        st->detail_top = 0;
    return REACT_REDRAW;
}

static int tail_back(ks_ui *ui, const char *arg)
{
    tail_state *st = state_of(ui);

    if (st->detail) {
        view_tail_detail_free(st->detail);
        st->detail = NULL;
        return REACT_REDRAW;
    }
    return action_back(ui, arg);
}

/* Enter: the detail pane of the selected row, or closes it. */
static int open_row(void *state, ks_ui *ui)
{
    tail_state *st = state;
    ks_tail_row *row;

    if (!tail_of(ui))
        return REACT_NONE;
    if (st->detail && view_tail_detail_seq(st->detail) == st->sel_seq) {
        view_tail_detail_free(st->detail);
        st->detail = NULL;
        return REACT_REDRAW;
    }
    if (!st->sel_seq || !(row = tail_row_get(tail_of(ui), st->sel_seq))) {
        ui_message(ui, ELEM_MUTED, "no row selected");
        return REACT_REDRAW;
    }
    /* opening a detail stops following, so the row stays in sight */
    st->follow = false;
    view_tail_detail_free(st->detail);
    st->detail = view_tail_detail_new(row, COLS > 0 ? COLS : 80);
    st->detail_top = 0;
    tail_row_unref(row);
    return REACT_REDRAW;
}

/* ---- ':' commands behind the prompts ---- */

int view_tail_cmd_filter(ks_ui *ui, const char *arg)
{
    char err[256];

    if (!tail_of(ui)) {
        ui_message(ui, ELEM_ERROR, "tail unavailable");
        return REACT_REDRAW;
    }
    if (tail_set_filter(tail_of(ui), arg ? arg : "", err, sizeof(err)) != 0)
        ui_message(ui, ELEM_ERROR, "%s", err);
    else
        ui_message(ui, ELEM_MESSAGE, "%s", arg ? "filter set" : "filter cleared");
    return REACT_REDRAW;
}

int view_tail_cmd_export(ks_ui *ui, const char *arg)
{
    ks_tail_stats s;

    if (!tail_of(ui) || !arg) {
        ui_message(ui, ELEM_ERROR, "%s", tail_of(ui) ? "usage: :tail-export PATH" : "tail unavailable");
        return REACT_REDRAW;
    }
    tail_stats(tail_of(ui), &s);
    /* the service writes the file: file I/O stays off the UI thread */
    cmdq_push(ui->opts->cmdq, KS_CMD_TAIL_EXPORT, *s.filter ? 1 : 0, arg, NULL);
    ui_message(ui, ELEM_MESSAGE, "exporting %s rows to %s", *s.filter ? "matching" : "all", arg);
    return REACT_REDRAW;
}

int view_tail_cmd_from(ks_ui *ui, const char *arg)
{
    tail_state *st = state_of(ui);
    ks_tail_from from;
    char err[256];

    if (!arg || tail_from_parse(arg, &from, err, sizeof(err)) != 0) {
        ui_message(ui, ELEM_ERROR, "%s", arg ? err : "usage: :tail-from beginning|end|N|-N|-15m|@TS");
        return REACT_REDRAW;
    }
    tail_from_format(&from, st->from, sizeof(st->from));
    tail_restart(st);
    ui_message(ui, ELEM_MESSAGE, "tail from %s", st->from);
    return REACT_REDRAW;
}

int view_tail_cmd_partitions(ks_ui *ui, const char *arg)
{
    tail_state *st = state_of(ui);
    ks_tail_opts opts;
    char err[256];
    int rc;

    tail_opts_init(&opts);
    rc = arg ? tail_opts_add_partitions(&opts, arg, err, sizeof(err)) : -1;
    tail_opts_free(&opts);
    if (rc != 0) {
        ui_message(ui, ELEM_ERROR, "%s", arg ? err : "usage: :tail-partitions all|0,2,5-7");
        return REACT_REDRAW;
    }
    snprintf(st->partitions, sizeof(st->partitions), "%s", strcmp(arg, "all") ? arg : "");
    tail_restart(st);
    ui_message(ui, ELEM_MESSAGE, "tail partitions %s", arg);
    return REACT_REDRAW;
}

int view_tail_cmd_format(ks_ui *ui, const char *arg)
{
    tail_state *st = state_of(ui);
    char kname[16] = "", vname[16] = "";
    ks_tail_fmt kf, vf;

    if (!arg || sscanf(arg, "%15s %15s", kname, vname) < 1 || !tail_fmt_parse(kname, &kf) ||
        !tail_fmt_parse(*vname ? vname : kname, &vf)) {
        ui_message(ui, ELEM_ERROR, "usage: :tail-format FMT [VALUE-FMT] (auto avro json text binary)");
        return REACT_REDRAW;
    }
    snprintf(st->formats, sizeof(st->formats), ";key=%s;value=%s", tail_fmt_name(kf),
             tail_fmt_name(vf));
    tail_restart(st);
    ui_message(ui, ELEM_MESSAGE, "key as %s, value as %s", tail_fmt_name(kf), tail_fmt_name(vf));
    return REACT_REDRAW;
}

/* From the topics and topic views: `t` tails the selected topic. */
int view_tail_open(ks_ui *ui, const char *topic)
{
    if (!topic)
        return REACT_NONE;
    view_push(ui, VIEW_TAIL, topic);
    return REACT_REDRAW;
}

static const ks_binding tail_keys[] = {
    {' ', "Space", "pause or resume the tail", tail_pause, NULL, ACTION_OVERRIDES},
    {'/', "/", "filter: text, key=K, field>N, !term", tail_prompt, "tail-filter", ACTION_OVERRIDES},
    {'a', "a", "with a filter: show all rows, or matching only", tail_show_all},
    {'e', "e", "export the shown rows to a JSON Lines file", tail_prompt, "tail-export"},
    {'f', "f", "start from: beginning|end|N|-N|-15m|@ts", tail_prompt, "tail-from"},
    {'p', "p", "partitions to read: all or 0,2,5-7", tail_prompt, "tail-partitions"},
    {'F', "F", "decode key and value as: auto avro json text binary", tail_prompt,
     "tail-format"},
    {'s', "s", "stop the tail, or start it again", tail_stop},
    {'k', "k", "move up", tail_move, "-1", ACTION_OVERRIDES},
    {KS_KEY_FN(KEY_UP), "Up", "move up", tail_move, "-1", ACTION_OVERRIDES},
    {'j', "j", "move down", tail_move, "+1", ACTION_OVERRIDES},
    {KS_KEY_FN(KEY_DOWN), "Down", "move down", tail_move, "+1", ACTION_OVERRIDES},
    {KS_KEY_FN(KEY_PPAGE), "PgUp", "page up", tail_move, "page-", ACTION_OVERRIDES},
    {KS_KEY_FN(KEY_NPAGE), "PgDn", "page down", tail_move, "page+", ACTION_OVERRIDES},
    {'g', "g", "oldest row in the ring", tail_move, "home", ACTION_OVERRIDES},
    {'G', "G", "newest row, and follow", tail_move, "end", ACTION_OVERRIDES},
    {KS_KEY_FN(KEY_END), "End", "newest row, and follow", tail_move, "end", ACTION_OVERRIDES},
    {'J', "J", "scroll the detail pane down", tail_detail_scroll, "+3"},
    {'K', "K", "scroll the detail pane up", tail_detail_scroll, "-3"},
    {KS_KEY_ESC, "Esc", "close the detail, else go back", tail_back, NULL, ACTION_OVERRIDES},
    {0},
};

const ks_view_def view_tail_def = {
    .name = "tail",
    .title = "Tail",
    .arg_name = "TOPIC",
    .complete = complete_topics,
    .keys = tail_keys,
    .create = create,
    .destroy = destroy,
    .enter = enter,
    .draw = draw,
    .open = open_row,
};
