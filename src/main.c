/* main: the command line, the choice of mode, and the only exit().
 *
 *   ksight [OPTIONS]                      interactive dashboard
 *   ksight --demo                         dashboard on an in-process mock cluster
 *   ksight [OPTIONS] snapshot [--json]    poll once and print
 *   ksight [OPTIONS] tail TOPIC [...]     print a topic's messages, decoded
 *   ksight [OPTIONS] rebalances [...]     print each consumer group rebalance as it ends
 */
#include "cli_load.h"
#include "cli_rebalances.h"
#include "cli_snapshot.h"
#include "cli_tail.h"
#include "clock.h"
#include "config.h"
#include "coordlog.h"
#include "engine.h"
#include "group_history.h"
#include "kafka_conf.h"
#include "log.h"
#include "poller_groups.h"
#include "registry_http.h"
#include "xmalloc.h"
#include "service_load.h"
#include "service_tail.h"
#ifdef KSIGHT_HAVE_UI
#include "app.h"
#include "demo_cluster.h"
#include "diff.h"
#endif

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ks_cli_opts {
    ks_target target;
    char *config_path;
    char *profile;
    char *theme;
    char *log_path;
    bool read_only, demo, snapshot, json;
    double interval_s, timeout_s;
} ks_cli_opts;

static void usage(FILE *out)
{
    fprintf(out,
            "usage: ksight [OPTIONS] [snapshot [--json]]\n"
            "\n"
            "A terminal dashboard for Apache Kafka: brokers, topics, partitions and ISR,\n"
            "consumer groups and lag, ZooKeeper roles, the schema registry.\n"
            "\n"
            "Options:\n"
            "  -b, --bootstrap HOST:PORT[,..]  Kafka bootstrap servers\n"
            "  -X PROP=VALUE                   librdkafka property (repeatable), as kcat -X\n"
            "  -F FILE                         librdkafka properties file (key=value, # comments)\n"
            "  -z, --zookeeper HOST:PORT[,..]  ZooKeeper ensemble to watch (four-letter words)\n"
            "  -r, --registry URL              Confluent-compatible schema registry\n"
            "  -p, --profile NAME              profile from the config file\n"
            "  -c, --config FILE               config file (default $XDG_CONFIG_HOME/ksight/config)\n"
            "  -t, --theme NAME                colour theme (default, light, high-contrast, mono)\n"
            "  -i, --interval SECONDS          refresh interval (default 2)\n"
            "  -T, --timeout SECONDS           network timeout per poll (default 10)\n"
            "      --read-only                 refuse every action that writes to the cluster\n"
            "      --demo                      open the dashboard on an in-process mock cluster\n"
            "      --log FILE                  append ksight's and librdkafka's log to FILE\n"
            "      --no-coordinator-log        do not read __consumer_offsets for group generations\n"
            "  -h, --help                      this help\n"
            "  -V, --version                   print the version\n"
            "\n"
            "Commands:\n"
            "  (none)                          the interactive dashboard\n"
            "  snapshot [--json]               poll once and print what the dashboard shows\n"
            "  tail TOPIC [OPTIONS]            print TOPIC's messages decoded (ksight tail --help)\n"
            "  load --topic T [...]            producers, a consumer group and a delivery audit\n"
            "                                  (ksight load --help)\n"
            "  rebalances [--group G] [...]    print each consumer group rebalance as it ends\n"
            "                                  (ksight rebalances --help)\n"
            "\n"
            "See ksight(1) for keys and files.\n");
}

static double parse_seconds(const char *arg, const char *what)
{
    char *end;
    double v = strtod(arg, &end);
    if (end == arg || *end || v <= 0 || v > 86400) {
        fprintf(stderr, "ksight: %s: expected a number of seconds, got \"%s\"\n", what, arg);
        exit(2);
    }
    return v;
}

static void set_str(char **slot, const char *val)
{
    free(*slot);
    *slot = xstrdup(val);
}

/* Parses global options up to the first command word; returns its index. */
static int parse_options(ks_cli_opts *o, int argc, char **argv)
{
    enum { OPT_READ_ONLY = 256, OPT_DEMO, OPT_LOG, OPT_SNAPSHOT, OPT_JSON, OPT_NO_COORD };
    static const struct option longopts[] = {
        {"bootstrap", required_argument, NULL, 'b'}, {"zookeeper", required_argument, NULL, 'z'},
        {"registry", required_argument, NULL, 'r'},  {"profile", required_argument, NULL, 'p'},
        {"config", required_argument, NULL, 'c'},    {"theme", required_argument, NULL, 't'},
        {"interval", required_argument, NULL, 'i'},  {"timeout", required_argument, NULL, 'T'},
        {"read-only", no_argument, NULL, OPT_READ_ONLY}, {"demo", no_argument, NULL, OPT_DEMO},
        {"log", required_argument, NULL, OPT_LOG},   {"snapshot", no_argument, NULL, OPT_SNAPSHOT},
        {"json", no_argument, NULL, OPT_JSON},
        {"no-coordinator-log", no_argument, NULL, OPT_NO_COORD},
        {"help", no_argument, NULL, 'h'},            {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    char err[512];
    int c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "+b:X:F:z:r:p:c:t:i:T:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'b': set_str(&o->target.bootstrap, optarg); break;
        case 'z': set_str(&o->target.zookeeper, optarg); break;
        case 'r': set_str(&o->target.registry, optarg); break;
        case 'p': set_str(&o->profile, optarg); break;
        case 'c': set_str(&o->config_path, optarg); break;
        case 't': set_str(&o->theme, optarg); break;
        case 'i': o->interval_s = parse_seconds(optarg, "--interval"); break;
        case 'T': o->timeout_s = parse_seconds(optarg, "--timeout"); break;
        case OPT_READ_ONLY: o->read_only = true; break;
        case OPT_DEMO: o->demo = true; break;
        case OPT_LOG: set_str(&o->log_path, optarg); break;
        case OPT_SNAPSHOT: o->snapshot = true; break; /* same as the command */
        case OPT_JSON: o->json = true; break;
        case OPT_NO_COORD: o->target.no_coordinator_log = true; break;
        case 'X':
            if (props_add_kv(&o->target.props, optarg, err, sizeof(err)) != 0) {
                fprintf(stderr, "ksight: -X: %s\n", err);
                exit(2);
            }
            break;
        case 'F':
            if (props_load_file(&o->target.props, optarg, err, sizeof(err)) != 0) {
                fprintf(stderr, "ksight: -F: %s\n", err);
                exit(2);
            }
            break;
        case 'h': usage(stdout); exit(0);
        case 'V': printf("ksight %s\n", KSIGHT_VERSION); exit(0);
        case ':':
            fprintf(stderr, "ksight: option %s needs a value (see ksight --help)\n",
                    argv[optind - 1]);
            exit(2);
        default:
            if (optopt && optopt < 256)
                fprintf(stderr, "ksight: unknown option -%c (see ksight --help)\n", optopt);
            else
                fprintf(stderr, "ksight: unknown option %s (see ksight --help)\n",
                        argv[optind - 1]);
            exit(2);
        }
    }
    return optind;
}

/* Profile values fill what the command line left unset; -X wins over the profile. */
static void apply_profile(ks_cli_opts *o, ks_config *cfg)
{
    char err[512];
    char *path = o->config_path ? xstrdup(o->config_path) : config_default_path();
    const char *name;
    const ks_profile *p;
    ks_props cli_props = {0};

    if (config_load(cfg, path, err, sizeof(err)) != 0) {
        fprintf(stderr, "ksight: %s\n", err);
        exit(2);
    }
    if (o->config_path && !cfg->path) {
        fprintf(stderr, "ksight: config file %s does not exist\n", path);
        exit(2);
    }
    free(path);
    name = o->profile ? o->profile : (!o->target.bootstrap ? cfg->default_profile : NULL);
    if (!name)
        return;
    if (!(p = config_profile(cfg, name))) {
        fprintf(stderr, "ksight: no profile named \"%s\" in %s\n", name,
                cfg->path ? cfg->path : "the config file (none found)");
        exit(2);
    }
    set_str(&o->target.name, p->name);
    if (!o->target.bootstrap)
        set_str(&o->target.bootstrap, p->bootstrap);
    if (!o->target.zookeeper)
        set_str(&o->target.zookeeper, p->zookeeper);
    if (!o->target.registry)
        set_str(&o->target.registry, p->registry);
    if (!o->theme)
        set_str(&o->theme, p->theme);
    o->read_only = o->read_only || p->read_only;
    props_copy(&cli_props, &p->props);
    props_copy(&cli_props, &o->target.props);
    props_free(&o->target.props);
    o->target.props = cli_props;
}

/* The headless commands past snapshot: each needs a cluster unless asked
 * for its --help, and logs to --log only. */
static const char *const headless[] = {"load", "rebalances", "tail"};

static bool is_headless(const char *name)
{
    for (size_t i = 0; i < sizeof(headless) / sizeof(headless[0]); i++)
        if (!strcmp(name, headless[i]))
            return true;
    return false;
}

static int run_headless(ks_cli_opts *o, int argc, char **argv)
{
    bool help = argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"));
    int rc;

    if (!o->target.bootstrap && !help) {
        fprintf(stderr, "ksight: %s needs -b BOOTSTRAP (or a profile)\n", argv[0]);
        exit(2);
    }
    log_init(NULL, o->log_path, false, KS_SEV_ERROR);
    if (!strcmp(argv[0], "load"))
        rc = cli_load(&o->target, o->read_only, argc, argv);
    else if (!strcmp(argv[0], "tail"))
        rc = cli_tail(&o->target, argc, argv);
    else
        rc = cli_rebalances(&o->target, argc, argv);
    log_close();
    return rc;
}

#ifdef KSIGHT_HAVE_UI
typedef struct publish_ctx {
    ks_timeline *tl;
    ks_group_history *history;
} publish_ctx;

static void on_publish(const ks_snapshot *old, const ks_snapshot *snap, void *ctx)
{
    publish_ctx *pc = ctx;
    int64_t now = clock_wall_ms();

    diff_snapshots(old, snap, pc->tl, now);
    if (!old || old->groups != snap->groups)
        group_history_observe(pc->history, old ? old->groups : NULL, snap->groups, now);
}

static int run_dashboard(ks_cli_opts *o, const ks_config *cfg)
{
    ks_timeline *tl = timeline_new(2000);
    ks_store *store = store_new();
    ks_cmdq *cmdq = cmdq_new();
    ks_tail *tail = tail_new(0, 0);
    ks_schema_view *schemas = schema_view_new();
    ks_load *load = load_new();
    ks_tail_service *tail_svc = service_tail_new(tail, schemas);
    ks_load_service *load_svc = service_load_new(load);
    publish_ctx pc = {.tl = tl, .history = group_history_new(tl)};
    ks_service services[] = {{&service_tail_ops, tail_svc}, {&service_load_ops, load_svc}};
    ks_demo *demo = NULL;
    ks_engine *engine;
    char err[512];
    int rc;

    log_init(tl, o->log_path, false, KS_SEV_ERROR);
    store_set_listener(store, on_publish, &pc);
    load_set_read_only(load, o->read_only);
    load_set_timeline(load, tl); /* rebalances and kills in the timeline view */
    if (o->demo) {
        demo = demo_start(store, err, sizeof(err));
        if (!demo) {
            fprintf(stderr, "ksight: --demo: %s\n", err);
            return 1;
        }
        set_str(&o->target.bootstrap, demo_bootstrap(demo));
        o->target.groups = false; /* the mock has no ListGroups: the demo publishes its own */
    }
    engine = engine_start(&o->target, store, tl, cmdq, cfg, services, 2);
    if (!o->demo) /* the mock cluster keeps no __consumer_offsets */
        engine_follow_coordinator(engine, coordlog_to_history, pc.history);
    rc = app_run(&(ks_app_opts){
        .store = store,
        .timeline = tl,
        .cmdq = cmdq,
        .config = cfg,
        .profile = o->target.name,
        .bootstrap = o->demo ? "demo (mock cluster)" : o->target.bootstrap,
        .theme = o->theme,
        .themes_dir = KSIGHT_THEMES_DIR,
        .source_themes_dir = KSIGHT_SOURCE_THEMES_DIR,
        .read_only = o->read_only,
        .demo = o->demo,
        .zk_configured = o->target.zookeeper != NULL,
        .registry_configured = o->target.registry != NULL,
        .interval_ms = o->target.interval_ms,
        .tail = tail,
        .load = load,
        .schema_view = schemas,
        .group_history = pc.history,
    });
    engine_stop(engine); /* stops the services' workers and the coordinator log too */
    demo_stop(demo);
    service_tail_free(tail_svc);
    service_load_free(load_svc);
    tail_free(tail);
    schema_view_free(schemas);
    load_free(load);
    store_set_listener(store, NULL, NULL);
    store_free(store);
    group_history_free(pc.history); /* after the store: its listener feeds the history */
    cmdq_free(cmdq);
    log_close();
    timeline_free(tl);
    return rc;
}
#endif

int main(int argc, char **argv)
{
    ks_cli_opts o = {.interval_s = 2, .timeout_s = 10};
    ks_config cfg = {0};
    int cmd, rc;

    /* the group worker process (see poller_groups.c): nothing else runs */
    if (argc == 2 && !strcmp(argv[1], "--groups-worker"))
        return groups_worker_main();
    if (getenv("KSIGHT_GROUPS_WORKER")) /* tests: a worker that crashes on purpose */
        poller_groups_set_worker(getenv("KSIGHT_GROUPS_WORKER"));
    o.target.groups = true;
    registry_http_global_init(); /* libcurl's global state, before any thread */
    cmd = parse_options(&o, argc, argv);
    apply_profile(&o, &cfg);
    {
        char err[512];
        if (kafka_check_props(&o.target.props, err, sizeof(err)) != 0) {
            fprintf(stderr, "ksight: %s\n", err);
            exit(2);
        }
    }
    o.target.interval_ms = (int)(o.interval_s * 1000);
    o.target.timeout_ms = (int)(o.timeout_s * 1000);

    if (o.snapshot || (cmd < argc && !strcmp(argv[cmd], "snapshot"))) {
        char *args[] = {"snapshot", o.json ? "--json" : NULL, NULL};
        if (!o.target.bootstrap) {
            fprintf(stderr, "ksight: snapshot needs -b BOOTSTRAP (or a profile)\n");
            exit(2);
        }
        log_init(NULL, o.log_path, false, KS_SEV_ERROR);
        rc = cmd < argc ? cli_snapshot(&o.target, argc - cmd, argv + cmd)
                        : cli_snapshot(&o.target, o.json ? 2 : 1, args);
        log_close();
    } else if (cmd < argc && is_headless(argv[cmd])) {
        rc = run_headless(&o, argc - cmd, argv + cmd);
    } else if (cmd < argc) {
        fprintf(stderr, "ksight: unknown command \"%s\" (see ksight --help)\n", argv[cmd]);
        rc = 2;
    } else {
#ifdef KSIGHT_HAVE_UI
        if (!o.target.bootstrap && !o.demo) {
            fprintf(stderr, "ksight: no cluster given: use -b HOST:PORT, --profile NAME or "
                            "--demo\n");
            exit(2);
        }
        rc = run_dashboard(&o, &cfg);
#else
        fprintf(stderr, "ksight: this build has no dashboard\n");
        rc = 2;
#endif
    }
    target_free(&o.target);
    free(o.config_path);
    free(o.profile);
    free(o.theme);
    free(o.log_path);
    config_free(&cfg);
    exit(rc);
}
