/* schema_view: the schema registry view's data: one subject's schema text,
 * pretty-printed, and a line diff between two of its versions.
 *
 * DESIGN: the same pattern as the store. The tail service (engine control
 * thread) answers KS_CMD_SCHEMA_FETCH by building an immutable, refcounted
 * ks_schema_doc off to the side and publishing it with one pointer swap; the
 * UI takes a reference with schema_view_acquire(), draws from it as long as
 * it likes, and unrefs it. Nothing in a published doc changes; no allocation
 * on the UI side. Every string in a doc was sanitized by its builder. */
#ifndef KS_SCHEMA_VIEW_H
#define KS_SCHEMA_VIEW_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "arena.h"

typedef enum ks_schema_state {
    KS_SCHEMA_LOADING, /* asked, the registry has not answered yet */
    KS_SCHEMA_READY,
    KS_SCHEMA_ERROR, /* doc->error says why */
} ks_schema_state;

/* One line of the diff: op ' ' in both, '-' only in version a, '+' only in b. */
typedef struct ks_schema_line {
    char op;
    const char *text;
} ks_schema_line;

/* One version of the subject. */
typedef struct ks_schema_version {
    int version;      /* as the registry numbers it; 0 if unknown */
    int id;           /* global schema id, -1 if unknown */
    const char *type; /* "AVRO", "JSON", "PROTOBUF" */
    int nlines;
    const char *const *lines; /* the schema pretty-printed, one line each */
} ks_schema_version;

typedef struct ks_schema_doc {
    atomic_int refcnt;
    ks_arena *arena;     /* owns everything below */
    uint64_t generation; /* +1 per request: a stale answer is never shown */
    ks_schema_state state;
    const char *subject;
    ks_schema_version a; /* the version asked first */
    bool has_b;          /* a diff was asked */
    ks_schema_version b;
    int ndiff;
    const ks_schema_line *diff; /* a -> b, whole files with context */
    int added, removed;         /* '+' and '-' lines */
    const char *error;          /* state ERROR: one line, or NULL */
    int64_t fetched_ms;         /* wall clock of the answer */
} ks_schema_doc;

typedef struct ks_schema_view ks_schema_view;

ks_schema_view *schema_view_new(void);
void schema_view_free(ks_schema_view *sv); /* after the service has stopped */

/* @locality any thread (the UI). A new reference to the current doc, or NULL
 * when nothing was asked yet. Release with schema_doc_unref(). */
ks_schema_doc *schema_view_acquire(ks_schema_view *sv);
ks_schema_doc *schema_doc_ref(ks_schema_doc *doc);
void schema_doc_unref(ks_schema_doc *doc); /* NULL is fine */

/* ---- the writer side: the service ---- */

/* What a builder knows about one version. text is pretty-printed, sanitized. */
typedef struct ks_schema_src {
    int version;
    int id;
    const char *type;
    const char *text;
} ks_schema_src;

/* Publishes a LOADING doc for subject (versions as asked, 0 = latest; vb < 0:
 * no diff) and returns its generation. */
uint64_t schema_view_request(ks_schema_view *sv, const char *subject, int va, int vb);

/* Publishes the answer to request `generation` unless a newer request was
 * made meanwhile. b NULL: no diff. error non-NULL: an ERROR doc (a and b may
 * then be NULL). Strings are copied. */
void schema_view_answer(ks_schema_view *sv, uint64_t generation, const char *subject,
                        const ks_schema_src *a, const ks_schema_src *b, const char *error);

/* The diff itself, pure, exposed for tests: fills *out (arena-allocated) with
 * the line ops turning a into b; returns the count. Common prefix and suffix
 * are matched first, then a longest-common-subsequence over what is left
 * (up to 2,000 x 2,000 lines; beyond, the rest is shown removed then added). */
int schema_diff(ks_arena *arena, const char *const *a, int na, const char *const *b, int nb,
                ks_schema_line **out);

#endif
