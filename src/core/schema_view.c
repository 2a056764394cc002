/* schema_view: publication of schema docs and the line diff (see schema_view.h).
 *
 * DESIGN: `lock` guards only the current-doc pointer and the generation
 * counter, held for a few instructions by the service and the UI. Docs are
 * built entirely outside the lock in their own arena. */
#include "schema_view.h"
#include "clock.h"
#include "xmalloc.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DIFF_MAX_LCS 2000

struct ks_schema_view {
    pthread_mutex_t lock;
    ks_schema_doc *current;
    uint64_t generation;
};

ks_schema_view *schema_view_new(void)
{
    ks_schema_view *sv = xcalloc(1, sizeof(*sv));
    pthread_mutex_init(&sv->lock, NULL);
    return sv;
}

void schema_view_free(ks_schema_view *sv)
{
    if (!sv)
        return;
    schema_doc_unref(sv->current);
    pthread_mutex_destroy(&sv->lock);
    free(sv);
}

ks_schema_doc *schema_doc_ref(ks_schema_doc *doc)
{
    if (doc)
        atomic_fetch_add(&doc->refcnt, 1);
    return doc;
}

void schema_doc_unref(ks_schema_doc *doc)
{
    if (doc && atomic_fetch_sub(&doc->refcnt, 1) == 1)
        arena_free(doc->arena); /* the doc lives in its own arena */
}

ks_schema_doc *schema_view_acquire(ks_schema_view *sv)
{
    ks_schema_doc *doc;

    pthread_mutex_lock(&sv->lock);
    doc = schema_doc_ref(sv->current);
    pthread_mutex_unlock(&sv->lock);
    return doc;
}

static ks_schema_doc *doc_new(uint64_t generation, ks_schema_state state, const char *subject)
{
    ks_arena *arena = arena_new();
    ks_schema_doc *doc = arena_alloc(arena, sizeof(*doc));

    atomic_init(&doc->refcnt, 1);
    doc->arena = arena;
    doc->generation = generation;
    doc->state = state;
    doc->subject = arena_strdup(arena, subject ? subject : "");
    doc->a.id = doc->b.id = -1;
    doc->fetched_ms = clock_wall_ms();
    return doc;
}

/* @locality writer. Swaps in doc unless a newer request exists. */
static void publish(ks_schema_view *sv, ks_schema_doc *doc)
{
    ks_schema_doc *old = NULL;

    pthread_mutex_lock(&sv->lock);
    if (doc->generation == sv->generation) {
        old = sv->current;
        sv->current = doc;
        doc = NULL;
    }
    pthread_mutex_unlock(&sv->lock);
    schema_doc_unref(old);
    schema_doc_unref(doc); /* stale: dropped */
}

uint64_t schema_view_request(ks_schema_view *sv, const char *subject, int va, int vb)
{
    uint64_t gen;
    ks_schema_doc *doc;

    pthread_mutex_lock(&sv->lock);
    gen = ++sv->generation;
    pthread_mutex_unlock(&sv->lock);
    doc = doc_new(gen, KS_SCHEMA_LOADING, subject);
    doc->a.version = va;
    doc->has_b = vb >= 0;
    doc->b.version = vb > 0 ? vb : 0;
    publish(sv, doc);
    return gen;
}

/* Splits text into lines in the arena. */
static void split_lines(ks_arena *arena, ks_schema_version *v, const char *text)
{
    int n = 1, i = 0;
    const char **lines;

    if (!text || !*text)
        return;
    for (const char *p = text; *p; p++)
        n += *p == '\n';
    lines = arena_alloc(arena, sizeof(char *) * (size_t)n);
    for (const char *p = text;;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (nl || len)
            lines[i++] = arena_strndup(arena, p, len);
        if (!nl)
            break;
        p = nl + 1;
    }
    v->nlines = i;
    v->lines = lines;
}

static void fill_version(ks_arena *arena, ks_schema_version *v, const ks_schema_src *src)
{
    v->version = src->version;
    v->id = src->id;
    v->type = arena_strdup(arena, src->type ? src->type : "AVRO");
    split_lines(arena, v, src->text);
}

void schema_view_answer(ks_schema_view *sv, uint64_t generation, const char *subject,
                        const ks_schema_src *a, const ks_schema_src *b, const char *error)
{
    ks_schema_doc *doc = doc_new(generation, error ? KS_SCHEMA_ERROR : KS_SCHEMA_READY, subject);
    ks_arena *arena = doc->arena;

    if (error)
        doc->error = arena_strdup(arena, error);
    if (a)
        fill_version(arena, &doc->a, a);
    if (b) {
        ks_schema_line *diff;
        doc->has_b = true;
        fill_version(arena, &doc->b, b);
        doc->ndiff =
            schema_diff(arena, doc->a.lines, doc->a.nlines, doc->b.lines, doc->b.nlines, &diff);
        doc->diff = diff;
        for (int i = 0; i < doc->ndiff; i++) {
            doc->added += diff[i].op == '+';
            doc->removed += diff[i].op == '-';
        }
    }
    publish(sv, doc);
}

/* ---- diff ---- */

static void emit(ks_schema_line *out, int *n, char op, const char *text)
{
    out[*n].op = op;
    out[*n].text = text;
    (*n)++;
}

int schema_diff(ks_arena *arena, const char *const *a, int na, const char *const *b, int nb,
                ks_schema_line **out)
{
    ks_schema_line *d = arena_alloc(arena, sizeof(*d) * (size_t)(na + nb + 1));
    int n = 0, pre = 0, suf = 0, ma, mb;

    while (pre < na && pre < nb && !strcmp(a[pre], b[pre]))
        pre++;
    while (suf < na - pre && suf < nb - pre && !strcmp(a[na - 1 - suf], b[nb - 1 - suf]))
        suf++;
    for (int i = 0; i < pre; i++)
        emit(d, &n, ' ', a[i]);
    ma = na - pre - suf;
    mb = nb - pre - suf;
    if (ma > DIFF_MAX_LCS || mb > DIFF_MAX_LCS) {
        for (int i = 0; i < ma; i++)
            emit(d, &n, '-', a[pre + i]);
        for (int j = 0; j < mb; j++)
            emit(d, &n, '+', b[pre + j]);
    } else if (ma > 0 || mb > 0) {
        /* lcs[i][j]: LCS length of a[pre+i..] and b[pre+j..] */
        size_t w = (size_t)mb + 1;
        uint16_t *lcs = xcalloc(((size_t)ma + 1) * w, sizeof(uint16_t));
        for (int i = ma - 1; i >= 0; i--)
            for (int j = mb - 1; j >= 0; j--)
                lcs[i * w + j] =
                    !strcmp(a[pre + i], b[pre + j])
                        ? (uint16_t)(lcs[(i + 1) * w + j + 1] + 1)
                        : (lcs[(i + 1) * w + j] >= lcs[i * w + j + 1] ? lcs[(i + 1) * w + j]
                                                                      : lcs[i * w + j + 1]);
        int i = 0, j = 0;
        while (i < ma || j < mb) {
            if (i < ma && j < mb && !strcmp(a[pre + i], b[pre + j])) {
                emit(d, &n, ' ', a[pre + i]);
                i++, j++;
            } else if (j < mb && (i == ma || lcs[i * w + j + 1] >= lcs[(i + 1) * w + j])) {
                /* removals first reads better: take '-' unless '+' keeps more */
                if (i < ma && lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) {
                    emit(d, &n, '-', a[pre + i]);
                    i++;
                } else {
                    emit(d, &n, '+', b[pre + j]);
                    j++;
                }
            } else {
                emit(d, &n, '-', a[pre + i]);
                i++;
            }
        }
        free(lcs);
    }
    for (int i = 0; i < suf; i++)
        emit(d, &n, ' ', a[na - suf + i]);
    *out = d;
    return n;
}
