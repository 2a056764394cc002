/* tail_spec: from-specs and tail option strings (see tail_spec.h). */
#define _GNU_SOURCE /* timegm, strcasecmp */
#include "tail_spec.h"
#include "xmalloc.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static void set_err(char *errstr, size_t size, const char *fmt, const char *arg)
{
    if (errstr && size)
        snprintf(errstr, size, fmt, arg);
}

/* Digits only, no sign, fits in int64. */
static bool parse_u64(const char *s, int64_t *out)
{
    char *end;

    if (!isdigit((unsigned char)s[0]))
        return false;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < 0)
        return false;
    *out = v;
    return true;
}

/* "2024-01-02T03:04:05Z", with optional ".123" and optional 'Z'. */
static bool parse_iso(const char *s, int64_t *ms)
{
    struct tm tm = {0};
    int frac = 0, fdigits = 0;
    const char *p;
    char *end;

    p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!p)
        return false;
    if (*p == '.') {
        for (p++; isdigit((unsigned char)*p); p++, fdigits++)
            if (fdigits < 3)
                frac = frac * 10 + (*p - '0');
        if (!fdigits)
            return false;
        for (int k = fdigits; k < 3; k++)
            frac *= 10;
    }
    if (*p == 'Z')
        p++;
    if (*p)
        return false;
    time_t t = timegm(&tm);
    (void)end;
    *ms = (int64_t)t * 1000 + frac;
    return true;
}

int tail_from_parse(const char *s, ks_tail_from *from, char *errstr, size_t errstr_size)
{
    static const char *const forms =
        "beginning, end, OFFSET, -N (last N per partition), -15m/-2h/-30s/-1d (relative time), "
        "@TIMESTAMP_MS or @YYYY-MM-DDTHH:MM:SSZ";
    int64_t v;

    if (!s || !*s)
        goto bad;
    if (!strcasecmp(s, "beginning") || !strcasecmp(s, "earliest") || !strcasecmp(s, "oldest") ||
        !strcasecmp(s, "start")) {
        *from = (ks_tail_from){KS_FROM_BEGINNING, 0};
        return 0;
    }
    if (!strcasecmp(s, "end") || !strcasecmp(s, "latest") || !strcasecmp(s, "newest") ||
        !strcasecmp(s, "now")) {
        *from = (ks_tail_from){KS_FROM_END, 0};
        return 0;
    }
    if (parse_u64(s, &v)) {
        *from = (ks_tail_from){KS_FROM_OFFSET, v};
        return 0;
    }
    if (s[0] == '@') {
        if (parse_u64(s + 1, &v) || parse_iso(s + 1, &v)) {
            *from = (ks_tail_from){KS_FROM_TIME, v};
            return 0;
        }
        goto bad;
    }
    if (s[0] == '-' && isdigit((unsigned char)s[1])) {
        char *end;
        errno = 0;
        long long n = strtoll(s + 1, &end, 10);
        int64_t unit = 0;
        if (errno || n < 0)
            goto bad;
        if (!*end) {
            *from = (ks_tail_from){KS_FROM_LAST, n};
            return 0;
        }
        if (!strcmp(end, "ms"))
            unit = 1;
        else if (!strcmp(end, "s"))
            unit = 1000;
        else if (!strcmp(end, "m") || !strcmp(end, "min"))
            unit = 60 * 1000;
        else if (!strcmp(end, "h"))
            unit = 3600 * 1000;
        else if (!strcmp(end, "d"))
            unit = 86400 * 1000;
        if (!unit || n > INT64_MAX / unit)
            goto bad;
        *from = (ks_tail_from){KS_FROM_AGO, n * unit};
        return 0;
    }
bad:
    if (errstr && errstr_size)
        snprintf(errstr, errstr_size, "--from \"%.60s\": expected %s", s ? s : "", forms);
    return -1;
}

const char *tail_from_format(const ks_tail_from *from, char *out, size_t size)
{
    int64_t v = from->value;

    switch (from->kind) {
    case KS_FROM_BEGINNING:
        snprintf(out, size, "beginning");
        break;
    case KS_FROM_OFFSET:
        snprintf(out, size, "%" PRId64, v);
        break;
    case KS_FROM_LAST:
        snprintf(out, size, "-%" PRId64, v);
        break;
    case KS_FROM_TIME:
        snprintf(out, size, "@%" PRId64, v);
        break;
    case KS_FROM_AGO:
        if (v % 86400000 == 0)
            snprintf(out, size, "-%" PRId64 "d", v / 86400000);
        else if (v % 3600000 == 0)
            snprintf(out, size, "-%" PRId64 "h", v / 3600000);
        else if (v % 60000 == 0)
            snprintf(out, size, "-%" PRId64 "m", v / 60000);
        else if (v % 1000 == 0)
            snprintf(out, size, "-%" PRId64 "s", v / 1000);
        else
            snprintf(out, size, "-%" PRId64 "ms", v);
        break;
    case KS_FROM_END:
    default:
        snprintf(out, size, "end");
        break;
    }
    return out;
}

bool tail_fmt_parse(const char *name, ks_tail_fmt *fmt)
{
    static const struct {
        const char *name;
        ks_tail_fmt fmt;
    } names[] = {{"auto", KS_TAIL_FMT_AUTO},   {"avro", KS_TAIL_FMT_AVRO},
                 {"json", KS_TAIL_FMT_JSON},   {"text", KS_TAIL_FMT_TEXT},
                 {"string", KS_TAIL_FMT_TEXT}, {"binary", KS_TAIL_FMT_BINARY},
                 {"hex", KS_TAIL_FMT_BINARY},  {"null", KS_TAIL_FMT_AUTO}};

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (name && !strcasecmp(name, names[i].name)) {
            *fmt = names[i].fmt;
            return true;
        }
    return false;
}

void tail_opts_init(ks_tail_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->from.kind = KS_FROM_END;
    o->key_fmt = o->value_fmt = KS_TAIL_FMT_AUTO;
}

void tail_opts_free(ks_tail_opts *o)
{
    free(o->partitions);
    tail_opts_init(o);
}

void tail_opts_copy(ks_tail_opts *dst, const ks_tail_opts *src)
{
    *dst = *src;
    dst->partitions = NULL;
    if (src->npartitions) {
        dst->partitions = xmalloc(sizeof(int32_t) * (size_t)src->npartitions);
        memcpy(dst->partitions, src->partitions, sizeof(int32_t) * (size_t)src->npartitions);
    }
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static void add_partition(ks_tail_opts *o, int32_t p)
{
    for (int i = 0; i < o->npartitions; i++)
        if (o->partitions[i] == p)
            return;
    o->partitions = xrealloc(o->partitions, sizeof(int32_t) * (size_t)(o->npartitions + 1));
    o->partitions[o->npartitions++] = p;
}

int tail_opts_add_partitions(ks_tail_opts *o, const char *list, char *errstr, size_t errstr_size)
{
    ks_tail_opts tmp; /* all or nothing: a bad list leaves o alone */
    const char *p = list;

    if (!strcasecmp(list, "all") || !*list) {
        free(o->partitions);
        o->partitions = NULL;
        o->npartitions = 0;
        return 0;
    }
    tail_opts_copy(&tmp, o);
    while (*p) {
        char *end;
        long a, b;
        errno = 0;
        if (!isdigit((unsigned char)*p))
            goto bad;
        a = strtol(p, &end, 10);
        b = a;
        if (*end == '-') {
            if (!isdigit((unsigned char)end[1]))
                goto bad;
            b = strtol(end + 1, &end, 10);
        }
        if (errno || a > b || b >= TAIL_MAX_PARTITIONS || (*end && *end != ','))
            goto bad;
        if (tmp.npartitions + (b - a + 1) > TAIL_MAX_PARTITIONS)
            goto bad;
        for (long k = a; k <= b; k++)
            add_partition(&tmp, (int32_t)k);
        p = *end ? end + 1 : end;
        if (*end == ',' && !*p)
            goto bad;
    }
    qsort(tmp.partitions, (size_t)tmp.npartitions, sizeof(int32_t), cmp_i32);
    free(o->partitions);
    o->partitions = tmp.partitions;
    o->npartitions = tmp.npartitions;
    return 0;
bad:
    free(tmp.partitions);
    set_err(errstr, errstr_size,
            "partitions \"%.60s\": expected numbers and ranges such as 0,2,5-7", list);
    return -1;
}

static bool parse_bool(const char *v, bool *out)
{
    if (!strcmp(v, "1") || !strcasecmp(v, "true") || !strcasecmp(v, "yes") || !*v) {
        *out = true;
        return true;
    }
    if (!strcmp(v, "0") || !strcasecmp(v, "false") || !strcasecmp(v, "no")) {
        *out = false;
        return true;
    }
    return false;
}

static int apply_opt(ks_tail_opts *o, const char *k, const char *v, char *errstr,
                     size_t errstr_size)
{
    int64_t n;

    if (!strcmp(k, "from"))
        return tail_from_parse(v, &o->from, errstr, errstr_size);
    if (!strcmp(k, "partitions") || !strcmp(k, "partition"))
        return tail_opts_add_partitions(o, v, errstr, errstr_size);
    if (!strcmp(k, "key") || !strcmp(k, "value")) {
        ks_tail_fmt f;
        if (!tail_fmt_parse(v, &f)) {
            set_err(errstr, errstr_size,
                    "format \"%.40s\": expected auto, avro, json, text or binary", v);
            return -1;
        }
        *(k[0] == 'k' ? &o->key_fmt : &o->value_fmt) = f;
        o->formats_set = true;
        return 0;
    }
    if (!strcmp(k, "until_end") || !strcmp(k, "until-end")) {
        if (parse_bool(v, &o->until_end))
            return 0;
    } else if (!strcmp(k, "count")) {
        if (parse_u64(v, &n)) {
            o->count = n;
            return 0;
        }
    } else if (!strcmp(k, "rows")) {
        if (parse_u64(v, &n) && n >= 1 && n <= 10000000) {
            o->rows = (int)n;
            return 0;
        }
    } else if (!strcmp(k, "bytes")) {
        if (parse_u64(v, &n) && n >= 4096) {
            o->max_bytes = (size_t)n;
            return 0;
        }
    } else {
        set_err(errstr, errstr_size, "unknown tail option \"%.40s\"", k);
        return -1;
    }
    set_err(errstr, errstr_size, "bad value for tail option \"%.40s\"", k);
    return -1;
}

int tail_opts_parse(ks_tail_opts *o, const char *s, char *errstr, size_t errstr_size)
{
    char *copy = xstrdup(s ? s : ""), *save = NULL;
    int rc = 0;

    for (char *item = strtok_r(copy, ";", &save); item && rc == 0;
         item = strtok_r(NULL, ";", &save)) {
        char *eq = strchr(item, '='), *e;
        while (*item == ' ')
            item++;
        if (eq)
            *eq = '\0';
        for (e = item + strlen(item); e > item && e[-1] == ' ';)
            *--e = '\0';
        if (!*item)
            continue;
        rc = apply_opt(o, item, eq ? eq + 1 : "", errstr, errstr_size);
    }
    free(copy);
    return rc;
}

static void put_partitions(const ks_tail_opts *o, char *out, size_t size)
{
    size_t len = 0;

    out[0] = '\0';
    for (int i = 0; i < o->npartitions && len + 16 < size; i++) {
        int32_t a = o->partitions[i], b = a;
        while (i + 1 < o->npartitions && o->partitions[i + 1] == b + 1)
            b = o->partitions[++i];
        len += (size_t)snprintf(out + len, size - len, len ? ",%d" : "%d", (int)a);
        if (b > a)
            len += (size_t)snprintf(out + len, size - len, "-%d", (int)b);
    }
}

char *tail_opts_format(const ks_tail_opts *o)
{
    char from[64], *parts = xmalloc((size_t)o->npartitions * 24 + 8);
    ks_tbuf b = {0};

    put_partitions(o, parts, (size_t)o->npartitions * 24 + 8);
    tbuf_puts(&b, "from=");
    tbuf_puts(&b, tail_from_format(&o->from, from, sizeof(from)));
    tbuf_puts(&b, ";partitions=");
    tbuf_puts(&b, o->npartitions ? parts : "all");
    tbuf_puts(&b, ";key=");
    tbuf_puts(&b, tail_fmt_name(o->key_fmt));
    tbuf_puts(&b, ";value=");
    tbuf_puts(&b, tail_fmt_name(o->value_fmt));
    tbuf_puts(&b, o->until_end ? ";until_end=1" : ";until_end=0");
    tbuf_puts(&b, ";count=");
    tbuf_put_i64(&b, o->count);
    if (o->rows) { /* 0 means "keep the current one" and is not accepted back */
        tbuf_puts(&b, ";rows=");
        tbuf_put_i64(&b, o->rows);
    }
    if (o->max_bytes) {
        tbuf_puts(&b, ";bytes=");
        tbuf_put_i64(&b, (int64_t)o->max_bytes);
    }
    free(parts);
    return b.p;
}

void tail_opts_describe(const ks_tail_opts *o, char *out, size_t size)
{
    char from[64], parts[96];
    size_t len;

    put_partitions(o, parts, sizeof(parts));
    len = (size_t)snprintf(out, size, "from %s, partitions %s",
                           tail_from_format(&o->from, from, sizeof(from)),
                           o->npartitions ? parts : "all");
    if (len < size && o->key_fmt != KS_TAIL_FMT_AUTO)
        len += (size_t)snprintf(out + len, size - len, ", key %s", tail_fmt_name(o->key_fmt));
    if (len < size && o->value_fmt != KS_TAIL_FMT_AUTO)
        len += (size_t)snprintf(out + len, size - len, ", value %s", tail_fmt_name(o->value_fmt));
    if (len < size && o->until_end)
        len += (size_t)snprintf(out + len, size - len, ", until end");
    if (len < size && o->count)
        snprintf(out + len, size - len, ", count %" PRId64, o->count);
}
