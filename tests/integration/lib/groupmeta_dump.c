/* groupmeta_dump: __consumer_offsets records in, dec_groupmeta's view out, as JSON lines.
 *
 * Input, one record a line: PARTITION OFFSET KEYHEX VALUEHEX, with "-" for a
 * null value (tests/integration/0550 writes them from confluent-kafka).
 * Output, one JSON object a line, field names as Kafka's
 * GroupMetadataMessageFormatter prints them, so a scenario can compare the two
 * field for field; "assignment" and "subscription" stay base64 like Kafka's,
 * and the decoded consumer protocol is added as "assigned" ({topic: [p...]})
 * and "subscribed" ([topic...]). A record that does not decode prints
 * {"partition", "offset", "error"} and the exit status is 1. */
#include "dec_groupmeta.h"
#include "jsonesc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_run(void *ctx, const char *s, size_t n)
{
    fwrite(s, 1, n, ctx);
}

static void put_str(const char *s, size_t len)
{
    const jsonesc_sink sink = {out_run, out_run, stdout};

    putchar('"');
    jsonesc_write(s, len, &sink);
    putchar('"');
}

static void put_cstr(const char *s) /* NULL -> null */
{
    if (s)
        put_str(s, strlen(s));
    else
        fputs("null", stdout);
}

static void put_base64(const uint8_t *p, size_t n)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    putchar('"');
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) |
                     (i + 2 < n ? p[i + 2] : 0);
        putchar(abc[v >> 18 & 63]);
        putchar(abc[v >> 12 & 63]);
        putchar(i + 1 < n ? abc[v >> 6 & 63] : '=');
        putchar(i + 2 < n ? abc[v & 63] : '=');
    }
    putchar('"');
}

/* hex text -> bytes in place; returns the byte count or -1 */
static long unhex(char *s)
{
    size_t n = strlen(s);
    uint8_t *out = (uint8_t *)s;

    if (n % 2)
        return -1;
    for (size_t i = 0; i < n; i += 2) {
        unsigned v;
        if (sscanf(s + i, "%2x", &v) != 1)
            return -1;
        out[i / 2] = (uint8_t)v;
    }
    return (long)(n / 2);
}

static void put_topics(const dec_groupmeta_topic *t, size_t n)
{
    putchar('{');
    for (size_t i = 0; i < n; i++) {
        printf("%s", i ? "," : "");
        put_cstr(t[i].topic);
        putchar(':');
        putchar('[');
        for (size_t j = 0; j < t[i].npartitions; j++)
            printf("%s%d", j ? "," : "", t[i].partitions[j]);
        putchar(']');
    }
    putchar('}');
}

static void put_member(const dec_groupmeta_member *m)
{
    fputs("{\"memberId\":", stdout);
    put_cstr(m->member_id);
    fputs(",\"groupInstanceId\":", stdout);
    put_cstr(m->group_instance_id);
    fputs(",\"clientId\":", stdout);
    put_cstr(m->client_id);
    fputs(",\"clientHost\":", stdout);
    put_cstr(m->client_host);
    printf(",\"rebalanceTimeout\":%d,\"sessionTimeout\":%d,\"subscription\":",
           m->rebalance_timeout_ms, m->session_timeout_ms);
    put_base64(m->subscription_bytes, m->subscription_len);
    fputs(",\"assignment\":", stdout);
    put_base64(m->assignment_bytes, m->assignment_len);
    if (m->has_subscription) {
        fputs(",\"subscribed\":[", stdout);
        for (size_t i = 0; i < m->subscription.ntopics; i++) {
            printf("%s", i ? "," : "");
            put_cstr(m->subscription.topics[i]);
        }
        putchar(']');
    }
    if (m->has_assignment) {
        fputs(",\"assigned\":", stdout);
        put_topics(m->assignment.topics, m->assignment.ntopics);
    }
    putchar('}');
}

static void put_value(const dec_groupmeta *gm)
{
    printf("{\"version\":%d,\"protocolType\":", gm->version);
    put_cstr(gm->protocol_type);
    printf(",\"generation\":%d,\"protocol\":", gm->generation);
    put_cstr(gm->protocol);
    fputs(",\"leader\":", stdout);
    put_cstr(gm->leader);
    printf(",\"currentStateTimestamp\":%lld,\"members\":[",
           (long long)gm->current_state_timestamp_ms);
    for (size_t i = 0; i < gm->nmembers; i++) {
        printf("%s", i ? "," : "");
        put_member(&gm->members[i]);
    }
    fputs("]}", stdout);
}

static void put_error(const char *part, const char *off, const char *what, const char *err)
{
    printf("{\"partition\":%s,\"offset\":%s,\"error\":", part, off);
    char msg[600];
    snprintf(msg, sizeof(msg), "%s: %s", what, err);
    put_cstr(msg);
    puts("}");
}

/* one input line; false if it did not decode */
static bool dump_line(char *line)
{
    char *part = strtok(line, " \t\n"), *off = strtok(NULL, " \t\n");
    char *khex = strtok(NULL, " \t\n"), *vhex = strtok(NULL, " \t\n");
    char err[512] = "";
    dec_groupmeta_key key;
    dec_groupmeta *gm = NULL;
    long klen, vlen = 0;

    if (!part || !off || !khex || !vhex) {
        put_error("null", "null", "input", "expected PARTITION OFFSET KEYHEX VALUEHEX");
        return false;
    }
    if ((klen = unhex(khex)) < 0 || (strcmp(vhex, "-") && (vlen = unhex(vhex)) < 0)) {
        put_error(part, off, "input", "bad hex");
        return false;
    }
    if (dec_groupmeta_key_decode((uint8_t *)khex, (size_t)klen, &key, err, sizeof(err))) {
        put_error(part, off, "key", err);
        return false;
    }
    if (key.kind == DEC_GROUPMETA_GROUP_METADATA &&
        dec_groupmeta_value_decode(strcmp(vhex, "-") ? (uint8_t *)vhex : NULL, (size_t)vlen, NULL,
                                   &gm, err, sizeof(err))) {
        put_error(part, off, "value", err);
        return false;
    }
    printf("{\"partition\":%s,\"offset\":%s,\"key\":{\"version\":%d,\"kind\":\"%s\"", part, off,
           key.version, dec_groupmeta_kind_name(key.kind));
    if (key.kind != DEC_GROUPMETA_OTHER) {
        fputs(",\"group\":", stdout);
        put_str(key.group.ptr, key.group.len);
    }
    if (key.kind == DEC_GROUPMETA_OFFSET_COMMIT) {
        fputs(",\"topic\":", stdout);
        put_str(key.topic.ptr, key.topic.len);
        printf(",\"partition\":%d", key.partition);
    }
    fputs("},\"value\":", stdout);
    if (!gm)
        fputs(strcmp(vhex, "-") ? "\"not decoded\"" : "null", stdout);
    else if (gm->tombstone)
        fputs("null", stdout);
    else
        put_value(gm);
    puts("}");
    dec_groupmeta_free(gm);
    return true;
}

int main(void)
{
    char *line = NULL;
    size_t cap = 0;
    int rc = 0;

    while (getline(&line, &cap, stdin) > 0) {
        if (line[0] == '\n')
            continue;
        if (!dump_line(line))
            rc = 1;
    }
    free(line);
    return rc;
}
