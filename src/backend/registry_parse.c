/* registry_parse: schema registry JSON replies -> C values (see registry_parse.h).
 *
 * DESIGN: each parser loads the body with jansson (which rejects NUL bytes in
 * strings and bounds nesting depth), checks every type it reads, copies what
 * it keeps into xmalloc'd memory and drops the jansson tree before returning.
 * Error texts are reduced to printable ASCII: they end up on the screen. */
#include "registry_parse.h"
#include "xmalloc.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void printable(char *s)
{
    for (; s && *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
            *s = '?';
}

static int fail(char *errstr, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *errstr, size_t size, const char *fmt, ...)
{
    va_list ap;

    if (errstr && size) {
        va_start(ap, fmt);
        vsnprintf(errstr, size, fmt, ap);
        va_end(ap);
        printable(errstr);
    }
    return -1;
}

/* Loads a body that must be a JSON value of the given type. */
static json_t *load(const char *body, size_t len, json_type type, const char *what,
                    char *errstr, size_t size)
{
    json_error_t jerr;
    json_t *root;

    if (!body || !len) {
        fail(errstr, size, "empty reply (expected %s)", what);
        return NULL;
    }
    root = json_loadb(body, len, 0, &jerr);
    if (!root) {
        fail(errstr, size, "bad JSON at line %d column %d: %s", jerr.line, jerr.column,
             jerr.text);
        return NULL;
    }
    if (json_typeof(root) != type) {
        fail(errstr, size, "expected %s", what);
        json_decref(root);
        return NULL;
    }
    return root;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

void registry_names_free(char **names, int count)
{
    for (int i = 0; names && i < count; i++)
        free(names[i]);
    free(names);
}

int registry_parse_subjects(const char *body, size_t len, char ***names, int *count,
                            char *errstr, size_t errstr_size)
{
    json_t *root = load(body, len, JSON_ARRAY, "an array of subject names", errstr, errstr_size);
    size_t n, i, out = 0;
    char **v;

    *names = NULL;
    *count = 0;
    if (!root)
        return -1;
    n = json_array_size(root);
    if (n > INT32_MAX) {
        json_decref(root);
        return fail(errstr, errstr_size, "too many subjects");
    }
    v = xcalloc(n ? n : 1, sizeof(*v));
    for (i = 0; i < n; i++) {
        json_t *s = json_array_get(root, i);
        if (!json_is_string(s)) {
            registry_names_free(v, (int)out);
            json_decref(root);
            return fail(errstr, errstr_size, "subject %zu is not a string", i);
        }
        if (json_string_length(s) > 0) /* an empty name cannot be fetched: skip it */
            v[out++] = xstrdup(json_string_value(s));
    }
    json_decref(root);
    if (out > 1) {
        size_t w = 1;
        qsort(v, out, sizeof(*v), cmp_str);
        for (i = 1; i < out; i++) {
            if (strcmp(v[i], v[w - 1]) == 0)
                free(v[i]);
            else
                v[w++] = v[i];
        }
        out = w;
    }
    *names = v;
    *count = (int)out;
    return 0;
}

int registry_parse_versions(const char *body, size_t len, int **versions, int *count,
                            char *errstr, size_t errstr_size)
{
    json_t *root = load(body, len, JSON_ARRAY, "an array of versions", errstr, errstr_size);
    size_t n, i, out = 0;
    int *v;

    *versions = NULL;
    *count = 0;
    if (!root)
        return -1;
    n = json_array_size(root);
    if (n > INT32_MAX) {
        json_decref(root);
        return fail(errstr, errstr_size, "too many versions");
    }
    v = xcalloc(n ? n : 1, sizeof(*v));
    for (i = 0; i < n; i++) {
        json_t *e = json_array_get(root, i);
        json_int_t x;
        if (!json_is_integer(e) || (x = json_integer_value(e)) < 1 || x > INT32_MAX) {
            free(v);
            json_decref(root);
            return fail(errstr, errstr_size, "version %zu is not an integer >= 1", i);
        }
        v[out++] = (int)x;
    }
    json_decref(root);
    if (out > 1) {
        size_t w = 1;
        qsort(v, out, sizeof(*v), cmp_int);
        for (i = 1; i < out; i++)
            if (v[i] != v[w - 1])
                v[w++] = v[i];
        out = w;
    }
    *versions = v;
    *count = (int)out;
    return 0;
}

void registry_schema_info_clear(ks_schema_info *info)
{
    if (!info)
        return;
    free(info->subject);
    free(info->schema);
    free(info->type);
    memset(info, 0, sizeof(*info));
    info->id = -1;
}

/* An optional integer member in [min, INT32_MAX]; absent leaves *out alone. */
static int opt_int(json_t *obj, const char *key, int min, int *out)
{
    json_t *v = json_object_get(obj, key);
    json_int_t x;

    if (!v || json_is_null(v))
        return 0;
    if (!json_is_integer(v) || (x = json_integer_value(v)) < min || x > INT32_MAX)
        return -1;
    *out = (int)x;
    return 0;
}

int registry_parse_schema(const char *body, size_t len, ks_schema_info *out, char *errstr,
                          size_t errstr_size)
{
    json_t *root = load(body, len, JSON_OBJECT, "a schema object", errstr, errstr_size);
    json_t *schema, *subject, *type;

    memset(out, 0, sizeof(*out));
    out->id = -1;
    if (!root)
        return -1;
    schema = json_object_get(root, "schema");
    subject = json_object_get(root, "subject");
    type = json_object_get(root, "schemaType");
    if (!json_is_string(schema)) {
        json_decref(root);
        return fail(errstr, errstr_size, "no \"schema\" string in the reply");
    }
    if (subject && !json_is_null(subject) && !json_is_string(subject)) {
        json_decref(root);
        return fail(errstr, errstr_size, "\"subject\" is not a string");
    }
    if (type && !json_is_null(type) && (!json_is_string(type) || !json_string_length(type))) {
        json_decref(root);
        return fail(errstr, errstr_size, "\"schemaType\" is not a string");
    }
    if (opt_int(root, "id", 0, &out->id) != 0) {
        json_decref(root);
        return fail(errstr, errstr_size, "\"id\" is not an integer >= 0");
    }
    if (opt_int(root, "version", 1, &out->version) != 0) {
        json_decref(root);
        out->id = -1;
        return fail(errstr, errstr_size, "\"version\" is not an integer >= 1");
    }
    out->schema = xstrdup(json_string_value(schema));
    out->subject = json_is_string(subject) ? xstrdup(json_string_value(subject)) : NULL;
    out->type = xstrdup(json_is_string(type) ? json_string_value(type) : "AVRO");
    json_decref(root);
    return 0;
}

int registry_parse_config(const char *body, size_t len, char **level, char *errstr,
                          size_t errstr_size)
{
    json_t *root = load(body, len, JSON_OBJECT, "a config object", errstr, errstr_size);
    json_t *v;

    *level = NULL;
    if (!root)
        return -1;
    v = json_object_get(root, "compatibilityLevel");
    if (!v)
        v = json_object_get(root, "compatibility");
    if (!json_is_string(v) || !json_string_length(v)) {
        json_decref(root);
        return fail(errstr, errstr_size, "no \"compatibilityLevel\" string in the reply");
    }
    *level = xstrdup(json_string_value(v));
    json_decref(root);
    return 0;
}

int registry_parse_error(const char *body, size_t len, char *msg, size_t msg_size)
{
    json_t *root, *code, *text;
    json_error_t jerr;
    int rc = 0;

    if (msg && msg_size)
        msg[0] = '\0';
    if (!body || !len || !(root = json_loadb(body, len, 0, &jerr)))
        return 0;
    code = json_object_get(root, "error_code");
    text = json_object_get(root, "message");
    if (json_is_integer(code) && json_integer_value(code) > 0 &&
        json_integer_value(code) <= INT32_MAX) {
        rc = (int)json_integer_value(code);
        if (msg && msg_size && json_is_string(text)) {
            snprintf(msg, msg_size, "%s", json_string_value(text));
            printable(msg);
        }
    }
    json_decref(root);
    return rc;
}
