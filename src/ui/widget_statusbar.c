/* widget_statusbar: what is connected, how fresh, how often, and what is failing. */
#include "widget_statusbar.h"
#include "draw.h"
#include "fmt.h"
#include "snapshot.h"

#include <stdio.h>
#include <string.h>

const char *statusbar_connection(const ks_snapshot *snap, ks_elem *elem)
{
    const ks_cluster *c = snap ? snap->cluster : NULL;
    ks_cluster_counts counts;

    *elem = ELEM_STATUS;
    if (!c)
        return "connecting";
    cluster_counts(c, &counts);
    if (c->part.error && counts.brokers_up == 0) {
        *elem = ELEM_STATUS_ERROR;
        return "unreachable";
    }
    if (c->part.error || counts.brokers_up < c->nbrokers) {
        *elem = ELEM_STATUS_ERROR;
        return "degraded";
    }
    *elem = ELEM_STATUS_OK;
    return "connected";
}

char *statusbar_errors(const ks_snapshot *snap, char *buf, size_t size)
{
    ks_error errs[8];
    int n = snapshot_errors(snap, errs, 8);
    size_t len = 0;

    buf[0] = '\0';
    for (int i = 0; i < n && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s: %s", i ? "; " : "", errs[i].source,
                                errs[i].message);
    return buf;
}

/* One segment followed by a separator; returns the new x. */
static int segment(int y, int x, int end, ks_elem elem, const char *text)
{
    if (x >= end)
        return x;
    x += draw_puts(y, x, end - x, elem, text);
    if (x < end)
        x += draw_puts(y, x, end - x, ELEM_STATUS, " ");
    if (x < end)
        x += draw_puts(y, x, end - x, ELEM_STATUS, fmt_glyph(GLYPH_SEP));
    if (x < end)
        x += draw_puts(y, x, end - x, ELEM_STATUS, " ");
    return x;
}

void statusbar_draw(ks_ui *ui, ks_rect r)
{
    const ks_snapshot *snap = ui->snap;
    char buf[1024], tmp[32];
    int x = r.x + 1, end = r.x + r.w;
    ks_elem elem;
    const char *conn = statusbar_connection(snap, &elem);

    draw_fill(r, ELEM_STATUS);
    if (ui->profile && !ui->opts->demo)
        x = segment(r.y, x, end, ELEM_STATUS, ui->profile);
    if (ui->bootstrap)
        x = segment(r.y, x, end, ELEM_STATUS, ui->bootstrap);
    snprintf(buf, sizeof(buf), "%s %s", fmt_glyph(GLYPH_DOT), conn);
    x = segment(r.y, x, end, elem, buf);
    if (snap->cluster && snap->cluster->part.taken_ms) {
        int64_t age = ui->now_ms - snap->cluster->part.taken_ms;
        snprintf(buf, sizeof(buf), "%s ago",
                 fmt_age(tmp, sizeof(tmp), age < 1000 ? 0 : age / 1000 * 1000));
        /* stale data is an error worth seeing: three missed refreshes */
        x = segment(r.y, x, end,
                    age > 3 * (int64_t)ui->interval_ms + 2000 ? ELEM_STATUS_ERROR : ELEM_STATUS,
                    buf);
    }
    snprintf(buf, sizeof(buf), "every %s", fmt_age(tmp, sizeof(tmp), ui->interval_ms));
    x = segment(r.y, x, end, ELEM_STATUS, buf);
    if (ui->read_only)
        x = segment(r.y, x, end, ELEM_BADGE, "READ-ONLY");
    if (ui->theme_error[0])
        x = segment(r.y, x, end, ELEM_STATUS_ERROR, ui->theme_error);
    statusbar_errors(snap, buf, sizeof(buf));
    if (*buf && x < end)
        draw_puts(r.y, x, end - x, ELEM_STATUS_ERROR, buf);
}

void statusbar_draw_bottom(ks_ui *ui, ks_rect r)
{
    if (ui->prompt.mode != PROMPT_NONE) {
        prompt_draw(&ui->prompt, r);
        return;
    }
    if (ui->msg[0] && ui->now_ms < ui->msg_until_ms) {
        draw_text(r.y, r.x, r.w, ui->msg_elem, ui->msg, false);
        return;
    }
    draw_text(r.y, r.x, r.w, ELEM_MUTED,
              "Enter open  Esc back  / filter  : command  < > sort  ? help  q quit", false);
}
