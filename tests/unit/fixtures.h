/* fixtures: synthetic snapshot parts for unit tests (header-only, static functions).
 *
 * Builders allocate in the part's arena with a fixed capacity chosen by the
 * caller, so tests can then edit fields directly (leader, ISR, state, ...).
 * Partitions get replicas (p + r) % nbrokers + 1, ISR = replicas, leader =
 * first replica, low 0, high 100 * (p + 1). */
#ifndef KS_TEST_FIXTURES_H
#define KS_TEST_FIXTURES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "model.h"
#include "snapshot.h"
#include "timeline.h"

static inline ks_cluster *fx_cluster(int nbrokers, int topic_cap)
{
    ks_cluster *c = cluster_new();
    ks_arena *a = c->part.arena;

    c->bootstrap = arena_strdup(a, "localhost:9092");
    c->cluster_id = arena_strdup(a, "fixture-cluster");
    c->controller = 1;
    c->nbrokers = nbrokers;
    c->brokers = arena_alloc(a, sizeof(ks_broker) * (size_t)(nbrokers ? nbrokers : 1));
    for (int i = 0; i < nbrokers; i++)
        c->brokers[i] = (ks_broker){
            .id = i + 1, .host = arena_strdup(a, "localhost"), .port = 9092 + i, .up = true};
    c->topics = arena_alloc(a, sizeof(ks_topic) * (size_t)(topic_cap ? topic_cap : 1));
    c->watermarks_valid = true;
    return c;
}

static inline ks_topic *fx_topic(ks_cluster *c, const char *name, int nparts, int rf)
{
    ks_arena *a = c->part.arena;
    ks_topic *t = &c->topics[c->ntopics++];
    int nb = c->nbrokers ? c->nbrokers : 1;

    t->name = arena_strdup(a, name);
    t->internal = name[0] == '_';
    t->npartitions = nparts;
    t->partitions = arena_alloc(a, sizeof(ks_partition) * (size_t)(nparts ? nparts : 1));
    for (int p = 0; p < nparts; p++) {
        ks_partition *part = &t->partitions[p];
        part->id = p;
        part->nreplicas = part->nisr = rf;
        part->replicas = arena_alloc(a, sizeof(int32_t) * (size_t)(rf ? rf : 1));
        part->isr = arena_alloc(a, sizeof(int32_t) * (size_t)(rf ? rf : 1));
        for (int r = 0; r < rf; r++)
            part->replicas[r] = part->isr[r] = (p + r) % nb + 1;
        part->leader = rf ? part->replicas[0] : KS_NO_ID;
        part->low_valid = part->high_valid = true;
        part->low = 0;
        part->high = 100 * (p + 1);
    }
    return t;
}

/* Sets a partition's ISR from a list like "1,3" ("" = empty). */
static inline void fx_isr(ks_topic *t, int p, const char *list)
{
    ks_partition *part = &t->partitions[p];
    const char *s = list;

    part->nisr = 0;
    while (*s) {
        part->isr[part->nisr++] = (int32_t)strtol(s, (char **)&s, 10);
        if (*s == ',')
            s++;
    }
}

static inline ks_groups *fx_groups(int group_cap)
{
    ks_groups *g = groups_new();
    g->groups = arena_alloc(g->part.arena, sizeof(ks_group) * (size_t)(group_cap ? group_cap : 1));
    return g;
}

static inline ks_group *fx_group(ks_groups *gs, const char *id, const char *state, int member_cap,
                                 int offset_cap)
{
    ks_arena *a = gs->part.arena;
    ks_group *g = &gs->groups[gs->ngroups++];

    g->id = arena_strdup(a, id);
    g->state = arena_strdup(a, state);
    g->assignor = arena_strdup(a, "range");
    g->coordinator = 1;
    g->members = arena_alloc(a, sizeof(ks_member) * (size_t)(member_cap ? member_cap : 1));
    g->offsets = arena_alloc(a, sizeof(ks_offset) * (size_t)(offset_cap ? offset_cap : 1));
    g->lag_valid = true;
    return g;
}

/* Adds a member assigned "topic:0,1" (one topic) or "" (nothing). */
static inline ks_member *fx_member(ks_groups *gs, ks_group *g, const char *member_id,
                                   const char *client_id, const char *assignment)
{
    ks_arena *a = gs->part.arena;
    ks_member *m = &g->members[g->nmembers++];
    const char *colon = strchr(assignment, ':');

    m->member_id = arena_strdup(a, member_id);
    m->client_id = arena_strdup(a, client_id);
    m->host = arena_strdup(a, "/127.0.0.1");
    m->assignment = arena_alloc(a, sizeof(ks_tp) * 64);
    if (colon) {
        char *topic = arena_strndup(a, assignment, (size_t)(colon - assignment));
        const char *s = colon + 1;
        while (*s && m->nassignment < 64) {
            m->assignment[m->nassignment++] =
                (ks_tp){.topic = topic, .partition = (int32_t)strtol(s, (char **)&s, 10)};
            if (*s == ',')
                s++;
        }
    }
    return m;
}

static inline ks_offset *fx_offset(ks_groups *gs, ks_group *g, const char *topic, int32_t p,
                                   int64_t committed, int64_t end)
{
    ks_offset *o = &g->offsets[g->noffsets++];

    o->topic = arena_strdup(gs->part.arena, topic);
    o->partition = p;
    o->committed_valid = committed >= 0;
    o->end_valid = end >= 0;
    o->committed = committed;
    o->end = end;
    o->lag_valid = lag_compute(o->committed_valid, committed, o->end_valid, end, &o->lag);
    if (o->lag_valid)
        g->lag += o->lag;
    return o;
}

static inline ks_zk *fx_zk(int nservers, int leader)
{
    ks_zk *zk = zk_new();
    ks_arena *a = zk->part.arena;

    zk->nservers = nservers;
    zk->servers = arena_alloc(a, sizeof(ks_zk_server) * (size_t)(nservers ? nservers : 1));
    for (int i = 0; i < nservers; i++) {
        ks_zk_server *s = &zk->servers[i];
        s->address = arena_printf(a, "localhost:%d", 2181 + i);
        s->mode = i == leader ? KS_ZK_LEADER : KS_ZK_FOLLOWER;
        s->stats_valid = true;
        s->zxid = 0x100000000LL + i;
        s->connections = i + 1;
        s->latency_avg_ms = 0.5;
        s->version = arena_strdup(a, "3.8.4");
    }
    zk->quorum = leader >= 0;
    zk->quorum_valid = true;
    return zk;
}

static inline ks_registry *fx_registry(int nsubjects, bool reachable)
{
    ks_registry *r = registry_new();
    ks_arena *a = r->part.arena;

    r->url = arena_strdup(a, "http://localhost:8081");
    r->reachable = reachable;
    r->compatibility = arena_strdup(a, "BACKWARD");
    r->nsubjects = nsubjects;
    r->subjects = arena_alloc(a, sizeof(ks_subject) * (size_t)(nsubjects ? nsubjects : 1));
    for (int i = 0; i < nsubjects; i++) {
        ks_subject *s = &r->subjects[i];
        s->name = arena_printf(a, "subject-%02d-value", i);
        s->nversions = i % 3 + 1;
        s->versions = arena_alloc(a, sizeof(int) * (size_t)s->nversions);
        for (int v = 0; v < s->nversions; v++)
            s->versions[v] = v + 1;
        s->latest_version = s->nversions;
        s->latest_id = 100 + i;
        s->type = arena_strdup(a, "AVRO");
    }
    if (!reachable)
        part_set_error(r, "connection refused");
    return r;
}

/* A snapshot value (not refcounted) pointing at parts; for pure functions. */
static inline ks_snapshot fx_snap(ks_cluster *c, ks_groups *g, ks_zk *zk, ks_registry *r)
{
    ks_snapshot s = {.version = 1, .cluster = c, .groups = g, .zk = zk, .registry = r};
    return s;
}

/* Events of one kind in tl (copied out newest first into buf). */
static inline int fx_count_events(ks_timeline *tl, ks_event_kind kind)
{
    static ks_event evs[4096];
    int n = timeline_copy(tl, evs, 4096), count = 0;
    for (int i = 0; i < n; i++)
        count += evs[i].kind == kind;
    return count;
}

#endif
