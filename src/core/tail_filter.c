/* tail_filter: parse the filter syntax (tail_filter.h) and match it against
 * JSON texts with a small bounded scanner: no tree, no allocation per row.
 * The scanner accepts any bytes (the fuzzer feeds it garbage); on text that
 * is not JSON a field is simply not found. */
#define _GNU_SOURCE /* strtod_l, newlocale */
#include "tail_filter.h"
#include "tail_text.h"
#include "xmalloc.h"

#include <ctype.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum op {
    OP_SUBSTR, /* bare TEXT: substring of key or value */
    OP_EQ,
    OP_NE,
    OP_LT,
    OP_LE,
    OP_GT,
    OP_GE,
    OP_HAS, /* ~ */
} op;

typedef enum where { W_BOTH, W_KEY, W_VALUE } where;

typedef struct seg {
    char *name; /* NULL for [index] */
    size_t len;
    long index; /* >= 0 for [index] or an all-digit name */
} seg;

typedef struct term {
    bool invert;
    where in;
    op op;
    int nseg;
    seg segs[TAIL_FILTER_MAX_DEPTH];
    char *lit; /* as typed, unquoted */
    size_t lit_len;
    ks_tbuf esc; /* lit escaped as JSON string content (what the texts hold) */
    bool fold;   /* smart case: ignore ASCII case */
    bool is_num, is_int;
    double num;
    int64_t inum;
} term;

struct ks_tail_filter {
    char *text;
    int nterms;
    term terms[TAIL_FILTER_MAX_TERMS];
};

/* ---- numbers, in the C locale whatever the UI's setlocale() said ---- */

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void c_locale_init(void)
{
    c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/* Parses s[0..n) as a JSON-ish number; *is_int when it is an integer that fits. */
static bool parse_number(const char *s, size_t n, double *d, bool *is_int, int64_t *i)
{
    char buf[64];
    char *end;
    size_t k = 0, digits = 0;

    if (n == 0 || n >= sizeof(buf))
        return false;
    if (s[k] == '-' || s[k] == '+')
        k++;
    for (size_t j = k; j < n; j++) {
        if (isdigit((unsigned char)s[j]))
            digits++;
        else if (!strchr(".eE+-", s[j]))
            return false; /* no "inf", "nan", hex */
    }
    if (!digits)
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    pthread_once(&c_locale_once, c_locale_init);
    *d = c_locale ? strtod_l(buf, &end, c_locale) : strtod(buf, &end);
    if (*end || !isfinite(*d))
        return false;
    *is_int = false;
    if (digits == n - k && digits <= 18) {
        *is_int = true;
        *i = strtoll(buf, NULL, 10);
    }
    return true;
}

/* ---- parsing ---- */

static void filter_error(char *errstr, size_t size, const char *fmt, const char *arg)
{
    if (errstr && size)
        snprintf(errstr, size, fmt, arg);
}

/* Next token of s: a run of non-space bytes in which "..." may hold spaces.
 * Writes the token with quotes removed and escapes resolved into out (as long
 * as the input), and in *quoted_at the offset of the first quote in out
 * (SIZE_MAX if none). Returns the input consumed, 0 at the end, -1 on an
 * unterminated quote. */
static long next_token(const char *s, char *out, size_t *out_len, size_t *quoted_at)
{
    size_t i = 0, o = 0;
    bool in_quote = false;

    while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
        i++;
    if (!s[i])
        return 0;
    *quoted_at = SIZE_MAX;
    for (; s[i]; i++) {
        char c = s[i];
        if (in_quote) {
            if (c == '\\' && (s[i + 1] == '"' || s[i + 1] == '\\'))
                out[o++] = s[++i];
            else if (c == '"')
                in_quote = false;
            else
                out[o++] = c;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            break;
        if (c == '"') {
            in_quote = true;
            if (*quoted_at == SIZE_MAX)
                *quoted_at = o;
            continue;
        }
        out[o++] = c;
    }
    if (in_quote)
        return -1;
    out[o] = '\0';
    *out_len = o;
    return (long)i;
}

static bool is_name_start(char c)
{
    return isalpha((unsigned char)c) || c == '_' || isdigit((unsigned char)c);
}

static bool is_name_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '$' || c == '@';
}

/* Splits "a.b[2].c" (tok[0..n)) into segments; false if it is not a path. */
static bool parse_path(term *t, const char *tok, size_t n)
{
    size_t i = 0;

    while (i < n) {
        seg *sg;
        if (t->nseg == TAIL_FILTER_MAX_DEPTH)
            return false;
        sg = &t->segs[t->nseg];
        if (tok[i] == '[') {
            size_t j = ++i;
            long idx = 0;
            while (i < n && isdigit((unsigned char)tok[i]) && i - j < 9)
                idx = idx * 10 + (tok[i++] - '0');
            if (i == j || i >= n || tok[i] != ']')
                return false;
            i++;
            *sg = (seg){.name = NULL, .index = idx};
        } else {
            size_t j = i;
            bool digits = true;
            if (!is_name_start(tok[i]))
                return false;
            while (i < n && is_name_char(tok[i])) {
                digits = digits && isdigit((unsigned char)tok[i]);
                i++;
            }
            *sg = (seg){.name = xstrndup(tok + j, i - j), .len = i - j, .index = -1};
            if (digits && i - j <= 9)
                sg->index = atol(sg->name);
        }
        t->nseg++;
        if (i < n && tok[i] == '.') {
            i++;
            if (i == n)
                return false;
        } else if (i < n && tok[i] != '[') {
            return false;
        }
    }
    return t->nseg > 0;
}

static void term_clear(term *t)
{
    for (int i = 0; i < t->nseg; i++)
        free(t->segs[i].name);
    free(t->lit);
    tbuf_free(&t->esc);
    memset(t, 0, sizeof(*t));
}

static void set_literal(term *t, const char *lit, size_t len)
{
    t->lit = xstrndup(lit, len);
    t->lit_len = len;
    tail_json_escape(&t->esc, lit, len);
    tbuf_put(&t->esc, "", 0); /* non-NULL even when empty */
    t->fold = true;
    for (size_t i = 0; i < len; i++)
        if (isupper((unsigned char)lit[i]))
            t->fold = false;
    t->is_num = parse_number(lit, len, &t->num, &t->is_int, &t->inum);
}

/* The operator at tok[i], or -1; *oplen gets its length. */
static int op_at(const char *tok, size_t i, size_t *oplen)
{
    *oplen = 2;
    if (tok[i] == '!' && tok[i + 1] == '=')
        return OP_NE;
    if (tok[i] == '<' && tok[i + 1] == '=')
        return OP_LE;
    if (tok[i] == '>' && tok[i + 1] == '=')
        return OP_GE;
    *oplen = 1;
    switch (tok[i]) {
    case '=':
        return OP_EQ;
    case '<':
        return OP_LT;
    case '>':
        return OP_GT;
    case '~':
        return OP_HAS;
    default:
        return -1;
    }
}

/* Parses one token (quotes already removed; quoted_at = where the first quote
 * was, so that `"a=b"` stays a substring). Returns false with errstr. */
static bool parse_term(term *t, const char *tok, size_t n, size_t quoted_at, char *errstr,
                       size_t errstr_size)
{
    size_t i = 0, oplen, plen;
    int o = -1;

    if (tok[0] == '!' && quoted_at != 0) {
        t->invert = true;
        tok++, n--;
        if (quoted_at != SIZE_MAX)
            quoted_at--;
        if (n == 0 && quoted_at == SIZE_MAX) {
            filter_error(errstr, errstr_size, "filter: \"!\" needs a term after it%s", "");
            return false;
        }
    }
    /* PATH OP: the operator must come before any quote */
    while (i < n && i < quoted_at &&
           (is_name_char(tok[i]) || tok[i] == '.' || tok[i] == '[' || tok[i] == ']'))
        i++;
    if (i > 0 && i < n && i < quoted_at)
        o = op_at(tok, i, &oplen);
    if (o < 0) {
        t->op = OP_SUBSTR;
        t->in = W_BOTH;
        set_literal(t, tok, n);
        if (n == 0)
            t->fold = true; /* "" matches everything: harmless */
        return true;
    }
    plen = i;
    if (i + oplen == n && quoted_at == SIZE_MAX) {
        char what[80];
        snprintf(what, sizeof(what), "%.*s%.*s", (int)(plen > 60 ? 60 : plen), tok, (int)oplen,
                 tok + i);
        filter_error(errstr, errstr_size, "filter: missing value after \"%s\" (use \"\" for empty)",
                     what);
        return false;
    }
    t->op = (op)o;
    if (plen == 3 && !memcmp(tok, "key", 3)) {
        t->in = W_KEY;
    } else if (plen == 5 && !memcmp(tok, "value", 5)) {
        t->in = W_VALUE;
    } else if (plen > 4 && !memcmp(tok, "key.", 4)) {
        t->in = W_KEY;
        if (!parse_path(t, tok + 4, plen - 4))
            goto bad_path;
    } else if (plen > 6 && !memcmp(tok, "value.", 6)) {
        t->in = W_VALUE;
        if (!parse_path(t, tok + 6, plen - 6))
            goto bad_path;
    } else {
        t->in = W_VALUE;
        if (!parse_path(t, tok, plen))
            goto bad_path;
    }
    set_literal(t, tok + i + oplen, n - i - oplen);
    return true;
bad_path : {
    char what[80];
    snprintf(what, sizeof(what), "%.*s", (int)(plen > 60 ? 60 : plen), tok);
    filter_error(errstr, errstr_size,
                 "filter: \"%s\" is not a field path (name.name, name[0]; at most 16 levels)",
                 what);
    return false;
}
}

ks_tail_filter *tail_filter_parse(const char *expr, char *errstr, size_t errstr_size)
{
    ks_tail_filter *f;
    char *tok;
    size_t len = expr ? strlen(expr) : 0;

    if (errstr && errstr_size)
        errstr[0] = '\0';
    if (len > TAIL_FILTER_MAX_LEN) {
        filter_error(errstr, errstr_size, "filter: longer than %s bytes", "1024");
        return NULL;
    }
    f = xcalloc(1, sizeof(*f));
    f->text = xstrdup(expr ? expr : "");
    tok = xmalloc(len + 1);
    for (const char *s = f->text;;) {
        size_t n = 0, quoted_at = SIZE_MAX;
        long used = next_token(s, tok, &n, &quoted_at);
        if (used == 0)
            break;
        if (used < 0) {
            filter_error(errstr, errstr_size, "filter: unterminated quote%s", "");
            goto fail;
        }
        if (f->nterms == TAIL_FILTER_MAX_TERMS) {
            filter_error(errstr, errstr_size, "filter: more than %s terms", "16");
            goto fail;
        }
        if (!parse_term(&f->terms[f->nterms], tok, n, quoted_at, errstr, errstr_size)) {
            term_clear(&f->terms[f->nterms]);
            goto fail;
        }
        f->nterms++;
        s += used;
    }
    free(tok);
    return f;
fail:
    free(tok);
    tail_filter_free(f);
    return NULL;
}

void tail_filter_free(ks_tail_filter *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->nterms; i++)
        term_clear(&f->terms[i]);
    free(f->text);
    free(f);
}

bool tail_filter_is_empty(const ks_tail_filter *f)
{
    return !f || f->nterms == 0;
}

int tail_filter_nterms(const ks_tail_filter *f)
{
    return f ? f->nterms : 0;
}

const char *tail_filter_text(const ks_tail_filter *f)
{
    return f ? f->text : "";
}

/* ---- the JSON scanner (bounded; garbage in, "not found" out) ---- */

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

/* p at '"': returns the byte after the closing quote, or NULL. */
static const char *scan_string(const char *p, const char *end)
{
    for (p++; p < end; p++) {
        if (*p == '\\')
            p++;
        else if (*p == '"')
            return p + 1;
    }
    return NULL;
}

/* p at the first byte of a value: returns the byte after it, or NULL. */
static const char *scan_value(const char *p, const char *end)
{
    if (p >= end)
        return NULL;
    if (*p == '"')
        return scan_string(p, end);
    if (*p == '{' || *p == '[') {
        size_t depth = 0;
        while (p < end) {
            char c = *p;
            if (c == '"') {
                if (!(p = scan_string(p, end)))
                    return NULL;
                continue;
            }
            if (c == '{' || c == '[')
                depth++;
            else if ((c == '}' || c == ']') && --depth == 0)
                return p + 1;
            p++;
        }
        return NULL;
    }
    while (p < end && !strchr(",}] \t\n\r", *p))
        p++;
    return p;
}

/* Finds the value at the path in text; [*vs, *ve) on success. */
static bool json_find(const term *t, const char *p, const char *end, const char **vs,
                      const char **ve)
{
    for (int s = 0; s < t->nseg; s++) {
        const seg *sg = &t->segs[s];
        p = skip_ws(p, end);
        if (p < end && *p == '[' && sg->index >= 0) {
            p = skip_ws(p + 1, end);
            for (long i = 0; i < sg->index; i++) {
                if (p >= end || *p == ']' || !(p = scan_value(p, end)))
                    return false;
                p = skip_ws(p, end);
                if (p >= end || *p != ',')
                    return false;
                p = skip_ws(p + 1, end);
            }
            if (p >= end || *p == ']')
                return false;
            continue;
        }
        if (p >= end || *p != '{' || !sg->name)
            return false;
        p = skip_ws(p + 1, end);
        for (;;) {
            const char *ks, *ke;
            if (p >= end || *p != '"')
                return false;
            ks = p + 1;
            if (!(p = scan_string(p, end)))
                return false;
            ke = p - 1;
            p = skip_ws(p, end);
            if (p >= end || *p != ':')
                return false;
            p = skip_ws(p + 1, end);
            if ((size_t)(ke - ks) == sg->len && !memcmp(ks, sg->name, sg->len))
                break;
            if (!(p = scan_value(p, end)))
                return false;
            p = skip_ws(p, end);
            if (p >= end || *p != ',')
                return false;
            p = skip_ws(p + 1, end);
        }
    }
    p = skip_ws(p, end);
    *vs = p;
    *ve = scan_value(p, end);
    return *ve != NULL && *ve > *vs;
}

/* ---- matching ---- */

static bool find_sub(const char *hay, size_t n, const char *needle, size_t m, bool fold)
{
    if (m == 0)
        return true;
    if (m > n)
        return false;
    if (!fold)
        return memmem(hay, n, needle, m) != NULL;
    for (size_t i = 0; i + m <= n; i++) {
        size_t j = 0;
        while (j < m && tolower((unsigned char)hay[i + j]) == tolower((unsigned char)needle[j]))
            j++;
        if (j == m)
            return true;
    }
    return false;
}

static int cmp_bytes(const char *a, size_t an, const char *b, size_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);
    return c ? c : (an > bn) - (an < bn);
}

static bool ordered(op o, int c)
{
    switch (o) {
    case OP_EQ:
        return c == 0;
    case OP_NE:
        return c != 0;
    case OP_LT:
        return c < 0;
    case OP_LE:
        return c <= 0;
    case OP_GT:
        return c > 0;
    case OP_GE:
        return c >= 0;
    default:
        return false;
    }
}

/* The operator applied to one JSON value [vs, ve). */
static bool match_value(const term *t, const char *vs, const char *ve)
{
    size_t n = (size_t)(ve - vs);

    if (*vs == '"' && n >= 2) { /* compare characters: escaped both sides alike */
        const char *s = vs + 1;
        size_t sn = n - 2;
        if (t->op == OP_HAS)
            return find_sub(s, sn, t->esc.p, t->esc.len, t->fold);
        return ordered(t->op, cmp_bytes(s, sn, t->esc.p, t->esc.len));
    }
    if (t->op == OP_HAS)
        return find_sub(vs, n, t->lit, t->lit_len, t->fold);
    if ((*vs == '-' || isdigit((unsigned char)*vs)) && t->is_num) {
        double d;
        bool is_int;
        int64_t i;
        if (!parse_number(vs, n, &d, &is_int, &i))
            return false;
        if (is_int && t->is_int)
            return ordered(t->op, (i > t->inum) - (i < t->inum));
        return ordered(t->op, (d > t->num) - (d < t->num));
    }
    /* true, false, null, objects, arrays, numbers against a word: the text */
    if (t->op == OP_EQ || t->op == OP_NE)
        return ordered(t->op, cmp_bytes(vs, n, t->lit, t->lit_len));
    return false;
}

static bool match_in(const term *t, const char *text, size_t len)
{
    const char *vs, *ve, *end;

    if (!text)
        text = "null", len = 4;
    end = text + len;
    if (t->nseg == 0) {
        vs = skip_ws(text, end);
        ve = end;
        while (ve > vs && strchr(" \t\n\r", ve[-1]))
            ve--;
        if (ve == vs)
            return false;
        return match_value(t, vs, ve);
    }
    if (!json_find(t, text, end, &vs, &ve))
        return false;
    return match_value(t, vs, ve);
}

static bool term_match(const term *t, const ks_tail_subject *s)
{
    const char *key = s->key ? s->key : "null", *value = s->value ? s->value : "null";
    size_t klen = s->key ? s->key_len : 4, vlen = s->value ? s->value_len : 4;

    switch (t->in) {
    case W_BOTH:
        return find_sub(key, klen, t->esc.p, t->esc.len, t->fold) ||
               find_sub(value, vlen, t->esc.p, t->esc.len, t->fold);
    case W_KEY:
        return match_in(t, key, klen);
    case W_VALUE:
    default:
        return match_in(t, value, vlen);
    }
}

bool tail_filter_match(const ks_tail_filter *f, const ks_tail_subject *s)
{
    if (!f)
        return true;
    for (int i = 0; i < f->nterms; i++)
        if (term_match(&f->terms[i], s) == f->terms[i].invert)
            return false;
    return true;
}
