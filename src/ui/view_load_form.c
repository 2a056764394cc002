/* view_load_form: field table, shown values, cycling and the checked apply of the load form. */
#include "view_load_form.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct form_field {
    const char *key;
    ks_form_kind kind;
    const char *const *choices; /* FORM_ENUM, FORM_BOOL; as load_spec_parse accepts them */
    int nchoices;
    const char *unset_raw;  /* a raw value that means "not set"... */
    const char *unset_text; /* ...and how the form shows it */
} form_field;

#define CHOICES(...)                                                                               \
    (const char *const[]){__VA_ARGS__},                                                            \
        (int)(sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

static const char *const yes_no[] = {"no", "yes"};

/* Topic first, then producers, then consumers, as the workbook introduces them. */
static const form_field fields[] = {
    {"topic", FORM_TEXT},
    {"partitions", FORM_INT},
    {"replication", FORM_INT},
    {"format", FORM_ENUM, CHOICES("json", "avro")},
    {"couriers", FORM_INT},
    {"audit_header", FORM_BOOL, yes_no, 2},
    {"producers", FORM_INT},
    {"messages", FORM_INT, NULL, 0, "0", "unlimited"},
    {"interval_ms", FORM_INT},
    {"mode", FORM_ENUM, CHOICES("fire-and-forget", "sync", "async")},
    {"acks", FORM_ENUM, CHOICES("0", "1", "all")},
    {"idempotent", FORM_BOOL, yes_no, 2},
    {"compression", FORM_ENUM, CHOICES("none", "gzip", "snappy", "lz4", "zstd")},
    {"linger_ms", FORM_INT, NULL, 0, "-1", "default"},
    {"batch_size", FORM_INT, NULL, 0, "-1", "default"},
    {"consumers", FORM_INT},
    {"group", FORM_TEXT, NULL, 0, "", "(per run)"},
    {"poll_ms", FORM_INT},
    {"commit", FORM_ENUM, CHOICES("auto", "sync", "async")},
    {"offset_reset", FORM_ENUM, CHOICES("earliest", "latest")},
    {"assignor", FORM_ENUM, CHOICES("range", "roundrobin", "cooperative-sticky")},
    {"session_timeout_ms", FORM_INT, NULL, 0, "0", "default"},
    {"stop_when_drained", FORM_BOOL, yes_no, 2},
    {"quiet_ms", FORM_INT},
};

#define NFIELDS ((int)(sizeof(fields) / sizeof(fields[0])))

int view_load_form_count(void)
{
    return NFIELDS;
}

const char *view_load_form_key(int f)
{
    return f >= 0 && f < NFIELDS ? fields[f].key : NULL;
}

ks_form_kind view_load_form_kind(int f)
{
    return f >= 0 && f < NFIELDS ? fields[f].kind : FORM_TEXT;
}

int view_load_form_find(const char *key, size_t len)
{
    for (int f = 0; f < NFIELDS; f++)
        if (strlen(fields[f].key) == len && !strncmp(fields[f].key, key, len))
            return f;
    return -1;
}

/* The value of key in load_spec_format's "k=v;k=v" text: names cannot hold ';'. */
static void find_value(const char *text, const char *key, char *buf, size_t size)
{
    size_t klen = strlen(key);

    buf[0] = '\0';
    for (const char *p = text; p && *p; p = strchr(p, ';') ? strchr(p, ';') + 1 : NULL)
        if (!strncmp(p, key, klen) && p[klen] == '=') {
            const char *v = p + klen + 1;
            snprintf(buf, size, "%.*s", (int)strcspn(v, ";"), v);
            return;
        }
}

char *view_load_form_value(const ks_load_spec *spec, int f, bool raw, char *buf, size_t size)
{
    char *text;

    if (size == 0)
        return buf;
    buf[0] = '\0';
    if (f < 0 || f >= NFIELDS)
        return buf;
    text = load_spec_format(spec);
    find_value(text, fields[f].key, buf, size);
    free(text);
    /* the formatter writes booleans as 0/1; the form speaks yes/no */
    if (fields[f].kind == FORM_BOOL)
        snprintf(buf, size, "%s", strcmp(buf, "0") ? "yes" : "no");
    else if (!raw && fields[f].unset_raw && !strcmp(buf, fields[f].unset_raw))
        snprintf(buf, size, "%s", fields[f].unset_text);
    return buf;
}

int view_load_form_apply(ks_load_spec *spec, const char *text, char *errstr, size_t errstr_size)
{
    ks_load_spec next = *spec;
    bool was_valid = load_spec_check(spec, errstr, errstr_size) == 0;

    if (load_spec_parse(&next, text, errstr, errstr_size) != 0)
        return -1;
    if (load_spec_check(&next, errstr, errstr_size) != 0) {
        /* refuse to break a valid spec, but never trap the user in an invalid one */
        if (was_valid)
            return -1;
        *spec = next;
        return 1;
    }
    if (errstr_size)
        errstr[0] = '\0';
    *spec = next;
    return 0;
}

static int cycle_choice(ks_load_spec *spec, int f, int dir, char *errstr, size_t errstr_size)
{
    const form_field *fd = &fields[f];
    char cur[64], text[128];
    int at = 0;

    view_load_form_value(spec, f, true, cur, sizeof(cur));
    for (int i = 0; i < fd->nchoices; i++)
        if (!strcasecmp(cur, fd->choices[i]))
            at = i;
    at = ((at + (dir > 0 ? 1 : -1)) % fd->nchoices + fd->nchoices) % fd->nchoices;
    snprintf(text, sizeof(text), "%s=%s", fd->key, fd->choices[at]);
    return view_load_form_apply(spec, text, errstr, errstr_size);
}

int view_load_form_cycle(ks_load_spec *spec, int f, int dir, char *errstr, size_t errstr_size)
{
    char cur[64], text[128];

    if (f < 0 || f >= NFIELDS) {
        snprintf(errstr, errstr_size, "no such setting");
        return -1;
    }
    switch (fields[f].kind) {
    case FORM_ENUM:
    case FORM_BOOL:
        return cycle_choice(spec, f, dir, errstr, errstr_size);
    case FORM_INT:
        view_load_form_value(spec, f, true, cur, sizeof(cur));
        snprintf(text, sizeof(text), "%s=%lld", fields[f].key,
                 strtoll(cur, NULL, 10) + (dir > 0 ? 1 : -1));
        return view_load_form_apply(spec, text, errstr, errstr_size);
    case FORM_TEXT:
        break;
    }
    snprintf(errstr, errstr_size, "%s: Enter edits it", fields[f].key);
    return -1;
}

void view_load_form_summary(const ks_load_spec *spec, char *buf, size_t size)
{
    char messages[32];

    if (spec->messages)
        snprintf(messages, sizeof(messages), "%lld", (long long)spec->messages);
    else
        snprintf(messages, sizeof(messages), "unlimited");
    snprintf(buf, size,
             "topic %s  partitions %d  format %s  producers %d  messages %s  consumers %d", spec->topic,
             spec->partitions, load_format_name(spec->format), spec->producers, messages,
             spec->consumers);
}
