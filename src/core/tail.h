/* tail: the object a tail worker and the UI share: a bounded ring of decoded
 * rows, counters and state, under one mutex.
 *
 * DESIGN
 * Threads: one writer (the tail worker, through tail_begin/tail_push/...) and
 * any number of readers (the UI thread, the service's export). Every function
 * takes the mutex for a bounded time: pushes and copies are O(rows handled),
 * a filter change re-matches the ring (at most `capacity` rows).
 * Ownership: a row is immutable once pushed and reference-counted; the ring
 * holds one reference. The UI either copies the visible lines out into its
 * own fixed-size ks_tail_line array (tail_lines: no allocation, no pointers
 * kept) or takes a reference to one row for the detail pane
 * (tail_row_get/tail_row_unref: no allocation either).
 * Bounds: at most `capacity` rows and `max_bytes` bytes of rows; the oldest
 * go first and are counted as dropped. Rows are never refused, the writer
 * never waits for a reader: a reader that is slow only sees fewer rows.
 * Every row is kept, matched or not, with its match flag, so changing the
 * filter re-filters what is in the ring; counters say how many messages
 * were scanned and matched since the start.
 *
 * Rows: key and value hold their JSON text as `ksight tail --format jsonl`
 * prints them (tail_row_to_json() builds that record; the CLI and the
 * export use it) and a display text (one line, terminal-safe: compact JSON,
 * escaped text or hex). Both were made terminal-safe by the worker. */
#ifndef KS_TAIL_H
#define KS_TAIL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tail_filter.h"
#include "tail_text.h"

#define TAIL_DEFAULT_ROWS 10000
#define TAIL_DEFAULT_BYTES ((size_t)64 << 20)

/* The values match ks_fmt of the decoders (checked at compile time there). */
typedef enum ks_tail_fmt {
    KS_TAIL_FMT_NULL,
    KS_TAIL_FMT_AVRO,
    KS_TAIL_FMT_JSON,
    KS_TAIL_FMT_TEXT,
    KS_TAIL_FMT_BINARY,
    KS_TAIL_FMT_AUTO, /* an input only: detect */
} ks_tail_fmt;

/* "null", "avro", "json", "text", "binary", "auto"; "?" out of range */
const char *tail_fmt_name(ks_tail_fmt fmt);

typedef enum ks_tail_tstype {
    KS_TAIL_TS_NONE,
    KS_TAIL_TS_CREATE,     /* producer's CreateTime */
    KS_TAIL_TS_LOG_APPEND, /* broker's LogAppendTime */
} ks_tail_tstype;

/* A key or a value as decoded. Strings are NUL-terminated; lengths exclude it. */
typedef struct ks_tail_datum {
    ks_tail_fmt fmt;
    int64_t schema_id; /* -1 when not Confluent-framed */
    uint32_t size;     /* bytes on the wire; 0 for null */
    const char *json;  /* jsonl form: compact JSON ("null", "\"c42\"", {"hex":"00ff"}) */
    size_t json_len;
    const char *text; /* display form: compact JSON, escaped text, hex or "null" */
    size_t text_len;
    const char *error;   /* why a decoder declined (then fmt is text or binary), or NULL */
    const char *subject; /* registry subject of schema_id when known, or NULL */
} ks_tail_datum;

typedef struct ks_tail_header {
    const char *name;  /* sanitized */
    const char *value; /* sanitized text (invalid UTF-8 escaped), NULL for a null value */
    uint32_t size;     /* value bytes on the wire */
} ks_tail_header;

typedef struct ks_tail_row {
    atomic_int refcnt; /* rows from tail_row_dup() only */
    uint64_t seq;      /* set by the ring: 1, 2, ... per tail generation */
    const char *topic;
    int32_t partition;
    int64_t offset;
    int64_t timestamp; /* ms since the epoch, -1 when the message has none */
    ks_tail_tstype tstype;
    ks_tail_datum key, value;
    int nheaders;
    const ks_tail_header *headers;
    const char *headers_json; /* jsonl form: [{"key":"k","value":"v"|null|{"hex":..}}] */
    size_t headers_json_len;
    size_t cost; /* bytes the row holds, for the ring's byte bound */
} ks_tail_row;

/* A row whose strings point into someone else's buffers (a worker's scratch
 * space) becomes an owned, refcounted copy in one allocation. */
ks_tail_row *tail_row_dup(const ks_tail_row *src);
ks_tail_row *tail_row_ref(ks_tail_row *row);
void tail_row_unref(ks_tail_row *row); /* NULL is fine */

/* Appends the JSON Lines record of a row, without the newline:
 * {"topic","partition","offset","timestamp","key","value","key_format",
 *  "value_format","schema_id","headers"} in that order; timestamp and
 * schema_id are null when unknown. Pure; the one builder for the CLI, the
 * export and the tests. */
void tail_row_to_json(const ks_tail_row *row, ks_tbuf *out);

/* Appends the one-line text form, without the newline: partition, offset,
 * timestamp (ISO-8601 UTC), key and value display texts, tab-separated, and
 * "\t[reason]" when a decoder declined. Terminal-safe. */
void tail_row_to_text(const ks_tail_row *row, ks_tbuf *out);

/* "2024-01-02T03:04:05.123Z" into out (>= 32 bytes); "-" for ms < 0. */
const char *tail_format_time(int64_t ms, char *out, size_t size);

/* ---- the shared ring ---- */

typedef struct ks_tail ks_tail;

typedef enum ks_tail_state {
    KS_TAIL_IDLE,     /* nothing started, or stopped by the user */
    KS_TAIL_STARTING, /* metadata, start offsets, assignment */
    KS_TAIL_RUNNING,
    KS_TAIL_DONE,   /* reached the end (until-end) or the count */
    KS_TAIL_FAILED, /* stats.error says why */
} ks_tail_state;

const char *tail_state_name(ks_tail_state state);

typedef struct ks_tail_stats {
    uint64_t generation; /* +1 per tail_begin(): the UI resets its scroll */
    ks_tail_state state;
    bool paused;
    bool sampling; /* the worker decodes a subset to keep up */
    char topic[256];
    char spec[256];                 /* "from=-15m partitions=0,2 value=avro", for the header */
    char error[256];                /* state FAILED, or a worker warning; "" if none */
    char notice[256];               /* last export result; "" if none */
    char filter[256];               /* current filter text (cut), "" if none */
    uint64_t scanned;               /* messages received since start */
    uint64_t matched;               /* of the decoded ones, those that matched the filter */
    uint64_t dropped;               /* rows evicted from the ring (oldest first) */
    uint64_t sampled;               /* messages skipped by sampling (counted, not decoded) */
    uint64_t decode_errors;         /* keys/values a decoder declined (shown raw with a reason) */
    uint64_t bytes;                 /* key + value bytes received */
    double msgs_per_s, bytes_per_s; /* over the last second or so; 0 when idle */
    int rows, rows_matched;         /* rows in the ring, and those matching */
    int capacity;
    size_t ring_bytes, max_bytes;
    uint64_t first_seq, last_seq; /* seq range in the ring; 0, 0 when empty */
    int partitions;               /* assigned partitions */
    int partitions_done;          /* of those, at their end (until-end) */
    int64_t started_ms;           /* wall clock */
} ks_tail_stats;

/* capacity 0 / max_bytes 0 mean the defaults. */
ks_tail *tail_new(int capacity, size_t max_bytes);
void tail_free(ks_tail *tail); /* after the worker has stopped */

/* @locality any thread (the service). Evicts oldest rows to fit at once. */
void tail_set_limits(ks_tail *tail, int capacity, size_t max_bytes);

/* @locality any thread (the UI on Enter). Parses expr and re-matches the
 * ring; on a syntax error returns -1 with errstr and keeps the old filter.
 * "" clears the filter. */
int tail_set_filter(ks_tail *tail, const char *expr, char *errstr, size_t errstr_size);

/* @locality any thread. Fills *out. */
void tail_stats(ks_tail *tail, ks_tail_stats *out);

/* One visible line: a fixed-size copy, no pointers into the ring. */
#define TAIL_LINE_KEY 128
#define TAIL_LINE_VALUE 512
typedef struct ks_tail_line {
    uint64_t seq;
    int32_t partition;
    int64_t offset;
    int64_t timestamp;
    ks_tail_fmt key_fmt, value_fmt;
    int64_t schema_id; /* the value's, -1 if none */
    uint32_t key_size, value_size;
    bool match;
    bool error;              /* a decoder declined: the row has the reason */
    char key[TAIL_LINE_KEY]; /* display text, cut with "..." */
    char value[TAIL_LINE_VALUE];
} ks_tail_line;

#define TAIL_SEQ_NEWEST UINT64_MAX

/* @locality any thread (the UI). Copies up to max lines into out, in
 * ascending seq order: backward, the last max rows with seq <= anchor (the
 * newest screenful with anchor TAIL_SEQ_NEWEST); forward, the first max rows
 * with seq >= anchor. matched_only skips rows that do not match the filter.
 * Returns the number copied. No allocation. */
int tail_lines(ks_tail *tail, uint64_t anchor, bool backward, bool matched_only, ks_tail_line *out,
               int max);

/* @locality any thread. Index of the row seq among the (matching) rows in the
 * ring, 0-based, for a scroll bar; -1 if it is gone. */
int tail_index_of(ks_tail *tail, uint64_t seq, bool matched_only);

/* @locality any thread. A new reference to the row seq, or NULL if it left
 * the ring. Release with tail_row_unref(). No allocation. */
ks_tail_row *tail_row_get(ks_tail *tail, uint64_t seq);

/* @locality any thread but the UI's (file I/O). Writes the rows in the ring
 * (or the matching ones) as JSON Lines to path, oldest first. Returns the
 * number written, or -1 with errstr. Also sets stats.notice. */
long tail_export(ks_tail *tail, const char *path, bool matched_only, char *errstr,
                 size_t errstr_size);

/* ---- the writer side: the tail worker only ---- */

/* Counters for a batch of messages, added by tail_push(). */
typedef struct ks_tail_counts {
    uint64_t scanned, bytes, sampled, decode_errors;
} ks_tail_counts;

/* Clears the ring and the counters for a new tail; generation + 1, state
 * STARTING. topic and spec are copied. */
void tail_begin(ks_tail *tail, const char *topic, const char *spec);
/* error NULL keeps the current text; "" clears it. */
void tail_set_state(ks_tail *tail, ks_tail_state state, const char *error);
void tail_set_paused(ks_tail *tail, bool paused);
void tail_set_sampling(ks_tail *tail, bool sampling);
void tail_set_progress(ks_tail *tail, int partitions, int partitions_done);
void tail_set_notice(ks_tail *tail, const char *notice);
/* Takes ownership of rows[0..n) (from tail_row_dup), matches each against the
 * filter, appends them (evicting the oldest) and adds counts. rows may be
 * NULL when n is 0 (counters only). The array itself stays the caller's. */
void tail_push(ks_tail *tail, ks_tail_row **rows, int n, const ks_tail_counts *counts);

#endif
