/* poller_registry: the schema registry poller (see poller_registry.h).
 *
 * DESIGN: everything here runs on the poller thread: the CURL * handle, the
 * subject cache (sorted by name, heap-owned) and the round counter. A round
 * merges the fresh subject list into the cache, refreshes some entries, and
 * copies the whole cache into a new part. Per-request failures stay with
 * their subject; only a failure to list subjects is a part error. */
#include "poller_registry.h"
#include "clock.h"
#include "registry_http.h"
#include "registry_parse.h"
#include "snapshot.h"
#include "xmalloc.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LATEST_REREAD_ROUNDS 20

typedef struct reg_subject {
    char *name;
    int nversions;
    int *versions;
    int latest_version; /* 0: unknown */
    int latest_id;      /* -1: unknown */
    char *type;
    char *compat;
    char *error;
    bool fetched;                  /* one refresh completed without error */
    unsigned long refreshed_round; /* 0: never */
    unsigned long latest_round;    /* round of the last versions/latest answer */
} reg_subject;

typedef struct reg_state {
    char *base;  /* API root as configured, without trailing '/' */
    char *shown; /* base without user:password, for the part and errors */
    CURL *curl;
    int nsubjects;
    reg_subject *subjects; /* sorted by name */
    unsigned long round;
    int failures; /* consecutive transport failures within the round */
} reg_state;

static void subject_clear(reg_subject *s)
{
    free(s->name);
    free(s->versions);
    free(s->type);
    free(s->compat);
    free(s->error);
}

static void *reg_open(void *cfg, ks_store *store)
{
    const char *url = cfg ? cfg : "";
    reg_state *st = xcalloc(1, sizeof(*st));
    char shown[512];
    size_t n = strlen(url);

    (void)store;
    while (n && url[n - 1] == '/')
        n--;
    st->base = xstrndup(url, n);
    registry_http_redact(st->base, shown, sizeof(shown));
    st->shown = xstrdup(shown);
    st->curl = registry_http_new();
    return st;
}

static void reg_close(void *state)
{
    reg_state *st = state;

    if (!st)
        return;
    for (int i = 0; i < st->nsubjects; i++)
        subject_clear(&st->subjects[i]);
    free(st->subjects);
    if (st->curl)
        curl_easy_cleanup(st->curl);
    free(st->base);
    free(st->shown);
    free(st);
}

/* GET base/path. 0: reply in *reply; -1: transport failure (err filled). */
static int reg_get(reg_state *st, const char *path, registry_reply *reply, char *err,
                   size_t size)
{
    char *url = registry_http_url(st->base, path);
    int rc = registry_http_get(st->curl, url, reply, err, size);

    free(url);
    st->failures = rc == 0 ? 0 : st->failures + 1;
    return rc;
}

/* Replaces the cache's subject list by names (sorted, unique), keeping what
 * is known about the subjects that remain. Takes the strings of names. */
static void merge_subjects(reg_state *st, char **names, int count)
{
    reg_subject *next = xcalloc(count ? (size_t)count : 1, sizeof(*next));
    int i = 0, j = 0;

    while (i < count || j < st->nsubjects) {
        int c = i == count ? 1 : j == st->nsubjects ? -1 : strcmp(names[i], st->subjects[j].name);
        if (c == 0) {
            next[i] = st->subjects[j++];
            free(names[i++]);
        } else if (c < 0) {
            next[i].name = names[i];
            next[i].latest_id = -1;
            i++;
        } else {
            subject_clear(&st->subjects[j++]);
        }
    }
    free(st->subjects);
    st->subjects = next;
    st->nsubjects = count;
}

static void subject_error(reg_subject *s, const char *what, const char *err)
{
    if (!s->error) /* the first failure is the telling one */
        s->error = xasprintf("%s: %s", what, err);
}

/* GET /subjects/{s}/versions/latest and keep version, id and type. */
static void refresh_latest(reg_state *st, reg_subject *s, const char *esc)
{
    char *path = xasprintf("subjects/%s/versions/latest", esc), err[400];
    registry_reply reply;
    ks_schema_info info;

    if (reg_get(st, path, &reply, err, sizeof(err)) != 0) {
        subject_error(s, "latest", err);
    } else if (reply.status != 200) {
        registry_http_status_error(&reply, err, sizeof(err));
        subject_error(s, "latest", err);
    } else if (registry_parse_schema(reply.body, reply.len, &info, err, sizeof(err)) != 0) {
        subject_error(s, "latest", err);
    } else {
        s->latest_round = st->round;
        if (info.version > 0)
            s->latest_version = info.version;
        s->latest_id = info.id;
        free(s->type);
        s->type = info.type;
        info.type = NULL;
        registry_schema_info_clear(&info);
    }
    registry_reply_clear(&reply);
    free(path);
}

/* GET /config/{s}: a level, or NULL when the subject inherits the global one. */
static void refresh_compat(reg_state *st, reg_subject *s, const char *esc)
{
    char *path = xasprintf("config/%s", esc), err[400], *level;
    registry_reply reply;

    if (reg_get(st, path, &reply, err, sizeof(err)) != 0) {
        subject_error(s, "config", err);
        free(path);
        return;
    }
    if (reply.status == 200) {
        if (registry_parse_config(reply.body, reply.len, &level, err, sizeof(err)) == 0) {
            free(s->compat);
            s->compat = level;
        } else {
            subject_error(s, "config", err);
        }
    } else {
        int code = registry_http_status_error(&reply, err, sizeof(err));
        if (reply.status == 404 || code == REGISTRY_ESUBJECT_NOT_FOUND ||
            code == REGISTRY_ESUBJECT_LEVEL_CONFIG_NOT_FOUND) {
            free(s->compat);
            s->compat = NULL;
        } else {
            subject_error(s, "config", err);
        }
    }
    registry_reply_clear(&reply);
    free(path);
}

static void refresh_subject(reg_state *st, reg_subject *s)
{
    char *esc = registry_http_escape(s->name), *path, err[400];
    registry_reply reply;
    int *versions, count;

    free(s->error);
    s->error = NULL;
    s->refreshed_round = st->round;

    path = xasprintf("subjects/%s/versions", esc);
    if (reg_get(st, path, &reply, err, sizeof(err)) != 0) {
        subject_error(s, "versions", err);
    } else if (reply.status != 200) {
        registry_http_status_error(&reply, err, sizeof(err));
        subject_error(s, "versions", err);
    } else if (registry_parse_versions(reply.body, reply.len, &versions, &count, err,
                                       sizeof(err)) != 0) {
        subject_error(s, "versions", err);
    } else {
        int newest = count ? versions[count - 1] : 0;
        free(s->versions);
        s->versions = versions;
        s->nversions = count;
        /* a version never changes; re-read now and then in case the subject
         * was deleted and registered again with the same numbers */
        if (newest && (newest != s->latest_version || s->latest_id < 0 || !s->type ||
                       st->round - s->latest_round >= LATEST_REREAD_ROUNDS))
            refresh_latest(st, s, esc);
    }
    registry_reply_clear(&reply);
    free(path);

    if (st->failures < POLLER_REGISTRY_MAX_FAILURES)
        refresh_compat(st, s, esc);
    s->fetched = s->fetched || !s->error;
    free(esc);
}

/* Refresh order: never fetched or failing first, then the least recent. */
static int cmp_due(const void *a, const void *b)
{
    const reg_subject *x = *(reg_subject *const *)a, *y = *(reg_subject *const *)b;
    int px = x->fetched && !x->error, py = y->fetched && !y->error;

    if (px != py)
        return px - py;
    return (x->refreshed_round > y->refreshed_round) - (x->refreshed_round < y->refreshed_round);
}

static void refresh_some(reg_state *st, int64_t start)
{
    reg_subject **due;
    int n = st->nsubjects;

    if (!n)
        return;
    due = xmalloc((size_t)n * sizeof(*due));
    for (int i = 0; i < n; i++)
        due[i] = &st->subjects[i];
    qsort(due, (size_t)n, sizeof(*due), cmp_due);
    for (int i = 0; i < n && i < POLLER_REGISTRY_REFRESH_MAX; i++) {
        if (poller_stopping() || st->failures >= POLLER_REGISTRY_MAX_FAILURES ||
            clock_mono_ms() - start >= POLLER_REGISTRY_BUDGET_MS)
            break;
        refresh_subject(st, due[i]);
    }
    free(due);
}

/* GET /subjects into the cache. 0, or -1 with the part error set. */
static int list_subjects(reg_state *st, ks_registry *reg)
{
    registry_reply reply;
    char err[400];
    char **names;
    int count, rc = -1;

    if (reg_get(st, "subjects", &reply, err, sizeof(err)) != 0) {
        part_set_error(reg, "%s", err);
        return -1;
    }
    reg->reachable = true;
    if (reply.status != 200) {
        registry_http_status_error(&reply, err, sizeof(err));
        part_set_error(reg, "%s on %s/subjects%s", err, st->shown,
                       reply.status == 404 ? " (is this the registry's API root?)" : "");
    } else if (registry_parse_subjects(reply.body, reply.len, &names, &count, err,
                                       sizeof(err)) != 0) {
        part_set_error(reg, "bad reply to %s/subjects: %s", st->shown, err);
    } else {
        merge_subjects(st, names, count);
        free(names); /* the strings now belong to the cache */
        rc = 0;
    }
    registry_reply_clear(&reply);
    return rc;
}

/* GET /config: the global level, or NULL when it cannot be read. */
static const char *global_compat(reg_state *st, ks_arena *arena)
{
    registry_reply reply;
    char err[400], *level = NULL;
    const char *out = NULL;

    if (reg_get(st, "config", &reply, err, sizeof(err)) != 0)
        return NULL;
    if (reply.status == 200 &&
        registry_parse_config(reply.body, reply.len, &level, err, sizeof(err)) == 0) {
        out = arena_strdup(arena, level);
        free(level);
    }
    registry_reply_clear(&reply);
    return out;
}

static void publish_copy(reg_state *st, ks_registry *reg)
{
    ks_arena *arena = reg->part.arena;

    reg->nsubjects = st->nsubjects;
    reg->subjects = arena_alloc(arena, (st->nsubjects ? (size_t)st->nsubjects : 1) *
                                           sizeof(ks_subject));
    for (int i = 0; i < st->nsubjects; i++) {
        const reg_subject *c = &st->subjects[i];
        ks_subject *s = &reg->subjects[i];
        s->name = arena_strdup(arena, c->name);
        s->nversions = c->nversions;
        if (c->nversions) {
            s->versions = arena_alloc(arena, (size_t)c->nversions * sizeof(int));
            memcpy(s->versions, c->versions, (size_t)c->nversions * sizeof(int));
        }
        s->latest_version = c->latest_version;
        s->latest_id = c->latest_id;
        s->type = arena_strdup(arena, c->type);
        s->compatibility = arena_strdup(arena, c->compat);
        s->error = arena_strdup(arena, c->error);
    }
    registry_sort(reg);
}

static void reg_poll(void *state, ks_store *store)
{
    reg_state *st = state;
    int64_t start = clock_mono_ms();
    ks_registry *reg = registry_new();

    st->round++;
    st->failures = 0;
    reg->url = arena_strdup(reg->part.arena, st->shown);
    if (!st->base[0]) {
        part_set_error(reg, "no registry URL configured");
    } else if (!st->curl) {
        part_set_error(reg, "cannot create a curl handle");
    } else if (list_subjects(st, reg) == 0) {
        reg->compatibility = global_compat(st, reg->part.arena);
        refresh_some(st, start);
        publish_copy(st, reg);
    }
    reg->part.poll_ms = clock_mono_ms() - start;
    reg->part.taken_ms = clock_wall_ms();
    store_publish(store, KS_PART_REGISTRY, reg);
}

const ks_poller_ops poller_registry_ops = {
    .name = "ks-registry",
    .open = reg_open,
    .poll = reg_poll,
    .close = reg_close,
};
