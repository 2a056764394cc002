/* tail_spec: where a tail starts and what it reads, as words and as data.
 *
 * DESIGN: pure parsing shared by `ksight tail` (--from, --partition, ...) and
 * the UI's KS_CMD_TAIL_START command, whose s2 is an option string
 * "from=-15m;partitions=0,2;key=text;value=auto;until_end=1;count=100;rows=5000".
 * No I/O, no globals; resolving a from-spec to offsets is the worker's job.
 *
 * From-specs:
 *   beginning | earliest | oldest      the first offset of each partition
 *   end | latest | newest              only messages produced from now on
 *   N                                  offset N in each partition (clamped)
 *   -N                                 the last N messages of each partition
 *   -15m, -30s, -2h, -1d, -500ms       messages not older than that
 *   @MS                                messages from timestamp MS (ms since epoch)
 *   @2024-01-02T03:04:05[.123]Z        the same as an ISO-8601 UTC time */
#ifndef KS_TAIL_SPEC_H
#define KS_TAIL_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tail.h"

typedef enum ks_tail_from_kind {
    KS_FROM_END,
    KS_FROM_BEGINNING,
    KS_FROM_OFFSET, /* value: offset */
    KS_FROM_LAST,   /* value: messages per partition */
    KS_FROM_AGO,    /* value: milliseconds before the start */
    KS_FROM_TIME,   /* value: ms since the epoch */
} ks_tail_from_kind;

typedef struct ks_tail_from {
    ks_tail_from_kind kind;
    int64_t value;
} ks_tail_from;

/* Returns 0, or -1 with errstr naming the accepted forms. */
int tail_from_parse(const char *s, ks_tail_from *from, char *errstr, size_t errstr_size);
/* The canonical words: "end", "beginning", "42", "-10", "-15m", "@1700000000000". */
const char *tail_from_format(const ks_tail_from *from, char *out, size_t size);

#define TAIL_MAX_PARTITIONS 100000

typedef struct ks_tail_opts {
    ks_tail_from from;
    int npartitions;                /* 0: all partitions */
    int32_t *partitions;            /* owned, ascending, no duplicates */
    ks_tail_fmt key_fmt, value_fmt; /* KS_TAIL_FMT_AUTO: detect */
    bool formats_set;               /* key= or value= was given (a per-topic override) */
    bool until_end;                 /* stop at the high watermarks seen at the start */
    int64_t count;                  /* stop after this many messages; 0: no limit */
    int rows;                       /* ring capacity; 0: keep the current one */
    size_t max_bytes;               /* ring byte bound; 0: keep the current one */
} ks_tail_opts;

/* Defaults: from end, all partitions, auto formats, no limits. */
void tail_opts_init(ks_tail_opts *opts);
void tail_opts_free(ks_tail_opts *opts);
void tail_opts_copy(ks_tail_opts *dst, const ks_tail_opts *src);

/* Adds partitions from "0,2,5-7" (or "all": clears the list). */
int tail_opts_add_partitions(ks_tail_opts *opts, const char *list, char *errstr,
                             size_t errstr_size);
/* Parses "key=value;..." (keys: from, partitions, key, value, until_end,
 * count, rows, bytes) over the current contents. Returns 0 or -1 + errstr. */
int tail_opts_parse(ks_tail_opts *opts, const char *s, char *errstr, size_t errstr_size);
/* The option string that tail_opts_parse() reads back; caller frees. */
char *tail_opts_format(const ks_tail_opts *opts);
/* A short human summary for headers: "from -15m, partitions 0,2, value avro". */
void tail_opts_describe(const ks_tail_opts *opts, char *out, size_t size);

/* Parses a format name: auto, avro, json, text, binary (hex), null is auto. */
bool tail_fmt_parse(const char *name, ks_tail_fmt *fmt);

#endif
