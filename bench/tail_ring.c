/* tail_ring: the tail view's backend without the screen, for bench/tail.
 *
 *   tail_ring BOOTSTRAP REGISTRY TOPIC SECONDS [OPTIONS] [EXPORT.jsonl]
 *
 * Starts an engine with the tail service exactly as the dashboard does,
 * sends KS_CMD_TAIL_START (OPTIONS: the command's option string, default
 * "from=end"), and plays the UI: every 50 ms it waits on the store's wake-up
 * pipe, copies the newest 60 lines and the stats, and takes a reference to a
 * row for a detail pane. It pauses and resumes once, fetches the schema of
 * TOPIC-value, exports the ring if asked, stops the tail and prints one line
 * per second: elapsed s, RSS kB, scanned, matched, rows, dropped, sampled,
 * msgs/s, state. Built by bench/tail against a build tree's libraries. */
#include "engine.h"
#include "schema_view.h"
#include "service_tail.h"
#include "clock.h"
#include "log.h"
#include "registry_http.h"
#include "tail.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long rss_kb(void)
{
    FILE *fp = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;

    while (fp && fgets(line, sizeof(line), fp))
        if (!strncmp(line, "VmRSS:", 6))
            kb = atol(line + 6);
    if (fp)
        fclose(fp);
    return kb;
}

int main(int argc, char **argv)
{
    ks_target target = {0};
    ks_tail *tail = tail_new(0, 0);
    ks_schema_view *schemas = schema_view_new();
    ks_tail_service *svc = service_tail_new(tail, schemas);
    ks_service services[] = {{&service_tail_ops, svc}};
    ks_store *store = store_new();
    ks_cmdq *cmdq = cmdq_new();
    ks_tail_line lines[60];
    ks_tail_stats st;
    char subject[300];
    int seconds, paused = 0;
    int64_t t0, next_print;

    if (argc < 5) {
        fprintf(stderr, "usage: tail_ring BOOTSTRAP REGISTRY TOPIC SECONDS [OPTIONS] [EXPORT]\n");
        return 2;
    }
    registry_http_global_init();
    log_init(NULL, getenv("KLOG"), false, KS_SEV_ERROR);
    target.bootstrap = argv[1];
    target.registry = strcmp(argv[2], "-") ? argv[2] : NULL;
    target.timeout_ms = 10000;
    if (getenv("KDEBUG"))
        props_set(&target.props, "debug", getenv("KDEBUG"));
    target.interval_ms = 0;
    seconds = atoi(argv[4]);
    /* pollers start too (one round each): the dashboard's situation */
    ks_engine *engine = engine_start(&target, store, NULL, cmdq, NULL, services, 1);
    cmdq_push(cmdq, KS_CMD_TAIL_START, 0, argv[3], argc > 5 ? argv[5] : "from=end");
    snprintf(subject, sizeof(subject), "%s-value", argv[3]);
    cmdq_push(cmdq, KS_CMD_SCHEMA_FETCH, 0, subject, NULL);
    t0 = clock_mono_ms();
    next_print = t0;
    for (;;) {
        struct pollfd pfd = {.fd = store_wake_fd(store), .events = POLLIN};
        int64_t now = clock_mono_ms();
        poll(&pfd, 1, 50);
        store_drain(store);
        tail_stats(tail, &st);
        int n = tail_lines(tail, TAIL_SEQ_NEWEST, true, false, lines, 60);
        if (n) { /* the detail pane */
            ks_tail_row *row = tail_row_get(tail, lines[n / 2].seq);
            tail_row_unref(row);
        }
        if (now >= next_print) {
            printf("%5.1f s  rss %6ld kB  scanned %9llu  matched %9llu  rows %5d  dropped %9llu  "
                   "sampled %9llu  %8.0f msg/s  %s%s\n",
                   (double)(now - t0) / 1000, rss_kb(), (unsigned long long)st.scanned,
                   (unsigned long long)st.matched, st.rows, (unsigned long long)st.dropped,
                   (unsigned long long)st.sampled, st.msgs_per_s, tail_state_name(st.state),
                   st.error[0] ? st.error : "");
            fflush(stdout);
            next_print += 1000;
        }
        if (getenv("NOPAUSE"))
            paused = 2;
        if (paused == 0 && now - t0 >= 3000) { /* space, and space again */
            cmdq_push(cmdq, KS_CMD_TAIL_PAUSE, 1, NULL, NULL);
            paused = 1;
        } else if (paused == 1 && now - t0 >= 3500) {
            cmdq_push(cmdq, KS_CMD_TAIL_PAUSE, 0, NULL, NULL);
            paused = 2;
        }
        if (now - t0 >= (int64_t)seconds * 1000 || st.state == KS_TAIL_DONE ||
            st.state == KS_TAIL_FAILED)
            break;
    }
    if (argc > 6) {
        cmdq_push(cmdq, KS_CMD_TAIL_EXPORT, 0, argv[6], NULL);
    }
    cmdq_push(cmdq, KS_CMD_TAIL_STOP, 0, NULL, NULL);
    clock_sleep_ms(500);
    tail_stats(tail, &st);
    ks_schema_doc *doc = schema_view_acquire(schemas);
    printf("final: state %s, rows %d (matched %d), scanned %llu, dropped %llu, sampled %llu; "
           "notice \"%s\"; schema %s: %s, %d lines%s%s\n",
           tail_state_name(st.state), st.rows, st.rows_matched, (unsigned long long)st.scanned,
           (unsigned long long)st.dropped, (unsigned long long)st.sampled, st.notice, subject,
           !doc                            ? "none"
           : doc->state == KS_SCHEMA_READY ? "ready"
           : doc->state == KS_SCHEMA_ERROR ? "error"
                                           : "loading",
           doc ? doc->a.nlines : 0, doc && doc->error ? ": " : "",
           doc && doc->error ? doc->error : "");
    schema_doc_unref(doc);
    engine_stop(engine);
    service_tail_free(svc);
    schema_view_free(schemas);
    tail_free(tail);
    store_free(store);
    cmdq_free(cmdq);
    return st.state == KS_TAIL_FAILED;
}
