/* service_tail: tail and schema commands on the engine's control thread.
 *
 * DESIGN: every function here runs on the control thread, except
 * service_tail_new/free (main thread, before and after the engine) and
 * ops.stop (the control thread, or engine_stop() once the control thread
 * has ended); so the struct needs no lock. */
#include "service_tail.h"
#include "dec_json_dump.h"
#include "log.h"
#include "registry_http.h"
#include "registry_parse.h"
#include "sanitize.h"
#include "tail_spec.h"
#include "worker_tail.h"
#include "xmalloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct override {
    char *topic;
    ks_tail_fmt key_fmt, value_fmt;
} override;

struct ks_tail_service {
    ks_tail *tail;
    ks_schema_view *schemas;
    ks_tail_worker *worker;
    CURL *curl; /* the control thread's */
    override *overrides;
    int noverrides;
};

ks_tail_service *service_tail_new(ks_tail *tail, ks_schema_view *schemas)
{
    ks_tail_service *svc = xcalloc(1, sizeof(*svc));
    svc->tail = tail;
    svc->schemas = schemas;
    return svc;
}

void service_tail_free(ks_tail_service *svc)
{
    if (!svc)
        return;
    tail_worker_stop(svc->worker);
    if (svc->curl)
        curl_easy_cleanup(svc->curl);
    for (int i = 0; i < svc->noverrides; i++)
        free(svc->overrides[i].topic);
    free(svc->overrides);
    free(svc);
}

static void remember_formats(ks_tail_service *svc, const char *topic, ks_tail_opts *opts)
{
    override *o = NULL;

    for (int i = 0; i < svc->noverrides; i++)
        if (!strcmp(svc->overrides[i].topic, topic))
            o = &svc->overrides[i];
    if (opts->formats_set) {
        if (!o) {
            svc->overrides =
                xrealloc(svc->overrides, sizeof(override) * (size_t)(svc->noverrides + 1));
            o = &svc->overrides[svc->noverrides++];
            o->topic = xstrdup(topic);
        }
        o->key_fmt = opts->key_fmt;
        o->value_fmt = opts->value_fmt;
    } else if (o) {
        opts->key_fmt = o->key_fmt;
        opts->value_fmt = o->value_fmt;
    }
}

static void tail_start(ks_tail_service *svc, const ks_target *target, ks_store *store,
                       const ks_cmd *cmd)
{
    ks_tail_opts opts;
    char err[256], desc[256];

    tail_worker_stop(svc->worker);
    svc->worker = NULL;
    tail_opts_init(&opts);
    if (!cmd->s || !*cmd->s || tail_opts_parse(&opts, cmd->s2, err, sizeof(err))) {
        tail_begin(svc->tail, cmd->s ? cmd->s : "", "");
        tail_set_state(svc->tail, KS_TAIL_FAILED, cmd->s && *cmd->s ? err : "no topic given");
        store_wake(store);
        tail_opts_free(&opts);
        return;
    }
    remember_formats(svc, cmd->s, &opts);
    if (opts.rows || opts.max_bytes)
        tail_set_limits(svc->tail, opts.rows, opts.max_bytes);
    tail_opts_describe(&opts, desc, sizeof(desc));
    tail_begin(svc->tail, cmd->s, desc);
    svc->worker = tail_worker_start(
        &(ks_tail_worker_cfg){
            .bootstrap = target->bootstrap,
            .props = &target->props,
            .registry = target->registry,
            .topic = cmd->s,
            .opts = &opts,
            .timeout_ms = target->timeout_ms,
        },
        svc->tail, store);
    store_wake(store);
    tail_opts_free(&opts);
}

static void tail_stop(ks_tail_service *svc)
{
    ks_tail_stats st;

    tail_worker_stop(svc->worker);
    svc->worker = NULL;
    tail_stats(svc->tail, &st);
    if (st.state == KS_TAIL_RUNNING || st.state == KS_TAIL_STARTING)
        tail_set_state(svc->tail, KS_TAIL_IDLE, NULL);
    tail_set_paused(svc->tail, false);
}

static void tail_export_cmd(ks_tail_service *svc, const ks_cmd *cmd)
{
    char err[256];
    long n;

    if (!cmd->s || !*cmd->s) {
        tail_set_notice(svc->tail, "export failed: no file name given");
        return;
    }
    n = tail_export(svc->tail, cmd->s, cmd->i != 0, err, sizeof(err));
    if (n < 0)
        log_printf(KS_SEV_ERROR, "tail", "export: %s", err);
    else
        log_printf(KS_SEV_INFO, "tail", "exported %ld messages to %s", n, cmd->s);
}

/* ---- schemas ---- */

/* Pretty JSON when the schema is JSON (Avro, JSON Schema), else the text;
 * each line sanitized. Caller frees. */
static char *pretty_schema(const char *text)
{
    json_t *json = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    ks_tbuf out = {0};
    char *src = json ? dec_json_dump(json, DEC_JSON_PRETTY, 0) : xstrdup(text);

    json_decref(json);
    for (char *line = src; line;) {
        char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        ks_tbuf expanded = {0};
        for (size_t i = 0; i < len; i++) /* tabs of .proto files: spaces, not "\t" */
            if (line[i] == '\t')
                tbuf_put(&expanded, "    ", 4);
            else
                tbuf_putc(&expanded, line[i]);
        char *safe = sanitize_dup(expanded.p ? expanded.p : "", expanded.len);
        tbuf_puts(&out, safe);
        tbuf_putc(&out, '\n');
        free(safe);
        tbuf_free(&expanded);
        line = nl ? nl + 1 : NULL;
    }
    free(src);
    return out.p ? out.p : xstrdup("");
}

/* GET /subjects/{s}/versions/{v|latest}; 0 with *info filled or -1 + errstr. */
static int fetch_version(ks_tail_service *svc, const char *url, const char *subject, int version,
                         ks_schema_info *info, char *errstr, size_t errstr_size)
{
    char *esc = registry_http_escape(subject), *path, *full, err[400];
    registry_reply reply;
    int rc = -1;

    path = version > 0 ? xasprintf("subjects/%s/versions/%d", esc, version)
                       : xasprintf("subjects/%s/versions/latest", esc);
    full = registry_http_url(url, path);
    if (registry_http_get(svc->curl, full, &reply, err, sizeof(err)) != 0) {
        snprintf(errstr, errstr_size, "registry unreachable: %s", err);
    } else {
        if (reply.status != 200) {
            registry_http_status_error(&reply, err, sizeof(err));
            if (version > 0)
                snprintf(errstr, errstr_size, "version %d: %s", version, err);
            else
                snprintf(errstr, errstr_size, "latest version: %s", err);
        } else if (registry_parse_schema(reply.body, reply.len, info, err, sizeof(err)) != 0) {
            snprintf(errstr, errstr_size, "unreadable registry reply: %s", err);
        } else {
            rc = 0;
        }
        registry_reply_clear(&reply);
    }
    free(full);
    free(path);
    free(esc);
    return rc;
}

static void schema_fetch(ks_tail_service *svc, const ks_target *target, ks_store *store,
                         const ks_cmd *cmd)
{
    const char *subject = cmd->s ? cmd->s : "";
    int va = (int)cmd->i, vb = -1;
    ks_schema_info ia = {0}, ib = {0};
    char err[512] = "", *ta = NULL, *tb = NULL, *safe_err;
    uint64_t gen;

    if (cmd->s2 && *cmd->s2)
        vb = !strcasecmp(cmd->s2, "latest") ? 0 : atoi(cmd->s2);
    gen = schema_view_request(svc->schemas, subject, va, vb);
    store_wake(store);
    if (!target->registry)
        snprintf(err, sizeof(err), "no schema registry configured (--registry URL)");
    else if (!svc->curl && !(svc->curl = registry_http_new()))
        snprintf(err, sizeof(err), "cannot create an HTTP client");
    else if (fetch_version(svc, target->registry, subject, va, &ia, err, sizeof(err)) == 0 &&
             (vb < 0 ||
              fetch_version(svc, target->registry, subject, vb, &ib, err, sizeof(err)) == 0))
        err[0] = '\0';
    if (err[0]) {
        safe_err = sanitize_str(err);
        schema_view_answer(svc->schemas, gen, subject, NULL, NULL, safe_err);
        free(safe_err);
    } else {
        char *type_a = sanitize_str(ia.type), *type_b = ib.schema ? sanitize_str(ib.type) : NULL;
        ta = pretty_schema(ia.schema);
        tb = ib.schema ? pretty_schema(ib.schema) : NULL;
        ks_schema_src a = {ia.version, ia.id, type_a, ta};
        ks_schema_src b = {ib.version, ib.id, type_b, tb};
        schema_view_answer(svc->schemas, gen, subject, &a, tb ? &b : NULL, NULL);
        free(type_a);
        free(type_b);
    }
    free(ta);
    free(tb);
    registry_schema_info_clear(&ia);
    registry_schema_info_clear(&ib);
    store_wake(store);
}

/* ---- the service ops ---- */

static void service_command(void *shared, const ks_target *target, ks_store *store,
                            const ks_cmd *cmd)
{
    ks_tail_service *svc = shared;

    switch (cmd->kind) {
    case KS_CMD_TAIL_START:
        tail_start(svc, target, store, cmd);
        break;
    case KS_CMD_TAIL_STOP:
        tail_stop(svc);
        store_wake(store);
        break;
    case KS_CMD_TAIL_PAUSE:
        tail_worker_pause(svc->worker, cmd->i != 0);
        tail_set_paused(svc->tail, svc->worker && cmd->i != 0);
        store_wake(store);
        break;
    case KS_CMD_TAIL_EXPORT:
        tail_export_cmd(svc, cmd);
        store_wake(store);
        break;
    case KS_CMD_SCHEMA_FETCH:
        schema_fetch(svc, target, store, cmd);
        break;
    default:
        log_printf(KS_SEV_WARN, "tail", "command %d is not a tail command", (int)cmd->kind);
        break;
    }
}

static void service_stop(void *shared)
{
    tail_stop(shared);
}

const ks_service_ops service_tail_ops = {
    .name = "tail",
    .first = KS_CMD_TAIL_START,
    .last = KS_CMD_TAIL_RESERVED2,
    .command = service_command,
    .stop = service_stop,
};
