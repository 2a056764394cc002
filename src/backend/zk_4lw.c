/* zk_4lw: parsing of ZooKeeper's srvr reply (see zk_4lw.h).
 *
 * DESIGN: the reply is split into lines and each "Key: value" line is matched
 * against a table; unknown lines ("Proposal sizes ...", stat's client list)
 * are skipped. Numbers are parsed by hand: strtod() would follow the UI's
 * LC_NUMERIC (a French locale wants "0,5") and strtoll() accepts spaces and
 * signs that ZooKeeper never prints. Reentrant; no allocation. */
#include "zk_4lw.h"

#include <float.h>
#include <stdio.h>
#include <string.h>

typedef struct span {
    const char *p;
    size_t n;
} span;

static bool span_starts(span s, const char *prefix)
{
    size_t n = strlen(prefix);
    return s.n >= n && memcmp(s.p, prefix, n) == 0;
}

static bool span_ends(span s, const char *suffix)
{
    size_t n = strlen(suffix);
    return s.n >= n && memcmp(s.p + s.n - n, suffix, n) == 0;
}

static bool span_eq(span s, const char *text)
{
    return s.n == strlen(text) && memcmp(s.p, text, s.n) == 0;
}

static span span_trim(span s)
{
    while (s.n && (s.p[0] == ' ' || s.p[0] == '\t'))
        s.p++, s.n--;
    while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t' || s.p[s.n - 1] == '\r'))
        s.n--;
    return s;
}

/* Copies s into dst as printable ASCII ('?' for anything else), truncated. */
static void span_copy(char *dst, size_t size, span s)
{
    size_t i;

    if (!dst || !size)
        return;
    for (i = 0; i < s.n && i + 1 < size; i++) {
        unsigned char c = (unsigned char)s.p[i];
        dst[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    dst[i] = '\0';
}

static void set_err(char *errstr, size_t size, const char *fmt, const char *arg)
{
    if (errstr && size)
        snprintf(errstr, size, fmt, arg);
}

/* Decimal int64, optional '-', nothing else. */
static bool parse_i64(span s, int64_t *out)
{
    bool neg = false;
    uint64_t v = 0, limit;
    size_t i = 0;

    if (s.n && s.p[0] == '-')
        neg = true, i++;
    if (i == s.n)
        return false;
    limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < s.n; i++) {
        unsigned d = (unsigned char)s.p[i] - '0';
        if (d > 9 || v > (limit - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

/* "0x" + 1..16 hex digits (Java's Long.toHexString: negative values print as
 * 16 digits, kept as the same 64-bit pattern). */
static bool parse_hex64(span s, int64_t *out)
{
    uint64_t v = 0;

    if (s.n < 3 || s.n > 18 || s.p[0] != '0' || (s.p[1] != 'x' && s.p[1] != 'X'))
        return false;
    for (size_t i = 2; i < s.n; i++) {
        char c = s.p[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return false;
        v = v << 4 | d;
    }
    *out = (int64_t)v;
    return true;
}

/* Java's Double.toString for finite values: [-]digits[.digits][E[-]digits].
 * Locale-free; NaN and Infinity are rejected. */
static bool parse_double(span s, double *out)
{
    uint64_t mant = 0;
    int exp10 = 0, digits = 0, e = 0;
    bool neg = false, eneg = false, any = false;
    size_t i = 0;
    double v;

    if (i < s.n && s.p[i] == '-')
        neg = true, i++;
    for (; i < s.n && s.p[i] >= '0' && s.p[i] <= '9'; i++, any = true) {
        if (digits < 18) {
            mant = mant * 10 + (uint64_t)(s.p[i] - '0');
            if (mant)
                digits++;
        } else {
            exp10++;
        }
    }
    if (i < s.n && s.p[i] == '.') {
        for (i++; i < s.n && s.p[i] >= '0' && s.p[i] <= '9'; i++, any = true) {
            if (digits < 18) {
                mant = mant * 10 + (uint64_t)(s.p[i] - '0');
                exp10--;
                if (mant)
                    digits++;
            }
        }
    }
    if (!any)
        return false;
    if (i < s.n && (s.p[i] == 'E' || s.p[i] == 'e')) {
        bool edig = false;
        i++;
        if (i < s.n && (s.p[i] == '-' || s.p[i] == '+'))
            eneg = s.p[i++] == '-';
        for (; i < s.n && s.p[i] >= '0' && s.p[i] <= '9'; i++, edig = true)
            if (e < 10000)
                e = e * 10 + (s.p[i] - '0');
        if (!edig)
            return false;
    }
    if (i != s.n)
        return false;
    exp10 += eneg ? -e : e;
    if (mant == 0) {
        *out = neg ? -0.0 : 0.0;
        return true;
    }
    if (exp10 + digits > 309) /* would overflow a double */
        return false;
    v = (double)mant;
    if (exp10 < -400)
        v = 0.0;
    for (; exp10 > 0; exp10--)
        v *= 10.0;
    for (; exp10 < 0; exp10++)
        v /= 10.0;
    if (v > DBL_MAX)
        return false;
    *out = neg ? -v : v;
    return true;
}

static bool parse_int(span s, int *out)
{
    int64_t v;
    if (!parse_i64(s, &v) || v < 0 || v > INT32_MAX)
        return false;
    *out = (int)v;
    return true;
}

/* "min/avg/max" with avg a Java double. */
static bool parse_latency(span s, zk_4lw_srvr *out)
{
    const char *slash1 = memchr(s.p, '/', s.n), *slash2;

    if (!slash1)
        return false;
    slash2 = memchr(slash1 + 1, '/', s.n - (size_t)(slash1 + 1 - s.p));
    if (!slash2)
        return false;
    span min = {s.p, (size_t)(slash1 - s.p)};
    span avg = {slash1 + 1, (size_t)(slash2 - slash1 - 1)};
    span max = {slash2 + 1, s.n - (size_t)(slash2 + 1 - s.p)};
    return parse_i64(min, &out->latency_min_ms) && parse_double(avg, &out->latency_avg_ms) &&
           parse_i64(max, &out->latency_max_ms);
}

ks_zk_mode zk_4lw_mode_from_name(const char *name, size_t len)
{
    static const struct {
        const char *name;
        ks_zk_mode mode;
    } modes[] = {
        {"leader", KS_ZK_LEADER},         {"follower", KS_ZK_FOLLOWER},
        {"observer", KS_ZK_OBSERVER},     {"standalone", KS_ZK_STANDALONE},
        {"read-only", KS_ZK_READ_ONLY},
    };
    span s = {name, len};

    for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
        if (span_eq(s, modes[i].name))
            return modes[i].mode;
    return KS_ZK_UNKNOWN;
}

bool zk_4lw_mode_serving(ks_zk_mode mode)
{
    return mode == KS_ZK_LEADER || mode == KS_ZK_FOLLOWER || mode == KS_ZK_OBSERVER ||
           mode == KS_ZK_STANDALONE;
}

/* One "Key: value" line. Returns true if the key was one of srvr's. */
static bool parse_line(span line, zk_4lw_srvr *out, span *mode_value, bool *mode_seen)
{
    span v;

#define VALUE(prefix) (v = span_trim((span){line.p + strlen(prefix), line.n - strlen(prefix)}))
    if (span_starts(line, "Zookeeper version: ")) {
        VALUE("Zookeeper version: ");
        const char *comma = memchr(v.p, ',', v.n);
        if (comma)
            v.n = (size_t)(comma - v.p);
        span_copy(out->version, sizeof(out->version), v);
    } else if (span_starts(line, "READ-ONLY mode")) {
        out->read_only_line = true;
    } else if (span_starts(line, "Latency min/avg/max: ")) {
        out->latency_valid = parse_latency(VALUE("Latency min/avg/max: "), out);
    } else if (span_starts(line, "Received: ")) {
        out->received_valid = parse_i64(VALUE("Received: "), &out->received);
    } else if (span_starts(line, "Sent: ")) {
        out->sent_valid = parse_i64(VALUE("Sent: "), &out->sent);
    } else if (span_starts(line, "Connections: ")) {
        out->connections_valid = parse_int(VALUE("Connections: "), &out->connections);
    } else if (span_starts(line, "Outstanding: ")) {
        out->outstanding_valid = parse_i64(VALUE("Outstanding: "), &out->outstanding);
    } else if (span_starts(line, "Zxid: ")) {
        out->zxid_valid = parse_hex64(VALUE("Zxid: "), &out->zxid);
    } else if (span_starts(line, "Mode: ")) {
        *mode_value = VALUE("Mode: ");
        *mode_seen = true;
    } else if (span_starts(line, "Node count: ")) {
        out->node_count_valid = parse_i64(VALUE("Node count: "), &out->node_count);
    } else {
        return false;
    }
#undef VALUE
    return true;
}

ks_zk_mode zk_4lw_parse_srvr(const char *buf, size_t len, zk_4lw_srvr *out, char *errstr,
                             size_t errstr_size)
{
    span mode_value = {"", 0};
    bool mode_seen = false, first = true;
    int known = 0;
    const char *p = buf, *end = buf + len;

    memset(out, 0, sizeof(*out));
    out->mode = KS_ZK_UNKNOWN;
    set_err(errstr, errstr_size, "%s", "");

    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        span line = span_trim((span){p, (size_t)((nl ? nl : end) - p)});
        p = nl ? nl + 1 : end;
        if (!line.n)
            continue;
        if (first) {
            first = false;
            /* The refusals come alone, as the first line. */
            if (span_starts(line, ZK_4LW_NOT_SERVING)) {
                out->mode = KS_ZK_NOT_SERVING;
                set_err(errstr, errstr_size, "%s", "not currently serving requests (no quorum)");
                return out->mode;
            }
            if (span_ends(line, ZK_4LW_NOT_WHITELISTED)) {
                char cmd[16];
                span c = {line.p, line.n - strlen(ZK_4LW_NOT_WHITELISTED)};
                span_copy(cmd, sizeof(cmd), c);
                out->mode = KS_ZK_REFUSED;
                set_err(errstr, errstr_size, "%s is not in 4lw.commands.whitelist", cmd);
                return out->mode;
            }
        }
        if (parse_line(line, out, &mode_value, &mode_seen))
            known++;
    }

    if (!mode_seen) {
        if (len == 0)
            set_err(errstr, errstr_size, "%s", "empty reply (not ZooKeeper, or 4lw disabled)");
        else if (known)
            set_err(errstr, errstr_size, "%s", "truncated srvr reply (no Mode line)");
        else
            set_err(errstr, errstr_size, "%s", "not a ZooKeeper srvr reply");
        return out->mode;
    }
    out->mode = zk_4lw_mode_from_name(mode_value.p, mode_value.n);
    if (out->mode == KS_ZK_UNKNOWN) {
        char name[24];
        span_copy(name, sizeof(name), mode_value);
        set_err(errstr, errstr_size, "unknown mode '%s'", name);
        return out->mode;
    }
    out->stats_valid = out->latency_valid && out->connections_valid && out->zxid_valid &&
                       out->node_count_valid;
    return out->mode;
}
