/* view_schema: one subject's facts from the snapshot, its schema text and diffs from ks_schema_view. */
#define _GNU_SOURCE /* strcasestr, qsort_r */
#include "cmdq.h"
#include "command.h"
#include "keys.h"
#include "schema_view.h"
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
    uint64_t doc_gen; /* of the schema doc the lines were built from */
    int doc_state;
} schema_state;

static void line_add(schema_state *st, ks_elem elem, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Asks the service for the subject's text (version va, 0 = latest), or a diff va -> vb. */
static void schema_fetch(ks_ui *ui, const char *subject, int va, const char *vb)
{
    if (ui->opts->schema_view && subject)
        cmdq_push(ui->opts->cmdq, KS_CMD_SCHEMA_FETCH, va, subject, vb);
}

static const char *version_name(const ks_schema_version *v, char *buf, size_t size)
{
    snprintf(buf, size, "version %d", v->version);
    if (v->id >= 0)
        snprintf(buf + strlen(buf), size - strlen(buf), " (id %d)", v->id);
    return buf;
}

/* The schema text or the diff from the current doc, when it is this subject's. */
static void schema_text(schema_state *st, const ks_subject *s)
{
    ks_schema_doc *doc = st->ui->opts->schema_view ? schema_view_acquire(st->ui->opts->schema_view)
                                                   : NULL;
    char va[64], vb[64];

    st->doc_gen = doc ? doc->generation : 0;
    st->doc_state = doc ? (int)doc->state : -1;
    if (!st->ui->opts->schema_view)
        line_add(st, ELEM_MUTED, "schema texts unavailable: this session has no schema service");
    else if (!doc || !doc->subject || strcmp(doc->subject, s->name))
        line_add(st, ELEM_MUTED, "not fetched yet (r fetches the latest version)");
    else if (doc->state == KS_SCHEMA_LOADING)
        line_add(st, ELEM_MUTED, "fetching from the registry%s", fmt_glyph(GLYPH_ELLIPSIS));
    else if (doc->state == KS_SCHEMA_ERROR)
        line_add(st, ELEM_ERROR, "%s", doc->error ? doc->error : "the registry failed");
    else if (!doc->has_b) {
        line_add(st, ELEM_TITLE, "schema %s, %s", version_name(&doc->a, va, sizeof(va)),
                 doc->a.type ? doc->a.type : "AVRO");
        for (int i = 0; i < doc->a.nlines; i++)
            line_add(st, ELEM_NORMAL, "%s", doc->a.lines[i]);
    } else {
        line_add(st, ELEM_TITLE, "diff %s -> %s: %d added, %d removed",
                 version_name(&doc->a, va, sizeof(va)), version_name(&doc->b, vb, sizeof(vb)),
                 doc->added, doc->removed);
        for (int i = 0; i < doc->ndiff; i++)
            line_add(st, doc->diff[i].op == '+'   ? ELEM_OK
                         : doc->diff[i].op == '-' ? ELEM_ERROR
                                                  : ELEM_NORMAL,
                     "%c %s", doc->diff[i].op, doc->diff[i].text);
    }
    schema_doc_unref(doc);
}

/* The doc's generation and state when last built: a new answer rebuilds the lines. */
static bool doc_changed(schema_state *st)
{
    ks_schema_doc *doc;
    bool changed;

    if (!st->ui->opts->schema_view)
        return false;
    doc = schema_view_acquire(st->ui->opts->schema_view);
    changed = (doc ? doc->generation : 0) != st->doc_gen || (doc ? (int)doc->state : -1) != st->doc_state;
    schema_doc_unref(doc);
    return changed;
}

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
        schema_text(st, s);
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

    free(st->subject);
    st->subject = xstrdup(arg);
    schema_fetch(ui, arg, 0, NULL);
    table_free(st->table);
    st->table = table_new(columns, 1, &ops, st, 0);
}

static void sync(void *state, ks_ui *ui)
{
    schema_state *st = state;
    table_sync(st->table, ui->snap, ui->now_ms, doc_changed(st));
}

/* r: the latest version again. */
static int schema_refetch(ks_ui *ui, const char *arg)
{
    schema_state *st = ui->states[VIEW_SCHEMA];

    (void)arg;
    schema_fetch(ui, st->subject, 0, NULL);
    return REACT_REDRAW;
}

/* d: the ':' line prefilled with a diff of the two newest versions. */
static int schema_diff_prompt(ks_ui *ui, const char *arg)
{
    schema_state *st = ui->states[VIEW_SCHEMA];
    const ks_subject *s = st->subject ? snapshot_subject(ui->snap, st->subject) : NULL;
    char text[64];

    (void)arg;
    if (s && s->nversions >= 2)
        snprintf(text, sizeof(text), "schema-diff %d %d", s->versions[s->nversions - 2],
                 s->versions[s->nversions - 1]);
    else
        snprintf(text, sizeof(text), "schema-diff 1 latest");
    prompt_open(&ui->prompt, PROMPT_COMMAND, "");
    prompt_set_text(&ui->prompt, text);
    return REACT_REDRAW;
}

int view_schema_cmd_diff(ks_ui *ui, const char *arg)
{
    schema_state *st = ui->states[VIEW_SCHEMA];
    char b[16] = "";
    int a = 0;

    if (view_current(ui) != VIEW_SCHEMA || !arg || sscanf(arg, "%d %15s", &a, b) != 2 || a < 1) {
        ui_message(ui, ELEM_ERROR, "usage, in a subject's view: :schema-diff VERSION VERSION|latest");
        return REACT_REDRAW;
    }
    schema_fetch(ui, st->subject, a, b);
    return REACT_REDRAW;
}

static const ks_binding schema_keys[] = {
    {'d', "d", "diff two versions of the subject", schema_diff_prompt},
    {'r', "r", "fetch the latest version again", schema_refetch, NULL, ACTION_OVERRIDES},
    {0},
};

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
    .keys = schema_keys,
    .create = create,
    .destroy = destroy,
    .enter = enter,
    .draw = draw,
    .focus = focus,
};
