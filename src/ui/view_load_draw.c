/* view_load_draw: the load view's sections (form, run, members, couriers, rebalances) on screen. */
#include "draw.h"
#include "fmt.h"
#include "layout.h"
#include "tail.h" /* tail_format_time */
#include "view_load_form.h"
#include "view_load_int.h"
#include "view_load_layout.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define FORM_LABEL_W 19 /* "session_timeout_ms" and a space */
#define FORM_CELL_W 37
#define SPARK_WIDTH 60 /* about a minute: one sample per tick of the run */
#define FOCUS_MIN 4    /* the focused section keeps its title and a few lines */

/* Lines of one section: pinned lines stay on top, the rest scroll from skip.
 * With h == 0 nothing is drawn and the lines are only counted. */
typedef struct sink {
    ks_rect r;
    int y, skip;
    int pinned, n; /* counted lines */
} sink;

/* Row for a pinned line, or -1 when it has no room. */
static int sink_pin(sink *s)
{
    s->pinned++;
    if (s->y >= s->r.y + s->r.h)
        return -1;
    return s->y++;
}

/* Row for the next scrolled line, or -1 when it is scrolled away or below. */
static int sink_row(sink *s)
{
    int i = s->n++;
    if (i < s->skip || s->y >= s->r.y + s->r.h)
        return -1;
    return s->y++;
}

static void sink_vtext(sink *s, bool pin, ks_elem elem, const char *fmt, va_list ap)
{
    char buf[512];
    int y = pin ? sink_pin(s) : sink_row(s);

    if (y < 0)
        return;
    vsnprintf(buf, sizeof(buf), fmt, ap);
    draw_text(y, s->r.x, s->r.w, elem, buf, false);
}

static void pin(sink *s, ks_elem elem, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void line(sink *s, ks_elem elem, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void pin(sink *s, ks_elem elem, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sink_vtext(s, true, elem, fmt, ap);
    va_end(ap);
}

static void line(sink *s, ks_elem elem, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sink_vtext(s, false, elem, fmt, ap);
    va_end(ap);
}

/* A section title: the focused one is marked, as the selected table is elsewhere. */
static void title(load_view *st, sink *s, int sec, ks_elem elem, const char *text)
{
    int y = sink_pin(s), x = s->r.x, end = s->r.x + s->r.w;

    if (y < 0)
        return;
    draw_fill((ks_rect){y, x, 1, s->r.w}, ELEM_NORMAL);
    x += draw_puts(y, x, end - x, ELEM_KEY, st->focus == sec ? fmt_glyph(GLYPH_ARROW) : " ");
    x += draw_puts(y, x, end - x, ELEM_NORMAL, " ");
    draw_puts(y, x, end - x, elem, text);
}

/* printf width for s in w columns: the unknown glyph is one column but three bytes. */
static int cols_w(const char *s, int w)
{
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) == 0x80;
    return w;
}

static int digits(unsigned long long v)
{
    int n = 1;
    while (v >= 10)
        v /= 10, n++;
    return n;
}

/* ---- settings: the form ---- */

static int form_rows(int width, int *cols)
{
    return view_load_layout_grid(view_load_form_count(), FORM_CELL_W, width - 2, cols);
}

static void form_cell(load_view *st, int y, int x, int w, int f)
{
    char value[PROMPT_MAX], raw[PROMPT_MAX];
    bool at = f == st->field;
    ks_elem elem = ELEM_NORMAL;

    view_load_form_value(&st->spec, f, false, value, sizeof(value));
    view_load_form_value(&st->spec, f, true, raw, sizeof(raw));
    if (strcmp(value, raw) && view_load_form_kind(f) != FORM_BOOL)
        elem = ELEM_MUTED; /* "default", "unlimited": nothing set */
    if (at)
        elem = st->focus == LS_SETTINGS ? ELEM_SELECTED : ELEM_SELECTED_INACTIVE;
    draw_text(y, x, FORM_LABEL_W < w ? FORM_LABEL_W : w, ELEM_MUTED, view_load_form_key(f),
              false);
    if (w > FORM_LABEL_W)
        draw_text(y, x + FORM_LABEL_W, w - FORM_LABEL_W, elem, value, false);
}

static void sec_settings(load_view *st, sink *s)
{
    char text[512], summary[400];
    int cols, rows = form_rows(s->r.w, &cols);

    view_load_form_summary(&st->spec, summary, sizeof(summary));
    snprintf(text, sizeof(text), "settings of the next run: %s", summary);
    title(st, s, LS_SETTINGS, ELEM_TITLE, text);
    if (*st->form_err)
        pin(s, ELEM_ERROR, "  %s", st->form_err);
    for (int r = 0; r < rows; r++) {
        int y = sink_row(s);
        if (y < 0)
            continue;
        draw_fill((ks_rect){y, s->r.x, 1, s->r.w}, ELEM_NORMAL);
        for (int c = 0; c < cols; c++) {
            int f = c * rows + r, x = s->r.x + 2 + c * (FORM_CELL_W + 2);
            int w = s->r.x + s->r.w - x;
            if (f < view_load_form_count() && w > 0)
                form_cell(st, y, x, w < FORM_CELL_W ? w : FORM_CELL_W, f);
        }
    }
}

/* "lost" is only a verdict once the consumers have drained; before that the
 * same number is what is still on its way, and red would cry wolf. */
static void audit_line(const ks_load_stats *r, sink *s)
{
    const ks_audit_counts *a = &r->audit;
    bool ended = r->state == LOAD_DONE || r->state == LOAD_FAILED;
    const char *what = r->drained ? "lost" : ended ? "lost (not drained)" : "not yet consumed";
    ks_elem elem = r->drained || ended ? (a->lost ? ELEM_ERROR : ELEM_OK) : ELEM_NORMAL;

    line(s, elem,
         "  audit    %s %llu  duplicates %llu  redelivered %llu  out of order %llu  "
         "unique %llu/%llu%s",
         what, (unsigned long long)a->lost, (unsigned long long)a->log_duplicates,
         (unsigned long long)a->redelivered, (unsigned long long)a->out_of_order,
         (unsigned long long)a->unique, (unsigned long long)a->sent,
         r->drained ? "" : " (final once drained)");
}

/* ---- the run: counters, latency, sparklines, errors, audit ---- */

static const char *quant(char *buf, size_t size, const ks_load_quantiles *q)
{
    const char *u = fmt_glyph(GLYPH_UNKNOWN);
    if (!q->valid)
        snprintf(buf, size, "p50 %s  p95 %s  p99 %s", u, u, u);
    else
        snprintf(buf, size, "p50 %.1fms  p95 %.1fms  p99 %.1fms", q->p50_ms, q->p95_ms,
                 q->p99_ms);
    return buf;
}

/* The run's per-tick history (oldest first) into a sparkline ring. */
static void spark_fill(ks_spark *spark, const float *history, int n)
{
    memset(spark, 0, sizeof(*spark));
    for (int i = n > SPARK_SAMPLES ? n - SPARK_SAMPLES : 0; i < n; i++)
        sparkline_push(spark, true, (int64_t)(history[i] + 0.5f));
}

static void spark_line(sink *s, const ks_spark *spark, const char *what)
{
    char buf[SPARK_SAMPLES * 4 + 1], legend[96];
    int y = sink_row(s), x = s->r.x, end = s->r.x + s->r.w;
    int width = s->r.w - 11 - 30; /* the legend keeps about 30 columns */
    int64_t peak = 0;

    if (y < 0)
        return;
    width = width > SPARK_WIDTH ? SPARK_WIDTH : width < 8 ? 8 : width;
    for (int i = 0; i < spark->n && i < width; i++) {
        int at = (spark->head - 1 - i + SPARK_SAMPLES) % SPARK_SAMPLES;
        peak = spark->v[at] > peak ? spark->v[at] : peak;
    }
    draw_fill((ks_rect){y, x, 1, s->r.w}, ELEM_NORMAL);
    x += 11;
    if (!spark->n) {
        draw_puts(y, x, end - x, ELEM_MUTED, "(no sample yet)");
        return;
    }
    sparkline_render(spark, width, fmt_utf8(), buf, sizeof(buf));
    x += draw_puts(y, x, end - x, ELEM_SPARK, buf);
    snprintf(legend, sizeof(legend), "  %s %ds, peak %lld/s", what,
             spark->n < width ? spark->n : width, (long long)peak);
    if (x < end)
        draw_puts(y, x, end - x, ELEM_MUTED, legend);
}

static void errors_text(const ks_load_stats *s, char *buf, size_t size)
{
    size_t len = 0;

    buf[0] = '\0';
    for (int e = 0; e < LOAD_ERR__COUNT && len < size; e++)
        if (s->errors[e])
            len += (size_t)snprintf(buf + len, size - len, "%s %llu  ",
                                    load_err_name((ks_load_err)e),
                                    (unsigned long long)s->errors[e]);
}

static void sec_run(load_view *st, sink *s)
{
    const ks_load_stats *r = &st->stats;
    char text[512], q[128], errs[256], gen[24];

    if (r->state == LOAD_IDLE && !*r->error) {
        title(st, s, LS_RUN, ELEM_MUTED, "no run yet: S starts one with these settings");
        return;
    }
    snprintf(text, sizeof(text), "run %s  %s  %s  elapsed %llds  interval %dms%s",
             *r->run_id ? r->run_id : "-", load_state_name(r->state), r->spec.topic,
             (long long)(r->elapsed_ms / 1000), r->interval_ms, r->drained ? "  drained" : "");
    title(st, s, LS_RUN, r->state == LOAD_FAILED ? ELEM_ERROR : ELEM_TITLE, text);
    if (*r->error)
        line(s, ELEM_ERROR, "  %s", r->error);
    line(s, ELEM_NORMAL,
         "  produce  sent %llu  acked %llu  failed %llu  in flight %llu  %.0f msg/s  %.2f MB/s",
         (unsigned long long)r->produced, (unsigned long long)r->acked,
         (unsigned long long)r->failed, (unsigned long long)r->in_flight, r->produce_rate,
         r->produce_mbps);
    line(s, ELEM_NORMAL, "           latency %s", quant(q, sizeof(q), &r->produce_latency));
    spark_line(s, &st->spark_produce, "sent");
    if (r->generation_valid)
        snprintf(gen, sizeof(gen), "%d", r->generation);
    else
        snprintf(gen, sizeof(gen), "%s", fmt_glyph(GLYPH_UNKNOWN));
    line(s, ELEM_NORMAL,
         "  consume  read %llu  %.0f msg/s  %.2f MB/s  members %d alive  generation %s%s",
         (unsigned long long)r->consumed, r->consume_rate, r->consume_mbps, r->nalive, gen,
         r->rebalancing && (r->state == LOAD_RUNNING || r->state == LOAD_DRAINING)
             ? "  REBALANCING"
             : "");
    line(s, ELEM_NORMAL, "           end to end %s", quant(q, sizeof(q), &r->e2e_latency));
    spark_line(s, &st->spark_consume, "read");
    errors_text(r, errs, sizeof(errs));
    line(s, *errs ? ELEM_WARNING : ELEM_MUTED, "  errors   %s", *errs ? errs : "none");
    if (r->audit_valid)
        audit_line(r, s);
}

/* ---- members ---- */

static void sec_members(load_view *st, sink *s)
{
    const ks_load_stats *r = &st->stats;
    char text[400], set[256], last[48];
    int aw = 8;

    if (r->nmembers == 0)
        return;
    for (int m = 0; m < r->nmembers; m++) {
        int n = load_pset_format(&r->member[m].assigned, set, sizeof(set));
        aw = n > aw ? n : aw;
    }
    aw = aw > 24 ? 24 : aw;
    snprintf(text, sizeof(text), "members of %s  %d alive  (a adds, d removes, K kills)",
             *r->spec.group ? r->spec.group : "the group", r->nalive);
    title(st, s, LS_MEMBERS, ELEM_TITLE, text);
    pin(s, ELEM_COLUMN, "%-3s %-9s %-*s %10s %8s %-14s %s", "#", "STATE", aw, "ASSIGNED",
        "CONSUMED", "MSG/S", "LAST OFFSET", "MEMBER ID");
    for (int m = 0; m < r->nmembers; m++) {
        const ks_load_member_stats *ms = &r->member[m];
        bool alive = ms->state == LOAD_WORKER_RUNNING || ms->state == LOAD_WORKER_STARTING;
        load_pset_format(&ms->assigned, set, sizeof(set));
        if (ms->last_valid)
            snprintf(last, sizeof(last), "p%d@%lld", ms->last_partition,
                     (long long)ms->last_offset);
        else
            snprintf(last, sizeof(last), "%s", fmt_glyph(GLYPH_UNKNOWN));
        /* the row starts with the slot number: e2e greps "^1 +running" */
        line(s, alive ? ELEM_NORMAL : ELEM_MUTED, "%-3d %-9s %-*.*s %10llu %8.0f %-*s %s", m,
             load_worker_state_name(ms->state), aw, aw, set, (unsigned long long)ms->consumed,
             ms->rate, cols_w(last, 14), last,
             *ms->member_id ? ms->member_id : fmt_glyph(GLYPH_UNKNOWN));
    }
}

/* ---- couriers: the workbook's map, updates per courier id ---- */

static void sec_couriers(load_view *st, sink *s)
{
    const ks_load_stats *r = &st->stats;
    unsigned long long total = r->courier_other, max = 0;
    int n = r->ncouriers < KS_LOAD_MAX_COURIERS ? r->ncouriers : KS_LOAD_MAX_COURIERS;
    int idw, cw, cols, rows;
    char text[256];

    if (r->state == LOAD_IDLE || !*r->run_id || (n <= 0 && !r->courier_other))
        return;
    for (int i = 0; i < n; i++) {
        total += r->courier_updates[i];
        max = r->courier_updates[i] > max ? r->courier_updates[i] : max;
    }
    snprintf(text, sizeof(text), "couriers: updates per courier id  %d ids  total %llu  other %llu",
             n, total, (unsigned long long)r->courier_other);
    title(st, s, LS_COURIERS, ELEM_TITLE, text);
    idw = digits(n > 0 ? (unsigned long long)n - 1 : 0);
    cw = digits(max);
    rows = view_load_layout_grid(n, 2 + idw + cw, s->r.w - 2, &cols);
    for (int row = 0; row < rows; row++) {
        int y = sink_row(s);
        if (y < 0)
            continue;
        draw_fill((ks_rect){y, s->r.x, 1, s->r.w}, ELEM_NORMAL);
        for (int c = 0; c < cols; c++) {
            int i = row * cols + c, x = s->r.x + 2 + c * (2 + idw + cw + 2);
            int end = s->r.x + s->r.w;
            ks_elem elem = r->courier_updates[i] ? ELEM_NORMAL : ELEM_MUTED;
            char id[16], count[24];
            if (i >= n || x + 2 + idw + cw > end)
                break;
            snprintf(id, sizeof(id), "c%d", i);
            snprintf(count, sizeof(count), "%llu", (unsigned long long)r->courier_updates[i]);
            draw_puts(y, x, 1 + idw, ELEM_MUTED, id);
            draw_text(y, x + 2 + idw, cw, elem, count, true);
        }
    }
}

/* ---- rebalances: newest first, each with its members' moves ---- */

static const char *set_text(const ks_pset *set, char *buf, size_t size)
{
    char inner[256];
    if (load_pset_empty(set))
        snprintf(buf, size, "{}");
    else {
        load_pset_format(set, inner, sizeof(inner));
        snprintf(buf, size, "{%s}", inner);
    }
    return buf;
}

/* Was member slot m in the rebalance before (and not on its way out)? */
static bool was_member(const ks_load_rebalance *prev, int m)
{
    for (int i = 0; prev && i < prev->nmembers; i++)
        if (prev->members[i].member == m)
            return !prev->members[i].gone;
    return false;
}

static void rebalance_lines(sink *s, const ks_load_rebalance *b, const ks_load_rebalance *prev,
                            int cause_w)
{
    char ts[48], took[24], stopped[24], cover[64], gen[24], add[280], del[280], own[280];
    const char *tod;

    tail_format_time(b->start_ms, ts, sizeof(ts));
    tod = strchr(ts, 'T') ? strchr(ts, 'T') + 1 : ts;
    if (ts[0] && ts[strlen(ts) - 1] == 'Z')
        ts[strlen(ts) - 1] = '\0';
    snprintf(took, sizeof(took), "%lldms", (long long)(b->end_ms - b->trigger_ms));
    if (b->stopped_valid)
        snprintf(stopped, sizeof(stopped), "%lldms", (long long)b->stopped_ms);
    else
        snprintf(stopped, sizeof(stopped), "%s", fmt_glyph(GLYPH_UNKNOWN));
    if (!b->complete)
        snprintf(cover, sizeof(cover), "in progress");
    else if (b->cover_ok)
        snprintf(cover, sizeof(cover), "ok");
    else
        snprintf(cover, sizeof(cover), "BAD %d unowned %d twice", b->unowned, b->multiowned);
    if (b->generation_valid)
        snprintf(gen, sizeof(gen), "%d", b->generation);
    else
        snprintf(gen, sizeof(gen), "%s", fmt_glyph(GLYPH_UNKNOWN));
    line(s, !b->complete ? ELEM_WARNING : b->cover_ok ? ELEM_NORMAL : ELEM_ERROR,
         "%-4llu %-*s %-12s %-*.*s %8s %*s %s", (unsigned long long)b->seq, cols_w(gen, 5), gen,
         tod, cause_w, cause_w, b->cause, took, cols_w(stopped, 8), stopped, cover);
    for (int i = 0; i < b->nmembers; i++) {
        const ks_load_rebalance_member *bm = &b->members[i];
        /* the first rebalance of a run: everyone joined; older ones dropped: unknown */
        bool joined = prev ? !was_member(prev, bm->member) : b->seq == 1;
        line(s, bm->gone ? ELEM_MUTED : ELEM_NORMAL, "     m%-3d +%-8s -%-8s owns %-8s %s",
             bm->member, set_text(&bm->assigned, add, sizeof(add)),
             set_text(&bm->revoked, del, sizeof(del)), set_text(&bm->owned, own, sizeof(own)),
             bm->gone       ? "left"
             : joined       ? "joined"
             : !bm->reported ? "waiting"
                             : "");
    }
}

static void sec_rebalances(load_view *st, sink *s)
{
    char text[128];
    int cause_w = s->r.w - (4 + 1 + 5 + 1 + 12 + 1 + 1 + 8 + 1 + 8 + 1 + 11);

    if (st->nrb == 0)
        return;
    cause_w = cause_w < 12 ? 12 : cause_w > 40 ? 40 : cause_w;
    snprintf(text, sizeof(text), "rebalances of the group: %d, newest first", st->nrb);
    title(st, s, LS_REBALANCES, ELEM_TITLE, text);
    pin(s, ELEM_COLUMN, "%-4s %-5s %-12s %-*s %8s %8s %s", "SEQ", "GEN", "START (UTC)", cause_w,
        "CAUSE", "TOOK", "STOPPED", "COVER");
    for (int i = st->nrb - 1; i >= 0; i--)
        rebalance_lines(s, &st->rb[i], i > 0 ? &st->rb[i - 1] : NULL, cause_w);
}

/* ---- the whole body ---- */

typedef void section_fn(load_view *st, sink *s);

static section_fn *const sections[LS__COUNT] = {
    [LS_SETTINGS] = sec_settings, [LS_RUN] = sec_run,           [LS_MEMBERS] = sec_members,
    [LS_COURIERS] = sec_couriers, [LS_REBALANCES] = sec_rebalances,
};

/* Who gets the rows the focused section leaves: the live numbers first. */
static const int prio[LS__COUNT] = {LS_RUN, LS_MEMBERS, LS_SETTINGS, LS_COURIERS, LS_REBALANCES};

void view_load_draw_body(load_view *st, ks_rect body)
{
    int want[LS__COUNT], got[LS__COUNT], lines[LS__COUNT], pinned[LS__COUNT], used = 0, nshown = 0;
    int y = body.y;

    spark_fill(&st->spark_produce, st->stats.history_produce, st->stats.nhistory);
    spark_fill(&st->spark_consume, st->stats.history_consume, st->stats.nhistory);
    for (int i = 0; i < LS__COUNT; i++) {
        sink m = {.r = {body.y, body.x, 0, body.w}, .y = body.y};
        sections[i](st, &m);
        lines[i] = m.n;
        pinned[i] = m.pinned;
        want[i] = m.pinned + m.n;
        st->shown[i] = want[i] > 0;
    }
    if (!st->shown[st->focus])
        st->focus = LS_SETTINGS;
    view_load_layout_split(body.h, want, LS__COUNT, st->focus, FOCUS_MIN, prio, got);
    for (int i = 0; i < LS__COUNT; i++) {
        used += got[i];
        nshown += got[i] > 0;
    }
    for (int i = 0; i < LS__COUNT; i++) {
        int room = got[i] - pinned[i];
        sink s = {.r = {y, body.x, got[i], body.w}, .y = y};
        st->rows[i] = room > 1 ? room : 1;
        if (!got[i])
            continue;
        if (i == LS_SETTINGS) {
            /* the form scrolls to keep its cursor in sight */
            int cols, rows = form_rows(body.w, &cols);
            st->top[i] = layout_scroll(st->top[i], st->field % rows, room, rows);
        }
        if (st->top[i] > lines[i] - room)
            st->top[i] = lines[i] - room;
        if (st->top[i] < 0)
            st->top[i] = 0;
        s.skip = st->top[i];
        sections[i](st, &s);
        y += got[i];
        /* a blank line between sections when the screen has one to spare */
        if (used + nshown - 1 <= body.h)
            y++;
    }
}
