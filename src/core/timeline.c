/* timeline: fixed-size event ring under one mutex.
 *
 * DESIGN: a plain ring of value structs; writers format into the slot under
 * the lock (a few hundred bytes), readers copy out. No allocation after new. */
#include "timeline.h"
#include "xmalloc.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ks_timeline {
    pthread_mutex_t lock;
    ks_event *ring;
    int cap;
    uint64_t seq; /* events ever pushed */
};

ks_timeline *timeline_new(int capacity)
{
    ks_timeline *tl = xcalloc(1, sizeof(*tl));
    tl->cap = capacity > 0 ? capacity : 1;
    tl->ring = xcalloc((size_t)tl->cap, sizeof(ks_event));
    pthread_mutex_init(&tl->lock, NULL);
    return tl;
}

void timeline_free(ks_timeline *tl)
{
    if (!tl)
        return;
    pthread_mutex_destroy(&tl->lock);
    free(tl->ring);
    free(tl);
}

void timeline_push(ks_timeline *tl, int64_t time_ms, ks_event_kind kind, ks_severity severity,
                   const char *subject, const char *fmt, ...)
{
    va_list ap;
    ks_event *ev;

    pthread_mutex_lock(&tl->lock);
    ev = &tl->ring[tl->seq % (uint64_t)tl->cap];
    ev->seq = ++tl->seq;
    ev->time_ms = time_ms;
    ev->kind = kind;
    ev->severity = severity;
    snprintf(ev->subject, sizeof(ev->subject), "%s", subject ? subject : "");
    va_start(ap, fmt);
    vsnprintf(ev->text, sizeof(ev->text), fmt, ap);
    va_end(ap);
    /* the text is shown on the terminal: keep it to one printable line */
    for (char *c = ev->text; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = ' ';
    for (char *c = ev->subject; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = '?';
    pthread_mutex_unlock(&tl->lock);
}

int timeline_copy(ks_timeline *tl, ks_event *out, int max)
{
    int n = 0;

    pthread_mutex_lock(&tl->lock);
    for (uint64_t s = tl->seq; s > 0 && n < max && tl->seq - s < (uint64_t)tl->cap; s--)
        out[n++] = tl->ring[(s - 1) % (uint64_t)tl->cap];
    pthread_mutex_unlock(&tl->lock);
    return n;
}

uint64_t timeline_seq(ks_timeline *tl)
{
    uint64_t seq;
    pthread_mutex_lock(&tl->lock);
    seq = tl->seq;
    pthread_mutex_unlock(&tl->lock);
    return seq;
}

const char *event_kind_name(ks_event_kind kind)
{
    static const char *const names[KS_EV__COUNT] = {
        [KS_EV_LOG] = "log",
        [KS_EV_BROKER_DOWN] = "broker-down",
        [KS_EV_BROKER_UP] = "broker-up",
        [KS_EV_CONTROLLER_MOVED] = "controller",
        [KS_EV_TOPIC_CREATED] = "topic-created",
        [KS_EV_TOPIC_DELETED] = "topic-deleted",
        [KS_EV_PARTITIONS_ADDED] = "partitions-added",
        [KS_EV_LEADER_MOVED] = "leader-moved",
        [KS_EV_ISR_SHRANK] = "isr-shrank",
        [KS_EV_ISR_EXPANDED] = "isr-expand",
        [KS_EV_UNDER_REPLICATED] = "under-replicated",
        [KS_EV_RECOVERED] = "recovered",
        [KS_EV_OFFLINE] = "offline",
        [KS_EV_GROUP_NEW] = "group-new",
        [KS_EV_GROUP_GONE] = "group-gone",
        [KS_EV_GROUP_STATE] = "group-state",
        [KS_EV_GROUP_GENERATION] = "generation",
        [KS_EV_MEMBER_JOINED] = "member-joined",
        [KS_EV_MEMBER_LEFT] = "member-left",
        [KS_EV_ASSIGNMENT] = "assignment",
        [KS_EV_ZK_ROLE] = "zk-role",
        [KS_EV_QUORUM_LOST] = "quorum-lost",
        [KS_EV_QUORUM_REGAINED] = "quorum-regained",
        [KS_EV_REGISTRY_DOWN] = "registry-down",
        [KS_EV_REGISTRY_UP] = "registry-up",
        [KS_EV_SOURCE_ERROR] = "error",
        [KS_EV_SOURCE_OK] = "ok",
    };
    return (kind >= 0 && kind < KS_EV__COUNT && names[kind]) ? names[kind] : "?";
}
