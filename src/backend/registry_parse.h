/* registry_parse: parsing of Confluent-compatible schema registry replies.
 *
 * DESIGN: pure functions over one HTTP body (not NUL-terminated), built on
 * jansson: no I/O, no globals, reentrant. They serve Confluent Schema
 * Registry and Apicurio's /apis/ccompat/v7 alike. Bodies are untrusted:
 * wrong types, missing keys and out-of-range numbers are errors with a
 * one-line reason in errstr, never a crash. Results are heap-allocated
 * (xmalloc) and owned by the caller; free them with the _free functions. */
#ifndef KS_REGISTRY_PARSE_H
#define KS_REGISTRY_PARSE_H

#include <stddef.h>

/* GET /subjects: ["a","b",...]. On success (0) *names is an array of *count
 * strings sorted by strcmp(), duplicates and empty names removed; free with
 * registry_names_free(). On error (-1) *names is NULL and *count 0. */
int registry_parse_subjects(const char *body, size_t len, char ***names, int *count,
                            char *errstr, size_t errstr_size);
void registry_names_free(char **names, int count);

/* GET /subjects/{s}/versions: [1,2,3]. On success *versions holds *count
 * versions >= 1, ascending, duplicates removed; caller free()s. */
int registry_parse_versions(const char *body, size_t len, int **versions, int *count,
                            char *errstr, size_t errstr_size);

/* One schema: GET /subjects/{s}/versions/{v} and GET /schemas/ids/{id}. */
typedef struct ks_schema_info {
    char *subject; /* NULL when absent (always absent for /schemas/ids) */
    int version;   /* 0 when absent */
    int id;        /* -1 when absent */
    char *schema;  /* the schema text, never NULL on success */
    char *type;    /* "AVRO" when schemaType is absent (Confluent's default) */
} ks_schema_info;

/* Returns 0 and fills *out, or -1 (out is then empty). "schema" is required
 * and must be a string; the other keys, if present, must have the right type. */
int registry_parse_schema(const char *body, size_t len, ks_schema_info *out, char *errstr,
                          size_t errstr_size);
void registry_schema_info_clear(ks_schema_info *info); /* frees members; NULL-safe */

/* GET /config and /config/{s}: {"compatibilityLevel":"BACKWARD"} (also accepts
 * "compatibility", the key PUT uses). *level is a new string; caller free()s. */
int registry_parse_config(const char *body, size_t len, char **level, char *errstr,
                          size_t errstr_size);

/* An error body {"error_code":40401,"message":"Subject 'x' not found."}.
 * Returns error_code (> 0), or 0 when the body is not one; the message, made
 * printable and truncated, goes to msg (may be NULL). */
int registry_parse_error(const char *body, size_t len, char *msg, size_t msg_size);

/* Confluent error codes the poller acts on. */
#define REGISTRY_ESUBJECT_NOT_FOUND 40401
#define REGISTRY_EVERSION_NOT_FOUND 40402
#define REGISTRY_ESCHEMA_NOT_FOUND 40403
#define REGISTRY_ESUBJECT_LEVEL_CONFIG_NOT_FOUND 40408

#endif
