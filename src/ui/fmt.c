/* fmt: pure formatting helpers shared by the views (tested in test_layout.c). */
#include "fmt.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static bool utf8_glyphs;

static const char *const glyphs_utf8[GLYPH__COUNT] = {
    [GLYPH_UNKNOWN] = "\u2013",   [GLYPH_ELLIPSIS] = "\u2026", [GLYPH_SORT_UP] = "\u25b2",
    [GLYPH_SORT_DOWN] = "\u25bc", [GLYPH_SEP] = "\u2502",      [GLYPH_ARROW] = "\u25b8",
    [GLYPH_DOT] = "\u25cf",      [GLYPH_AT_LEAST] = "\u2265",
};

static const char *const glyphs_ascii[GLYPH__COUNT] = {
    [GLYPH_UNKNOWN] = "-", [GLYPH_ELLIPSIS] = "~", [GLYPH_SORT_UP] = "^", [GLYPH_SORT_DOWN] = "v",
    [GLYPH_SEP] = "|",     [GLYPH_ARROW] = ">",    [GLYPH_DOT] = "*",
    [GLYPH_AT_LEAST] = ">=",
};

void fmt_set_utf8(bool utf8)
{
    utf8_glyphs = utf8;
}

bool fmt_utf8(void)
{
    return utf8_glyphs;
}

const char *fmt_glyph(ks_glyph glyph)
{
    if (glyph < 0 || glyph >= GLYPH__COUNT)
        return "?";
    return utf8_glyphs ? glyphs_utf8[glyph] : glyphs_ascii[glyph];
}

char *fmt_i64(char *buf, size_t size, int64_t v)
{
    snprintf(buf, size, "%" PRId64, v);
    return buf;
}

char *fmt_opt(char *buf, size_t size, bool valid, int64_t v)
{
    if (!valid) {
        snprintf(buf, size, "%s", fmt_glyph(GLYPH_UNKNOWN));
        return buf;
    }
    return fmt_i64(buf, size, v);
}

char *fmt_age(char *buf, size_t size, int64_t ms)
{
    int64_t s = ms / 1000;

    if (ms < 0)
        ms = s = 0;
    if (ms == 0)
        snprintf(buf, size, "0s");
    else if (ms < 1000)
        snprintf(buf, size, "%" PRId64 "ms", ms);
    else if (s < 60)
        snprintf(buf, size, "%" PRId64 "s", s);
    else if (s < 3600)
        snprintf(buf, size, "%" PRId64 "m%02" PRId64 "s", s / 60, s % 60);
    else if (s < 86400)
        snprintf(buf, size, "%" PRId64 "h%02" PRId64 "m", s / 3600, s % 3600 / 60);
    else
        snprintf(buf, size, "%" PRId64 "d%02" PRId64 "h", s / 86400, s % 86400 / 3600);
    return buf;
}

char *fmt_ids(char *buf, size_t size, const int32_t *ids, int n)
{
    size_t len = 0;

    if (size)
        buf[0] = '\0';
    for (int i = 0; i < n && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%" PRId32, i ? "," : "", ids[i]);
    return buf;
}

char *fmt_tail(char *buf, size_t size, const char *s, int width)
{
    size_t chars = 0, keep;
    const char *p;

    for (p = s; *p; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80; /* UTF-8 lead bytes */
    if (width < 2 || chars <= (size_t)width) {
        snprintf(buf, size, "%s", s);
        return buf;
    }
    /* walk back width-1 characters from the end, to a lead byte */
    keep = (size_t)width - 1;
    for (p = s + strlen(s); p > s && keep; keep -= ((unsigned char)*p & 0xC0) != 0x80)
        p--;
    snprintf(buf, size, "%s%s", fmt_glyph(GLYPH_ELLIPSIS), p);
    return buf;
}

char *fmt_time_lag(char *buf, size_t size, bool valid, bool at_least, int64_t ms)
{
    char age[32];

    if (!valid)
        snprintf(buf, size, "%s", fmt_glyph(GLYPH_UNKNOWN));
    else
        snprintf(buf, size, "%s%s", at_least ? fmt_glyph(GLYPH_AT_LEAST) : "",
                 fmt_age(age, sizeof(age), ms));
    return buf;
}
