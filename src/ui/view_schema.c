/* view_schema: one subject's facts from the snapshot and, through a hook, its schema text. */
#define _GNU_SOURCE /* strcasestr, qsort_r */
#include "command.h"
#include "fmt.h"
#include "snapshot.h"
#include "ui.h"
#include "widget_table.h"
#include "xmalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const ks_column columns[] = {
    {"SUBJECT", 20, COL_FLEX},
};

typedef struct schema_line {
    char key[12];
    char *text;
    ks_elem elem;
} schema_line;

typedef struct schema_state {
    ks_ui *ui;
    char *subject;
    ks_table *table; /* a one-column table is a pager with filter for free */
    schema_line *lines;
    int nlines, cap;
} schema_state;

/* ---- HOOK: schema text --------------------------------------------------
 * The snapshot carries subjects, versions and ids but not schema bodies. The
 * registry/tail issue adds fetching: the UI will push a command on the cmdq
 * and the engine will answer with the text (pretty-printed JSON/Avro) through
 * the store. Until then this returns NULL and the view says so. The returned
 * text is borrowed for the duration of one build. */
static const char *schema_text(ks_ui *ui, const ks_subject *subject)
{
    (void)ui, (void)subject;
    return NULL;
}
/* ---- end of hook ------------------------------------------------------- */

static void lines_clear(schema_state *st)
{
    for (int i = 0; i < st->nlines; i++)
        free(st->lines[i].text);
    st->nlines = 0;
}

static void line_add(schema_state *st, ks_elem elem, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void line_add(schema_state *st, ks_elem elem, const char *fmt, ...)
{
    va_list ap;
    char buf[1024];

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (st->nlines == st->cap) {
        st->cap = st->cap ? st->cap * 2 : 32;
        st->lines = xrealloc(st->lines, sizeof(schema_line) * (size_t)st->cap);
    }
    snprintf(st->lines[st->nlines].key, sizeof(st->lines[st->nlines].key), "%06d", st->nlines);
    st->lines[st->nlines].text = xstrdup(buf);
    st->lines[st->nlines].elem = elem;
    st->nlines++;
}

static void facts(schema_state *st, const ks_registry *r, const ks_subject *s)
{
    char versions[256];
    size_t len = 0;

    versions[0] = '\0';
    for (int i = 0; i < s->nversions && len < sizeof(versions); i++)
        len += (size_t)snprintf(versions + len, sizeof(versions) - len, "%s%d", i ? ", " : "",
                                s->versions[i]);
    line_add(st, ELEM_NORMAL, "subject        %s", s->name);
    line_add(st, ELEM_NORMAL, "type           %s", s->type ? s->type : "AVRO");
    line_add(st, ELEM_NORMAL, "versions       %s", versions);
    if (s->latest_id >= 0)
        line_add(st, ELEM_NORMAL, "latest         version %d, schema id %d", s->latest_version,
                 s->latest_id);
    else
        line_add(st, ELEM_NORMAL, "latest         version %d", s->latest_version);
    line_add(st, ELEM_NORMAL, "compatibility  %s%s",
             s->compatibility   ? s->compatibility
             : r->compatibility ? r->compatibility
                                : fmt_glyph(GLYPH_UNKNOWN),
             s->compatibility ? "" : " (global)");
}

static void build(ks_table *table, const ks_snapshot *snap, void *ctx)
{
    schema_state *st = ctx;
    const ks_subject *s = st->subject ? snapshot_subject(snap, st->subject) : NULL;
    const char *text;

    /* previous rows are dropped right after build (no tombstones) */
    lines_clear(st);
    if (!s) {
        line_add(st, ELEM_MUTED, "%s",
                 snap && snap->registry && snap->registry->part.error
                     ? snap->registry->part.error
                     : "subject not in the registry's last answer");
    } else {
        facts(st, snap->registry, s);
        line_add(st, ELEM_NORMAL, "%s", "");
        line_add(st, ELEM_TITLE, "schema (latest version)");
        if ((text = schema_text(st->ui, s))) {
            const char *p = text;
            while (*p) {
                size_t n = strcspn(p, "\n");
                line_add(st, ELEM_NORMAL, "%.*s", (int)n, p);
                p += n + (p[n] == '\n');
            }
        } else
            line_add(st, ELEM_MUTED, "not fetched: schema bodies are not part of the snapshot yet");
    }
    for (int i = 0; i < st->nlines; i++)
        table_add(table, st->lines[i].key, &st->lines[i]);
}

static void cell(const void *row, int col, char *buf, size_t size, ks_elem *elem, void *ctx)
{
    const schema_line *l = row;

    (void)col, (void)ctx;
    snprintf(buf, size, "%s", l->text);
    *elem = l->elem;
}

static bool match(const void *row, const char *key, const char *pattern, void *ctx)
{
    (void)key, (void)ctx;
    return strcasestr(((const schema_line *)row)->text, pattern) != NULL;
}

static const ks_table_ops ops = {.build = build, .cell = cell, .match = match};

static void *create(ks_ui *ui)
{
    schema_state *st = xcalloc(1, sizeof(*st));
    st->ui = ui;
    st->table = table_new(columns, 1, &ops, st, 0);
    return st;
}

static void destroy(void *state)
{
    schema_state *st = state;
    table_free(st->table);
    lines_clear(st);
    free(st->lines);
    free(st->subject);
    free(st);
}

static void enter(void *state, ks_ui *ui, const char *arg)
{
    schema_state *st = state;

    (void)ui;
    free(st->subject);
    st->subject = xstrdup(arg);
    table_free(st->table);
    st->table = table_new(columns, 1, &ops, st, 0);
}

static void sync(void *state, ks_ui *ui)
{
    table_sync(((schema_state *)state)->table, ui->snap, ui->now_ms, false);
}

static void draw(void *state, ks_ui *ui, ks_rect body)
{
    schema_state *st = state;

    sync(st, ui);
    body = view_title(ui, body, "%s", "");
    table_draw(st->table, body, true);
}

static ks_table *focus(void *state)
{
    return ((schema_state *)state)->table;
}

const ks_view_def view_schema_def = {
    .sync = sync,
    .name = "schema",
    .title = "Schema",
    .arg_name = "SUBJECT",
    .complete = complete_subjects,
    .create = create,
    .destroy = destroy,
    .enter = enter,
    .draw = draw,
    .focus = focus,
};
