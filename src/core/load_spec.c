/* load_spec: the load run's settings as text ("key=value;..."), their
 * checks and names, and partition sets. Pure functions, any thread. */
#include "load.h"
#include "xmalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void load_spec_defaults(ks_load_spec *s)
{
    memset(s, 0, sizeof(*s));
    snprintf(s->topic, sizeof(s->topic), "position");
    s->partitions = 3;
    s->replication = 2;
    s->producers = 1;
    s->messages = 1000;
    s->interval_ms = 0;
    s->mode = KS_SEND_ASYNC;
    s->acks = -1;
    s->idempotent = false;
    snprintf(s->compression, sizeof(s->compression), "none");
    s->linger_ms = -1;
    s->batch_size = -1;
    s->format = KS_FORMAT_JSON;
    s->couriers = 10;
    s->audit_header = true;
    s->consumers = 1;
    s->poll_ms = 0;
    s->commit = KS_COMMIT_AUTO;
    snprintf(s->offset_reset, sizeof(s->offset_reset), "earliest");
    s->assignor = KS_ASSIGNOR_RANGE;
    s->session_timeout_ms = 0;
    s->stop_when_drained = false;
    s->quiet_ms = 1000;
}

static const char *const mode_names[] = {"fire-and-forget", "sync", "async"};
static const char *const commit_names[] = {"auto", "sync", "async"};
static const char *const assignor_names[] = {"range", "roundrobin", "cooperative-sticky"};
static const char *const format_names[] = {"json", "avro"};

const char *load_send_mode_name(ks_send_mode m)
{
    return (unsigned)m < 3 ? mode_names[m] : "?";
}

const char *load_commit_name(ks_commit_mode c)
{
    return (unsigned)c < 3 ? commit_names[c] : "?";
}

const char *load_assignor_name(ks_assignor a)
{
    return (unsigned)a < 3 ? assignor_names[a] : "?";
}

const char *load_format_name(ks_payload_format f)
{
    return (unsigned)f < 2 ? format_names[f] : "?";
}

const char *load_acks_name(int acks)
{
    return acks == 0 ? "0" : acks == 1 ? "1" : "all";
}

static int pick(const char *v, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (!strcasecmp(v, names[i]))
            return i;
    return -1;
}

static int parse_int(const char *v, int64_t lo, int64_t hi, int64_t *out)
{
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (errno || end == v || *end || x < lo || x > hi)
        return -1;
    *out = x;
    return 0;
}

static int parse_bool(const char *v, bool *out)
{
    if (!strcasecmp(v, "1") || !strcasecmp(v, "true") || !strcasecmp(v, "yes") ||
        !strcasecmp(v, "on"))
        *out = true;
    else if (!strcasecmp(v, "0") || !strcasecmp(v, "false") || !strcasecmp(v, "no") ||
             !strcasecmp(v, "off"))
        *out = false;
    else
        return -1;
    return 0;
}

static int copy_name(char *dst, size_t size, const char *v)
{
    if (strlen(v) >= size)
        return -1;
    for (const char *p = v; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == ';' || (unsigned char)*p >= 0x7f)
            return -1;
    snprintf(dst, size, "%s", v);
    return 0;
}

/* One key=value; 0 or -1. */
static int apply(ks_load_spec *s, const char *k, const char *v)
{
    int64_t x;
    int i;

#define INT_KEY(name, field, lo, hi)                                                               \
    if (!strcmp(k, name)) {                                                                        \
        if (parse_int(v, lo, hi, &x))                                                              \
            return -1;                                                                             \
        s->field = x;                                                                              \
        return 0;                                                                                  \
    }
    INT_KEY("partitions", partitions, 1, KS_LOAD_MAX_PARTITIONS)
    INT_KEY("replication", replication, 1, 32)
    INT_KEY("producers", producers, 0, KS_LOAD_MAX_PRODUCERS)
    INT_KEY("messages", messages, 0, (int64_t)1 << 32)
    INT_KEY("interval_ms", interval_ms, 0, 3600000)
    INT_KEY("linger_ms", linger_ms, -1, 900000)
    INT_KEY("batch_size", batch_size, -1, 2147483647)
    INT_KEY("couriers", couriers, 1, 1024)
    INT_KEY("consumers", consumers, 0, KS_LOAD_MAX_MEMBERS)
    INT_KEY("poll_ms", poll_ms, 0, 3600000)
    INT_KEY("session_timeout_ms", session_timeout_ms, 0, 3600000)
    INT_KEY("quiet_ms", quiet_ms, 0, 600000)
#undef INT_KEY
    if (!strcmp(k, "topic"))
        return copy_name(s->topic, sizeof(s->topic), v);
    if (!strcmp(k, "group"))
        return copy_name(s->group, sizeof(s->group), v);
    if (!strcmp(k, "mode")) {
        if (!strcasecmp(v, "fire_and_forget") || !strcmp(v, "0"))
            v = "fire-and-forget";
        else if (!strcasecmp(v, "synchronous") || !strcmp(v, "1"))
            v = "sync";
        else if (!strcasecmp(v, "asynchronous") || !strcmp(v, "2"))
            v = "async";
        if ((i = pick(v, mode_names, 3)) < 0)
            return -1;
        s->mode = (ks_send_mode)i;
        return 0;
    }
    if (!strcmp(k, "acks")) {
        if (!strcmp(v, "all") || !strcmp(v, "-1"))
            s->acks = -1;
        else if (!strcmp(v, "0") || !strcmp(v, "1"))
            s->acks = v[0] - '0';
        else
            return -1;
        return 0;
    }
    if (!strcmp(k, "idempotent"))
        return parse_bool(v, &s->idempotent);
    if (!strcmp(k, "audit_header"))
        return parse_bool(v, &s->audit_header);
    if (!strcmp(k, "stop_when_drained"))
        return parse_bool(v, &s->stop_when_drained);
    if (!strcmp(k, "compression")) {
        static const char *const names[] = {"none", "gzip", "snappy", "lz4", "zstd"};
        if ((i = pick(v, names, 5)) < 0)
            return -1;
        snprintf(s->compression, sizeof(s->compression), "%s", names[i]);
        return 0;
    }
    if (!strcmp(k, "format")) {
        if ((i = pick(v, format_names, 2)) < 0)
            return -1;
        s->format = (ks_payload_format)i;
        return 0;
    }
    if (!strcmp(k, "commit")) {
        if (!strcasecmp(v, "manual"))
            v = "sync";
        if ((i = pick(v, commit_names, 3)) < 0)
            return -1;
        s->commit = (ks_commit_mode)i;
        return 0;
    }
    if (!strcmp(k, "offset_reset")) {
        static const char *const names[] = {"earliest", "latest"};
        if ((i = pick(v, names, 2)) < 0)
            return -1;
        snprintf(s->offset_reset, sizeof(s->offset_reset), "%s", names[i]);
        return 0;
    }
    if (!strcmp(k, "assignor")) {
        if (!strcasecmp(v, "cooperative") || !strcasecmp(v, "sticky"))
            v = "cooperative-sticky";
        if ((i = pick(v, assignor_names, 3)) < 0)
            return -1;
        s->assignor = (ks_assignor)i;
        return 0;
    }
    return -2;
}

int load_spec_parse(ks_load_spec *spec, const char *text, char *errstr, size_t errstr_size)
{
    char *copy = xstrdup(text ? text : ""), *save = NULL, *item;
    int rc = 0;

    for (item = strtok_r(copy, ";", &save); item; item = strtok_r(NULL, ";", &save)) {
        char *eq = strchr(item, '=');
        while (*item == ' ')
            item++;
        if (!*item)
            continue;
        if (!eq) {
            snprintf(errstr, errstr_size, "\"%.60s\": expected key=value", item);
            rc = -1;
            break;
        }
        *eq = '\0';
        int r = apply(spec, item, eq + 1);
        if (r == -2) {
            snprintf(errstr, errstr_size, "unknown setting \"%.60s\"", item);
            rc = -1;
            break;
        }
        if (r) {
            snprintf(errstr, errstr_size, "%.60s: bad value \"%.80s\"", item, eq + 1);
            rc = -1;
            break;
        }
    }
    free(copy);
    return rc;
}

char *load_spec_format(const ks_load_spec *s)
{
    return xasprintf("topic=%s;partitions=%d;replication=%d;producers=%d;messages=%lld;"
                     "interval_ms=%d;mode=%s;acks=%s;idempotent=%d;compression=%s;linger_ms=%d;"
                     "batch_size=%d;format=%s;couriers=%d;audit_header=%d;consumers=%d;group=%s;"
                     "poll_ms=%d;"
                     "commit=%s;offset_reset=%s;assignor=%s;session_timeout_ms=%d;"
                     "stop_when_drained=%d;quiet_ms=%d",
                     s->topic, s->partitions, s->replication, s->producers, (long long)s->messages,
                     s->interval_ms, load_send_mode_name(s->mode), load_acks_name(s->acks),
                     s->idempotent, s->compression, s->linger_ms, s->batch_size,
                     load_format_name(s->format), s->couriers, s->audit_header, s->consumers,
                     s->group, s->poll_ms, load_commit_name(s->commit), s->offset_reset,
                     load_assignor_name(s->assignor), s->session_timeout_ms, s->stop_when_drained,
                     s->quiet_ms);
}

int load_spec_check(const ks_load_spec *s, char *errstr, size_t errstr_size)
{
    if (!s->topic[0]) {
        snprintf(errstr, errstr_size, "no topic");
        return -1;
    }
    if (s->producers < 0 || s->producers > KS_LOAD_MAX_PRODUCERS || s->consumers < 0 ||
        s->consumers > KS_LOAD_MAX_MEMBERS) {
        snprintf(errstr, errstr_size, "producers and consumers: 0 to %d each",
                 KS_LOAD_MAX_PRODUCERS);
        return -1;
    }
    if (s->producers == 0 && s->consumers == 0) {
        snprintf(errstr, errstr_size, "nothing to run: no producer and no consumer");
        return -1;
    }
    if (s->idempotent && s->acks != -1) {
        snprintf(errstr, errstr_size, "idempotence needs acks=all");
        return -1;
    }
    if (!s->audit_header && s->consumers > 0) {
        snprintf(errstr, errstr_size, "consumers need the audit header (audit_header=1)");
        return -1;
    }
    if (s->couriers < 1 || s->couriers > 1024) {
        snprintf(errstr, errstr_size, "couriers: 1 to 1024 per producer thread");
        return -1;
    }
    return 0;
}

/* ---- partition sets ---- */

void load_pset_clear(ks_pset *set)
{
    memset(set, 0, sizeof(*set));
}

void load_pset_add(ks_pset *set, int32_t p)
{
    if (p >= 0 && p < KS_LOAD_MAX_PARTITIONS)
        set->w[p / 64] |= 1ULL << (p % 64);
}

void load_pset_del(ks_pset *set, int32_t p)
{
    if (p >= 0 && p < KS_LOAD_MAX_PARTITIONS)
        set->w[p / 64] &= ~(1ULL << (p % 64));
}

bool load_pset_has(const ks_pset *set, int32_t p)
{
    return p >= 0 && p < KS_LOAD_MAX_PARTITIONS && (set->w[p / 64] >> (p % 64) & 1);
}

int load_pset_count(const ks_pset *set)
{
    int n = 0;
    for (int i = 0; i < KS_LOAD_MAX_PARTITIONS / 64; i++)
        n += __builtin_popcountll(set->w[i]);
    return n;
}

bool load_pset_empty(const ks_pset *set)
{
    return load_pset_count(set) == 0;
}

int load_pset_format(const ks_pset *set, char *buf, size_t size)
{
    int total = 0;

    if (size)
        buf[0] = '\0';
    for (int p = 0; p < KS_LOAD_MAX_PARTITIONS; p++) {
        if (!load_pset_has(set, p))
            continue;
        int q = p;
        while (q + 1 < KS_LOAD_MAX_PARTITIONS && load_pset_has(set, q + 1))
            q++;
        char item[32];
        const char *sep = total ? "," : "";
        int n = q == p       ? snprintf(item, sizeof(item), "%s%d", sep, p)
                : q == p + 1 ? snprintf(item, sizeof(item), "%s%d,%d", sep, p, q)
                             : snprintf(item, sizeof(item), "%s%d-%d", sep, p, q);
        if ((size_t)total < size)
            snprintf(buf + total, size - (size_t)total, "%s", item);
        total += n;
        p = q;
    }
    if (!total)
        return snprintf(buf, size, "-");
    return total;
}
