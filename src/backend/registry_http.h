/* registry_http: HTTP GETs to a Confluent-compatible schema registry with libcurl.
 *
 * DESIGN: a CURL * handle belongs to one thread (the registry poller, the tail
 * worker); it is reused across requests so keep-alive connections are too.
 * Every request has the same limits: connect 1 s, whole request 3 s, no
 * redirects followed, http/https only, body capped at REGISTRY_HTTP_MAX_BODY.
 * Failures come back as one-line texts that name the URL with any
 * user:password removed, so they can go to the snapshot and the log as is.
 * A request also gives up when poller_stopping() turns true on its thread. */
#ifndef KS_REGISTRY_HTTP_H
#define KS_REGISTRY_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>

#define REGISTRY_HTTP_CONNECT_MS 1000
#define REGISTRY_HTTP_TOTAL_MS 3000
#define REGISTRY_HTTP_MAX_BODY (16 << 20)

/* @locality main thread, once, before any thread that uses curl starts
 * (curl_global_init is not thread-safe in every libcurl build). */
void registry_http_global_init(void);

/* @locality the thread that will use it. A configured handle, or NULL if
 * curl cannot make one; free with curl_easy_cleanup(). */
CURL *registry_http_new(void);

/* One reply: any HTTP status counts as a reply. */
typedef struct registry_reply {
    long status; /* 200, 404, ... */
    char *body;  /* NUL-terminated (for convenience; may hold NULs), never NULL */
    size_t len;
} registry_reply;

void registry_reply_clear(registry_reply *reply); /* frees the body; NULL-safe */

/* @locality curl's owner thread. GET url. Returns 0 when the server answered
 * (reply filled, whatever the status) or -1 on a transport failure, with
 * errstr e.g. "connection refused (http://127.0.0.1:8081/subjects)". */
int registry_http_get(CURL *curl, const char *url, registry_reply *reply, char *errstr,
                      size_t errstr_size);

/* Describes a non-2xx reply: "HTTP 404: Subject 'x' not found. (40401)".
 * Returns the registry's error_code from the body, or 0 if there is none. */
int registry_http_status_error(const registry_reply *reply, char *errstr, size_t errstr_size);

/* Percent-encodes s as one URL path segment (RFC 3986 unreserved characters
 * kept, everything else %XX, '/' included). Caller frees. */
char *registry_http_escape(const char *s);

/* Copies url into out without "user:password@". Always NUL-terminates. */
void registry_http_redact(const char *url, char *out, size_t size);

/* base_url + path, with one '/' between them. Caller frees. */
char *registry_http_url(const char *base_url, const char *path);

/* @locality curl's owner thread. GET /schemas/ids/{id}: on success (0)
 * *schema_out and *type_out ("AVRO" if the registry omits it) are new strings
 * the caller free()s; on error (-1) both are NULL and errstr says why, e.g.
 * "schema id 7: HTTP 404: Schema 7 not found (40403)". type_out may be NULL. */
int registry_fetch_schema(CURL *curl, const char *base_url, uint32_t id, char **schema_out,
                          char **type_out, char *errstr, size_t errstr_size);

/* @locality curl's owner thread. GET /subjects/{subject}/versions/{version}
 * (version <= 0: "latest"). Same outputs as registry_fetch_schema, plus the
 * schema id (-1 if the reply had none); type_out and id_out may be NULL. */
int registry_fetch_subject_version(CURL *curl, const char *base_url, const char *subject,
                                   int version, char **schema_out, char **type_out, int *id_out,
                                   char *errstr, size_t errstr_size);

#endif
