/* tail_json: fast JSON text for the tail (see tail_json.h). The reference
 * is the decoders' output; every shortcut here is proven equal to it or
 * declines. */
#define _GNU_SOURCE /* strtod_l, newlocale */
#include "tail_json.h"
#include "dec_json_dump.h"

#include <float.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KEYS 256  /* per object, for the duplicate check */
#define MAX_DEPTH 128 /* hard bound of the explicit stack */

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void c_locale_init(void)
{
    c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

static double c_strtod(const char *s)
{
    pthread_once(&c_locale_once, c_locale_init);
    return c_locale ? strtod_l(s, NULL, c_locale) : strtod(s, NULL);
}

/* ---- shortest doubles ----
 * dec_json_format_real() prints %.{p}g with the smallest p in 1..17 that
 * reads back as d, then ".0" when the text has neither '.' nor 'e'. For a
 * normal double, if 15 digits read back, the shortest p is the number of
 * digits left once trailing zeros are dropped (no two decimals of at most
 * 15 digits map to the same double); otherwise it is 16 or 17. So one
 * %.{p-1}e gives the digits, and %g's layout rules are applied by hand. */

/* Lays out digits s[0..k) (s[0] != 0, no trailing zeros) times 10^x the way
 * %.{prec}g does, then the ".0" rule. */
static void put_g(ks_tbuf *out, bool neg, const char *s, int k, int x, int prec)
{
    char buf[64];
    int n = 0;

    if (neg)
        buf[n++] = '-';
    if (x < -4 || x >= prec) {
        buf[n++] = s[0];
        if (k > 1) {
            buf[n++] = '.';
            memcpy(buf + n, s + 1, (size_t)k - 1);
            n += k - 1;
        }
        n += snprintf(buf + n, sizeof(buf) - (size_t)n, "e%c%02d", x < 0 ? '-' : '+',
                      x < 0 ? -x : x);
    } else if (x >= 0) {
        for (int i = 0; i <= x; i++)
            buf[n++] = i < k ? s[i] : '0';
        if (k > x + 1) {
            buf[n++] = '.';
            memcpy(buf + n, s + x + 1, (size_t)(k - x - 1));
            n += k - x - 1;
        } else {
            memcpy(buf + n, ".0", 2);
            n += 2;
        }
    } else {
        buf[n++] = '0';
        buf[n++] = '.';
        for (int i = -1; i > x; i--)
            buf[n++] = '0';
        memcpy(buf + n, s, (size_t)k);
        n += k;
    }
    tbuf_put(out, buf, (size_t)n);
}

static void put_real_slow(ks_tbuf *out, double d)
{
    char buf[40];
    size_t n = dec_json_format_real(d, buf);
    tbuf_put(out, buf, n);
}

/* Powers of ten that doubles hold exactly (10^0 .. 10^22). */
static const double exact_pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* The doubles nearest to 10^-5 .. 10^15, to find the decimal exponent. */
static const double decades[] = {1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1e0,  1e1,  1e2,  1e3,  1e4, 1e5,
                                 1e6,  1e7,  1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

/* Without printf for the common case: |d| in [1e-5, 1e15) with at most 15
 * significant digits. For p = 1, 2, ... the two p-digit integers m around
 * |d| * 10^e (e = p - 1 - x) are tried; m < 2^53 and 10^|e| <= 10^22 are
 * exact doubles, so m / 10^e is one correctly rounded operation, equal to
 * what strtod() makes of the decimal text: the first m that gives back |d|
 * is the shortest decimal. At most one decimal of <= 15 digits maps to a
 * double, so it is also %.{p}g's, except next to a power of two, where the
 * rounding interval is lopsided: those take the general path, like anything
 * this one cannot settle. No libm: the tests and the binary link none. */
static bool put_real_short(ks_tbuf *out, double d)
{
    double a = d < 0 ? -d : d;
    int x = -5;
    uint64_t bits;
    char digits[16];

    memcpy(&bits, &a, sizeof(bits));
    if (!(a >= decades[0] && a < decades[20]) || (bits & ((UINT64_C(1) << 52) - 1)) == 0)
        return false;
    while (x < 14 && a >= decades[x + 6])
        x++;
    for (int p = 1; p <= 15; p++) {
        int e = p - 1 - x;
        double scaled = e >= 0 ? a * exact_pow10[e] : a / exact_pow10[-e];
        double lo = (double)(int64_t)scaled;
        for (double m = lo; m <= lo + 1; m++) {
            if (m < exact_pow10[p - 1] || m >= exact_pow10[p])
                continue; /* x was off by one next to a power of ten */
            if ((e >= 0 ? m / exact_pow10[e] : m * exact_pow10[-e]) != a)
                continue;
            uint64_t v = (uint64_t)m;
            for (int i = p - 1; i >= 0; i--, v /= 10)
                digits[i] = (char)('0' + v % 10);
            int k = p;
            while (k > 1 && digits[k - 1] == '0')
                k--;
            put_g(out, d < 0, digits, k, x, k);
            return true;
        }
    }
    return false;
}

void tail_json_put_real(ks_tbuf *out, double d)
{
    char buf[40], digits[24];
    int p, k = 0, x;
    const char *e;

    if (!isfinite(d) || (d != 0 && fabs(d) < DBL_MIN)) {
        put_real_slow(out, d); /* NaN cannot come from jansson; subnormals are rare */
        return;
    }
    if (d == 0) {
        tbuf_puts(out, signbit(d) ? "-0.0" : "0.0");
        return;
    }
    if (put_real_short(out, d))
        return;
    for (p = 15; p <= 17; p++) {
        snprintf(buf, sizeof(buf), "%.*e", p - 1, d);
        if (p == 17 || c_strtod(buf) == d)
            break;
    }
    /* buf: [-]D.DDDDe(+|-)XX */
    for (const char *c = buf + (buf[0] == '-'); *c && *c != 'e'; c++) {
        if (*c >= '0' && *c <= '9')
            digits[k++] = *c;
        else if (*c != '.')
            break;
    }
    e = strchr(buf, 'e');
    if (!e || k != p) { /* a locale with a decimal comma: let the decoders do it */
        put_real_slow(out, d);
        return;
    }
    x = atoi(e + 1);
    while (k > 1 && digits[k - 1] == '0')
        k--;
    put_g(out, buf[0] == '-', digits, k, x, p == 15 ? k : p);
}

/* A JSON number token that jansson reads as a real: the shortest text from
 * the token's own digits when there are at most 15 of them, else through a
 * double. False when it overflows (jansson's "real number overflow"). */
static bool put_real_token(ks_tbuf *out, const char *tok, size_t n)
{
    char s[24], tmp[64];
    int k = 0, lead = 0, point = -1, nd = 0;
    long ex = 0;
    size_t i = 0;
    bool neg = false, overflow = false;

    if (tok[i] == '-')
        neg = true, i++;
    for (; i < n && tok[i] != 'e' && tok[i] != 'E'; i++) {
        if (tok[i] == '.') {
            point = nd;
            continue;
        }
        nd++;
        if (k == 0 && tok[i] == '0') {
            lead++;
            continue;
        }
        if (k < (int)sizeof(s))
            s[k] = tok[i];
        k++;
    }
    if (i < n) { /* exponent */
        bool eneg = false;
        i++;
        if (tok[i] == '+' || tok[i] == '-')
            eneg = tok[i++] == '-';
        for (; i < n; i++) {
            ex = ex * 10 + (tok[i] - '0');
            if (ex > 100000)
                overflow = true, ex = 100000;
        }
        if (eneg)
            ex = -ex;
    }
    if (point < 0)
        point = nd;
    if (k == 0) {
        tbuf_puts(out, neg ? "-0.0" : "0.0");
        return true;
    }
    while (k > 0 && k <= (int)sizeof(s) && s[k - 1] == '0')
        k--;
    /* value = 0.s * 10^(point - lead + ex), so the %e exponent is one less */
    long x = (long)point - lead + ex - 1;
    if (k <= 15 && !overflow && x >= -300 && x <= 300) {
        put_g(out, neg, s, k, (int)x, k);
        return true;
    }
    if (n >= sizeof(tmp))
        return false; /* never: longer tokens are declined before */
    memcpy(tmp, tok, n);
    tmp[n] = '\0';
    double d = c_strtod(tmp);
    if (!isfinite(d))
        return false;
    tail_json_put_real(out, d);
    return true;
}

/* ---- trees ---- */

void tail_json_put_tree(ks_tbuf *out, const json_t *json)
{
    if (!json) {
        tbuf_put(out, "null", 4);
        return;
    }
    switch (json_typeof(json)) {
    case JSON_NULL:
        tbuf_put(out, "null", 4);
        break;
    case JSON_TRUE:
        tbuf_put(out, "true", 4);
        break;
    case JSON_FALSE:
        tbuf_put(out, "false", 5);
        break;
    case JSON_INTEGER:
        tbuf_put_i64(out, json_integer_value(json));
        break;
    case JSON_REAL:
        tail_json_put_real(out, json_real_value(json));
        break;
    case JSON_STRING:
        tail_json_string(out, json_string_value(json), json_string_length(json));
        break;
    case JSON_ARRAY: {
        size_t n = json_array_size(json);
        tbuf_putc(out, '[');
        for (size_t i = 0; i < n; i++) {
            if (i)
                tbuf_putc(out, ',');
            tail_json_put_tree(out, json_array_get(json, i));
        }
        tbuf_putc(out, ']');
        break;
    }
    case JSON_OBJECT: {
        json_t *obj = (json_t *)json; /* jansson's iterators are not const-correct */
        bool first = true;
        tbuf_putc(out, '{');
        for (void *it = json_object_iter(obj); it; it = json_object_iter_next(obj, it)) {
            if (!first)
                tbuf_putc(out, ',');
            first = false;
            tail_json_string(out, json_object_iter_key(it), json_object_iter_key_len(it));
            tbuf_putc(out, ':');
            tail_json_put_tree(out, json_object_iter_value(it));
        }
        tbuf_putc(out, '}');
        break;
    }
    }
}

/* ---- compacting JSON bytes ---- */

typedef struct key_ref {
    uint32_t hash;
    uint32_t len;
    size_t off; /* in the output buffer: the escaped key */
} key_ref;

typedef struct level {
    bool object;
    int nkeys0; /* first key of this level in keys[] */
} level;

typedef struct compactor {
    const char *p, *end;
    ks_tbuf *out;
    ks_tbuf *scratch; /* a decoded string, when it had escapes */
    level stack[MAX_DEPTH];
    int depth;
    key_ref keys[MAX_KEYS * 2];
    int nkeys;
} compactor;

static void skip_ws(compactor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
}

static int hexval(char h)
{
    if (h >= '0' && h <= '9')
        return h - '0';
    if (h >= 'a' && h <= 'f')
        return h - 'a' + 10;
    if (h >= 'A' && h <= 'F')
        return h - 'A' + 10;
    return -1;
}

static bool read_u4(const char *p, const char *end, unsigned *v)
{
    *v = 0;
    if (end - p < 4)
        return false;
    for (int i = 0; i < 4; i++) {
        int h = hexval(p[i]);
        if (h < 0)
            return false;
        *v = *v << 4 | (unsigned)h;
    }
    return true;
}

static void put_utf8(ks_tbuf *b, uint32_t cp)
{
    char u[4];
    size_t n;

    if (cp < 0x80)
        u[0] = (char)cp, n = 1;
    else if (cp < 0x800)
        u[0] = (char)(0xc0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
    else if (cp < 0x10000)
        u[0] = (char)(0xe0 | cp >> 12), u[1] = (char)(0x80 | ((cp >> 6) & 0x3f)),
        u[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
    else
        u[0] = (char)(0xf0 | cp >> 18), u[1] = (char)(0x80 | ((cp >> 12) & 0x3f)),
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), u[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
    tbuf_put(b, u, n);
}

/* At '"': decodes the string like jansson (controls and invalid UTF-8 are
 * errors, \u0000 is kept) and appends it re-escaped. *had_nul reports a NUL
 * (jansson refuses those in keys). */
static bool put_string(compactor *c, bool *had_nul)
{
    const char *s = ++c->p, *p = s;
    bool escapes = false;

    *had_nul = false;
    while (p < c->end && *p != '"') {
        uint8_t b = (uint8_t)*p;
        if (b < 0x20)
            return false;
        if (b == '\\') {
            escapes = true;
            p += 2;
            continue;
        }
        if (b >= 0x80) {
            uint32_t cp;
            size_t n = tail_utf8_next((const uint8_t *)p, (size_t)(c->end - p), &cp);
            if (!n)
                return false;
            p += n;
            continue;
        }
        p++;
    }
    if (p >= c->end)
        return false;
    c->p = p + 1;
    if (!escapes) {
        tail_json_string(c->out, s, (size_t)(p - s));
        return true;
    }
    tbuf_reset(c->scratch);
    for (const char *q = s; q < p;) {
        if (*q != '\\') {
            const char *r = q;
            while (r < p && *r != '\\')
                r++;
            tbuf_put(c->scratch, q, (size_t)(r - q));
            q = r;
            continue;
        }
        char e = q[1];
        q += 2;
        switch (e) {
        case '"':
            tbuf_putc(c->scratch, '"');
            break;
        case '\\':
            tbuf_putc(c->scratch, '\\');
            break;
        case '/':
            tbuf_putc(c->scratch, '/');
            break;
        case 'b':
            tbuf_putc(c->scratch, '\b');
            break;
        case 'f':
            tbuf_putc(c->scratch, '\f');
            break;
        case 'n':
            tbuf_putc(c->scratch, '\n');
            break;
        case 'r':
            tbuf_putc(c->scratch, '\r');
            break;
        case 't':
            tbuf_putc(c->scratch, '\t');
            break;
        case 'u': {
            unsigned v, lo;
            if (!read_u4(q, p, &v))
                return false;
            q += 4;
            if (v >= 0xdc00 && v <= 0xdfff)
                return false; /* a lone low surrogate */
            if (v >= 0xd800 && v <= 0xdbff) {
                if (p - q < 6 || q[0] != '\\' || q[1] != 'u' || !read_u4(q + 2, p, &lo) ||
                    lo < 0xdc00 || lo > 0xdfff)
                    return false;
                q += 6;
                v = 0x10000 + ((v - 0xd800) << 10) + (lo - 0xdc00);
            }
            if (v == 0)
                *had_nul = true;
            put_utf8(c->scratch, v);
            break;
        }
        default:
            return false;
        }
    }
    tail_json_string(c->out, c->scratch->p ? c->scratch->p : "", c->scratch->len);
    return true;
}

static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

/* The key just written at out[off..]: false if the object already has it. */
static bool key_unique(compactor *c, size_t off)
{
    level *lv = &c->stack[c->depth - 1];
    const char *k = c->out->p + off;
    size_t len = c->out->len - off;
    uint32_t h = hash_bytes(k, len);

    if (c->nkeys - lv->nkeys0 >= MAX_KEYS ||
        c->nkeys == (int)(sizeof(c->keys) / sizeof(c->keys[0])))
        return false;
    for (int i = lv->nkeys0; i < c->nkeys; i++)
        if (c->keys[i].hash == h && c->keys[i].len == len &&
            !memcmp(c->out->p + c->keys[i].off, k, len))
            return false;
    c->keys[c->nkeys++] = (key_ref){h, (uint32_t)len, off};
    return true;
}

/* A number at c->p, as jansson reads it: an integer (strtoll) or a real. */
static bool put_number(compactor *c)
{
    const char *s = c->p, *p = s;
    bool real = false;
    size_t digits = 0;

    if (p < c->end && *p == '-')
        p++;
    if (p >= c->end)
        return false;
    if (*p == '0') {
        p++;
        digits = 1;
    } else if (*p >= '1' && *p <= '9') {
        while (p < c->end && *p >= '0' && *p <= '9')
            p++, digits++;
    } else {
        return false;
    }
    if (p < c->end && *p == '.') {
        real = true;
        if (++p >= c->end || *p < '0' || *p > '9')
            return false;
        while (p < c->end && *p >= '0' && *p <= '9')
            p++;
    }
    if (p < c->end && (*p == 'e' || *p == 'E')) {
        real = true;
        p++;
        if (p < c->end && (*p == '+' || *p == '-'))
            p++;
        if (p >= c->end || *p < '0' || *p > '9')
            return false;
        while (p < c->end && *p >= '0' && *p <= '9')
            p++;
    }
    if (p - s > 40)
        return false; /* long tokens: let jansson and the decoders decide */
    c->p = p;
    if (real)
        return put_real_token(c->out, s, (size_t)(p - s));
    if (digits > 18)
        return false; /* may overflow int64: jansson's call */
    if (p - s == 2 && s[0] == '-' && s[1] == '0')
        tbuf_putc(c->out, '0'); /* strtoll("-0") is 0 */
    else
        tbuf_put(c->out, s, (size_t)(p - s));
    return true;
}

static bool put_literal(compactor *c, const char *word, size_t n)
{
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n))
        return false;
    tbuf_put(c->out, word, n);
    c->p += n;
    return true;
}

static bool push(compactor *c, bool object, size_t max_depth)
{
    if ((size_t)c->depth >= max_depth || c->depth >= MAX_DEPTH)
        return false;
    c->stack[c->depth++] = (level){object, c->nkeys};
    tbuf_putc(c->out, object ? '{' : '[');
    c->p++;
    return true;
}

static void pop(compactor *c)
{
    level *lv = &c->stack[--c->depth];
    c->nkeys = lv->nkeys0;
    tbuf_putc(c->out, lv->object ? '}' : ']');
    c->p++;
}

/* At an object member: "key" : -> leaves c->p at the value. */
static bool put_key(compactor *c)
{
    size_t off = c->out->len + 1; /* after the opening quote */
    bool nul;

    if (c->p >= c->end || *c->p != '"' || !put_string(c, &nul) || nul)
        return false;
    if (!key_unique(c, off))
        return false;
    skip_ws(c);
    if (c->p >= c->end || *c->p != ':')
        return false;
    tbuf_putc(c->out, ':');
    c->p++;
    skip_ws(c);
    return true;
}

static bool run(compactor *c, size_t max_depth, bool containers_only)
{
    skip_ws(c);
    if (containers_only && (c->p >= c->end || (*c->p != '{' && *c->p != '[')))
        return false;
    for (;;) {
        /* a value */
        bool nul;
        if (c->p >= c->end)
            return false;
        switch (*c->p) {
        case '{':
        case '[':
            if (!push(c, *c->p == '{', max_depth))
                return false;
            skip_ws(c);
            if (c->p < c->end && *c->p == (c->stack[c->depth - 1].object ? '}' : ']')) {
                pop(c);
                break;
            }
            if (c->stack[c->depth - 1].object && !put_key(c))
                return false;
            continue; /* the first element's value */
        case '"':
            if (!put_string(c, &nul))
                return false;
            break;
        case 't':
            if (!put_literal(c, "true", 4))
                return false;
            break;
        case 'f':
            if (!put_literal(c, "false", 5))
                return false;
            break;
        case 'n':
            if (!put_literal(c, "null", 4))
                return false;
            break;
        default:
            if (!put_number(c))
                return false;
            break;
        }
        /* after a value: separators and closers */
        for (;;) {
            skip_ws(c);
            if (c->depth == 0)
                return c->p == c->end;
            if (c->p >= c->end)
                return false;
            level *lv = &c->stack[c->depth - 1];
            if (*c->p == (lv->object ? '}' : ']')) {
                pop(c);
                continue;
            }
            if (*c->p != ',')
                return false;
            tbuf_putc(c->out, ',');
            c->p++;
            skip_ws(c);
            if (lv->object && !put_key(c))
                return false;
            break;
        }
    }
}

bool tail_json_compact(ks_tbuf *out, ks_tbuf *scratch, const uint8_t *buf, size_t len,
                       size_t max_depth, bool containers_only)
{
    compactor c; /* about 9 KiB of stack: the key table */
    size_t mark = out->len;

    if (!buf)
        return false;
    c.p = (const char *)buf;
    c.end = (const char *)buf + len;
    c.out = out;
    c.scratch = scratch;
    c.depth = 0;
    c.nkeys = 0;
    if (run(&c, max_depth ? max_depth : 64, containers_only))
        return true;
    out->len = mark;
    if (out->p)
        out->p[mark] = '\0';
    return false;
}
