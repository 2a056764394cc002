/* test_poller: the generic poller thread, and the ZooKeeper and registry pollers
 * end to end against servers run inside the test (TCP listeners with canned
 * srvr replies, a minimal HTTP/1.1 server with canned registry routes). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "poller.h"
#include "poller_registry.h"
#include "poller_zk.h"
#include "registry_http.h"
#include "snapshot.h"
#include "store.h"
#include "zk_4lw.h"

/* ---------------------------------------------------------------------------
 * generic poller with fake ops
 * ------------------------------------------------------------------------- */

typedef struct fake {
    atomic_int rounds;
    atomic_int in_poll;      /* > 1 would mean overlapping rounds */
    atomic_int max_in_poll;
    atomic_int closes;
    atomic_bool close_on_poller_thread;
    atomic_bool saw_stopping;
    int poll_ms;             /* how long a round takes */
    bool wait_for_stop;      /* a round that lasts until poller_stopping() */
    pthread_t thread;
} fake;

static void *fake_open(void *cfg, ks_store *store)
{
    fake *f = cfg;
    (void)store;
    f->thread = pthread_self();
    return f;
}

static void fake_poll(void *state, ks_store *store)
{
    fake *f = state;
    int now = atomic_fetch_add(&f->in_poll, 1) + 1;

    (void)store;
    if (now > atomic_load(&f->max_in_poll))
        atomic_store(&f->max_in_poll, now);
    if (f->poll_ms)
        clock_sleep_ms(f->poll_ms);
    while (f->wait_for_stop && !poller_stopping())
        clock_sleep_ms(2);
    if (poller_stopping())
        atomic_store(&f->saw_stopping, true);
    atomic_fetch_sub(&f->in_poll, 1);
    atomic_fetch_add(&f->rounds, 1);
}

static void fake_close(void *state)
{
    fake *f = state;
    atomic_fetch_add(&f->closes, 1);
    atomic_store(&f->close_on_poller_thread, pthread_equal(pthread_self(), f->thread));
}

static const ks_poller_ops fake_ops = {
    .name = "test-fake-poller-long-name",
    .open = fake_open,
    .poll = fake_poll,
    .close = fake_close,
};

/* Waits up to ms for rounds >= n; returns the count seen. */
static int wait_rounds(fake *f, int n, int ms)
{
    int64_t end = clock_mono_ms() + ms;
    while (atomic_load(&f->rounds) < n && clock_mono_ms() < end)
        clock_sleep_ms(1);
    return atomic_load(&f->rounds);
}

static void test_poller_interval(void **state)
{
    fake f = {0};
    ks_poller *p;
    int rounds;

    (void)state;
    p = poller_start(&fake_ops, &f, NULL, 50);
    clock_sleep_ms(275); /* rounds at 0, 50, ..., 250 */
    rounds = atomic_load(&f.rounds);
    poller_stop(p);
    assert_in_range(rounds, 3, 7);
    assert_int_equal(atomic_load(&f.closes), 1);
    assert_true(atomic_load(&f.close_on_poller_thread));
    assert_false(poller_stopping()); /* not a poller thread */
}

static void test_poller_kick(void **state)
{
    fake f = {0};
    ks_poller *p = poller_start(&fake_ops, &f, NULL, 60000);

    (void)state;
    assert_int_equal(wait_rounds(&f, 1, 1000), 1); /* the first round runs at once */
    clock_sleep_ms(30);
    assert_int_equal(atomic_load(&f.rounds), 1);
    int64_t t0 = clock_mono_ms();
    poller_kick(p);
    assert_int_equal(wait_rounds(&f, 2, 1000), 2);
    assert_true(clock_mono_ms() - t0 < 100);
    clock_sleep_ms(30);
    assert_int_equal(atomic_load(&f.rounds), 2); /* one kick, one round */
    assert_int_equal(poller_rounds(p), 2);
    poller_stop(p);
}

static void test_poller_kick_during_round(void **state)
{
    fake f = {.poll_ms = 80};
    ks_poller *p = poller_start(&fake_ops, &f, NULL, 60000);

    (void)state;
    clock_sleep_ms(20); /* inside the first round */
    poller_kick(p);
    poller_kick(p); /* kicks coalesce */
    assert_int_equal(wait_rounds(&f, 2, 1000), 2);
    clock_sleep_ms(150);
    assert_int_equal(atomic_load(&f.rounds), 2);
    poller_stop(p);
}

static void test_poller_set_interval(void **state)
{
    fake f = {0};
    ks_poller *p = poller_start(&fake_ops, &f, NULL, 60000);

    (void)state;
    assert_int_equal(wait_rounds(&f, 1, 1000), 1);
    assert_int_equal(poller_interval(p), 60000);
    poller_set_interval(p, 20); /* applies to the wait in progress */
    assert_true(wait_rounds(&f, 4, 1000) >= 4);
    poller_set_interval(p, 60000);
    clock_sleep_ms(30);
    int frozen = atomic_load(&f.rounds);
    clock_sleep_ms(100);
    assert_int_equal(atomic_load(&f.rounds), frozen);
    poller_stop(p);
}

static void test_poller_interval_zero_only_kicks(void **state)
{
    fake f = {0};
    ks_poller *p = poller_start(&fake_ops, &f, NULL, 0);

    (void)state;
    assert_int_equal(wait_rounds(&f, 1, 1000), 1);
    clock_sleep_ms(50);
    assert_int_equal(atomic_load(&f.rounds), 1);
    poller_kick(p);
    assert_int_equal(wait_rounds(&f, 2, 1000), 2);
    poller_stop(p);
}

static void test_poller_slow_rounds_do_not_overlap(void **state)
{
    fake f = {.poll_ms = 30};
    ks_poller *p = poller_start(&fake_ops, &f, NULL, 5); /* shorter than a round */

    (void)state;
    for (int i = 0; i < 10; i++) {
        poller_kick(p);
        clock_sleep_ms(7);
    }
    wait_rounds(&f, 4, 1000);
    poller_stop(p);
    assert_int_equal(atomic_load(&f.max_in_poll), 1);
}

static void test_poller_stop_latency(void **state)
{
    fake f = {0};
    ks_poller *p = poller_start(&fake_ops, &f, NULL, 60000);

    (void)state;
    assert_int_equal(wait_rounds(&f, 1, 1000), 1);
    int64_t t0 = clock_mono_ms();
    poller_stop(p);
    assert_true(clock_mono_ms() - t0 < 100);
    assert_int_equal(atomic_load(&f.closes), 1);
    poller_stop(NULL);
}

static void test_poller_stop_long_round(void **state)
{
    fake f = {.wait_for_stop = true};
    ks_poller *p = poller_start(&fake_ops, &f, NULL, 1000);

    (void)state;
    clock_sleep_ms(30);
    int64_t t0 = clock_mono_ms();
    poller_stop(p);
    assert_true(clock_mono_ms() - t0 < 100);
    assert_true(atomic_load(&f.saw_stopping));
    assert_int_equal(atomic_load(&f.closes), 1);
}

/* ---------------------------------------------------------------------------
 * a TCP listener thread with a canned srvr reply
 * ------------------------------------------------------------------------- */

typedef struct fake_zk {
    int fd;
    int port;
    const char *reply; /* NULL: accept and never answer */
    pthread_t thread;
    atomic_bool stop;
    atomic_int served;
    int held[16]; /* connections left open by the silent server */
    int nheld;
} fake_zk;

static int listen_any(int *port)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

    assert_true(fd >= 0);
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(listen(fd, 16), 0);
    getsockname(fd, (struct sockaddr *)&sa, &len);
    *port = ntohs(sa.sin_port);
    return fd;
}

/* A loopback port with nothing listening on it. */
static int closed_port(void)
{
    int port, fd = listen_any(&port);
    close(fd);
    return port;
}

static void *fake_zk_main(void *arg)
{
    fake_zk *z = arg;

    while (!atomic_load(&z->stop)) {
        struct pollfd pfd = {.fd = z->fd, .events = POLLIN};
        if (poll(&pfd, 1, 20) <= 0)
            continue;
        int c = accept(z->fd, NULL, NULL);
        if (c < 0)
            continue;
        char cmd[4];
        size_t got = 0;
        struct pollfd cp = {.fd = c, .events = POLLIN};
        while (got < 4 && poll(&cp, 1, 500) > 0) {
            ssize_t n = read(c, cmd + got, 4 - got);
            if (n <= 0)
                break;
            got += (size_t)n;
        }
        if (!z->reply && z->nheld < 16) {
            z->held[z->nheld++] = c; /* answer nothing, keep it open */
            continue;
        }
        if (got == 4 && memcmp(cmd, "srvr", 4) == 0 && z->reply) {
            ssize_t n = write(c, z->reply, strlen(z->reply));
            (void)n;
            atomic_fetch_add(&z->served, 1);
        }
        close(c);
    }
    return NULL;
}

static void fake_zk_start(fake_zk *z, const char *reply)
{
    memset(z, 0, sizeof(*z));
    z->reply = reply;
    z->fd = listen_any(&z->port);
    pthread_create(&z->thread, NULL, fake_zk_main, z);
}

static void fake_zk_stop(fake_zk *z)
{
    atomic_store(&z->stop, true);
    pthread_join(z->thread, NULL);
    for (int i = 0; i < z->nheld; i++)
        close(z->held[i]);
    close(z->fd);
}

static const char ZK_LEADER[] = "Zookeeper version: 3.8.4-9316c2a7, built on 2024-02-12 22:16 UTC\n"
                                "Latency min/avg/max: 0/0.5/3\n"
                                "Received: 10\n"
                                "Sent: 9\n"
                                "Connections: 2\n"
                                "Outstanding: 0\n"
                                "Zxid: 0x100000004\n"
                                "Mode: leader\n"
                                "Node count: 25\n"
                                "Proposal sizes last/min/max: 48/48/48\n";
static const char ZK_NOT_SERVING[] = ZK_4LW_NOT_SERVING "\n";
static const char ZK_REFUSED[] = "srvr" ZK_4LW_NOT_WHITELISTED "\n";

/* One round of the ZooKeeper poller, as its thread would run it. */
static ks_zk *zk_round(const char *servers, ks_store *store, int64_t *elapsed_ms)
{
    void *st = poller_zk_ops.open((void *)servers, store);
    int64_t t0 = clock_mono_ms();
    ks_snapshot *snap;
    ks_zk *zk;

    poller_zk_ops.poll(st, store);
    if (elapsed_ms)
        *elapsed_ms = clock_mono_ms() - t0;
    poller_zk_ops.close(st);
    snap = store_acquire(store);
    zk = part_ref(snap->zk);
    snapshot_unref(snap);
    assert_non_null(zk);
    return zk;
}

static void test_zk_poller_mixed_ensemble(void **state)
{
    fake_zk leader, notserving, refused;
    ks_store *store = store_new();
    char cfg[256];
    ks_zk *zk;

    (void)state;
    fake_zk_start(&leader, ZK_LEADER);
    fake_zk_start(&notserving, ZK_NOT_SERVING);
    fake_zk_start(&refused, ZK_REFUSED);
    int down = closed_port();
    snprintf(cfg, sizeof(cfg), "127.0.0.1:%d, 127.0.0.1:%d,127.0.0.1:%d,127.0.0.1:%d/kafka",
             leader.port, notserving.port, refused.port, down);
    zk = zk_round(cfg, store, NULL);

    assert_int_equal(zk->nservers, 4);
    assert_true(zk->quorum);
    assert_true(zk->quorum_valid);
    assert_null(zk->part.error);
    assert_true(zk->part.taken_ms > 0);
    assert_true(zk->part.poll_ms >= 0);

    const ks_zk_server *s = &zk->servers[0];
    char want[64];
    snprintf(want, sizeof(want), "127.0.0.1:%d", leader.port);
    assert_string_equal(s->address, want);
    assert_int_equal(s->mode, KS_ZK_LEADER);
    assert_true(s->stats_valid);
    assert_int_equal(s->zxid, 0x100000004LL);
    assert_int_equal(s->connections, 2);
    assert_true(s->latency_avg_ms == 0.5);
    assert_int_equal(s->latency_max_ms, 3);
    assert_int_equal(s->node_count, 25);
    assert_string_equal(s->version, "3.8.4-9316c2a7");
    assert_null(s->error);

    assert_int_equal(zk->servers[1].mode, KS_ZK_NOT_SERVING);
    assert_false(zk->servers[1].stats_valid);
    assert_non_null(zk->servers[1].error);
    assert_int_equal(zk->servers[2].mode, KS_ZK_REFUSED);
    assert_non_null(strstr(zk->servers[2].error, "whitelist"));
    assert_int_equal(zk->servers[3].mode, KS_ZK_DOWN);
    assert_string_equal(zk->servers[3].error, "connection refused");

    part_unref(zk);
    store_free(store);
    fake_zk_stop(&leader);
    fake_zk_stop(&notserving);
    fake_zk_stop(&refused);
}

static void test_zk_poller_no_quorum(void **state)
{
    fake_zk a, b;
    ks_store *store = store_new();
    char cfg[256];
    ks_zk *zk;

    (void)state;
    fake_zk_start(&a, ZK_NOT_SERVING);
    fake_zk_start(&b, ZK_NOT_SERVING);
    snprintf(cfg, sizeof(cfg), "127.0.0.1:%d,127.0.0.1:%d,127.0.0.1:%d", a.port, b.port,
             closed_port());
    zk = zk_round(cfg, store, NULL);
    assert_false(zk->quorum);
    assert_true(zk->quorum_valid);
    assert_string_equal(zk->part.error, "no quorum: 2 of 3 servers up, none serving");
    part_unref(zk);
    store_free(store);
    fake_zk_stop(&a);
    fake_zk_stop(&b);
}

static void test_zk_poller_all_down_and_bad_addresses(void **state)
{
    ks_store *store = store_new();
    char cfg[256];
    ks_zk *zk;

    (void)state;
    snprintf(cfg, sizeof(cfg), "127.0.0.1:%d,localhost:99999, ,[::1", closed_port());
    zk = zk_round(cfg, store, NULL);
    assert_int_equal(zk->nservers, 3);
    assert_int_equal(zk->servers[0].mode, KS_ZK_DOWN);
    assert_string_equal(zk->servers[0].error, "connection refused");
    assert_int_equal(zk->servers[1].mode, KS_ZK_DOWN);
    assert_non_null(strstr(zk->servers[1].error, "bad port"));
    assert_int_equal(zk->servers[2].mode, KS_ZK_DOWN);
    assert_string_equal(zk->servers[2].address, "[::1");
    assert_false(zk->quorum);
    assert_string_equal(zk->part.error, "no ZooKeeper server answered (3 configured)");
    part_unref(zk);

    zk = zk_round("", store, NULL);
    assert_int_equal(zk->nservers, 0);
    assert_string_equal(zk->part.error, "no ZooKeeper server configured");
    assert_false(zk->quorum_valid);
    part_unref(zk);
    store_free(store);
}

static void test_zk_poller_silent_server_does_not_delay(void **state)
{
    fake_zk leader, silent;
    ks_store *store = store_new();
    char cfg[256];
    int64_t elapsed;
    ks_zk *zk;

    (void)state;
    fake_zk_start(&silent, NULL);
    fake_zk_start(&leader, ZK_LEADER);
    snprintf(cfg, sizeof(cfg), "127.0.0.1:%d,127.0.0.1:%d", silent.port, leader.port);
    zk = zk_round(cfg, store, &elapsed);
    assert_in_range(elapsed, POLLER_ZK_TOTAL_MS - 10, POLLER_ZK_TOTAL_MS + 1000);
    assert_int_equal(zk->servers[0].mode, KS_ZK_UNKNOWN);
    assert_non_null(strstr(zk->servers[0].error, "no reply within"));
    assert_int_equal(zk->servers[1].mode, KS_ZK_LEADER);
    assert_true(zk->quorum);
    part_unref(zk);
    store_free(store);
    fake_zk_stop(&leader);
    fake_zk_stop(&silent);
}

static void test_zk_poller_refused_only(void **state)
{
    fake_zk a;
    ks_store *store = store_new();
    char cfg[64];
    ks_zk *zk;

    (void)state;
    fake_zk_start(&a, ZK_REFUSED);
    snprintf(cfg, sizeof(cfg), "127.0.0.1:%d", a.port);
    zk = zk_round(cfg, store, NULL);
    assert_false(zk->quorum);
    assert_false(zk->quorum_valid);
    assert_non_null(strstr(zk->part.error, "quorum unknown"));
    assert_non_null(strstr(zk->part.error, "4lw.commands.whitelist"));
    part_unref(zk);
    store_free(store);
    fake_zk_stop(&a);
}

static void test_zk_judge(void **state)
{
    ks_zk_server servers[3] = {0};
    ks_zk *zk = zk_new();

    (void)state;
    zk->servers = servers;
    zk->nservers = 3;

    /* a lone follower proves a quorum behind it */
    servers[0].mode = KS_ZK_FOLLOWER;
    servers[1].mode = KS_ZK_DOWN;
    servers[2].mode = KS_ZK_UNKNOWN;
    poller_zk_judge(zk);
    assert_true(zk->quorum && zk->quorum_valid);
    assert_null(zk->part.error);

    servers[0].mode = KS_ZK_READ_ONLY;
    servers[2].mode = KS_ZK_NOT_SERVING;
    poller_zk_judge(zk);
    assert_false(zk->quorum);
    assert_true(zk->quorum_valid);
    assert_string_equal(zk->part.error, "no quorum: 2 of 3 servers up, none serving");

    servers[2].mode = KS_ZK_UNKNOWN;
    poller_zk_judge(zk);
    assert_false(zk->quorum_valid);
    assert_non_null(strstr(zk->part.error, "none reports its mode"));

    servers[0].mode = KS_ZK_STANDALONE;
    poller_zk_judge(zk);
    assert_true(zk->quorum);
    assert_null(zk->part.error);

    zk->servers = NULL;
    zk->nservers = 0;
    part_unref(zk);
}

static void test_zk_poller_thread(void **state)
{
    fake_zk leader;
    ks_store *store = store_new();
    char cfg[64];
    ks_snapshot *snap = NULL;

    (void)state;
    fake_zk_start(&leader, ZK_LEADER);
    snprintf(cfg, sizeof(cfg), "127.0.0.1:%d", leader.port);
    ks_poller *p = poller_start(&poller_zk_ops, cfg, store, 50);
    /* wait for what is asserted (two published rounds), not for the fake
     * server's answers: the second publish may trail the second answer */
    for (int i = 0; i < 1000; i++) {
        snap = store_acquire(store);
        if (snap->zk && snap->version >= 2 && atomic_load(&leader.served) >= 2)
            break;
        snapshot_unref(snap);
        snap = NULL;
        clock_sleep_ms(10);
    }
    poller_stop(p);
    assert_non_null(snap);
    assert_int_equal(snap->zk->servers[0].mode, KS_ZK_LEADER);
    assert_true(snap->version >= 2);
    snapshot_unref(snap);
    store_free(store);
    fake_zk_stop(&leader);
}

/* ---------------------------------------------------------------------------
 * a minimal HTTP/1.1 server with canned routes
 * ------------------------------------------------------------------------- */

#define MAX_ROUTES 64

typedef struct route {
    const char *path; /* exact request target */
    int status;
    const char *body;
    const char *extra_headers; /* NULL or "Header: v\r\n..." */
    bool hang;                 /* read the request, never answer */
    atomic_int hits;
} route;

typedef struct fake_http {
    int fd, port;
    pthread_t thread;
    atomic_bool stop;
    pthread_mutex_t lock; /* routes may change between rounds */
    route routes[MAX_ROUTES];
    int nroutes;
    atomic_int unknown_hits;
    char last_unknown[1024];
} fake_http;

static route *http_route(fake_http *h, const char *path)
{
    for (int i = 0; i < h->nroutes; i++)
        if (strcmp(h->routes[i].path, path) == 0)
            return &h->routes[i];
    return NULL;
}

static void http_set(fake_http *h, const char *path, int status, const char *body)
{
    pthread_mutex_lock(&h->lock);
    route *r = http_route(h, path);
    if (!r) {
        assert_true(h->nroutes < MAX_ROUTES);
        r = &h->routes[h->nroutes++];
        r->path = path;
    }
    r->status = status;
    r->body = body;
    pthread_mutex_unlock(&h->lock);
}

static int http_hits(fake_http *h, const char *path)
{
    route *r = http_route(h, path);
    return r ? atomic_load(&r->hits) : -1;
}

static void http_serve(fake_http *h, int c)
{
    char req[4096], target[1024], resp[256];
    size_t got = 0;
    struct pollfd cp = {.fd = c, .events = POLLIN};

    while (got < sizeof(req) - 1 && poll(&cp, 1, 1000) > 0) {
        ssize_t n = read(c, req + got, sizeof(req) - 1 - got);
        if (n <= 0)
            break;
        got += (size_t)n;
        req[got] = '\0';
        if (strstr(req, "\r\n\r\n"))
            break;
    }
    req[got] = '\0';
    if (sscanf(req, "GET %1023s HTTP/1.1", target) != 1)
        return;

    pthread_mutex_lock(&h->lock);
    route *r = http_route(h, target);
    int status = r ? r->status : 404;
    const char *body = r ? r->body : "{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}";
    const char *extra = r && r->extra_headers ? r->extra_headers : "";
    bool hang = r && r->hang;
    if (r) {
        atomic_fetch_add(&r->hits, 1);
    } else {
        atomic_fetch_add(&h->unknown_hits, 1);
        snprintf(h->last_unknown, sizeof(h->last_unknown), "%s", target);
    }
    pthread_mutex_unlock(&h->lock);

    if (hang) {
        while (!atomic_load(&h->stop) && poll(&cp, 1, 20) == 0)
            ;
        return;
    }
    char length[64] = "";
    if (!strstr(extra, "Content-Length"))
        snprintf(length, sizeof(length), "Content-Length: %zu\r\n", strlen(body));
    snprintf(resp, sizeof(resp),
             "HTTP/1.1 %d X\r\nContent-Type: application/vnd.schemaregistry.v1+json\r\n"
             "%s%sConnection: close\r\n\r\n",
             status, extra, length);
    ssize_t n = write(c, resp, strlen(resp));
    n = write(c, body, strlen(body));
    (void)n;
}

static void *fake_http_main(void *arg)
{
    fake_http *h = arg;

    while (!atomic_load(&h->stop)) {
        struct pollfd pfd = {.fd = h->fd, .events = POLLIN};
        if (poll(&pfd, 1, 20) <= 0)
            continue;
        int c = accept(h->fd, NULL, NULL);
        if (c < 0)
            continue;
        http_serve(h, c);
        close(c);
    }
    return NULL;
}

static fake_http *fake_http_start(void)
{
    fake_http *h = calloc(1, sizeof(*h));
    pthread_mutex_init(&h->lock, NULL);
    h->fd = listen_any(&h->port);
    pthread_create(&h->thread, NULL, fake_http_main, h);
    return h;
}

static void fake_http_stop(fake_http *h)
{
    atomic_store(&h->stop, true);
    pthread_join(h->thread, NULL);
    close(h->fd);
    pthread_mutex_destroy(&h->lock);
    free(h);
}

#define V7 "/apis/ccompat/v7"

/* One round of the registry poller with a given state. */
static ks_registry *reg_round(void *st, ks_store *store)
{
    ks_snapshot *snap;
    ks_registry *reg;

    poller_registry_ops.poll(st, store);
    snap = store_acquire(store);
    reg = part_ref(snap->registry);
    snapshot_unref(snap);
    assert_non_null(reg);
    return reg;
}

static void test_registry_closed_port(void **state)
{
    ks_store *store = store_new();
    char cfg[128];
    void *st;
    ks_registry *reg;

    (void)state;
    snprintf(cfg, sizeof(cfg), "http://ksight:s3cret@127.0.0.1:%d" V7 "/", closed_port());
    st = poller_registry_ops.open(cfg, store);
    reg = reg_round(st, store);
    poller_registry_ops.close(st);

    assert_false(reg->reachable);
    assert_int_equal(reg->nsubjects, 0);
    assert_null(reg->compatibility);
    assert_non_null(reg->part.error);
    assert_non_null(strstr(reg->part.error, "connection refused (http://127.0.0.1:"));
    assert_non_null(strstr(reg->part.error, V7 "/subjects)"));
    assert_null(strstr(reg->part.error, "s3cret"));
    assert_null(strstr(reg->url, "s3cret"));
    assert_non_null(strstr(reg->url, V7));
    assert_true(reg->part.taken_ms > 0);
    part_unref(reg);
    store_free(store);
}

static const char AVRO_LATEST[] =
    "{\"subject\":\"orders-value\",\"version\":2,\"id\":7,"
    "\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Order\\\",\\\"fields\\\":[]}\"}";

static void registry_routes(fake_http *h)
{
    http_set(h, V7 "/subjects", 200, "[\"pos/ition value\",\"orders-value\"]");
    http_set(h, V7 "/config", 200, "{\"compatibilityLevel\":\"BACKWARD\"}");
    http_set(h, V7 "/subjects/orders-value/versions", 200, "[1,2]");
    http_set(h, V7 "/subjects/orders-value/versions/latest", 200, AVRO_LATEST);
    http_set(h, V7 "/config/orders-value", 404,
             "{\"error_code\":40408,\"message\":\"Subject 'orders-value' does not have "
             "subject-level compatibility configured\"}");
    http_set(h, V7 "/subjects/pos%2Fition%20value/versions", 200, "[1]");
    http_set(h, V7 "/subjects/pos%2Fition%20value/versions/latest", 500,
             "{\"error_code\":50001,\"message\":\"boom\"}");
    http_set(h, V7 "/config/pos%2Fition%20value", 200, "{\"compatibilityLevel\":\"FULL\"}");
}

static void test_registry_poller_rounds(void **state)
{
    fake_http *h = fake_http_start();
    ks_store *store = store_new();
    char cfg[128];
    void *st;
    ks_registry *reg;
    const ks_subject *s;

    (void)state;
    registry_routes(h);
    snprintf(cfg, sizeof(cfg), "http://127.0.0.1:%d" V7, h->port);
    st = poller_registry_ops.open(cfg, store);

    /* round 1: everything fetched; one subject's latest fails, the other is whole */
    reg = reg_round(st, store);
    assert_true(reg->reachable);
    assert_null(reg->part.error);
    assert_string_equal(reg->compatibility, "BACKWARD");
    assert_int_equal(reg->nsubjects, 2);
    s = &reg->subjects[0];
    assert_string_equal(s->name, "orders-value");
    assert_int_equal(s->nversions, 2);
    assert_int_equal(s->versions[0], 1);
    assert_int_equal(s->versions[1], 2);
    assert_int_equal(s->latest_version, 2);
    assert_int_equal(s->latest_id, 7);
    assert_string_equal(s->type, "AVRO");
    assert_null(s->compatibility); /* 40408: inherits */
    assert_null(s->error);
    s = &reg->subjects[1];
    assert_string_equal(s->name, "pos/ition value");
    assert_int_equal(s->nversions, 1);
    assert_int_equal(s->latest_id, -1);
    assert_null(s->type);
    assert_string_equal(s->compatibility, "FULL");
    assert_string_equal(s->error, "latest: HTTP 500: boom (50001)");
    assert_int_equal(atomic_load(&h->unknown_hits), 0);
    part_unref(reg);

    /* round 2: unchanged versions are not re-read; the failing one is retried */
    reg = reg_round(st, store);
    assert_int_equal(http_hits(h, V7 "/subjects/orders-value/versions/latest"), 1);
    assert_int_equal(http_hits(h, V7 "/subjects/pos%2Fition%20value/versions/latest"), 2);
    assert_int_equal(http_hits(h, V7 "/subjects/orders-value/versions"), 2);
    assert_int_equal(reg->subjects[0].latest_id, 7);
    part_unref(reg);

    /* round 3: a new version appears, the other subject is deleted */
    http_set(h, V7 "/subjects", 200, "[\"orders-value\"]");
    http_set(h, V7 "/subjects/orders-value/versions", 200, "[1,2,3]");
    http_set(h, V7 "/subjects/orders-value/versions/latest", 200,
             "{\"subject\":\"orders-value\",\"version\":3,\"id\":9,\"schemaType\":\"JSON\","
             "\"schema\":\"{}\"}");
    reg = reg_round(st, store);
    assert_int_equal(reg->nsubjects, 1);
    assert_int_equal(reg->subjects[0].latest_version, 3);
    assert_int_equal(reg->subjects[0].latest_id, 9);
    assert_string_equal(reg->subjects[0].type, "JSON");
    assert_int_equal(http_hits(h, V7 "/subjects/orders-value/versions/latest"), 2);
    part_unref(reg);

    /* round 4: the registry lists garbage: error, reachable, no subjects */
    http_set(h, V7 "/subjects", 200, "{\"oops\":1}");
    reg = reg_round(st, store);
    assert_true(reg->reachable);
    assert_int_equal(reg->nsubjects, 0);
    assert_non_null(strstr(reg->part.error, "bad reply to"));
    part_unref(reg);

    poller_registry_ops.close(st);
    store_free(store);
    fake_http_stop(h);
}

static void test_registry_wrong_root(void **state)
{
    fake_http *h = fake_http_start();
    ks_store *store = store_new();
    char cfg[128];
    void *st;
    ks_registry *reg;

    (void)state;
    registry_routes(h);
    snprintf(cfg, sizeof(cfg), "http://127.0.0.1:%d", h->port); /* Apicurio needs the v7 path */
    st = poller_registry_ops.open(cfg, store);
    reg = reg_round(st, store);
    poller_registry_ops.close(st);
    assert_true(reg->reachable);
    assert_non_null(strstr(reg->part.error, "HTTP 404"));
    assert_non_null(strstr(reg->part.error, "API root"));
    part_unref(reg);
    store_free(store);
    fake_http_stop(h);
}

static void test_registry_many_subjects_rotate(void **state)
{
    enum { N = POLLER_REGISTRY_REFRESH_MAX + 8 };
    static char names[N][16], paths[N][64], list[N * 20];
    fake_http *h = fake_http_start();
    ks_store *store = store_new();
    char cfg[128];
    void *st;
    ks_registry *reg;
    int fetched = 0;

    (void)state;
    /* every subject: versions [1], no latest route (404) and no config (404) */
    strcpy(list, "[");
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof(names[i]), "s%02d", i);
        snprintf(paths[i], sizeof(paths[i]), V7 "/subjects/s%02d/versions", i);
        http_set(h, paths[i], 200, "[1]");
        strcat(list, i ? ",\"" : "\"");
        strcat(list, names[i]);
        strcat(list, "\"");
    }
    strcat(list, "]");
    http_set(h, V7 "/subjects", 200, list);
    snprintf(cfg, sizeof(cfg), "http://127.0.0.1:%d" V7, h->port);
    st = poller_registry_ops.open(cfg, store);

    reg = reg_round(st, store);
    assert_int_equal(reg->nsubjects, N);
    for (int i = 0; i < N; i++)
        fetched += reg->subjects[i].nversions > 0;
    assert_int_equal(fetched, POLLER_REGISTRY_REFRESH_MAX); /* capped */
    part_unref(reg);

    reg = reg_round(st, store); /* the rest come next, failing ones first */
    fetched = 0;
    for (int i = 0; i < N; i++)
        fetched += reg->subjects[i].nversions > 0;
    assert_int_equal(fetched, N);
    part_unref(reg);

    poller_registry_ops.close(st);
    store_free(store);
    fake_http_stop(h);
}

static void test_registry_fetch_helpers(void **state)
{
    fake_http *h = fake_http_start();
    CURL *curl = registry_http_new();
    char base[128], err[256], *schema, *type;
    int id;

    (void)state;
    http_set(h, V7 "/schemas/ids/7", 200, "{\"schema\":\"\\\"string\\\"\"}");
    http_set(h, V7 "/schemas/ids/8", 404,
             "{\"error_code\":40403,\"message\":\"Schema 8 not found\"}");
    http_set(h, V7 "/subjects/orders-value/versions/2", 200, AVRO_LATEST);
    http_set(h, V7 "/subjects/orders-value/versions/latest", 200, AVRO_LATEST);
    snprintf(base, sizeof(base), "http://127.0.0.1:%d" V7 "/", h->port);

    assert_int_equal(registry_fetch_schema(curl, base, 7, &schema, &type, err, sizeof(err)), 0);
    assert_string_equal(schema, "\"string\"");
    assert_string_equal(type, "AVRO");
    free(schema);
    free(type);

    assert_int_equal(registry_fetch_schema(curl, base, 8, &schema, &type, err, sizeof(err)), -1);
    assert_null(schema);
    assert_null(type);
    assert_string_equal(err, "schema id 8: HTTP 404: Schema 8 not found (40403)");

    assert_int_equal(registry_fetch_subject_version(curl, base, "orders-value", 2, &schema, NULL,
                                                    &id, err, sizeof(err)),
                     0);
    assert_int_equal(id, 7);
    assert_non_null(strstr(schema, "Order"));
    free(schema);
    assert_int_equal(registry_fetch_subject_version(curl, base, "orders-value", 0, &schema, &type,
                                                    NULL, err, sizeof(err)),
                     0);
    free(schema);
    free(type);
    assert_int_equal(atomic_load(&h->unknown_hits), 0);

    curl_easy_cleanup(curl);
    fake_http_stop(h);
}

static void test_registry_http_limits(void **state)
{
    fake_http *h = fake_http_start();
    CURL *curl = registry_http_new();
    registry_reply reply;
    char url[128], err[256];
    route *r;

    (void)state;
    /* a redirect is an answer, described, not followed */
    http_set(h, "/moved", 307, "");
    pthread_mutex_lock(&h->lock);
    http_route(h, "/moved")->extra_headers = "Location: http://elsewhere.invalid/\r\n";
    pthread_mutex_unlock(&h->lock);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/moved", h->port);
    assert_int_equal(registry_http_get(curl, url, &reply, err, sizeof(err)), 0);
    assert_int_equal(reply.status, 307);
    registry_http_status_error(&reply, err, sizeof(err));
    assert_string_equal(err, "HTTP 307 (redirect not followed)");
    registry_reply_clear(&reply);

    /* an announced body over the cap is refused before it is read */
    http_set(h, "/huge", 200, "");
    pthread_mutex_lock(&h->lock);
    r = http_route(h, "/huge");
    r->extra_headers = "X-Pad: 1\r\nContent-Length: 99999999\r\n";
    pthread_mutex_unlock(&h->lock);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/huge", h->port);
    assert_int_equal(registry_http_get(curl, url, &reply, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "larger than 16 MiB"));

    /* a server that never answers: bounded by the total timeout */
    http_set(h, "/hang", 200, "");
    pthread_mutex_lock(&h->lock);
    http_route(h, "/hang")->hang = true;
    pthread_mutex_unlock(&h->lock);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/hang", h->port);
    int64_t t0 = clock_mono_ms();
    assert_int_equal(registry_http_get(curl, url, &reply, err, sizeof(err)), -1);
    assert_in_range(clock_mono_ms() - t0, REGISTRY_HTTP_TOTAL_MS - 50,
                    REGISTRY_HTTP_TOTAL_MS + 1000);
    assert_non_null(strstr(err, "no complete reply within 3000 ms"));

    curl_easy_cleanup(curl);
    fake_http_stop(h);
}

static void test_registry_url_helpers(void **state)
{
    char out[128], *s;

    (void)state;
    registry_http_redact("https://u:p%40ss@reg.example:8081/apis?x=a@b", out, sizeof(out));
    assert_string_equal(out, "https://reg.example:8081/apis?x=a@b");
    registry_http_redact("http://127.0.0.1:8081", out, sizeof(out));
    assert_string_equal(out, "http://127.0.0.1:8081");
    registry_http_redact("reg:8081/x", out, 6);
    assert_string_equal(out, "reg:8");

    s = registry_http_escape("a b/c%d~e_f.g-h\xc3\xa9");
    assert_string_equal(s, "a%20b%2Fc%25d~e_f.g-h%C3%A9");
    free(s);

    s = registry_http_url("http://h:1/root//", "/subjects");
    assert_string_equal(s, "http://h:1/root/subjects");
    free(s);
}

static int setup_curl(void **state)
{
    (void)state;
    registry_http_global_init();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_poller_interval),
        cmocka_unit_test(test_poller_kick),
        cmocka_unit_test(test_poller_kick_during_round),
        cmocka_unit_test(test_poller_set_interval),
        cmocka_unit_test(test_poller_interval_zero_only_kicks),
        cmocka_unit_test(test_poller_slow_rounds_do_not_overlap),
        cmocka_unit_test(test_poller_stop_latency),
        cmocka_unit_test(test_poller_stop_long_round),
        cmocka_unit_test(test_zk_judge),
        cmocka_unit_test(test_zk_poller_mixed_ensemble),
        cmocka_unit_test(test_zk_poller_no_quorum),
        cmocka_unit_test(test_zk_poller_all_down_and_bad_addresses),
        cmocka_unit_test(test_zk_poller_silent_server_does_not_delay),
        cmocka_unit_test(test_zk_poller_refused_only),
        cmocka_unit_test(test_zk_poller_thread),
        cmocka_unit_test(test_registry_url_helpers),
        cmocka_unit_test(test_registry_closed_port),
        cmocka_unit_test(test_registry_poller_rounds),
        cmocka_unit_test(test_registry_wrong_root),
        cmocka_unit_test(test_registry_many_subjects_rotate),
        cmocka_unit_test(test_registry_fetch_helpers),
        cmocka_unit_test(test_registry_http_limits),
    };
    return cmocka_run_group_tests(tests, setup_curl, NULL);
}
