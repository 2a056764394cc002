/* poller_groups: the consumer-group poller, each round in a worker process.
 *
 * DESIGN: librdkafka 2.0.2 (Debian 12) has a use-after-free in the error
 * path of coordinator-bound admin requests (DescribeConsumerGroups,
 * ListConsumerGroupOffsets): when a coordinator's connection drops during a
 * request — a broker restart — librdkafka asserts or crashes
 * (confluentinc/librdkafka#4605, unfixed in any release). Watching a
 * rolling restart is what ksight is for, so the round runs in a child
 * (`ksight --groups-worker`, this same binary): it reads its configuration
 * as JSON on stdin (secrets never reach argv), runs group_round_run() and
 * writes the part as JSON on stdout. A crash costs one round, which is
 * retried at once and otherwise reported as the part's error.
 * The poller thread owns the child for the duration of the round. */
#define _GNU_SOURCE /* pipe2 */
#include "poller_groups.h"
#include "lagclock.h"
#include "clock.h"
#include "group_round.h"
#include "groups_wire.h"
#include "kafka_conf.h"
#include "snapshot.h"
#include "xmalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define WORKER_OUTPUT_MAX (256u << 20)

extern char **environ;

static const char *worker_path = "/proc/self/exe";

void poller_groups_set_worker(const char *path)
{
    worker_path = path;
}

/* The configuration document the worker reads on stdin. */
static char *config_encode(const ks_kafka_poller_cfg *cfg)
{
    json_t *props = json_array(), *doc;
    char *text;

    for (int i = 0; cfg->kafka.props && i < cfg->kafka.props->n; i++)
        json_array_append_new(props, json_pack("[s,s]", cfg->kafka.props->keys[i],
                                               cfg->kafka.props->vals[i]));
    doc = json_pack("{s:s?,s:i,s:o}", "bootstrap", cfg->kafka.bootstrap, "timeout_ms",
                    cfg->timeout_ms, "props", props);
    text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    return text;
}

static pid_t worker_spawn(int *to_child, int *from_child, char *errstr, size_t errstr_size)
{
    int in[2], out[2], rc;
    pid_t pid;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t none, def;
    char *argv[] = {"ksight", "--groups-worker", NULL};

    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) {
        snprintf(errstr, errstr_size, "pipe: %s", strerror(errno));
        return -1;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    /* the worker's stderr must never reach the dashboard's terminal */
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    posix_spawnattr_init(&attr);
    sigemptyset(&none); /* poller threads block every signal; the worker must not */
    sigemptyset(&def);
    sigaddset(&def, SIGPIPE);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &def);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    rc = posix_spawn(&pid, worker_path, &fa, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    close(in[0]);
    close(out[1]);
    if (rc != 0) {
        snprintf(errstr, errstr_size, "cannot start the group worker %s: %s", worker_path,
                 strerror(rc));
        close(in[1]);
        close(out[0]);
        return -1;
    }
    *to_child = in[1];
    *from_child = out[0];
    return pid;
}

/* Reads the worker's whole output until EOF, the deadline, or a stop. */
static char *worker_read(int fd, int64_t deadline, size_t *len, bool *timed_out)
{
    size_t cap = 64 * 1024, n = 0;
    char *buf = xmalloc(cap);
    struct pollfd pfd = {.fd = fd, .events = POLLIN};

    *timed_out = false;
    for (;;) {
        int64_t left = deadline - clock_mono_ms();
        ssize_t r;

        if (left <= 0 || poller_stopping()) {
            *timed_out = true;
            break;
        }
        if (poll(&pfd, 1, left > 200 ? 200 : (int)left) <= 0)
            continue;
        if (n + 1 >= cap) {
            if (cap >= WORKER_OUTPUT_MAX)
                break;
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
        r = read(fd, buf + n, cap - n - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* One round through a worker. Returns the part, or NULL with errstr; sets
 * *crashed when the worker died of a signal (worth retrying at once). */
static ks_groups *worker_round(const ks_kafka_poller_cfg *cfg, bool *crashed, char *errstr,
                               size_t errstr_size)
{
    int to_child, from_child, status = 0;
    char *config = config_encode(cfg), *out;
    size_t len, off = 0, clen = strlen(config);
    bool timed_out;
    pid_t pid = worker_spawn(&to_child, &from_child, errstr, errstr_size);
    ks_groups *gs = NULL;
    json_error_t jerr;
    json_t *doc;

    *crashed = false;
    if (pid < 0) {
        free(config);
        return NULL;
    }
    /* a dead worker makes this write fail with EPIPE (SIGPIPE is blocked here) */
    while (off < clen) {
        ssize_t w = write(to_child, config + off, clen - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    close(to_child);
    free(config);
    out = worker_read(from_child, clock_mono_ms() + 2 * (int64_t)cfg->timeout_ms + 5000, &len,
                      &timed_out);
    close(from_child);
    if (timed_out)
        kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (timed_out) {
        snprintf(errstr, errstr_size, "the group poll did not finish in time");
    } else if (WIFSIGNALED(status)) {
        *crashed = true;
        snprintf(errstr, errstr_size,
                 "the group poll crashed (signal %d): librdkafka 2.0.2 fails on admin requests "
                 "whose coordinator restarts (librdkafka#4605)",
                 WTERMSIG(status));
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(errstr, errstr_size, "the group worker exited with status %d",
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    } else if (!(doc = json_loadb(out, len, 0, &jerr))) {
        snprintf(errstr, errstr_size, "unreadable group data from the worker: %s", jerr.text);
    } else {
        gs = groups_wire_decode(doc, errstr, errstr_size);
        json_decref(doc);
    }
    free(out);
    return gs;
}

/* The poller thread's state: its configuration and the lag clock it keeps
 * across rounds (the worker process that polls is new each round). */
typedef struct groups_state {
    const ks_kafka_poller_cfg *cfg;
    ks_lagclock *clock;
} groups_state;

static void *groups_open(void *cfg, ks_store *store)
{
    groups_state *st = xcalloc(1, sizeof(*st));
    (void)store;
    st->cfg = cfg;
    st->clock = lagclock_new();
    return st;
}

static void groups_close(void *state)
{
    groups_state *st = state;
    lagclock_free(st->clock);
    free(st);
}

static void groups_poll(void *state, ks_store *store)
{
    groups_state *st = state;
    const ks_kafka_poller_cfg *cfg = st->cfg;
    char err[512] = "";
    bool crashed = false;
    int64_t t0 = clock_mono_ms();
    ks_groups *gs = worker_round(cfg, &crashed, err, sizeof(err));

    if (!gs && crashed && !poller_stopping()) /* the crash is transient: one more try */
        gs = worker_round(cfg, &crashed, err, sizeof(err));
    if (!gs) {
        gs = groups_new();
        part_set_error(gs, "%s", err);
        gs->part.taken_ms = clock_wall_ms();
        gs->part.poll_ms = clock_mono_ms() - t0;
    }
    lagclock_fill(st->clock, store, gs);
    store_publish(store, KS_PART_GROUPS, gs);
}

const ks_poller_ops poller_groups_ops = {
    .name = "groups",
    .open = groups_open,
    .poll = groups_poll,
    .close = groups_close,
};

int groups_worker_main(void)
{
    json_error_t jerr;
    json_t *doc = json_loadf(stdin, 0, &jerr), *props, *kv;
    ks_props kprops = {0};
    ks_kafka_poller_cfg cfg = {0};
    ks_groups *gs;
    json_t *out;
    size_t i;
    int rc;

    if (!doc || json_unpack(doc, "{s:s,s:i,s:o}", "bootstrap", &cfg.kafka.bootstrap, "timeout_ms",
                            &cfg.timeout_ms, "props", &props) != 0 ||
        !json_is_array(props)) {
        json_decref(doc);
        return 2;
    }
    json_array_foreach(props, i, kv)
    {
        const char *k = json_string_value(json_array_get(kv, 0)),
                   *v = json_string_value(json_array_get(kv, 1));
        if (k && v)
            props_set(&kprops, k, v);
    }
    cfg.kafka.props = &kprops;
    gs = group_round_run(&cfg);
    out = groups_wire_encode(gs);
    rc = json_dumpf(out, stdout, JSON_COMPACT) == 0 && fflush(stdout) == 0 ? 0 : 1;
    json_decref(out);
    part_unref(gs);
    props_free(&kprops);
    json_decref(doc);
    return rc;
}
