/* poller_zk: srvr to every ZooKeeper server in parallel (see poller_zk.h).
 *
 * DESIGN: the poller thread owns everything here. open() parses the connect
 * string once; a round resolves the names, starts one non-blocking connect per
 * server (trying each resolved address in turn on refusal), then drives all
 * sockets with one poll() loop: connect -> send "srvr" -> read until the
 * server closes. Deadlines are per round and CLOCK_MONOTONIC; poll() waits in
 * slices of at most 100 ms so poller_stop() is not held up by a hung server.
 * Nothing here allocates into a published part but the final copy. */
#define _GNU_SOURCE /* NI_MAXHOST, MSG_NOSIGNAL, SOCK_CLOEXEC */
#include "poller_zk.h"
#include "clock.h"
#include "snapshot.h"
#include "xmalloc.h"
#include "zk_4lw.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define ZK_DEFAULT_PORT "2181"
#define KS_STR_(x) #x
#define KS_STR(x) KS_STR_(x)
#define ZK_SLICE_MS 100

typedef struct zk_target {
    char *address; /* as configured, e.g. "zk1:2181" */
    char *host;    /* without IPv6 brackets */
    char port[8];
    char *error;   /* the address does not parse, or NULL */
} zk_target;

typedef struct zk_state {
    int ntargets;
    zk_target *targets;
} zk_state;

typedef enum conn_step { STEP_CONNECT, STEP_SEND, STEP_READ, STEP_DONE } conn_step;

/* One server during one round. */
typedef struct zk_conn {
    conn_step step;
    int fd;
    struct addrinfo *ai_list, *ai; /* ai: the address being tried */
    size_t sent;
    char *buf;
    size_t len;
    bool down;     /* no TCP connection could be made */
    char err[160]; /* set when down or when no reply came */
} zk_conn;

/* ---- configuration ---- */

static void target_parse(zk_target *t, const char *spec, size_t n)
{
    const char *colon, *host = spec;
    size_t hostlen = n;

    t->address = xstrndup(spec, n);
    snprintf(t->port, sizeof(t->port), "%s", ZK_DEFAULT_PORT);
    if (n && spec[0] == '[') { /* [v6]:port */
        const char *close = memchr(spec, ']', n);
        if (!close) {
            t->error = xasprintf("bad address '%s': missing ']'", t->address);
            return;
        }
        host = spec + 1;
        hostlen = (size_t)(close - host);
        colon = close + 1 < spec + n && close[1] == ':' ? close + 1 : NULL;
        if (!colon && close + 1 != spec + n) {
            t->error = xasprintf("bad address '%s'", t->address);
            return;
        }
    } else {
        colon = memchr(spec, ':', n);
        if (colon && memchr(colon + 1, ':', (size_t)(spec + n - colon - 1)))
            colon = NULL; /* bare IPv6 address, default port */
        if (colon)
            hostlen = (size_t)(colon - spec);
    }
    t->host = xstrndup(host, hostlen);
    if (!hostlen) {
        t->error = xasprintf("bad address '%s': no host", t->address);
        return;
    }
    if (colon) {
        const char *p = colon + 1, *end = spec + n;
        long port = 0;
        if (p == end || end - p > 5)
            port = -1;
        for (; port >= 0 && p < end; p++)
            port = isdigit((unsigned char)*p) ? port * 10 + (*p - '0') : -1;
        if (port < 1 || port > 65535) {
            t->error = xasprintf("bad address '%s': bad port", t->address);
            return;
        }
        snprintf(t->port, sizeof(t->port), "%ld", port);
    }
}

static void *zk_open(void *cfg, ks_store *store)
{
    const char *list = cfg ? cfg : "";
    const char *end = strchr(list, '/'); /* the chroot follows the last server */
    zk_state *st = xcalloc(1, sizeof(*st));

    (void)store;
    if (!end)
        end = list + strlen(list);
    for (const char *p = list; p < end;) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *q = comma ? comma : end;
        const char *a = p, *b = q;
        while (a < b && isspace((unsigned char)*a))
            a++;
        while (b > a && isspace((unsigned char)b[-1]))
            b--;
        if (b > a) {
            st->targets = xrealloc(st->targets, (size_t)(st->ntargets + 1) * sizeof(zk_target));
            memset(&st->targets[st->ntargets], 0, sizeof(zk_target));
            target_parse(&st->targets[st->ntargets++], a, (size_t)(b - a));
        }
        p = comma ? comma + 1 : end;
    }
    return st;
}

static void zk_close(void *state)
{
    zk_state *st = state;

    if (!st)
        return;
    for (int i = 0; i < st->ntargets; i++) {
        free(st->targets[i].address);
        free(st->targets[i].host);
        free(st->targets[i].error);
    }
    free(st->targets);
    free(st);
}

/* ---- one round of sockets ---- */

static void conn_fail(zk_conn *c, bool down, const char *msg)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    c->step = STEP_DONE;
    c->down = down;
    snprintf(c->err, sizeof(c->err), "%s", msg);
}

/* strerror() with a lower-case first letter: "connection refused". */
static const char *errtext(int err, char *buf, size_t size)
{
    snprintf(buf, size, "%s", strerror(err));
    buf[0] = (char)tolower((unsigned char)buf[0]);
    return buf;
}

/* Starts a non-blocking connect to c->ai or a later address. */
static void conn_start(zk_conn *c)
{
    int last_err = ECONNREFUSED;
    char ebuf[96];

    for (; c->ai; c->ai = c->ai->ai_next) {
        c->fd = socket(c->ai->ai_family, c->ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                       c->ai->ai_protocol);
        if (c->fd < 0) {
            last_err = errno;
            continue;
        }
        if (connect(c->fd, c->ai->ai_addr, c->ai->ai_addrlen) == 0) {
            c->step = STEP_SEND;
            return;
        }
        if (errno == EINPROGRESS) {
            c->step = STEP_CONNECT;
            return;
        }
        last_err = errno;
        close(c->fd);
        c->fd = -1;
    }
    conn_fail(c, true, errtext(last_err, ebuf, sizeof(ebuf)));
}

static void conn_resolve(zk_conn *c, const zk_target *t)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    char ebuf[160];
    int rc;

    c->fd = -1;
    if (t->error) {
        conn_fail(c, true, t->error); /* never reached: not "up" */
        return;
    }
    rc = getaddrinfo(t->host, t->port, &hints, &c->ai_list);
    if (rc != 0) {
        c->ai_list = NULL;
        snprintf(ebuf, sizeof(ebuf), "cannot resolve %s: %s", t->host, gai_strerror(rc));
        conn_fail(c, true, ebuf);
        return;
    }
    c->ai = c->ai_list;
    conn_start(c);
}

/* Advances one connection after poll() reported events on it. */
static void conn_step_io(zk_conn *c, short revents)
{
    char ebuf[96];

    if (c->step == STEP_CONNECT) {
        int err = 0;
        socklen_t len = sizeof(err);
        if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
            err = errno;
        if (err == EINPROGRESS || (err == 0 && !(revents & (POLLOUT | POLLERR | POLLHUP))))
            return;
        if (err != 0) {
            close(c->fd);
            c->fd = -1;
            c->ai = c->ai->ai_next;
            if (c->ai) {
                conn_start(c);
            } else {
                conn_fail(c, true, errtext(err, ebuf, sizeof(ebuf)));
            }
            return;
        }
        c->step = STEP_SEND;
    }
    if (c->step == STEP_SEND) {
        ssize_t n = send(c->fd, &"srvr"[c->sent], 4 - c->sent, MSG_NOSIGNAL);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        if (n < 0) {
            char msg[128];
            snprintf(msg, sizeof(msg), "send: %s", errtext(errno, ebuf, sizeof(ebuf)));
            conn_fail(c, false, msg);
            return;
        }
        c->sent += (size_t)n;
        if (c->sent == 4)
            c->step = STEP_READ;
        return;
    }
    if (c->step == STEP_READ) {
        if (!c->buf)
            c->buf = xmalloc(POLLER_ZK_REPLY_MAX);
        ssize_t n = recv(c->fd, c->buf + c->len, POLLER_ZK_REPLY_MAX - c->len, 0);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        if (n > 0)
            c->len += (size_t)n;
        if (n > 0 && c->len < POLLER_ZK_REPLY_MAX)
            return;
        if (n < 0 && c->len == 0)
            snprintf(c->err, sizeof(c->err), "read: %s", errtext(errno, ebuf, sizeof(ebuf)));
        close(c->fd); /* end of reply: closed by the server, reset, or full */
        c->fd = -1;
        c->step = STEP_DONE;
    }
}

/* Runs the whole exchange with every server; returns when all are done or
 * the round's deadline has passed. */
static void zk_exchange(zk_conn *conns, int n, int64_t start)
{
    struct pollfd *pfd = xcalloc((size_t)n, sizeof(*pfd));

    for (;;) {
        int64_t now = clock_mono_ms();
        int npending = 0, timeout;

        for (int i = 0; i < n; i++) {
            zk_conn *c = &conns[i];
            if (c->step == STEP_CONNECT && now >= start + POLLER_ZK_CONNECT_MS)
                conn_fail(c, true, "connect timed out after " KS_STR(POLLER_ZK_CONNECT_MS) " ms");
            pfd[i].fd = c->step == STEP_DONE ? -1 : c->fd;
            pfd[i].events = c->step == STEP_READ ? POLLIN : POLLOUT;
            pfd[i].revents = 0;
            npending += c->step != STEP_DONE;
        }
        if (!npending || now >= start + POLLER_ZK_TOTAL_MS || poller_stopping())
            break;
        timeout = (int)(start + POLLER_ZK_TOTAL_MS - now);
        if (timeout > ZK_SLICE_MS)
            timeout = ZK_SLICE_MS;
        if (poll(pfd, (nfds_t)n, timeout) < 0 && errno != EINTR)
            break;
        for (int i = 0; i < n; i++)
            if (pfd[i].fd >= 0 && pfd[i].revents)
                conn_step_io(&conns[i], pfd[i].revents);
    }
    free(pfd);
}

/* ---- results ---- */

static void server_fill(ks_zk_server *s, ks_arena *arena, zk_conn *c)
{
    zk_4lw_srvr srvr;
    char err[160];

    if (c->step == STEP_CONNECT || (c->step == STEP_DONE && c->down)) {
        s->mode = KS_ZK_DOWN;
        s->error = arena_strdup(arena, c->step == STEP_CONNECT ? "connect timed out" : c->err);
        return;
    }
    if (c->step == STEP_DONE && c->len == 0 && c->err[0]) {
        s->mode = KS_ZK_UNKNOWN;
        s->error = arena_strdup(arena, c->err);
        return;
    }
    if (c->step != STEP_DONE && c->len == 0) {
        s->mode = KS_ZK_UNKNOWN;
        s->error = arena_printf(arena, "no reply within %d ms", POLLER_ZK_TOTAL_MS);
        return;
    }
    s->mode = zk_4lw_parse_srvr(c->buf, c->len, &srvr, err, sizeof(err));
    if (srvr.version[0])
        s->version = arena_strdup(arena, srvr.version);
    if (srvr.stats_valid) {
        s->stats_valid = true;
        s->zxid = srvr.zxid;
        s->connections = srvr.connections;
        s->latency_avg_ms = srvr.latency_avg_ms;
        s->latency_max_ms = srvr.latency_max_ms;
        s->node_count = srvr.node_count;
    }
    if (s->mode == KS_ZK_READ_ONLY)
        s->error = arena_strdup(arena, "read-only: cut off from the quorum");
    else if (err[0] && c->step != STEP_DONE)
        s->error = arena_printf(arena, "%s (cut after %d ms)", err, POLLER_ZK_TOTAL_MS);
    else if (err[0])
        s->error = arena_strdup(arena, err);
}

void poller_zk_judge(ks_zk *zk)
{
    int up = 0, serving = 0, known = 0, refused = 0;

    for (int i = 0; i < zk->nservers; i++) {
        ks_zk_mode m = zk->servers[i].mode;
        up += m != KS_ZK_DOWN;
        serving += zk_4lw_mode_serving(m);
        refused += m == KS_ZK_REFUSED;
        /* the server's own view is known: serving, not serving, or no TCP */
        known += zk_4lw_mode_serving(m) || m == KS_ZK_NOT_SERVING || m == KS_ZK_READ_ONLY ||
                 m == KS_ZK_DOWN;
    }
    zk->quorum = serving > 0;
    zk->quorum_valid = zk->nservers > 0 && (serving > 0 || known == zk->nservers);
    zk->part.error = NULL;
    if (zk->nservers == 0)
        part_set_error(zk, "no ZooKeeper server configured");
    else if (up == 0)
        part_set_error(zk, "no ZooKeeper server answered (%d configured)", zk->nservers);
    else if (zk->quorum)
        return;
    else if (zk->quorum_valid)
        part_set_error(zk, "no quorum: %d of %d servers up, none serving", up, zk->nservers);
    else if (refused)
        part_set_error(zk, "quorum unknown: %d of %d servers up, %d refuse srvr "
                           "(4lw.commands.whitelist)",
                       up, zk->nservers, refused);
    else
        part_set_error(zk, "quorum unknown: %d of %d servers up, none reports its mode", up,
                       zk->nservers);
}

static void zk_poll(void *state, ks_store *store)
{
    zk_state *st = state;
    int64_t start = clock_mono_ms();
    int n = st->ntargets;
    zk_conn *conns = xcalloc(n ? (size_t)n : 1, sizeof(*conns));
    ks_zk *zk = zk_new();

    for (int i = 0; i < n; i++)
        conn_resolve(&conns[i], &st->targets[i]);
    zk_exchange(conns, n, start);

    zk->nservers = n;
    zk->servers = arena_alloc(zk->part.arena, (n ? (size_t)n : 1) * sizeof(ks_zk_server));
    for (int i = 0; i < n; i++) {
        ks_zk_server *s = &zk->servers[i];
        s->address = arena_strdup(zk->part.arena, st->targets[i].address);
        server_fill(s, zk->part.arena, &conns[i]);
        if (conns[i].fd >= 0)
            close(conns[i].fd);
        if (conns[i].ai_list)
            freeaddrinfo(conns[i].ai_list);
        free(conns[i].buf);
    }
    free(conns);
    poller_zk_judge(zk);
    zk->part.poll_ms = clock_mono_ms() - start;
    zk->part.taken_ms = clock_wall_ms();
    store_publish(store, KS_PART_ZK, zk);
}

const ks_poller_ops poller_zk_ops = {
    .name = "ks-zk",
    .open = zk_open,
    .poll = zk_poll,
    .close = zk_close,
};
