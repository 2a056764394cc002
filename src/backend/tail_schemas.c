/* tail_schemas: registry schemas by id for the tail (see tail_schemas.h).
 *
 * DESIGN: a sorted array of entries, binary-searched; inserts are rare (one
 * per new id, at most 20 a second). Owned by one thread, no locks. */
#include "tail_schemas.h"
#include "clock.h"
#include "registry_http.h"
#include "registry_parse.h"
#include "xmalloc.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_ENTRIES 4096
#define RETRY_MISSING_MS 60000
#define RETRY_DOWN_MS 5000
#define FETCHES_PER_SECOND 20

typedef struct entry {
    uint32_t id;
    dec_avro_schema *schema; /* NULL: a failure */
    char *subject;
    char *error;
    int64_t retry_at; /* failures: monotonic ms after which to ask again; 0 never */
} entry;

struct ks_tail_schemas {
    char *url;
    CURL *curl;
    entry *entries;
    int n, cap;
    int64_t down_until;
    char down_reason[300];
    int64_t window_start;
    int window_fetches;
    unsigned long fetches;
};

ks_tail_schemas *tail_schemas_new(const char *registry_url)
{
    ks_tail_schemas *s = xcalloc(1, sizeof(*s));
    s->url = xstrdup(registry_url);
    return s;
}

static void entry_clear(entry *e)
{
    dec_avro_schema_free(e->schema);
    free(e->subject);
    free(e->error);
    memset(e, 0, sizeof(*e));
}

void tail_schemas_free(ks_tail_schemas *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->n; i++)
        entry_clear(&s->entries[i]);
    free(s->entries);
    if (s->curl)
        curl_easy_cleanup(s->curl);
    free(s->url);
    free(s);
}

unsigned long tail_schemas_fetches(const ks_tail_schemas *s)
{
    return s->fetches;
}

/* Index of id, or of where it would go (then *found is false). */
static int find(const ks_tail_schemas *s, uint32_t id, bool *found)
{
    int lo = 0, hi = s->n;

    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (s->entries[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < s->n && s->entries[lo].id == id;
    return lo;
}

/* Makes room by dropping a failure (or, failing that, the first entry). */
static void evict_one(ks_tail_schemas *s)
{
    int victim = 0;

    for (int i = 0; i < s->n; i++)
        if (!s->entries[i].schema) {
            victim = i;
            break;
        }
    entry_clear(&s->entries[victim]);
    memmove(&s->entries[victim], &s->entries[victim + 1],
            sizeof(entry) * (size_t)(s->n - victim - 1));
    s->n--;
}

static entry *insert(ks_tail_schemas *s, uint32_t id)
{
    bool found;
    int at;

    if (s->n >= MAX_ENTRIES)
        evict_one(s);
    at = find(s, id, &found);
    if (found)
        return &s->entries[at];
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->entries = xrealloc(s->entries, sizeof(entry) * (size_t)s->cap);
    }
    memmove(&s->entries[at + 1], &s->entries[at], sizeof(entry) * (size_t)(s->n - at));
    s->n++;
    memset(&s->entries[at], 0, sizeof(entry));
    s->entries[at].id = id;
    return &s->entries[at];
}

static void fail_entry(ks_tail_schemas *s, uint32_t id, int64_t retry_at, const char *why)
{
    entry *e = insert(s, id);
    entry_clear(e);
    e->id = id;
    e->error = xstrdup(why);
    e->retry_at = retry_at;
}

/* GET /schemas/ids/{id}/versions -> the first subject; NULL if anything fails. */
static char *fetch_subject(ks_tail_schemas *s, uint32_t id)
{
    char path[64], err[300];
    char *url, *subject = NULL;
    registry_reply reply;
    json_t *doc;

    snprintf(path, sizeof(path), "schemas/ids/%" PRIu32 "/versions", id);
    url = registry_http_url(s->url, path);
    s->fetches++;
    if (registry_http_get(s->curl, url, &reply, err, sizeof(err)) == 0) {
        if (reply.status == 200 &&
            (doc = json_loadb(reply.body, reply.len, JSON_DECODE_ANY, NULL)) != NULL) {
            json_t *first = json_is_array(doc) ? json_array_get(doc, 0) : NULL;
            const char *name = json_string_value(json_object_get(first, "subject"));
            if (name && *name)
                subject = xstrdup(name);
            json_decref(doc);
        }
        registry_reply_clear(&reply);
    }
    free(url);
    return subject;
}

/* One request for id; fills the cache (or the down state) and errstr. */
static const dec_avro_schema *fetch(ks_tail_schemas *s, uint32_t id, int64_t now, char *errstr,
                                    size_t errstr_size)
{
    char path[48], err[400], why[600];
    char *url;
    registry_reply reply;
    ks_schema_info info;
    dec_avro_schema *schema;
    entry *e;

    if (!s->curl && !(s->curl = registry_http_new())) {
        snprintf(errstr, errstr_size, "schema id %" PRIu32 ": cannot create an HTTP client", id);
        return NULL;
    }
    snprintf(path, sizeof(path), "schemas/ids/%" PRIu32, id);
    url = registry_http_url(s->url, path);
    s->fetches++;
    if (registry_http_get(s->curl, url, &reply, err, sizeof(err)) != 0) {
        free(url);
        s->down_until = clock_mono_ms() + RETRY_DOWN_MS;
        snprintf(s->down_reason, sizeof(s->down_reason), "%.299s", err);
        snprintf(errstr, errstr_size, "schema id %" PRIu32 ": registry unreachable: %s", id, err);
        return NULL;
    }
    free(url);
    if (reply.status != 200) {
        registry_http_status_error(&reply, err, sizeof(err));
        if (reply.status >= 500) {
            s->down_until = now + RETRY_DOWN_MS;
            snprintf(s->down_reason, sizeof(s->down_reason), "%.299s", err);
            snprintf(why, sizeof(why), "schema id %" PRIu32 ": registry error: %s", id, err);
        } else {
            snprintf(why, sizeof(why), "schema id %" PRIu32 " not found in the registry (%s)", id,
                     err);
            fail_entry(s, id, now + RETRY_MISSING_MS, why);
        }
        registry_reply_clear(&reply);
        snprintf(errstr, errstr_size, "%s", why);
        return NULL;
    }
    if (registry_parse_schema(reply.body, reply.len, &info, err, sizeof(err)) != 0) {
        registry_reply_clear(&reply);
        snprintf(why, sizeof(why), "schema id %" PRIu32 ": unreadable registry reply: %s", id, err);
        fail_entry(s, id, 0, why);
        snprintf(errstr, errstr_size, "%s", why);
        return NULL;
    }
    registry_reply_clear(&reply);
    if (info.type && strcasecmp(info.type, "AVRO") != 0) {
        snprintf(why, sizeof(why), "schema id %" PRIu32 " is a %.20s schema: ksight decodes Avro",
                 id, info.type);
        fail_entry(s, id, 0, why);
        registry_schema_info_clear(&info);
        snprintf(errstr, errstr_size, "%s", why);
        return NULL;
    }
    schema = dec_avro_schema_new(info.schema, strlen(info.schema), err, sizeof(err));
    registry_schema_info_clear(&info);
    if (!schema) {
        snprintf(why, sizeof(why), "schema id %" PRIu32 ": unusable Avro schema: %s", id, err);
        fail_entry(s, id, 0, why);
        snprintf(errstr, errstr_size, "%s", why);
        return NULL;
    }
    e = insert(s, id);
    entry_clear(e);
    e->id = id;
    e->schema = schema;
    e->subject = fetch_subject(s, id);
    return schema;
}

const dec_avro_schema *tail_schemas_lookup(uint32_t id, void *ctx, char *errstr, size_t errstr_size)
{
    ks_tail_schemas *s = ctx;
    int64_t now;
    bool found;
    int at = find(s, id, &found);

    if (found) {
        entry *e = &s->entries[at];
        if (e->schema)
            return e->schema;
        now = clock_mono_ms();
        if (e->retry_at == 0 || now < e->retry_at) {
            snprintf(errstr, errstr_size, "%s", e->error);
            return NULL;
        }
    }
    if (!s->url) {
        snprintf(errstr, errstr_size,
                 "schema id %" PRIu32 ": no schema registry configured (--registry URL)", id);
        return NULL;
    }
    now = clock_mono_ms();
    if (now < s->down_until) {
        snprintf(errstr, errstr_size, "schema id %" PRIu32 ": registry unreachable: %s", id,
                 s->down_reason);
        return NULL;
    }
    if (now - s->window_start >= 1000) {
        s->window_start = now;
        s->window_fetches = 0;
    }
    if (s->window_fetches >= FETCHES_PER_SECOND) {
        snprintf(errstr, errstr_size,
                 "schema id %" PRIu32 ": not looked up (over %d new schema ids a second)", id,
                 FETCHES_PER_SECOND);
        return NULL;
    }
    s->window_fetches++;
    return fetch(s, id, now, errstr, errstr_size);
}

const char *tail_schemas_subject(ks_tail_schemas *s, uint32_t id)
{
    bool found;
    int at = find(s, id, &found);
    return found ? s->entries[at].subject : NULL;
}
