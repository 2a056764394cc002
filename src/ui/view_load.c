/* view_load: a load run: its settings as a form, live counters, members, rebalances, the audit. */
#include "view_load.h"
#include "cmdq.h"
#include "command.h"
#include "draw.h"
#include "fmt.h"
#include "keys.h"
#include "load.h"
#include "tail.h" /* tail_format_time */
#include "ui.h"
#include "xmalloc.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REBALANCES_SHOWN 8

typedef struct load_view {
    ks_ui *ui;
    ks_load_spec spec;  /* the next run's settings, edited with :load-set */
    ks_load_stats stats; /* copied each frame: about 60 KB, too big for the stack */
    ks_load_rebalance rb[REBALANCES_SHOWN];
} load_view;

static ks_load *load_of(ks_ui *ui)
{
    return ui->opts->load;
}

static load_view *state_of(ks_ui *ui)
{
    return ui->states[VIEW_LOAD];
}

static void *create(ks_ui *ui)
{
    load_view *st = xcalloc(1, sizeof(*st));
    st->ui = ui;
    load_spec_defaults(&st->spec);
    if (!*st->spec.topic)
        snprintf(st->spec.topic, sizeof(st->spec.topic), "ksight-load");
    return st;
}

static void destroy(void *state)
{
    free(state);
}

/* One line of text at row *y of r, then the next row. */
static void line(ks_rect r, int *y, ks_elem elem, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void line(ks_rect r, int *y, ks_elem elem, const char *fmt, ...)
{
    char buf[512];
    va_list ap;

    if (*y >= r.y + r.h)
        return;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    draw_text(*y, r.x, r.w, elem, buf, false);
    (*y)++;
}

static const char *quant(char *buf, size_t size, const ks_load_quantiles *q)
{
    if (!q->valid)
        snprintf(buf, size, "p50 %s  p95 %s  p99 %s", fmt_glyph(GLYPH_UNKNOWN),
                 fmt_glyph(GLYPH_UNKNOWN), fmt_glyph(GLYPH_UNKNOWN));
    else
        snprintf(buf, size, "p50 %.1fms  p95 %.1fms  p99 %.1fms", q->p50_ms, q->p95_ms,
                 q->p99_ms);
    return buf;
}

static void draw_settings(const ks_load_spec *sp, ks_rect r, int *y)
{
    line(r, y, ELEM_TITLE, "settings of the next run  (c edits, S starts)");
    line(r, y, ELEM_NORMAL,
         "  topic %s  partitions %d  replication %d  format %s  couriers %d", sp->topic,
         sp->partitions, sp->replication, load_format_name(sp->format), sp->couriers);
    line(r, y, ELEM_NORMAL,
         "  producers %d  messages %lld  interval_ms %d  mode %s  acks %s  idempotent %s  "
         "compression %s",
         sp->producers, (long long)sp->messages, sp->interval_ms, load_send_mode_name(sp->mode),
         load_acks_name(sp->acks), sp->idempotent ? "yes" : "no", sp->compression);
    line(r, y, ELEM_NORMAL, "  consumers %d  group %s  commit %s  assignor %s  offset_reset %s",
         sp->consumers, *sp->group ? sp->group : "(per run)", load_commit_name(sp->commit),
         load_assignor_name(sp->assignor), sp->offset_reset);
}

static void draw_run(load_view *st, ks_rect r, int *y)
{
    const ks_load_stats *s = &st->stats;
    char q[128], errs[256];
    size_t len = 0;

    line(r, y, s->state == LOAD_FAILED ? ELEM_ERROR : ELEM_TITLE,
         "run %s  %s  %s  elapsed %llds  interval %dms%s", *s->run_id ? s->run_id : "-",
         load_state_name(s->state), s->spec.topic, (long long)(s->elapsed_ms / 1000),
         s->interval_ms, s->drained ? "  drained" : "");
    if (*s->error)
        line(r, y, ELEM_ERROR, "  %s", s->error);
    line(r, y, ELEM_NORMAL,
         "  produce  sent %llu  acked %llu  failed %llu  in flight %llu  %.0f msg/s  %.2f MB/s",
         (unsigned long long)s->produced, (unsigned long long)s->acked,
         (unsigned long long)s->failed, (unsigned long long)s->in_flight, s->produce_rate,
         s->produce_mbps);
    line(r, y, ELEM_NORMAL, "           latency %s", quant(q, sizeof(q), &s->produce_latency));
    line(r, y, ELEM_NORMAL,
         "  consume  read %llu  %.0f msg/s  %.2f MB/s  members %d alive  generation %s%s",
         (unsigned long long)s->consumed, s->consume_rate, s->consume_mbps, s->nalive,
         s->generation_valid ? (snprintf(errs, sizeof(errs), "%d", s->generation), errs)
                             : fmt_glyph(GLYPH_UNKNOWN),
         s->rebalancing ? "  REBALANCING" : "");
    line(r, y, ELEM_NORMAL, "           end to end %s", quant(q, sizeof(q), &s->e2e_latency));
    errs[0] = '\0';
    for (int e = 0; e < LOAD_ERR__COUNT && len < sizeof(errs); e++)
        if (s->errors[e])
            len += (size_t)snprintf(errs + len, sizeof(errs) - len, "%s %llu  ",
                                    load_err_name((ks_load_err)e),
                                    (unsigned long long)s->errors[e]);
    line(r, y, *errs ? ELEM_WARNING : ELEM_MUTED, "  errors   %s", *errs ? errs : "none");
    if (s->audit_valid)
        line(r, y, s->audit.lost ? ELEM_ERROR : ELEM_OK,
             "  audit    lost %llu  duplicates %llu  redelivered %llu  out of order %llu  "
             "unique %llu/%llu%s",
             (unsigned long long)s->audit.lost, (unsigned long long)s->audit.log_duplicates,
             (unsigned long long)s->audit.redelivered, (unsigned long long)s->audit.out_of_order,
             (unsigned long long)s->audit.unique, (unsigned long long)s->audit.sent,
             s->drained ? "" : " (final once drained)");
}

static void draw_members(load_view *st, ks_rect r, int *y)
{
    const ks_load_stats *s = &st->stats;
    char set[128];

    line(r, y, ELEM_COLUMN, "%-4s %-9s %-12s %-40s %10s %9s", "#", "STATE", "ASSIGNED",
         "MEMBER ID", "CONSUMED", "MSG/S");
    for (int m = 0; m < s->nmembers && *y < r.y + r.h; m++) {
        const ks_load_member_stats *ms = &s->member[m];
        bool alive = ms->state == LOAD_WORKER_RUNNING || ms->state == LOAD_WORKER_STARTING;
        load_pset_format(&ms->assigned, set, sizeof(set));
        line(r, y, alive ? ELEM_NORMAL : ELEM_MUTED, "%-4d %-9s %-12s %-40.40s %10llu %9.0f", m,
             load_worker_state_name(ms->state), set, *ms->member_id ? ms->member_id : "-",
             (unsigned long long)ms->consumed, ms->rate);
    }
}

static void draw_rebalances(load_view *st, ks_rect r, int *y)
{
    ks_load_rebalance *rb = st->rb;
    int n = load_rebalances(load_of(st->ui), rb, REBALANCES_SHOWN);
    char ts[48];

    line(r, y, ELEM_COLUMN, "%-4s %-5s %-24s %-28s %9s %s", "SEQ", "GEN", "START (UTC)", "CAUSE",
         "TOOK", "COVER");
    for (int i = n - 1; i >= 0 && *y < r.y + r.h; i--) {
        const ks_load_rebalance *b = &rb[i];
        tail_format_time(b->start_ms, ts, sizeof(ts));
        line(r, y, b->complete && !b->cover_ok ? ELEM_ERROR : ELEM_NORMAL,
             "%-4llu %-5d %-24s %-28.28s %7lldms %s", (unsigned long long)b->seq,
             b->generation_valid ? b->generation : -1, ts, b->cause,
             (long long)(b->end_ms - b->trigger_ms),
             !b->complete ? "in progress" : b->cover_ok ? "ok" : "BAD");
    }
}

static void draw(void *state, ks_ui *ui, ks_rect body)
{
    load_view *st = state;
    int y;

    if (!load_of(ui)) {
        body = view_title(ui, body, "%s", "");
        draw_text(body.y + 1, body.x + 1, body.w - 2, ELEM_MUTED,
                  "load unavailable: this session has no load service", false);
        return;
    }
    load_stats(load_of(ui), &st->stats);
    body = view_title(ui, body, "%s", ui->read_only ? "read-only: runs are refused" : "");
    y = body.y;
    draw_settings(&st->spec, body, &y);
    y++;
    if (st->stats.state != LOAD_IDLE || *st->stats.error) {
        draw_run(st, body, &y);
        y++;
        draw_members(st, body, &y);
        y++;
        draw_rebalances(st, body, &y);
    } else
        line(body, &y, ELEM_MUTED, "no run yet: S starts one, c changes the settings");
}

/* ---- actions ---- */

int view_load_cmd_set(ks_ui *ui, const char *arg)
{
    load_view *st = state_of(ui);
    ks_load_spec spec = st->spec;
    char err[256];

    if (!arg) {
        ui_message(ui, ELEM_ERROR, "usage: :load-set key=value;...");
        return REACT_REDRAW;
    }
    if (load_spec_parse(&spec, arg, err, sizeof(err)) != 0) {
        ui_message(ui, ELEM_ERROR, "%s", err);
        return REACT_REDRAW;
    }
    st->spec = spec;
    ui_message(ui, ELEM_MESSAGE, "settings changed (S starts a run)");
    return REACT_REDRAW;
}

int view_load_cmd_start(ks_ui *ui, const char *arg)
{
    load_view *st = state_of(ui);
    char err[256], *spec;

    (void)arg;
    if (!load_of(ui))
        return REACT_NONE;
    if (load_spec_check(&st->spec, err, sizeof(err)) != 0) {
        ui_message(ui, ELEM_ERROR, "%s", err);
        return REACT_REDRAW;
    }
    spec = load_spec_format(&st->spec);
    cmdq_push(ui->opts->cmdq, KS_CMD_LOAD_START, 0, spec, NULL);
    free(spec);
    ui_message(ui, ELEM_MESSAGE, "starting a load run on %s", st->spec.topic);
    return REACT_REDRAW;
}

int view_load_cmd_rate(ks_ui *ui, const char *arg)
{
    if (!arg || atoi(arg) < 0) {
        ui_message(ui, ELEM_ERROR, "usage: :load-rate MS (pause between sends)");
        return REACT_REDRAW;
    }
    state_of(ui)->spec.interval_ms = atoi(arg);
    cmdq_push(ui->opts->cmdq, KS_CMD_LOAD_RATE, atoi(arg), NULL, NULL);
    ui_message(ui, ELEM_MESSAGE, "pause between sends: %dms", atoi(arg));
    return REACT_REDRAW;
}

static int load_prompt(ks_ui *ui, const char *arg)
{
    load_view *st = state_of(ui);
    char text[PROMPT_MAX * 4];

    if (!strcmp(arg, "load-rate"))
        snprintf(text, sizeof(text), "load-rate %d",
                 st->stats.state != LOAD_IDLE ? st->stats.interval_ms : st->spec.interval_ms);
    else
        snprintf(text, sizeof(text),
                 "load-set topic=%s;format=%s;producers=%d;consumers=%d;interval_ms=%d;"
                 "couriers=%d",
                 st->spec.topic, load_format_name(st->spec.format), st->spec.producers,
                 st->spec.consumers, st->spec.interval_ms, st->spec.couriers);
    prompt_open(&ui->prompt, PROMPT_COMMAND, "");
    prompt_set_text(&ui->prompt, text);
    return REACT_REDRAW;
}

/* x, a, d, K: commands on the running run; i is the member (-1 the newest). */
static int load_cmd(ks_ui *ui, const char *arg)
{
    static const struct {
        const char *name;
        ks_cmd_kind kind;
        const char *done;
    } cmds[] = {
        {"stop", KS_CMD_LOAD_STOP, "stopping the run"},
        {"add", KS_CMD_LOAD_CONSUMER_ADD, "adding a consumer"},
        {"remove", KS_CMD_LOAD_CONSUMER_REMOVE, "removing the newest consumer"},
        {"kill", KS_CMD_LOAD_CONSUMER_KILL, "killing the newest consumer (no LeaveGroup)"},
    };

    if (!load_of(ui))
        return REACT_NONE;
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (!strcmp(arg, cmds[i].name)) {
            cmdq_push(ui->opts->cmdq, cmds[i].kind, cmds[i].kind == KS_CMD_LOAD_CONSUMER_ADD ? 1 : -1,
                      NULL, NULL);
            ui_message(ui, ELEM_MESSAGE, "%s", cmds[i].done);
        }
    return REACT_REDRAW;
}

static const ks_binding load_keys[] = {
    {'c', "c", "edit the settings of the next run", load_prompt, "load-set"},
    {'S', "S", "start a run with these settings", view_load_cmd_start, NULL, ACTION_WRITES},
    {'x', "x", "stop the run", load_cmd, "stop"},
    {'R', "R", "change the pause between sends", load_prompt, "load-rate"},
    {'a', "a", "add a consumer to the group", load_cmd, "add", ACTION_WRITES},
    {'d', "d", "remove the newest consumer cleanly", load_cmd, "remove"},
    {'K', "K", "kill the newest consumer (no LeaveGroup)", load_cmd, "kill"},
    {0},
};

const ks_view_def view_load_def = {
    .name = "load",
    .title = "Load",
    .key = '7',
    .keys = load_keys,
    .create = create,
    .destroy = destroy,
    .draw = draw,
};
