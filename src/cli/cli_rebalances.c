/* cli_rebalances: print every consumer group rebalance as it ends.
 *
 * DESIGN: two threads. The groups poller (its rounds run in the
 * `ksight --groups-worker` child, as in the dashboard) publishes to a store
 * whose listener feeds the group history; the main thread sleeps in poll()
 * on the store's wake-up pipe and prints what closed since it last looked,
 * so only the main thread writes to stdout and stderr. */
#include "cli_rebalances.h"
#include "clock.h"
#include "group_history.h"
#include "kafka_conf.h"
#include "coordlog.h"
#include "poller.h"
#include "poller_groups.h"
#include "snapshot.h"
#include "tail.h" /* tail_format_time */

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 64

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
    got_signal = sig;
}

typedef struct reb_opts {
    const char *group; /* NULL: every group */
    double duration_s; /* 0: until --count or a signal */
    long count;        /* 0: no limit */
    bool json;
    bool history; /* also the coordinator log's records from before the start */
    int interval_ms;
} reb_opts;

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: ksight -b BOOTSTRAP rebalances [--group G] [--duration S] [--count N]\n"
            "                                      [--json] [-i SECONDS]\n"
            "\n"
            "Polls the consumer groups (DescribeConsumerGroups) and prints each rebalance\n"
            "when it ends: members joined and left, partitions assigned and revoked per\n"
            "member, whether every partition has exactly one owner, and how long\n"
            "consumption stopped, bounded by the poll times. Generations come from the\n"
            "coordinator's log, __consumer_offsets (without it, or with\n"
            "--no-coordinator-log, rebalances are numbered as observed: #1, #2, ...).\n"
            "\n"
            "  --group G        only group G\n"
            "  --history        first, the rebalances the coordinator's log still holds\n"
            "                   from before the start (\"replayed\": true; no durations)\n"
            "  --duration S     stop after S seconds\n"
            "  --count N        stop after N rebalances\n"
            "  --json           one JSON object per line\n"
            "  -i, --interval S poll every S seconds (default: the global -i, 2)\n");
}

static int parse_args(int argc, char **argv, reb_opts *o)
{
    enum { O_GROUP = 256, O_DURATION, O_COUNT, O_JSON, O_HISTORY };
    static const struct option longopts[] = {{"group", required_argument, NULL, O_GROUP},
                                             {"history", no_argument, NULL, O_HISTORY},
                                             {"duration", required_argument, NULL, O_DURATION},
                                             {"count", required_argument, NULL, O_COUNT},
                                             {"json", no_argument, NULL, O_JSON},
                                             {"interval", required_argument, NULL, 'i'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    char *end;
    int ch;

    optind = 0; /* 0, not 1: glibc re-reads the option string (main's was "+...") */
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":hi:", longopts, NULL)) != -1) {
        switch (ch) {
        case O_GROUP:
            o->group = optarg;
            break;
        case O_DURATION:
        case 'i': {
            double v = strtod(optarg, &end);
            if (end == optarg || *end || v <= 0 || v > 86400 * 365) {
                fprintf(stderr,
                        "ksight: rebalances: %s: expected a number of seconds, got \"%s\"\n",
                        ch == 'i' ? "--interval" : "--duration", optarg);
                return 2;
            }
            if (ch == 'i')
                o->interval_ms = v * 1000 < 100 ? 100 : (int)(v * 1000);
            else
                o->duration_s = v;
            break;
        }
        case O_COUNT:
            errno = 0;
            o->count = strtol(optarg, &end, 10);
            if (errno || end == optarg || *end || o->count < 1) {
                fprintf(stderr,
                        "ksight: rebalances: --count: expected a number >= 1, got \"%s\"\n",
                        optarg);
                return 2;
            }
            break;
        case O_JSON:
            o->json = true;
            break;
        case O_HISTORY:
            o->history = true;
            break;
        case 'h':
            usage(stdout);
            return -1;
        case ':':
            fprintf(stderr, "ksight: rebalances: option %s needs a value\n", argv[optind - 1]);
            return 2;
        default:
            fprintf(stderr,
                    "ksight: rebalances: unknown option %s (see ksight rebalances --help)\n",
                    argv[optind - 1]);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "ksight: rebalances: unexpected argument \"%s\"\n", argv[optind]);
        return 2;
    }
    return 0;
}

/* ---- output ---- */

static json_t *ms_or_null(bool valid, int64_t ms)
{
    return valid ? json_integer(ms) : json_null();
}

static json_t *tps_json(const gh_record *r, int first, int n)
{
    json_t *a = json_array();
    for (int i = first; i < first + n; i++)
        json_array_append_new(a, json_pack("{s:s,s:I}", "topic",
                                           group_record_str(r, r->tps[i].topic), "partition",
                                           (json_int_t)r->tps[i].partition));
    return a;
}

static json_t *record_json(const gh_record *r)
{
    json_t *o = json_object(), *joined = json_array(), *left = json_array(),
           *states = json_array(), *asg = json_object();

    json_object_set_new(o, "group", json_string(group_record_str(r, 0)));
    json_object_set_new(o, "seq", json_integer((json_int_t)r->seq));
    json_object_set_new(o, "generation", r->generation_valid ? json_integer(r->generation)
                                                             : json_null());
    json_object_set_new(o, "generation_observed", json_boolean(!r->generation_valid));
    json_object_set_new(o, "replayed", json_boolean(r->replayed));
    json_object_set_new(o, "stable_before_ms",
                        ms_or_null(r->stable_before_ms != 0, r->stable_before_ms));
    json_object_set_new(o, "start_ms", json_integer(r->start_ms));
    json_object_set_new(o, "end_ms", json_integer(r->end_ms));
    json_object_set_new(o, "stopped_min_ms", ms_or_null(r->stopped_valid, r->stopped_min_ms));
    json_object_set_new(o, "stopped_max_ms", ms_or_null(r->stopped_valid, r->stopped_max_ms));
    for (int i = 0; i < r->nstates; i++)
        json_array_append_new(states, json_string(group_record_state_name(r->states[i])));
    json_object_set_new(o, "states", states);
    json_object_set_new(o, "end_state", json_string(group_record_state_name(r->end_state)));
    json_object_set_new(o, "members_before", json_integer(r->members_before));
    json_object_set_new(o, "members_after", json_integer(r->members_after));
    for (int i = 0; i < r->nentries; i++) {
        const gh_entry *e = &r->entries[i];
        const char *id = group_record_str(r, e->member_id);
        json_t *who = json_pack("{s:s,s:s}", "member_id", id, "client_id",
                                group_record_str(r, e->client_id));
        if (e->joined)
            json_array_append(joined, who);
        if (e->left)
            json_array_append(left, who);
        json_decref(who);
        json_object_set_new(asg, id,
                            json_pack("{s:s,s:o,s:o,s:o}", "client_id",
                                      group_record_str(r, e->client_id), "assigned",
                                      tps_json(r, e->assigned, e->nassigned), "revoked",
                                      tps_json(r, e->revoked, e->nrevoked), "owned",
                                      tps_json(r, e->owned, e->nowned)));
    }
    json_object_set_new(o, "joined", joined);
    json_object_set_new(o, "left", left);
    json_object_set_new(o, "moved", json_integer(r->nmoved));
    json_object_set_new(o, "assignments", asg);
    json_object_set_new(o, "cover_ok", r->cover_valid ? json_boolean(r->cover_ok) : json_null());
    json_object_set_new(o, "uncovered", json_integer(r->uncovered));
    json_object_set_new(o, "duplicated", json_integer(r->duplicated));
    json_object_set_new(o, "truncated", json_integer(r->truncated));
    return o;
}

static void print_text(const gh_record *r, FILE *out)
{
    char ts[48], line[512], set[1024];

    fprintf(out, "%s %s %s\n", tail_format_time(r->end_ms, ts, sizeof(ts)),
            group_record_str(r, 0), group_record_summary(r, line, sizeof(line)));
    for (int i = 0; i < r->nentries; i++) {
        const gh_entry *e = &r->entries[i];
        if (!e->joined && !e->left && !e->nassigned && !e->nrevoked)
            continue;
        fprintf(out, "  %-24s %-7s", group_record_str(r, e->client_id),
                e->joined ? "joined" : e->left ? "left" : "");
        if (e->nassigned)
            fprintf(out, " +%s", group_record_tps_format(r, e->assigned, e->nassigned, true, set,
                                                         sizeof(set)));
        if (e->nrevoked)
            fprintf(out, " -%s", group_record_tps_format(r, e->revoked, e->nrevoked, true, set,
                                                         sizeof(set)));
        fprintf(out, "  %s\n", group_record_str(r, e->member_id));
    }
}

/* Prints the records closed since *cursor; returns how many matched the filter. */
static long print_closed(ks_group_history *h, uint64_t *cursor, const reb_opts *o, long budget)
{
    gh_record recs[BATCH];
    long printed = 0;
    int n;

    while ((n = group_history_closed(h, cursor, recs, BATCH)) > 0) {
        for (int i = 0; i < n; i++) {
            if ((o->group && strcmp(group_record_str(&recs[i], 0), o->group)) ||
                (recs[i].replayed && !o->history) || (budget && printed >= budget))
                continue;
            if (o->json) {
                json_t *doc = record_json(&recs[i]);
                json_dumpf(doc, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
                fputc('\n', stdout);
                json_decref(doc);
            } else {
                print_text(&recs[i], stdout);
            }
            printed++;
        }
        group_record_free(recs, n);
    }
    fflush(stdout);
    return printed;
}

/* ---- the run ---- */

static void on_publish(const ks_snapshot *old, const ks_snapshot *snap, void *ctx)
{
    if (!old || old->groups != snap->groups)
        group_history_observe(ctx, old ? old->groups : NULL, snap->groups, clock_wall_ms());
}

/* The groups part's news for the main thread: 1 = fatal (reported), else 0. */
static int check_source(ks_store *store, const char *bootstrap, bool *answered, char *last_error,
                        size_t size)
{
    ks_snapshot *snap = store_acquire(store);
    const ks_groups *gs = snap->groups;
    int rc = 0;

    if (gs && gs->part.error && !*answered) {
        fprintf(stderr, "ksight: rebalances: no answer from %s: %s\n", bootstrap,
                gs->part.error);
        rc = 1;
    } else if (gs && gs->part.error && strcmp(last_error, gs->part.error)) {
        fprintf(stderr, "ksight: rebalances: %s (still polling)\n", gs->part.error);
        snprintf(last_error, size, "%s", gs->part.error);
    } else if (gs && !gs->part.error) {
        *answered = true;
        last_error[0] = '\0';
    }
    if (gs && !gs->supported && !rc) {
        fprintf(stderr, "ksight: rebalances: this cluster cannot list consumer groups\n");
        rc = 1;
    }
    snapshot_unref(snap);
    return rc;
}

int cli_rebalances(const ks_target *target, int argc, char **argv)
{
    reb_opts o = {.interval_ms = target->interval_ms > 0 ? target->interval_ms : 2000};
    struct sigaction sa = {.sa_handler = on_signal};
    ks_kafka_poller_cfg kcfg = {
        .kafka = {.bootstrap = target->bootstrap, .props = &target->props},
        .timeout_ms = target->timeout_ms > 0 ? target->timeout_ms : 10000,
    };
    ks_store *store;
    ks_group_history *h;
    ks_poller *poller;
    ks_coordlog *coord;
    char cerr[256];
    uint64_t cursor = 0;
    long printed = 0;
    bool answered = false;
    char last_error[512] = "";
    int64_t deadline;
    int rc;

    rc = parse_args(argc, argv, &o);
    if (rc)
        return rc < 0 ? 0 : rc;
    signal(SIGPIPE, SIG_IGN); /* a closed stdout shows as a write error: the end */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    store = store_new();
    h = group_history_new(NULL);
    store_set_listener(store, on_publish, h);
    poller = poller_start(&poller_groups_ops, &kcfg, store, o.interval_ms);
    /* true generations from the coordinator's log; without it, observed ones */
    coord = target->no_coordinator_log
                ? NULL
                : coordlog_start(&kcfg.kafka, coordlog_to_history, h, cerr, sizeof(cerr));
    deadline = o.duration_s > 0 ? clock_mono_ms() + (int64_t)(o.duration_s * 1000) : 0;
    rc = 0;
    while (!got_signal) {
        int64_t now = clock_mono_ms();
        int wait = 500;
        struct pollfd pfd = {.fd = store_wake_fd(store), .events = POLLIN};

        if (deadline && now >= deadline)
            break;
        if (deadline && deadline - now < wait)
            wait = (int)(deadline - now);
        if (poll(&pfd, 1, wait) > 0)
            store_drain(store);
        rc = check_source(store, target->bootstrap, &answered, last_error, sizeof(last_error));
        if (rc)
            break;
        printed += print_closed(h, &cursor, &o, o.count ? o.count - printed : 0);
        if (ferror(stdout)) {
            if (errno != EPIPE)
                fprintf(stderr, "ksight: rebalances: writing to stdout: %s\n", strerror(errno));
            rc = errno == EPIPE ? 0 : 1;
            break;
        }
        if (o.count && printed >= o.count)
            break;
    }
    coordlog_stop(coord);
    poller_stop(poller);
    store_set_listener(store, NULL, NULL);
    store_free(store);
    group_history_free(h);
    if (!rc && got_signal)
        rc = 128 + got_signal;
    return rc;
}
