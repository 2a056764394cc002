/* fmt: pure formatting of numbers, ages and ids, and the glyphs that depend on the locale. */
#ifndef KS_FMT_H
#define KS_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum ks_glyph {
    GLYPH_UNKNOWN,  /* "–" : a value nobody knows, never 0 */
    GLYPH_ELLIPSIS, /* "…" : text cut to fit */
    GLYPH_SORT_UP,
    GLYPH_SORT_DOWN,
    GLYPH_SEP,   /* "│" : status bar separator */
    GLYPH_ARROW, /* "▸" : breadcrumb */
    GLYPH_DOT,   /* "●" : state bullet */
    GLYPH_AT_LEAST, /* "≥" : a lower bound */
    GLYPH__COUNT
} ks_glyph;

/* Set once by the UI from the locale; false gives ASCII glyphs. */
void fmt_set_utf8(bool utf8);
bool fmt_utf8(void);
const char *fmt_glyph(ks_glyph glyph);

/* Each returns buf. Numbers are printed raw, the way Kafka's own tools do. */
char *fmt_i64(char *buf, size_t size, int64_t v);
char *fmt_opt(char *buf, size_t size, bool valid, int64_t v); /* v or the unknown glyph */
char *fmt_age(char *buf, size_t size, int64_t ms);            /* "850ms" "42s" "3m05s" "2h10m" */
char *fmt_ids(char *buf, size_t size, const int32_t *ids, int n); /* "1,2,3"; "" if none */
/* s in at most width characters, cut at the front ("…load-c0"): client ids
 * share their start ("consumer-<group>-") and differ at the end. */
char *fmt_tail(char *buf, size_t size, const char *s, int width);
/* A time lag: "0s", "850ms", "3m05s", "≥2m10s" for a lower bound; the
 * unknown glyph when not valid. */
char *fmt_time_lag(char *buf, size_t size, bool valid, bool at_least, int64_t ms);

#endif
