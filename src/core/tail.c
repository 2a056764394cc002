/* tail: the bounded ring of rows, the counters and the state (see tail.h).
 *
 * DESIGN: one mutex guards everything. Rows sit in a circular array of slots
 * (row reference + match flag); seqs in the ring are consecutive, so the
 * slot of a seq is found by subtraction. The writer never waits on a reader
 * beyond the mutex; readers copy what they need and let go. */
#include "tail.h"
#include "clock.h"
#include "xmalloc.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct slot {
    ks_tail_row *row;
    bool match;
} slot;

struct ks_tail {
    pthread_mutex_t lock;
    slot *slots;
    int cap, head, count; /* head: index of the oldest row */
    int matched_rows;
    size_t bytes, max_bytes;
    uint64_t next_seq;
    ks_tail_filter *filter;
    ks_tail_stats st; /* counters and texts; ring fields are filled on copy */
    int64_t rate_t0;  /* monotonic ms of the current rate window */
    uint64_t rate_scanned0, rate_bytes0;
};

static const char *const state_names[] = {"idle", "starting", "running", "done", "failed"};

const char *tail_state_name(ks_tail_state state)
{
    return (unsigned)state < sizeof(state_names) / sizeof(state_names[0]) ? state_names[state]
                                                                          : "?";
}

static void copy_text(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

ks_tail *tail_new(int capacity, size_t max_bytes)
{
    ks_tail *t = xcalloc(1, sizeof(*t));

    pthread_mutex_init(&t->lock, NULL);
    t->cap = capacity > 0 ? capacity : TAIL_DEFAULT_ROWS;
    t->max_bytes = max_bytes ? max_bytes : TAIL_DEFAULT_BYTES;
    t->slots = xcalloc((size_t)t->cap, sizeof(slot));
    t->next_seq = 1;
    return t;
}

static slot *slot_at(ks_tail *t, int i) /* i-th oldest */
{
    return &t->slots[(t->head + i) % t->cap];
}

/* @locks t->lock */
static void evict_oldest(ks_tail *t)
{
    slot *s = slot_at(t, 0);

    t->bytes -= s->row->cost;
    t->matched_rows -= s->match;
    tail_row_unref(s->row);
    *s = (slot){0};
    t->head = (t->head + 1) % t->cap;
    t->count--;
    t->st.dropped++;
}

/* @locks t->lock */
static void clear_rows(ks_tail *t)
{
    while (t->count)
        evict_oldest(t);
    t->head = 0;
}

void tail_free(ks_tail *t)
{
    if (!t)
        return;
    clear_rows(t);
    free(t->slots);
    tail_filter_free(t->filter);
    pthread_mutex_destroy(&t->lock);
    free(t);
}

void tail_set_limits(ks_tail *t, int capacity, size_t max_bytes)
{
    pthread_mutex_lock(&t->lock);
    if (max_bytes)
        t->max_bytes = max_bytes;
    if (capacity > 0 && capacity != t->cap) {
        slot *slots = xcalloc((size_t)capacity, sizeof(slot));
        while (t->count > capacity)
            evict_oldest(t);
        for (int i = 0; i < t->count; i++)
            slots[i] = *slot_at(t, i);
        free(t->slots);
        t->slots = slots;
        t->cap = capacity;
        t->head = 0;
    }
    while (t->count > 1 && t->bytes > t->max_bytes)
        evict_oldest(t);
    pthread_mutex_unlock(&t->lock);
}

static bool row_matches(const ks_tail_filter *f, const ks_tail_row *row)
{
    ks_tail_subject subj = {row->key.json, row->key.json_len, row->value.json, row->value.json_len};
    return tail_filter_match(f, &subj);
}

int tail_set_filter(ks_tail *t, const char *expr, char *errstr, size_t errstr_size)
{
    ks_tail_filter *f = tail_filter_parse(expr, errstr, errstr_size), *old;

    if (!f)
        return -1;
    if (tail_filter_is_empty(f)) {
        tail_filter_free(f);
        f = NULL;
    }
    pthread_mutex_lock(&t->lock);
    old = t->filter;
    t->filter = f;
    t->matched_rows = 0;
    for (int i = 0; i < t->count; i++) {
        slot *s = slot_at(t, i);
        s->match = row_matches(f, s->row);
        t->matched_rows += s->match;
    }
    copy_text(t->st.filter, sizeof(t->st.filter), f ? tail_filter_text(f) : "");
    pthread_mutex_unlock(&t->lock);
    tail_filter_free(old);
    return 0;
}

/* @locks t->lock. Rates over the last window of at least a second, rolled
 * by whoever comes first: the writer's pushes or a reader's stats. */
static void rate_update(ks_tail *t, int64_t now)
{
    int64_t dt = now - t->rate_t0;

    if (t->rate_t0 == 0) {
        t->rate_t0 = now;
        t->rate_scanned0 = t->st.scanned;
        t->rate_bytes0 = t->st.bytes;
        return;
    }
    if (dt < 1000)
        return;
    t->st.msgs_per_s = (double)(t->st.scanned - t->rate_scanned0) * 1000.0 / (double)dt;
    t->st.bytes_per_s = (double)(t->st.bytes - t->rate_bytes0) * 1000.0 / (double)dt;
    t->rate_t0 = now;
    t->rate_scanned0 = t->st.scanned;
    t->rate_bytes0 = t->st.bytes;
}

void tail_stats(ks_tail *t, ks_tail_stats *out)
{
    pthread_mutex_lock(&t->lock);
    rate_update(t, clock_mono_ms()); /* a quiet second reads as 0 */
    *out = t->st;
    out->rows = t->count;
    out->rows_matched = t->matched_rows;
    out->capacity = t->cap;
    out->ring_bytes = t->bytes;
    out->max_bytes = t->max_bytes;
    out->first_seq = t->count ? slot_at(t, 0)->row->seq : 0;
    out->last_seq = t->count ? slot_at(t, t->count - 1)->row->seq : 0;
    pthread_mutex_unlock(&t->lock);
}

static void fill_line(ks_tail_line *l, const slot *s)
{
    const ks_tail_row *r = s->row;

    l->seq = r->seq;
    l->partition = r->partition;
    l->offset = r->offset;
    l->timestamp = r->timestamp;
    l->key_fmt = r->key.fmt;
    l->value_fmt = r->value.fmt;
    l->schema_id = r->value.schema_id;
    l->key_size = r->key.size;
    l->value_size = r->value.size;
    l->match = s->match;
    l->error = r->key.error || r->value.error;
    tail_text_fit(r->key.text ? r->key.text : "null", r->key.text ? r->key.text_len : 4, l->key,
                  sizeof(l->key));
    tail_text_fit(r->value.text ? r->value.text : "null", r->value.text ? r->value.text_len : 4,
                  l->value, sizeof(l->value));
}

/* @locks t->lock. Index of seq clamped into the ring: -1 before, count after. */
static long index_of(ks_tail *t, uint64_t seq)
{
    uint64_t first;

    if (!t->count)
        return -1;
    first = slot_at(t, 0)->row->seq;
    if (seq < first)
        return -1;
    if (seq - first >= (uint64_t)t->count)
        return t->count;
    return (long)(seq - first);
}

int tail_lines(ks_tail *t, uint64_t anchor, bool backward, bool matched_only, ks_tail_line *out,
               int max)
{
    int n = 0;
    long i;

    if (max <= 0)
        return 0;
    pthread_mutex_lock(&t->lock);
    i = index_of(t, anchor);
    if (backward) {
        long start;
        if (i >= t->count)
            i = t->count - 1;
        for (start = i; start >= 0; start--) { /* walk back to the first line to show */
            if (matched_only && !slot_at(t, (int)start)->match)
                continue;
            if (++n == max)
                break;
        }
        if (start < 0)
            start = 0;
        n = 0;
        for (long k = start; k <= i && n < max; k++) {
            slot *s = slot_at(t, (int)k);
            if (!matched_only || s->match)
                fill_line(&out[n++], s);
        }
    } else {
        if (i < 0)
            i = 0;
        for (long k = i; k < t->count && n < max; k++) {
            slot *s = slot_at(t, (int)k);
            if (!matched_only || s->match)
                fill_line(&out[n++], s);
        }
    }
    pthread_mutex_unlock(&t->lock);
    return n;
}

int tail_index_of(ks_tail *t, uint64_t seq, bool matched_only)
{
    int idx = -1;
    long i;

    pthread_mutex_lock(&t->lock);
    i = index_of(t, seq);
    if (i >= 0 && i < t->count) {
        idx = 0;
        if (!matched_only)
            idx = (int)i;
        else
            for (long k = 0; k < i; k++)
                idx += slot_at(t, (int)k)->match;
    }
    pthread_mutex_unlock(&t->lock);
    return idx;
}

ks_tail_row *tail_row_get(ks_tail *t, uint64_t seq)
{
    ks_tail_row *row = NULL;
    long i;

    pthread_mutex_lock(&t->lock);
    i = index_of(t, seq);
    if (i >= 0 && i < t->count)
        row = tail_row_ref(slot_at(t, (int)i)->row);
    pthread_mutex_unlock(&t->lock);
    return row;
}

long tail_export(ks_tail *t, const char *path, bool matched_only, char *errstr, size_t errstr_size)
{
    ks_tail_row **rows;
    int n = 0;
    long written = 0;
    FILE *fp;
    ks_tbuf buf = {0};
    char note[256], err[200] = "";

    pthread_mutex_lock(&t->lock);
    rows = xmalloc(sizeof(*rows) * (size_t)(t->count ? t->count : 1));
    for (int i = 0; i < t->count; i++) {
        slot *s = slot_at(t, i);
        if (!matched_only || s->match)
            rows[n++] = tail_row_ref(s->row);
    }
    pthread_mutex_unlock(&t->lock);

    fp = fopen(path, "w");
    if (!fp) {
        snprintf(err, sizeof(err), "cannot write %s: %s", path, strerror(errno));
        written = -1;
    }
    for (int i = 0; i < n; i++) {
        if (fp && written >= 0) {
            tbuf_reset(&buf);
            tail_row_to_json(rows[i], &buf);
            tbuf_putc(&buf, '\n');
            if (fwrite(buf.p, 1, buf.len, fp) != buf.len) {
                snprintf(err, sizeof(err), "writing %s: %s", path, strerror(errno));
                written = -1;
            } else {
                written++;
            }
        }
        tail_row_unref(rows[i]);
    }
    if (fp && fclose(fp) != 0 && written >= 0) {
        snprintf(err, sizeof(err), "writing %s: %s", path, strerror(errno));
        written = -1;
    }
    if (written < 0 && errstr && errstr_size)
        snprintf(errstr, errstr_size, "%s", err);
    free(rows);
    tbuf_free(&buf);
    if (written >= 0)
        snprintf(note, sizeof(note), "exported %ld %s to %s", written,
                 written == 1 ? "message" : "messages", path);
    else
        snprintf(note, sizeof(note), "export failed: %s", err);
    tail_set_notice(t, note);
    return written;
}

void tail_begin(ks_tail *t, const char *topic, const char *spec)
{
    pthread_mutex_lock(&t->lock);
    clear_rows(t);
    uint64_t gen = t->st.generation + 1;
    char filter[sizeof(t->st.filter)];
    memcpy(filter, t->st.filter, sizeof(filter));
    memset(&t->st, 0, sizeof(t->st));
    t->st.generation = gen;
    memcpy(t->st.filter, filter, sizeof(filter));
    t->st.state = KS_TAIL_STARTING;
    copy_text(t->st.topic, sizeof(t->st.topic), topic);
    copy_text(t->st.spec, sizeof(t->st.spec), spec);
    t->st.started_ms = clock_wall_ms();
    t->matched_rows = 0;
    t->bytes = 0;
    t->next_seq = 1;
    t->rate_t0 = 0;
    pthread_mutex_unlock(&t->lock);
}

void tail_set_state(ks_tail *t, ks_tail_state state, const char *error)
{
    pthread_mutex_lock(&t->lock);
    t->st.state = state;
    if (error)
        copy_text(t->st.error, sizeof(t->st.error), error);
    pthread_mutex_unlock(&t->lock);
}

void tail_set_paused(ks_tail *t, bool paused)
{
    pthread_mutex_lock(&t->lock);
    t->st.paused = paused;
    pthread_mutex_unlock(&t->lock);
}

void tail_set_sampling(ks_tail *t, bool sampling)
{
    pthread_mutex_lock(&t->lock);
    t->st.sampling = sampling;
    pthread_mutex_unlock(&t->lock);
}

void tail_set_progress(ks_tail *t, int partitions, int partitions_done)
{
    pthread_mutex_lock(&t->lock);
    t->st.partitions = partitions;
    t->st.partitions_done = partitions_done;
    pthread_mutex_unlock(&t->lock);
}

void tail_set_notice(ks_tail *t, const char *notice)
{
    pthread_mutex_lock(&t->lock);
    copy_text(t->st.notice, sizeof(t->st.notice), notice);
    pthread_mutex_unlock(&t->lock);
}

void tail_push(ks_tail *t, ks_tail_row **rows, int n, const ks_tail_counts *c)
{
    pthread_mutex_lock(&t->lock);
    for (int i = 0; i < n; i++) {
        ks_tail_row *row = rows[i];
        slot *s;
        while (t->count > 0 && (t->count == t->cap || t->bytes + row->cost > t->max_bytes))
            evict_oldest(t);
        row->seq = t->next_seq++;
        s = slot_at(t, t->count);
        s->row = row;
        s->match = row_matches(t->filter, row);
        t->count++;
        t->bytes += row->cost;
        t->matched_rows += s->match;
        t->st.matched += s->match;
    }
    if (c) {
        t->st.scanned += c->scanned;
        t->st.bytes += c->bytes;
        t->st.sampled += c->sampled;
        t->st.decode_errors += c->decode_errors;
    }
    rate_update(t, clock_mono_ms());
    pthread_mutex_unlock(&t->lock);
}
