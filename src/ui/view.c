/* view: the one table of views, the navigation stack, the header tabs and title lines. */
#include "view.h"
#include "draw.h"
#include "fmt.h"
#include "ui.h"
#include "widget_table.h"
#include "xmalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every view, registered once. */
static const ks_view_def *const views[VIEW__COUNT] = {
    [VIEW_BROKERS] = &view_brokers_def,  [VIEW_TOPICS] = &view_topics_def,
    [VIEW_GROUPS] = &view_groups_def,    [VIEW_ZK] = &view_zookeeper_def,
    [VIEW_SCHEMAS] = &view_registry_def, [VIEW_TIMELINE] = &view_timeline_def,
    [VIEW_TOPIC] = &view_topic_def,      [VIEW_GROUP] = &view_group_def,
    [VIEW_SCHEMA] = &view_schema_def,    [VIEW_HELP] = &view_help_def,
    [VIEW_TAIL] = &view_tail_def,        [VIEW_LOAD] = &view_load_def,
};

const ks_view_def *view_def(int id)
{
    return id >= 0 && id < VIEW__COUNT ? views[id] : views[VIEW_BROKERS];
}

int view_find(const char *name)
{
    size_t len = strlen(name);

    for (int id = 0; id < VIEW__COUNT; id++) {
        const char *p = views[id]->aliases;
        if (!strcmp(views[id]->name, name))
            return id;
        while (p && *p) {
            const char *end = strchr(p, ' ');
            size_t n = end ? (size_t)(end - p) : strlen(p);
            if (n == len && !strncmp(p, name, n))
                return id;
            p = end ? end + 1 : NULL;
        }
    }
    return -1;
}

int view_current(const ks_ui *ui)
{
    return ui->depth ? ui->stack[ui->depth - 1].view : VIEW_BROKERS;
}

const char *view_arg(const ks_ui *ui)
{
    return ui->depth ? ui->stack[ui->depth - 1].arg : NULL;
}

ks_table *view_focus(ks_ui *ui)
{
    int id = view_current(ui);
    return views[id]->focus ? views[id]->focus(ui->states[id]) : NULL;
}

void views_create(ks_ui *ui)
{
    for (int id = 0; id < VIEW__COUNT; id++)
        ui->states[id] = views[id]->create ? views[id]->create(ui) : NULL;
}

void views_destroy(ks_ui *ui)
{
    for (int id = 0; id < VIEW__COUNT; id++) {
        if (views[id]->destroy)
            views[id]->destroy(ui->states[id]);
        ui->states[id] = NULL;
    }
}

void views_sample(ks_ui *ui)
{
    for (int id = 0; id < VIEW__COUNT; id++)
        if (views[id]->sample)
            views[id]->sample(ui->states[id], ui);
}

/* Shows the top frame: the view gets its argument, the table its saved selection. */
static void enter_top(ks_ui *ui)
{
    ks_frame *f = &ui->stack[ui->depth - 1];
    ks_table *t;

    if (views[f->view]->enter)
        views[f->view]->enter(ui->states[f->view], ui, f->arg);
    if (f->sel_key && (t = view_focus(ui)))
        table_select_key(t, f->sel_key);
}

/* Remembers the selection of the frame about to be covered. */
static void save_top(ks_ui *ui)
{
    ks_table *t;

    if (!ui->depth)
        return;
    free(ui->stack[ui->depth - 1].sel_key);
    t = view_focus(ui);
    ui->stack[ui->depth - 1].sel_key = t ? xstrdup(table_selected_key(t)) : NULL;
}

static void drop_frames(ks_ui *ui, int depth)
{
    while (ui->depth > depth) {
        ks_frame *f = &ui->stack[--ui->depth];
        free(f->arg);
        free(f->sel_key);
        *f = (ks_frame){0};
    }
}

void view_switch(ks_ui *ui, int id)
{
    if (ui->depth && view_current(ui) == id && ui->depth == 1)
        return;
    save_top(ui);
    drop_frames(ui, 0);
    ui->stack[0] = (ks_frame){.view = id};
    ui->depth = 1;
    enter_top(ui);
}

void view_push(ks_ui *ui, int id, const char *arg)
{
    /* a frame already open for the same thing is returned to, not stacked twice */
    for (int i = 0; i < ui->depth; i++) {
        ks_frame *f = &ui->stack[i];
        if (f->view == id && !strcmp(f->arg ? f->arg : "", arg ? arg : "")) {
            drop_frames(ui, i + 1);
            enter_top(ui);
            return;
        }
    }
    save_top(ui);
    if (ui->depth == UI_STACK_MAX) {
        /* deep drilling: forget the oldest frame above the root */
        free(ui->stack[1].arg);
        free(ui->stack[1].sel_key);
        memmove(&ui->stack[1], &ui->stack[2], sizeof(ks_frame) * (UI_STACK_MAX - 2));
        ui->depth--;
    }
    ui->stack[ui->depth++] = (ks_frame){.view = id, .arg = xstrdup(arg)};
    enter_top(ui);
}

bool view_pop(ks_ui *ui)
{
    if (ui->depth <= 1)
        return false;
    drop_frames(ui, ui->depth - 1);
    enter_top(ui);
    return true;
}

void view_sync(ks_ui *ui)
{
    int id = view_current(ui);
    if (views[id]->sync)
        views[id]->sync(ui->states[id], ui);
}

void view_draw(ks_ui *ui, ks_rect body)
{
    int id = view_current(ui);
    views[id]->draw(ui->states[id], ui, body);
}

/* "ksight  1 Brokers  2 Topics ..." with the current top-level view lit; compact when narrow. */
void view_draw_header(ks_ui *ui, ks_rect r)
{
    int x = r.x, root = ui->depth ? ui->stack[0].view : VIEW_BROKERS;
    bool compact = r.w < 84;
    char tab[48];

    draw_fill(r, ELEM_HEADER);
    if (!compact)
        x += draw_puts(r.y, x, r.w, ELEM_HEADER, " ksight ");
    for (int id = 0; id < VIEW__COUNT && x < r.x + r.w; id++) {
        if (!views[id]->key)
            continue;
        snprintf(tab, sizeof(tab), compact ? "%c %s" : " %c %s ", views[id]->key, views[id]->title);
        x += draw_puts(r.y, x, r.x + r.w - x, id == root ? ELEM_TAB_ACTIVE : ELEM_TAB, tab);
        if (compact && x < r.x + r.w)
            x += draw_puts(r.y, x, 1, ELEM_HEADER, " ");
    }
    if (!compact && x + 8 < r.x + r.w)
        draw_text(r.y, r.x + r.w - 8, 8, ELEM_HEADER, "? help ", true);
}

ks_rect view_title(ks_ui *ui, ks_rect body, const char *fmt, ...)
{
    char text[512], crumb[256];
    size_t len = 0;
    va_list ap;
    int x = body.x;

    if (body.h <= 0)
        return body;
    /* breadcrumb of the stack: "Topics ▸ position ▸ readers" */
    crumb[0] = '\0';
    for (int i = 0; i < ui->depth && len < sizeof(crumb); i++) {
        const ks_frame *f = &ui->stack[i];
        len += (size_t)snprintf(crumb + len, sizeof(crumb) - len, "%s%s%s", i ? " " : "",
                                i ? fmt_glyph(GLYPH_ARROW) : "", i ? " " : "");
        if (len < sizeof(crumb))
            len += (size_t)snprintf(crumb + len, sizeof(crumb) - len, "%s",
                                    f->arg ? f->arg : views[f->view]->title);
    }
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    draw_fill((ks_rect){body.y, body.x, 1, body.w}, ELEM_NORMAL);
    x += draw_puts(body.y, x, body.w, ELEM_TITLE, crumb);
    if (*text && x + 2 < body.x + body.w)
        draw_text(body.y, x + 2, body.x + body.w - x - 2, ELEM_MUTED, text, false);
    return layout_below(body, 1);
}

const char *view_empty_reason(const void *part, const char *source, const char *fallback, char *buf,
                              size_t size)
{
    const ks_part *p = part;

    if (!p)
        snprintf(buf, size, "waiting for the first answer from %s%s", source,
                 fmt_glyph(GLYPH_ELLIPSIS));
    else if (p->error)
        snprintf(buf, size, "%s: %s", source, p->error);
    else
        snprintf(buf, size, "%s", fallback);
    return buf;
}

int view_pair(ks_rect line, int x, const char *label, int elem, const char *fmt, ...)
{
    char value[256];
    int end = line.x + line.w;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(value, sizeof(value), fmt, ap);
    va_end(ap);
    if (x >= end)
        return x;
    if (label && *label) {
        x += draw_puts(line.y, x, end - x, ELEM_MUTED, label);
        if (x < end)
            x += draw_puts(line.y, x, end - x, ELEM_MUTED, " ");
    }
    if (x < end)
        x += draw_puts(line.y, x, end - x, (ks_elem)elem, value);
    if (x + 2 <= end)
        x += draw_puts(line.y, x, end - x, ELEM_NORMAL, "  ");
    return x;
}

bool view_part_known(const void *part, int count)
{
    const ks_part *p = part;
    return p && !(p->error && count == 0);
}
