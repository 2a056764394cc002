/* registry_register: one POST /subjects/{s}/versions (see registry_register.h). */
#include "registry_register.h"
#include "registry_http.h"
#include "xmalloc.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct reply_buf {
    char *data;
    size_t len;
} reply_buf;

static size_t on_write(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    reply_buf *b = userdata;
    size_t n = size * nmemb;

    if (n > REGISTRY_HTTP_MAX_BODY - b->len)
        return 0; /* curl aborts the transfer */
    b->data = xrealloc(b->data, b->len + n + 1);
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    b->data[b->len] = '\0';
    return n;
}

/* The id of a {"id": N} reply, or -1. */
static int reply_id(const char *body, size_t len)
{
    json_error_t jerr;
    json_t *doc = json_loadb(body, len, 0, &jerr);
    json_t *id = doc ? json_object_get(doc, "id") : NULL;
    int v =
        json_is_integer(id) && json_integer_value(id) >= 0 && json_integer_value(id) <= 0x7fffffff
            ? (int)json_integer_value(id)
            : -1;
    json_decref(doc);
    return v;
}

int registry_register_schema(const char *base_url, const char *subject, const char *schema_json,
                             int *id_out, char *errstr, size_t errstr_size)
{
    CURL *curl = registry_http_new();
    char *esc, *path, *url, *body, shown[512], errbuf[CURL_ERROR_SIZE] = "", why[300];
    struct curl_slist *headers = NULL;
    reply_buf reply = {0};
    json_t *doc;
    CURLcode rc;
    long status = 0;
    int ret = -1;

    *id_out = -1;
    if (!curl) {
        snprintf(errstr, errstr_size, "registering %s: curl cannot make a handle", subject);
        return -1;
    }
    esc = registry_http_escape(subject);
    path = xasprintf("subjects/%s/versions", esc);
    url = registry_http_url(base_url, path);
    doc = json_pack("{s:s}", "schema", schema_json);
    body = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    headers = curl_slist_append(headers, "Content-Type: application/vnd.schemaregistry.v1+json");
    headers = curl_slist_append(headers, "Accept: application/vnd.schemaregistry.v1+json, "
                                         "application/json; qs=0.5");
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    rc = curl_easy_perform(curl);
    registry_http_redact(url, shown, sizeof(shown));
    if (rc != CURLE_OK) {
        snprintf(errstr, errstr_size, "registering %s: %s (%s)", subject,
                 errbuf[0] ? errbuf : curl_easy_strerror(rc), shown);
        goto out;
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status >= 300) {
        registry_reply r = {
            .status = status, .body = reply.data ? reply.data : "", .len = reply.len};
        registry_http_status_error(&r, why, sizeof(why));
        snprintf(errstr, errstr_size, "registering %s: %s", subject, why);
        goto out;
    }
    if ((*id_out = reply_id(reply.data ? reply.data : "", reply.len)) < 0) {
        snprintf(errstr, errstr_size, "registering %s: the reply has no schema id (%s)", subject,
                 shown);
        goto out;
    }
    ret = 0;
out:
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    free(reply.data);
    free(body);
    free(url);
    free(path);
    free(esc);
    return ret;
}
