/* cli_load: `ksight load`, a load run without the dashboard.
 *
 * DESIGN: this thread plays the engine's control thread: it calls the load
 * service's command function directly (no pollers are needed), then watches
 * the shared ks_load every 10 ms until the run is over:
 *   - the producers finished, the group drained (service_load.h) and is
 *     not in the middle of a rebalance, every step of --consumers-schedule
 *     has been applied, and (when consumers were asked for, by count,
 *     schedule or --control) at least one member has joined; or
 *   - --duration passed: the producers stop, the group still drains; or
 *   - the group did not drain within --drain-timeout after the producers
 *     finished, or SIGINT/SIGTERM (a second one stops at once).
 * The consumer count can change while it runs, headlessly, two ways:
 * --consumers-schedule N@S,... (N live members from second S of the run)
 * and --control FIFO, a named pipe read line by line:
 *   consumers N | add | remove [M] | kill [M] | rate MS | stop-producers | stop
 * Only this thread writes to stdout/stderr. */
#include "cli_load.h"
#include "clock.h"
#include "load.h"
#include "load_report.h"
#include "service_load.h"
#include "xmalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_STEPS 64

typedef struct step {
    int count;
    int64_t at_ms;
} step;

typedef struct cli_opts {
    ks_load_spec spec;
    double duration_s, drain_timeout_s;
    bool audit, json;
    const char *report, *control;
    int nsteps;
    step steps[MAX_STEPS];
} cli_opts;

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted++;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: ksight -b BOOTSTRAP [--registry URL] load --topic T [OPTIONS]\n"
            "\n"
            "Producers (the workbook's Atelier 2):\n"
            "  --producers N            threads (default 1)\n"
            "  --messages N             per thread, 0 = until stopped (default 1000)\n"
            "  --interval-ms N          pause between sends of a thread (default 0)\n"
            "  --mode M                 fire-and-forget | sync | async (default async)\n"
            "  --acks A                 0 | 1 | all (default all)\n"
            "  --idempotent             enable.idempotence=true (needs acks=all)\n"
            "  --compression C          none | gzip | snappy | lz4 | zstd\n"
            "  --linger-ms N, --batch-size N\n"
            "  --format F               json | avro (Courier through --registry)\n"
            "  --couriers N             distinct couriers (keys) per thread (default 10)\n"
            "  --no-audit-header        bare messages, no audit header (--consumers 0 only)\n"
            "  --partitions N, --replication N   when the topic must be created (3, 2)\n"
            "Consumers (Atelier 3):\n"
            "  --consumers N            group members (default 1)\n"
            "  --group G                group id (default ksight-load-<run id>)\n"
            "  --commit C               auto | manual (= sync) | sync | async (default auto)\n"
            "  --poll-ms N              pause between polls (default 0)\n"
            "  --offset-reset R         earliest | latest (default earliest)\n"
            "  --assignor A             range | roundrobin | cooperative-sticky\n"
            "  --session-timeout-ms N   session.timeout.ms of the members\n"
            "  --consumers-schedule N@S,...  N live members from second S (e.g. 1@0,3@10)\n"
            "  --control FIFO           read commands from a named pipe: consumers N, add,\n"
            "                           remove [M], kill [M], rate MS, stop-producers, stop\n"
            "Run:\n"
            "  --duration S             stop producing after S seconds, then drain\n"
            "  --drain-timeout S        give up draining after S seconds (default 60)\n"
            "  --quiet-ms N             drained = caught up and quiet for N ms (default 1000)\n"
            "  --audit                  per-thread audit; exit 3 if anything was lost\n"
            "  --json                   print the summary as JSON\n"
            "  --report FILE            write every detail (audit, timeline) as JSON\n");
}

static int parse_schedule(cli_opts *o, const char *arg)
{
    char *copy = xstrdup(arg), *save = NULL;
    int rc = 0;

    for (char *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *at = strchr(item, '@'), *end;
        if (!at || o->nsteps >= MAX_STEPS) {
            rc = -1;
            break;
        }
        *at = '\0';
        long n = strtol(item, &end, 10);
        double s = strtod(at + 1, &end);
        if (n < 0 || n > KS_LOAD_MAX_MEMBERS || *end || s < 0) {
            rc = -1;
            break;
        }
        o->steps[o->nsteps++] = (step){.count = (int)n, .at_ms = (int64_t)(s * 1000)};
    }
    free(copy);
    return rc;
}

/* One "key=value" onto the spec through the same parser the UI uses. */
static int set_spec(cli_opts *o, const char *key, const char *val)
{
    char kv[600], err[256];
    snprintf(kv, sizeof(kv), "%s=%s", key, val);
    if (load_spec_parse(&o->spec, kv, err, sizeof(err)) == 0)
        return 0;
    fprintf(stderr, "ksight: load: %s\n", err);
    return -1;
}

static int parse_args(cli_opts *o, int argc, char **argv)
{
    enum {
        O_TOPIC = 256,
        O_PRODUCERS,
        O_MESSAGES,
        O_INTERVAL,
        O_MODE,
        O_ACKS,
        O_IDEMPOTENT,
        O_COMPRESSION,
        O_LINGER,
        O_BATCH,
        O_FORMAT,
        O_COURIERS,
        O_PARTITIONS,
        O_REPLICATION,
        O_CONSUMERS,
        O_GROUP,
        O_COMMIT,
        O_POLL,
        O_RESET,
        O_ASSIGNOR,
        O_SESSION,
        O_SCHEDULE,
        O_CONTROL,
        O_DURATION,
        O_DRAIN,
        O_QUIET,
        O_AUDIT,
        O_JSON,
        O_REPORT,
        O_NO_HEADER
    };
    static const struct option longopts[] = {
        {"topic", required_argument, NULL, O_TOPIC},
        {"producers", required_argument, NULL, O_PRODUCERS},
        {"messages", required_argument, NULL, O_MESSAGES},
        {"interval-ms", required_argument, NULL, O_INTERVAL},
        {"mode", required_argument, NULL, O_MODE},
        {"acks", required_argument, NULL, O_ACKS},
        {"idempotent", no_argument, NULL, O_IDEMPOTENT},
        {"compression", required_argument, NULL, O_COMPRESSION},
        {"linger-ms", required_argument, NULL, O_LINGER},
        {"batch-size", required_argument, NULL, O_BATCH},
        {"format", required_argument, NULL, O_FORMAT},
        {"couriers", required_argument, NULL, O_COURIERS},
        {"partitions", required_argument, NULL, O_PARTITIONS},
        {"replication", required_argument, NULL, O_REPLICATION},
        {"consumers", required_argument, NULL, O_CONSUMERS},
        {"group", required_argument, NULL, O_GROUP},
        {"commit", required_argument, NULL, O_COMMIT},
        {"poll-ms", required_argument, NULL, O_POLL},
        {"offset-reset", required_argument, NULL, O_RESET},
        {"assignor", required_argument, NULL, O_ASSIGNOR},
        {"session-timeout-ms", required_argument, NULL, O_SESSION},
        {"consumers-schedule", required_argument, NULL, O_SCHEDULE},
        {"control", required_argument, NULL, O_CONTROL},
        {"duration", required_argument, NULL, O_DURATION},
        {"drain-timeout", required_argument, NULL, O_DRAIN},
        {"quiet-ms", required_argument, NULL, O_QUIET},
        {"audit", no_argument, NULL, O_AUDIT},
        {"json", no_argument, NULL, O_JSON},
        {"report", required_argument, NULL, O_REPORT},
        {"no-audit-header", no_argument, NULL, O_NO_HEADER},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    /* option -> spec key, for the options that are spec settings */
    static const char *const keys[] = {[O_TOPIC - O_TOPIC] = "topic",
                                       [O_PRODUCERS - O_TOPIC] = "producers",
                                       [O_MESSAGES - O_TOPIC] = "messages",
                                       [O_INTERVAL - O_TOPIC] = "interval_ms",
                                       [O_MODE - O_TOPIC] = "mode",
                                       [O_ACKS - O_TOPIC] = "acks",
                                       [O_COMPRESSION - O_TOPIC] = "compression",
                                       [O_LINGER - O_TOPIC] = "linger_ms",
                                       [O_BATCH - O_TOPIC] = "batch_size",
                                       [O_FORMAT - O_TOPIC] = "format",
                                       [O_COURIERS - O_TOPIC] = "couriers",
                                       [O_PARTITIONS - O_TOPIC] = "partitions",
                                       [O_REPLICATION - O_TOPIC] = "replication",
                                       [O_CONSUMERS - O_TOPIC] = "consumers",
                                       [O_GROUP - O_TOPIC] = "group",
                                       [O_COMMIT - O_TOPIC] = "commit",
                                       [O_POLL - O_TOPIC] = "poll_ms",
                                       [O_RESET - O_TOPIC] = "offset_reset",
                                       [O_ASSIGNOR - O_TOPIC] = "assignor",
                                       [O_SESSION - O_TOPIC] = "session_timeout_ms",
                                       [O_QUIET - O_TOPIC] = "quiet_ms"};
    bool topic = false;
    int c;
    char *end;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        switch (c) {
        case 'h':
            usage(stdout);
            return 1;
        case O_IDEMPOTENT:
            o->spec.idempotent = true;
            break;
        case O_NO_HEADER:
            o->spec.audit_header = false;
            break;
        case O_SCHEDULE:
            if (parse_schedule(o, optarg)) {
                fprintf(stderr,
                        "ksight: load: --consumers-schedule: expected N@SECONDS,... "
                        "(N up to %d)\n",
                        KS_LOAD_MAX_MEMBERS);
                return -1;
            }
            break;
        case O_CONTROL:
            o->control = optarg;
            break;
        case O_REPORT:
            o->report = optarg;
            break;
        case O_AUDIT:
            o->audit = true;
            break;
        case O_JSON:
            o->json = true;
            break;
        case O_DURATION:
        case O_DRAIN: {
            double v = strtod(optarg, &end);
            if (end == optarg || *end || v <= 0) {
                fprintf(stderr, "ksight: load: %s: expected seconds\n", argv[optind - 1]);
                return -1;
            }
            *(c == O_DURATION ? &o->duration_s : &o->drain_timeout_s) = v;
            break;
        }
        case '?':
        case ':':
            fprintf(stderr, "ksight: load: bad option %s (see ksight load --help)\n",
                    argv[optind - 1]);
            return -1;
        default:
            if (c >= O_TOPIC && c <= O_QUIET && keys[c - O_TOPIC]) {
                if (set_spec(o, keys[c - O_TOPIC], optarg))
                    return -1;
                topic = topic || c == O_TOPIC;
                break;
            }
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "ksight: load: unexpected argument \"%s\"\n", argv[optind]);
        return -1;
    }
    if (!topic) {
        fprintf(stderr, "ksight: load: --topic is required\n");
        return -1;
    }
    return 0;
}

/* ---- the run ---- */

typedef struct run {
    ks_load_service *svc;
    const ks_target *target;
    int fifo;
    char line[512];
    size_t linelen;
} run;

static void send(run *r, ks_cmd_kind kind, int64_t i, const char *s)
{
    ks_cmd cmd = {.kind = kind, .i = i, .s = (char *)s};
    service_load_ops.command(r->svc, r->target, NULL, &cmd);
}

static void control_line(run *r, char *line, bool *stop)
{
    char word[32] = "";
    long arg = -1;
    int n = sscanf(line, "%31s %ld", word, &arg);

    if (n < 1)
        return;
    if (!strcmp(word, "consumers") && n == 2)
        send(r, KS_CMD_LOAD_CONSUMERS, arg, NULL);
    else if (!strcmp(word, "add"))
        send(r, KS_CMD_LOAD_CONSUMER_ADD, n == 2 ? arg : 1, NULL);
    else if (!strcmp(word, "remove"))
        send(r, KS_CMD_LOAD_CONSUMER_REMOVE, arg, NULL);
    else if (!strcmp(word, "kill"))
        send(r, KS_CMD_LOAD_CONSUMER_KILL, arg, NULL);
    else if (!strcmp(word, "rate") && n == 2)
        send(r, KS_CMD_LOAD_RATE, arg, NULL);
    else if (!strcmp(word, "stop-producers"))
        send(r, KS_CMD_LOAD_PRODUCERS_STOP, 0, NULL);
    else if (!strcmp(word, "stop"))
        *stop = true;
    else
        fprintf(stderr, "ksight: load: --control: unknown command \"%s\"\n", word);
}

static void control_read(run *r, bool *stop)
{
    char buf[256];
    ssize_t n;

    while (r->fifo >= 0 && (n = read(r->fifo, buf, sizeof(buf))) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] == '\n') {
                r->line[r->linelen] = '\0';
                control_line(r, r->line, stop);
                r->linelen = 0;
            } else if (r->linelen + 1 < sizeof(r->line)) {
                r->line[r->linelen++] = buf[i];
            }
        }
    }
}

static void progress(const ks_load_stats *st, bool clear)
{
    char line[256];
    if (clear) {
        fputs("\r\033[K", stderr);
        return;
    }
    load_report_progress(st, line, sizeof(line));
    fprintf(stderr, "\r\033[K%.*s", 200, line);
    fflush(stderr);
}

int cli_load(const ks_target *target, bool read_only, int argc, char **argv)
{
    cli_opts o = {.drain_timeout_s = 60};
    ks_load_stats *st = xmalloc(sizeof(*st));
    ks_load_rebalance *reb = NULL;
    ks_load *load;
    run r = {.target = target, .fifo = -1};
    struct sigaction sa = {.sa_handler = on_signal}, old_int, old_term;
    bool tty = isatty(STDERR_FILENO), stop_now = false, producers_stopped = false, drained = false;
    int64_t t0, producers_done_at = -1, last_progress = 0;
    double drain_s = -1;
    int next_step = 0, rc;
    bool want_consumers;
    char *text, why[256];

    load_spec_defaults(&o.spec);
    rc = parse_args(&o, argc, argv);
    if (rc) {
        free(st);
        return rc > 0 ? 0 : 2;
    }
    if (o.nsteps && o.steps[0].at_ms == 0)
        o.spec.consumers = o.steps[next_step++].count; /* the first step is the start */
    if (load_spec_check(&o.spec, why, sizeof(why)) != 0) {
        fprintf(stderr, "ksight: load: %s\n", why);
        free(st);
        return 2;
    }
    if (read_only) {
        fprintf(stderr, "ksight: load: --read-only: a load run writes to the cluster, refused\n");
        free(st);
        return 2;
    }
    o.spec.stop_when_drained = true;
    /* a run that expects consumers is not over before one has joined */
    want_consumers = o.control || o.spec.consumers > 0;
    for (int i = 0; i < o.nsteps; i++)
        want_consumers = want_consumers || o.steps[i].count > 0;
    if (o.control && (r.fifo = open(o.control, O_RDWR | O_NONBLOCK | O_CLOEXEC)) < 0) {
        fprintf(stderr, "ksight: load: --control %s: %s\n", o.control, strerror(errno));
        free(st);
        return 2;
    }

    load = load_new();
    r.svc = service_load_new(load);
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);

    text = load_spec_format(&o.spec);
    send(&r, KS_CMD_LOAD_START, 0, text);
    free(text);
    t0 = clock_mono_ms();
    for (;;) {
        load_stats(load, st);
        if (st->state == LOAD_FAILED || st->state == LOAD_IDLE || interrupted > 1)
            break;
        int64_t now = clock_mono_ms(), elapsed = now - t0;
        while (next_step < o.nsteps && elapsed >= o.steps[next_step].at_ms)
            send(&r, KS_CMD_LOAD_CONSUMERS, o.steps[next_step++].count, NULL);
        control_read(&r, &stop_now);
        if (stop_now)
            break;
        if (!producers_stopped &&
            (interrupted || (o.duration_s > 0 && elapsed >= o.duration_s * 1000))) {
            send(&r, KS_CMD_LOAD_PRODUCERS_STOP, 0, NULL);
            producers_stopped = true;
        }
        if (st->producers_done && producers_done_at < 0)
            producers_done_at = now;
        bool steps_done = next_step == o.nsteps;
        if (st->drained && steps_done && st->producers_done && !st->rebalancing &&
            (st->nmembers > 0 || !want_consumers)) {
            drained = true;
            drain_s = (double)(now - producers_done_at) / 1000.0;
            break;
        }
        if (producers_done_at >= 0 && steps_done &&
            now - producers_done_at > (int64_t)(o.drain_timeout_s * 1000))
            break;
        if (tty && now - last_progress >= 500) {
            progress(st, false);
            last_progress = now;
        }
        load_wait(load, st->version, 10); /* the end of the run wakes it at once */
    }
    if (tty)
        progress(st, true);
    send(&r, KS_CMD_LOAD_STOP, 0, NULL);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);

    load_stats(load, st);
    reb = xmalloc(KS_LOAD_MAX_REBALANCES * sizeof(*reb));
    ks_load_result res = {.st = st,
                          .reb = reb,
                          .nreb = load_rebalances(load, reb, KS_LOAD_MAX_REBALANCES),
                          .audit = st->audit_valid ? load_audit(load) : NULL,
                          .drained = drained,
                          .drain_s = drain_s};
    if (st->state == LOAD_FAILED || (st->error[0] && st->produced == 0 && st->consumed == 0)) {
        fprintf(stderr, "ksight: load: %s\n", st->error[0] ? st->error : "the run failed");
        rc = 1;
    } else {
        if (o.json) {
            json_t *doc = load_report_json(&res);
            json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
            fputc('\n', stdout);
            json_decref(doc);
        } else {
            load_report_text(&res, o.audit, stdout);
        }
        rc = drained ? 0 : 1;
        if (!drained)
            fprintf(stderr, "ksight: load: the group did not drain%s\n",
                    interrupted ? " (interrupted)" : "");
        bool bad =
            st->audit_valid &&
            (st->audit.lost > 0 ||
             (o.spec.idempotent && (st->audit.log_duplicates > 0 || st->audit.out_of_order > 0)));
        if (o.audit && bad)
            rc = 3;
    }
    if (o.report) {
        json_t *doc = load_report_full(&res);
        if (json_dump_file(doc, o.report,
                           JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12)) != 0) {
            fprintf(stderr, "ksight: load: cannot write %s\n", o.report);
            rc = rc ? rc : 1;
        }
        json_decref(doc);
    }
    fflush(stdout);
    if (r.fifo >= 0)
        close(r.fifo);
    service_load_free(r.svc);
    load_free(load);
    free(reb);
    free(st);
    return rc;
}
