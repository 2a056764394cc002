/* registry_http: libcurl GETs with the registry's limits (see registry_http.h).
 *
 * DESIGN: the handle carries the fixed options; per-request state (body
 * buffer, Accept header, error buffer) lives on the caller's stack for the
 * duration of curl_easy_perform(). Nothing is global but curl's own init. */
#define _GNU_SOURCE
#include "registry_http.h"
#include "poller.h"
#include "registry_parse.h"
#include "xmalloc.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef KSIGHT_VERSION
#define KSIGHT_VERSION "dev"
#endif

typedef struct body_buf {
    char *data;
    size_t len, cap;
    bool too_big;
} body_buf;

void registry_http_global_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

static size_t on_write(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    body_buf *b = userdata;
    size_t n = size * nmemb;

    if (n > REGISTRY_HTTP_MAX_BODY - b->len) {
        b->too_big = true;
        return 0; /* curl aborts with CURLE_WRITE_ERROR */
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->data = xrealloc(b->data, cap);
        b->cap = cap;
    }
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    b->data[b->len] = '\0';
    return n;
}

static int on_progress(void *clientp, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    (void)clientp, (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    return poller_stopping(); /* non-zero aborts the transfer */
}

CURL *registry_http_new(void)
{
    CURL *curl = curl_easy_init();

    if (!curl)
        return NULL;
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, (long)REGISTRY_HTTP_CONNECT_MS);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)REGISTRY_HTTP_TOTAL_MS);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)REGISTRY_HTTP_MAX_BODY);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "ksight/" KSIGHT_VERSION);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    return curl;
}

void registry_reply_clear(registry_reply *reply)
{
    if (!reply)
        return;
    free(reply->body);
    memset(reply, 0, sizeof(*reply));
}

void registry_http_redact(const char *url, char *out, size_t size)
{
    const char *scheme = strstr(url, "://");
    const char *host = scheme ? scheme + 3 : url;
    const char *end = host + strcspn(host, "/?#");
    const char *at = memrchr(host, '@', (size_t)(end - host));

    if (!size)
        return;
    if (at)
        snprintf(out, size, "%.*s%s", (int)(host - url), url, at + 1);
    else
        snprintf(out, size, "%s", url);
    for (char *p = out; *p; p++) /* the URL goes to the screen */
        if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
            *p = '?';
}

char *registry_http_escape(const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = xmalloc(strlen(s) * 3 + 1), *o = out;

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            *o++ = (char)c;
        } else {
            *o++ = '%';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    *o = '\0';
    return out;
}

char *registry_http_url(const char *base_url, const char *path)
{
    size_t n = strlen(base_url);

    while (n && base_url[n - 1] == '/')
        n--;
    while (*path == '/')
        path++;
    return xasprintf("%.*s/%s", (int)n, base_url, path);
}

/* The transport failure in a few words, the way the UI shows it. */
static void describe_failure(CURL *curl, CURLcode rc, const body_buf *b, const char *errbuf,
                             char *out, size_t size)
{
    long os_errno = 0;
    curl_off_t connect_us = 0;

    switch (rc) {
    case CURLE_COULDNT_CONNECT:
        curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno);
        if (os_errno) {
            snprintf(out, size, "%s", strerror((int)os_errno));
            out[0] = (char)tolower((unsigned char)out[0]);
        } else {
            snprintf(out, size, "cannot connect");
        }
        break;
    case CURLE_OPERATION_TIMEDOUT:
        curl_easy_getinfo(curl, CURLINFO_CONNECT_TIME_T, &connect_us);
        if (connect_us <= 0)
            snprintf(out, size, "connect timed out after %d ms", REGISTRY_HTTP_CONNECT_MS);
        else
            snprintf(out, size, "no complete reply within %d ms", REGISTRY_HTTP_TOTAL_MS);
        break;
    case CURLE_COULDNT_RESOLVE_HOST:
        snprintf(out, size, "cannot resolve host");
        break;
    case CURLE_FILESIZE_EXCEEDED:
        snprintf(out, size, "reply larger than %d MiB", REGISTRY_HTTP_MAX_BODY >> 20);
        break;
    case CURLE_WRITE_ERROR:
        if (b->too_big) {
            snprintf(out, size, "reply larger than %d MiB", REGISTRY_HTTP_MAX_BODY >> 20);
            break;
        }
        /* fall through */
    default:
        if (rc == CURLE_ABORTED_BY_CALLBACK)
            snprintf(out, size, "stopped");
        else
            snprintf(out, size, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
        break;
    }
}

int registry_http_get(CURL *curl, const char *url, registry_reply *reply, char *errstr,
                      size_t errstr_size)
{
    char errbuf[CURL_ERROR_SIZE] = "", what[256], shown[512];
    body_buf b = {0};
    struct curl_slist *headers = NULL;
    CURLcode rc;

    memset(reply, 0, sizeof(*reply));
    headers = curl_slist_append(headers, "Accept: application/vnd.schemaregistry.v1+json, "
                                         "application/vnd.schemaregistry+json; qs=0.9, "
                                         "application/json; qs=0.5");
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    rc = curl_easy_perform(curl);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, NULL);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, NULL);
    curl_slist_free_all(headers);

    if (rc != CURLE_OK) {
        free(b.data);
        describe_failure(curl, rc, &b, errbuf, what, sizeof(what));
        registry_http_redact(url, shown, sizeof(shown));
        snprintf(errstr, errstr_size, "%s (%s)", what, shown);
        return -1;
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply->status);
    reply->body = b.data ? b.data : xstrdup("");
    reply->len = b.len;
    return 0;
}

int registry_http_status_error(const registry_reply *reply, char *errstr, size_t errstr_size)
{
    char msg[200];
    int code = registry_parse_error(reply->body, reply->len, msg, sizeof(msg));

    if (code && msg[0])
        snprintf(errstr, errstr_size, "HTTP %ld: %s (%d)", reply->status, msg, code);
    else if (code)
        snprintf(errstr, errstr_size, "HTTP %ld (error %d)", reply->status, code);
    else if (reply->status >= 300 && reply->status < 400)
        snprintf(errstr, errstr_size, "HTTP %ld (redirect not followed)", reply->status);
    else
        snprintf(errstr, errstr_size, "HTTP %ld", reply->status);
    return code;
}

/* GET one schema object and hand its fields out. */
static int fetch_schema_at(CURL *curl, const char *url, const char *what, char **schema_out,
                           char **type_out, int *id_out, char *errstr, size_t errstr_size)
{
    registry_reply reply;
    ks_schema_info info;
    char err[400];
    int rc = -1;

    *schema_out = NULL;
    if (type_out)
        *type_out = NULL;
    if (id_out)
        *id_out = -1;
    if (registry_http_get(curl, url, &reply, err, sizeof(err)) != 0) {
        snprintf(errstr, errstr_size, "%s: %s", what, err);
        return -1;
    }
    if (reply.status != 200) {
        registry_http_status_error(&reply, err, sizeof(err));
        snprintf(errstr, errstr_size, "%s: %s", what, err);
    } else if (registry_parse_schema(reply.body, reply.len, &info, err, sizeof(err)) != 0) {
        snprintf(errstr, errstr_size, "%s: %s", what, err);
    } else {
        *schema_out = info.schema;
        info.schema = NULL;
        if (type_out) {
            *type_out = info.type;
            info.type = NULL;
        }
        if (id_out)
            *id_out = info.id;
        registry_schema_info_clear(&info);
        rc = 0;
    }
    registry_reply_clear(&reply);
    return rc;
}

int registry_fetch_schema(CURL *curl, const char *base_url, uint32_t id, char **schema_out,
                          char **type_out, char *errstr, size_t errstr_size)
{
    char path[64], what[48];
    char *url;
    int rc;

    snprintf(path, sizeof(path), "schemas/ids/%" PRIu32, id);
    snprintf(what, sizeof(what), "schema id %" PRIu32, id);
    url = registry_http_url(base_url, path);
    rc = fetch_schema_at(curl, url, what, schema_out, type_out, NULL, errstr, errstr_size);
    free(url);
    return rc;
}

int registry_fetch_subject_version(CURL *curl, const char *base_url, const char *subject,
                                   int version, char **schema_out, char **type_out, int *id_out,
                                   char *errstr, size_t errstr_size)
{
    char *esc = registry_http_escape(subject), *path, *url, what[200];
    int rc;

    if (version > 0) {
        path = xasprintf("subjects/%s/versions/%d", esc, version);
        snprintf(what, sizeof(what), "%.150s version %d", subject, version);
    } else {
        path = xasprintf("subjects/%s/versions/latest", esc);
        snprintf(what, sizeof(what), "%.150s latest version", subject);
    }
    for (char *p = what; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
            *p = '?';
    url = registry_http_url(base_url, path);
    rc = fetch_schema_at(curl, url, what, schema_out, type_out, id_out, errstr, errstr_size);
    free(url);
    free(path);
    free(esc);
    return rc;
}
