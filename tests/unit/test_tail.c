/* test_tail: the shared ring: bounds (rows and bytes), counters, line copies
 * in both directions, filter re-matching, row references, the JSON Lines and
 * text records, export, and a writer racing a reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tail.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A row as a worker would build it: strings borrowed, then duplicated. */
static ks_tail_row *make_row(int32_t partition, int64_t offset, const char *key_json,
                             const char *value_json)
{
    static const ks_tail_header hdrs[] = {{"trace", "abc", 3}, {"nul", NULL, 0}};
    ks_tail_row row = {
        .topic = "position",
        .partition = partition,
        .offset = offset,
        .timestamp = 1704164645123 + offset,
        .tstype = KS_TAIL_TS_CREATE,
        .key = {.fmt = KS_TAIL_FMT_TEXT,
                .schema_id = -1,
                .size = 3,
                .json = key_json,
                .json_len = strlen(key_json),
                .text = key_json + 1,
                .text_len = strlen(key_json) - 2},
        .value = {.fmt = KS_TAIL_FMT_JSON,
                  .schema_id = -1,
                  .size = 40,
                  .json = value_json,
                  .json_len = strlen(value_json),
                  .text = value_json,
                  .text_len = strlen(value_json)},
        .nheaders = 2,
        .headers = hdrs,
        .headers_json = "[{\"key\":\"trace\",\"value\":\"abc\"},{\"key\":\"nul\",\"value\":null}]",
    };
    row.headers_json_len = strlen(row.headers_json);
    return tail_row_dup(&row);
}

static void push_n(ks_tail *t, int from, int n)
{
    for (int i = from; i < from + n; i++) {
        char key[32], value[64];
        snprintf(key, sizeof(key), "\"c%d\"", i % 10);
        snprintf(value, sizeof(value), "{\"id\":\"c%d\",\"n\":%d}", i % 10, i);
        ks_tail_row *row = make_row(i % 3, i, key, value);
        ks_tail_counts c = {.scanned = 1, .bytes = 43};
        tail_push(t, &row, 1, &c);
    }
}

static void test_row_dup_and_records(void **state)
{
    (void)state;
    ks_tail_row *row = make_row(2, 41, "\"c42\"", "{\"id\":\"c42\",\"lat\":48.8566}");
    ks_tbuf b = {0};

    assert_string_equal(row->topic, "position");
    assert_string_equal(row->key.text, "c42");          /* copied with its own length */
    assert_ptr_equal(row->value.text, row->value.json); /* one copy when they are the same */
    assert_string_equal(row->headers[0].name, "trace");
    assert_null(row->headers[1].value);
    assert_true(row->cost > sizeof(ks_tail_row));
    tail_row_to_json(row, &b);
    assert_string_equal(b.p, "{\"topic\":\"position\",\"partition\":2,\"offset\":41,"
                             "\"timestamp\":1704164645164,\"key\":\"c42\","
                             "\"value\":{\"id\":\"c42\",\"lat\":48.8566},\"key_format\":\"text\","
                             "\"value_format\":\"json\",\"schema_id\":null,"
                             "\"headers\":[{\"key\":\"trace\",\"value\":\"abc\"},"
                             "{\"key\":\"nul\",\"value\":null}]}");
    tbuf_reset(&b);
    tail_row_to_text(row, &b);
    assert_string_equal(b.p,
                        "2\t41\t2024-01-02T03:04:05.164Z\tc42\t{\"id\":\"c42\",\"lat\":48.8566}");
    tail_row_unref(row);

    /* unknown timestamp, schema id, a reason */
    ks_tail_row r = {.topic = "t\x1b",
                     .partition = 0,
                     .offset = 7,
                     .timestamp = -1,
                     .key = {.fmt = KS_TAIL_FMT_NULL, .schema_id = -1},
                     .value = {.fmt = KS_TAIL_FMT_BINARY,
                               .schema_id = 9,
                               .json = "{\"hex\":\"00\"}",
                               .json_len = 12,
                               .text = "00",
                               .text_len = 2,
                               .error = "schema id 9 not found"}};
    tbuf_reset(&b);
    tail_row_to_json(&r, &b);
    assert_string_equal(b.p,
                        "{\"topic\":\"t\\u001b\",\"partition\":0,\"offset\":7,\"timestamp\":null,"
                        "\"key\":null,\"value\":{\"hex\":\"00\"},\"key_format\":\"null\","
                        "\"value_format\":\"binary\",\"schema_id\":9,\"headers\":[]}");
    tbuf_reset(&b);
    tail_row_to_text(&r, &b);
    assert_string_equal(b.p, "0\t7\t-\tnull\t00\t[value: schema id 9 not found]");
    tbuf_free(&b);
}

static void test_ring_bounds_and_counters(void **state)
{
    (void)state;
    ks_tail *t = tail_new(100, 0);
    ks_tail_stats st;
    ks_tail_counts extra = {.scanned = 10, .sampled = 10, .bytes = 1000};

    tail_begin(t, "position", "from beginning");
    push_n(t, 0, 250);
    tail_push(t, NULL, 0, &extra);
    tail_stats(t, &st);
    assert_int_equal(st.rows, 100);
    assert_int_equal(st.capacity, 100);
    assert_int_equal(st.scanned, 260);
    assert_int_equal(st.sampled, 10);
    assert_int_equal(st.dropped, 150);
    assert_int_equal(st.matched, 250); /* no filter: every decoded row matches */
    assert_int_equal(st.bytes, 250 * 43 + 1000);
    assert_int_equal(st.first_seq, 151);
    assert_int_equal(st.last_seq, 250);
    assert_string_equal(st.topic, "position");
    assert_int_equal(st.state, KS_TAIL_STARTING);
    assert_int_equal(st.generation, 1);

    /* the byte bound: rows go until the ring fits */
    size_t one = st.ring_bytes / 100;
    tail_set_limits(t, 0, one * 10);
    tail_stats(t, &st);
    assert_true(st.rows <= 10 && st.rows >= 9);
    assert_true(st.ring_bytes <= one * 10);
    push_n(t, 250, 50);
    tail_stats(t, &st);
    assert_true(st.rows <= 10);
    assert_int_equal(st.last_seq, 300);

    /* capacity changes keep the newest rows in order */
    tail_set_limits(t, 5, (size_t)64 << 20);
    tail_stats(t, &st);
    assert_int_equal(st.rows, 5);
    assert_int_equal(st.first_seq, 296);
    tail_set_limits(t, 1000, 0);
    push_n(t, 300, 20);
    tail_stats(t, &st);
    assert_int_equal(st.rows, 25);
    assert_int_equal(st.first_seq, 296);

    /* a new tail starts from scratch, keeps the filter */
    assert_int_equal(tail_set_filter(t, "id=c3", NULL, 0), 0);
    tail_begin(t, "other", "");
    tail_stats(t, &st);
    assert_int_equal(st.rows, 0);
    assert_int_equal(st.scanned, 0);
    assert_int_equal(st.dropped, 0);
    assert_int_equal(st.generation, 2);
    assert_string_equal(st.filter, "id=c3");
    assert_int_equal(st.first_seq, 0);
    push_n(t, 0, 3);
    tail_stats(t, &st);
    assert_int_equal(st.first_seq, 1); /* seqs restart */
    tail_free(t);
}

static void test_lines(void **state)
{
    (void)state;
    ks_tail *t = tail_new(50, 0);
    ks_tail_line lines[20];
    int n;

    tail_begin(t, "position", "");
    assert_int_equal(tail_lines(t, TAIL_SEQ_NEWEST, true, false, lines, 20), 0);
    push_n(t, 0, 80); /* seqs 31..80 stay */
    n = tail_lines(t, TAIL_SEQ_NEWEST, true, false, lines, 20);
    assert_int_equal(n, 20);
    assert_int_equal(lines[0].seq, 61);
    assert_int_equal(lines[19].seq, 80);
    assert_string_equal(lines[19].key, "c9");
    assert_string_equal(lines[19].value, "{\"id\":\"c9\",\"n\":79}");
    assert_int_equal(lines[19].offset, 79);
    assert_int_equal(lines[19].partition, 79 % 3);
    assert_int_equal(lines[19].value_fmt, KS_TAIL_FMT_JSON);
    assert_true(lines[19].match);
    /* page up from the top line */
    n = tail_lines(t, lines[0].seq - 1, true, false, lines, 20);
    assert_int_equal(n, 20);
    assert_int_equal(lines[0].seq, 41);
    assert_int_equal(lines[19].seq, 60);
    /* near the oldest: fewer lines */
    n = tail_lines(t, 35, true, false, lines, 20);
    assert_int_equal(n, 5);
    assert_int_equal(lines[0].seq, 31);
    n = tail_lines(t, 10, true, false, lines, 20); /* gone */
    assert_int_equal(n, 0);
    /* forward */
    n = tail_lines(t, 75, false, false, lines, 20);
    assert_int_equal(n, 6);
    assert_int_equal(lines[0].seq, 75);
    n = tail_lines(t, 1, false, false, lines, 3); /* clamped to the oldest */
    assert_int_equal(n, 3);
    assert_int_equal(lines[0].seq, 31);
    assert_int_equal(tail_lines(t, 81, false, false, lines, 3), 0);

    /* matched only: id=c3 is every tenth row */
    char err[160];
    assert_int_equal(tail_set_filter(t, "id=c3", err, sizeof(err)), 0);
    ks_tail_stats st;
    tail_stats(t, &st);
    assert_int_equal(st.rows_matched, 5); /* 33 43 53 63 73 -> seqs 34 44 54 64 74 */
    n = tail_lines(t, TAIL_SEQ_NEWEST, true, true, lines, 20);
    assert_int_equal(n, 5);
    assert_int_equal(lines[0].seq, 34);
    assert_int_equal(lines[4].seq, 74);
    n = tail_lines(t, 64, true, true, lines, 2);
    assert_int_equal(n, 2);
    assert_int_equal(lines[0].seq, 54);
    assert_int_equal(lines[1].seq, 64);
    n = tail_lines(t, 55, false, true, lines, 20);
    assert_int_equal(n, 2);
    assert_int_equal(lines[0].seq, 64);
    assert_int_equal(tail_index_of(t, 64, true), 3);
    assert_int_equal(tail_index_of(t, 64, false), 33);
    assert_int_equal(tail_index_of(t, 2, false), -1);
    /* a bad filter keeps the old one */
    assert_int_equal(tail_set_filter(t, "id=", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "missing value"));
    tail_stats(t, &st);
    assert_int_equal(st.rows_matched, 5);
    assert_string_equal(st.filter, "id=c3");
    /* new rows are matched as they come; the counter counts from the start */
    push_n(t, 80, 10);
    tail_stats(t, &st);
    assert_int_equal(st.rows_matched, 5); /* 33 left the ring, 83 came in */
    assert_int_equal(st.matched, 80 + 1);
    assert_int_equal(tail_set_filter(t, "", NULL, 0), 0);
    tail_stats(t, &st);
    assert_int_equal(st.rows_matched, 50);
    assert_string_equal(st.filter, "");
    tail_free(t);
}

static void test_long_text_is_cut_at_a_unit(void **state)
{
    (void)state;
    ks_tail *t = tail_new(10, 0);
    char value[2000];
    size_t n = 0;
    ks_tail_line line;

    value[n++] = '"';
    while (n < sizeof(value) - 8)
        n += (size_t)snprintf(value + n, sizeof(value) - n, "\xc3\xa9\\u001b");
    value[n++] = '"';
    value[n] = '\0';
    ks_tail_row *row = make_row(0, 0, "\"k\"", value);
    tail_push(t, &row, 1, NULL);
    assert_int_equal(tail_lines(t, TAIL_SEQ_NEWEST, true, false, &line, 1), 1);
    size_t len = strlen(line.value);
    assert_true(len < TAIL_LINE_VALUE);
    assert_string_equal(line.value + len - 3, "...");
    /* the cut falls after a whole unit: "é" or "\u001b" */
    assert_true(!strncmp(line.value + len - 5, "\xc3\xa9", 2) ||
                !strncmp(line.value + len - 9, "\\u001b", 6));
    tail_free(t);
}

static void test_row_get_and_export(void **state)
{
    (void)state;
    ks_tail *t = tail_new(10, 0);
    char path[] = "/tmp/ksight-test-tail-XXXXXX";
    int fd = mkstemp(path);
    char err[256], line[512];
    ks_tail_stats st;
    FILE *fp;
    int count = 0;

    assert_true(fd >= 0);
    close(fd);
    tail_begin(t, "position", "");
    push_n(t, 0, 15);
    ks_tail_row *row = tail_row_get(t, 15);
    assert_non_null(row);
    assert_int_equal(row->offset, 14);
    assert_null(tail_row_get(t, 3)); /* evicted */
    push_n(t, 15, 20);               /* row 15 leaves the ring, our reference keeps it alive */
    assert_null(tail_row_get(t, 15));
    assert_string_equal(row->value.json, "{\"id\":\"c4\",\"n\":14}");
    tail_row_unref(row);

    assert_int_equal(tail_set_filter(t, "n>30", NULL, 0), 0);
    assert_int_equal(tail_export(t, path, true, err, sizeof(err)), 4);
    tail_stats(t, &st);
    assert_non_null(strstr(st.notice, "exported 4 messages"));
    fp = fopen(path, "r");
    while (fgets(line, sizeof(line), fp)) {
        assert_non_null(strstr(line, "{\"topic\":\"position\""));
        assert_int_equal(line[strlen(line) - 1], '\n');
        count++;
    }
    fclose(fp);
    assert_int_equal(count, 4);
    assert_int_equal(tail_export(t, path, false, err, sizeof(err)), 10);
    unlink(path);
    assert_int_equal(tail_export(t, "/nonexistent-dir/x.jsonl", false, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "cannot write /nonexistent-dir/x.jsonl"));
    tail_stats(t, &st);
    assert_non_null(strstr(st.notice, "export failed"));
    tail_free(t);
}

static void test_state_and_names(void **state)
{
    (void)state;
    ks_tail *t = tail_new(0, 0);
    ks_tail_stats st;

    tail_stats(t, &st);
    assert_int_equal(st.capacity, TAIL_DEFAULT_ROWS);
    assert_int_equal(st.max_bytes, TAIL_DEFAULT_BYTES);
    assert_int_equal(st.state, KS_TAIL_IDLE);
    tail_begin(t, "x", "");
    tail_set_state(t, KS_TAIL_FAILED, "topic \"x\" does not exist");
    tail_set_paused(t, true);
    tail_set_sampling(t, true);
    tail_set_progress(t, 3, 1);
    tail_stats(t, &st);
    assert_int_equal(st.state, KS_TAIL_FAILED);
    assert_string_equal(st.error, "topic \"x\" does not exist");
    assert_true(st.paused && st.sampling);
    assert_int_equal(st.partitions, 3);
    assert_int_equal(st.partitions_done, 1);
    tail_set_state(t, KS_TAIL_RUNNING, NULL); /* NULL keeps the text */
    tail_stats(t, &st);
    assert_string_equal(st.error, "topic \"x\" does not exist");
    assert_string_equal(tail_state_name(KS_TAIL_DONE), "done");
    assert_string_equal(tail_fmt_name(KS_TAIL_FMT_AVRO), "avro");
    assert_string_equal(tail_fmt_name((ks_tail_fmt)42), "?");
    char ts[40];
    assert_string_equal(tail_format_time(0, ts, sizeof(ts)), "1970-01-01T00:00:00.000Z");
    assert_string_equal(tail_format_time(-1, ts, sizeof(ts)), "-");
    tail_free(t);
}

/* A writer pushing as fast as it can while a reader copies lines and takes
 * rows: the bounds hold and nothing is freed under the reader. */
typedef struct race {
    ks_tail *t;
    volatile int done;
} race;

static void *writer(void *arg)
{
    race *r = arg;
    push_n(r->t, 0, 20000);
    r->done = 1;
    return NULL;
}

static void test_writer_and_reader_race(void **state)
{
    (void)state;
    race r = {.t = tail_new(64, 0)};
    pthread_t th;
    ks_tail_line lines[30];
    ks_tail_stats st;

    tail_begin(r.t, "position", "");
    pthread_create(&th, NULL, writer, &r);
    while (!r.done) {
        int n = tail_lines(r.t, TAIL_SEQ_NEWEST, true, false, lines, 30);
        assert_true(n <= 30);
        for (int i = 1; i < n; i++)
            assert_int_equal(lines[i].seq, lines[i - 1].seq + 1);
        if (n) {
            ks_tail_row *row = tail_row_get(r.t, lines[0].seq);
            if (row) {
                assert_int_equal(row->seq, lines[0].seq);
                tail_row_unref(row);
            }
        }
        tail_stats(r.t, &st);
        assert_true(st.rows <= 64);
    }
    pthread_join(th, NULL);
    tail_stats(r.t, &st);
    assert_int_equal(st.scanned, 20000);
    assert_int_equal(st.dropped, 20000 - 64);
    tail_free(r.t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_row_dup_and_records),
        cmocka_unit_test(test_ring_bounds_and_counters),
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_long_text_is_cut_at_a_unit),
        cmocka_unit_test(test_row_get_and_export),
        cmocka_unit_test(test_state_and_names),
        cmocka_unit_test(test_writer_and_reader_race),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
