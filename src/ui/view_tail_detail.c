/* view_tail_detail: one message laid out in coloured lines: facts, key, value, headers. */
#include "view_tail_detail.h"
#include "draw.h"
#include "fmt.h"
#include "theme.h"
#include "xmalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INDENT_MAX 24 /* deeper JSON is drawn at this depth: the pane stays readable */

/* A line is a label part and a value part, each with its element. */
typedef struct detail_line {
    int indent;
    char *a, *b;
    ks_elem ea, eb;
} detail_line;

struct ks_tail_detail {
    uint64_t seq;
    int width;
    detail_line *lines;
    int n, cap;
};

static detail_line *line_new(ks_tail_detail *d, int indent)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 64;
        d->lines = xrealloc(d->lines, sizeof(*d->lines) * (size_t)d->cap);
    }
    d->lines[d->n] = (detail_line){.indent = indent < INDENT_MAX ? indent : INDENT_MAX,
                                   .ea = ELEM_KEY,
                                   .eb = ELEM_NORMAL};
    return &d->lines[d->n++];
}

static void line_add(ks_tail_detail *d, int indent, ks_elem ea, const char *a, ks_elem eb,
                     const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void line_add(ks_tail_detail *d, int indent, ks_elem ea, const char *a, ks_elem eb,
                     const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    detail_line *l = line_new(d, indent);

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    l->a = xstrdup(a ? a : "");
    l->b = xstrdup(buf);
    l->ea = ea;
    l->eb = eb;
}

/* Long display text wraps at display-unit boundaries (never inside "\x1b"). */
static void add_wrapped(ks_tail_detail *d, int indent, ks_elem elem, const char *s, size_t len)
{
    int room = d->width - 2 * indent - 1;
    size_t i = 0;

    if (room < 16)
        room = 16;
    do {
        size_t start = i;
        int cols = 0;
        while (i < len && cols < room) {
            i += tail_text_unit(s + i, len - i);
            cols++;
        }
        line_add(d, indent, ELEM_NORMAL, "", elem, "%.*s", (int)(i - start), s + start);
    } while (i < len);
}

/* ---- a small pretty-printer over the compact, already escaped JSON text ---- */

typedef struct pp {
    ks_tail_detail *d;
    int indent;
    char a[512];    /* "\"field\": " of the line being built */
    char b[1024];   /* its value and punctuation */
    ks_elem eb;
} pp;

static void pp_flush(pp *p)
{
    if (!*p->a && !*p->b)
        return;
    line_add(p->d, p->indent, ELEM_KEY, p->a, p->eb, "%s", p->b);
    p->a[0] = p->b[0] = '\0';
    p->eb = ELEM_NORMAL;
}

static void pp_put(pp *p, const char *s, size_t n, ks_elem elem)
{
    size_t len = strlen(p->b);
    if (len + n >= sizeof(p->b)) {
        pp_flush(p); /* a huge scalar continues on the next line */
        len = 0;
        if (n >= sizeof(p->b))
            n = sizeof(p->b) - 1;
    }
    memcpy(p->b + len, s, n);
    p->b[len + n] = '\0';
    if (elem != ELEM_NORMAL)
        p->eb = elem;
}

/* End of the JSON string starting at s[i] == '"' (index after the closing quote). */
static size_t str_end(const char *s, size_t len, size_t i)
{
    for (i++; i < len; i++) {
        if (s[i] == '\\')
            i++;
        else if (s[i] == '"')
            return i + 1;
    }
    return len;
}

static void add_json(ks_tail_detail *d, int indent, const char *s, size_t len)
{
    pp p = {.d = d, .indent = indent, .eb = ELEM_NORMAL};
    size_t i = 0;

    while (i < len) {
        char c = s[i];
        if (c == '{' || c == '[') {
            char close = c == '{' ? '}' : ']';
            pp_put(&p, &c, 1, ELEM_NORMAL);
            if (i + 1 < len && s[i + 1] == close) {
                pp_put(&p, &close, 1, ELEM_NORMAL);
                i += 2;
                continue;
            }
            pp_flush(&p);
            p.indent++;
            i++;
        } else if (c == '}' || c == ']') {
            pp_flush(&p);
            if (p.indent > indent)
                p.indent--;
            pp_put(&p, &c, 1, ELEM_NORMAL);
            i++;
        } else if (c == ',') {
            pp_put(&p, ",", 1, ELEM_NORMAL);
            pp_flush(&p);
            i++;
        } else if (c == '"') {
            size_t end = str_end(s, len, i);
            if (end < len && s[end] == ':' && !*p.b) {
                snprintf(p.a, sizeof(p.a), "%.*s: ", (int)(end - i), s + i);
                i = end + 1;
            } else {
                pp_put(&p, s + i, end - i, ELEM_OK);
                i = end;
            }
        } else if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            i++;
        } else {
            size_t end = i;
            while (end < len && !strchr(",]}: \n", s[end]))
                end++;
            if (end == i)
                end++;
            pp_put(&p, s + i, end - i,
                   (c == '-' || (c >= '0' && c <= '9')) ? ELEM_SPARK : ELEM_WARNING);
            i = end;
        }
    }
    pp_flush(&p);
}

static const char *tstype_name(ks_tail_tstype t)
{
    return t == KS_TAIL_TS_CREATE ? "CreateTime" : t == KS_TAIL_TS_LOG_APPEND ? "LogAppendTime"
                                                                              : "no timestamp";
}

static void add_datum(ks_tail_detail *d, const char *name, const ks_tail_datum *v)
{
    char schema[400] = "";

    if (v->schema_id >= 0)
        snprintf(schema, sizeof(schema), "  schema id %lld%s%s", (long long)v->schema_id,
                 v->subject ? ", subject " : "", v->subject ? v->subject : "");
    line_add(d, 0, ELEM_TITLE, name, ELEM_BADGE, "%s  %u bytes%s", tail_fmt_name(v->fmt),
             (unsigned)v->size, schema);
    if (v->error)
        line_add(d, 1, ELEM_WARNING, "shown raw: ", ELEM_WARNING, "%s", v->error);
    /* structured formats pretty-print their JSON; text and bytes show the escaped display form */
    if ((v->fmt == KS_TAIL_FMT_JSON || v->fmt == KS_TAIL_FMT_AVRO) && v->json)
        add_json(d, 1, v->json, v->json_len);
    else if (v->text)
        add_wrapped(d, 1, v->fmt == KS_TAIL_FMT_NULL ? ELEM_MUTED : ELEM_NORMAL, v->text,
                    v->text_len);
    line_add(d, 0, ELEM_NORMAL, "", ELEM_NORMAL, "%s", "");
}

ks_tail_detail *view_tail_detail_new(const ks_tail_row *row, int width)
{
    ks_tail_detail *d = xcalloc(1, sizeof(*d));
    char ts[48];

    d->seq = row->seq;
    d->width = width;
    line_add(d, 0, ELEM_TITLE, "message  ", ELEM_NORMAL, "partition %d  offset %lld",
             (int)row->partition, (long long)row->offset);
    line_add(d, 0, ELEM_MUTED, "timestamp  ", ELEM_NORMAL, "%s (%s)",
             tail_format_time(row->timestamp, ts, sizeof(ts)), tstype_name(row->tstype));
    line_add(d, 0, ELEM_NORMAL, "", ELEM_NORMAL, "%s", "");
    add_datum(d, "key  ", &row->key);
    add_datum(d, "value  ", &row->value);
    line_add(d, 0, ELEM_TITLE, "headers  ", ELEM_BADGE, "%d", row->nheaders);
    for (int i = 0; i < row->nheaders; i++) {
        const ks_tail_header *h = &row->headers[i];
        char name[300];
        snprintf(name, sizeof(name), "%s: ", h->name ? h->name : "");
        if (h->value)
            line_add(d, 1, ELEM_KEY, name, ELEM_OK, "%s  (%u bytes)", h->value, (unsigned)h->size);
        else
            line_add(d, 1, ELEM_KEY, name, ELEM_MUTED, "null");
    }
    return d;
}

void view_tail_detail_free(ks_tail_detail *d)
{
    if (!d)
        return;
    for (int i = 0; i < d->n; i++) {
        free(d->lines[i].a);
        free(d->lines[i].b);
    }
    free(d->lines);
    free(d);
}

int view_tail_detail_width(const ks_tail_detail *d)
{
    return d->width;
}

int view_tail_detail_count(const ks_tail_detail *d)
{
    return d->n;
}

uint64_t view_tail_detail_seq(const ks_tail_detail *d)
{
    return d->seq;
}

void view_tail_detail_draw(const ks_tail_detail *d, ks_rect r, int top)
{
    draw_fill(r, ELEM_NORMAL);
    for (int y = 0; y < r.h && top + y < d->n; y++) {
        const detail_line *l = &d->lines[top + y];
        int x = r.x + 1 + 2 * l->indent, end = r.x + r.w;
        if (x >= end)
            continue;
        x += draw_puts(r.y + y, x, end - x, l->ea, l->a);
        if (x < end)
            draw_puts(r.y + y, x, end - x, l->eb, l->b);
    }
}
