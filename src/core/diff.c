/* diff: compare consecutive snapshots part by part and push what changed.
 *
 * DESIGN: runs on the publishing thread inside the store listener (see
 * store.h), under the store's publish lock, so calls never overlap. Nothing
 * here allocates: events are formatted on the stack and copied into the
 * timeline's fixed ring. Parts are immutable once published, so reading the
 * old and new parts needs no lock. */
#include "diff.h"
#include "snapshot.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define PER_OWNER_MAX 5 /* events of one kind per topic/group before a summary */

typedef struct diff_ctx {
    ks_timeline *tl;
    int64_t now;
    int emitted, dropped;
} diff_ctx;

static void emit(diff_ctx *d, ks_event_kind kind, ks_severity sev, const char *subject,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void emit(diff_ctx *d, ks_event_kind kind, ks_severity sev, const char *subject,
                 const char *fmt, ...)
{
    char text[224];
    va_list ap;

    if (d->emitted >= DIFF_MAX_EVENTS) {
        d->dropped++;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    timeline_push(d->tl, d->now, kind, sev, subject, "%s", text);
    d->emitted++;
}

static int cmp_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

/* Comma-separated broker ids, e.g. "1,3"; "none" when empty. */
static const char *fmt_ids(const int32_t *ids, int n, char *buf, size_t size)
{
    size_t len = 0;

    buf[0] = '\0';
    if (n == 0)
        snprintf(buf, size, "none");
    for (int i = 0; i < n && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%d", i ? "," : "", ids[i]);
    return buf;
}

/* Ids in a but not in b, into out (at most max). */
static int ids_minus(const int32_t *a, int na, const int32_t *b, int nb, int32_t *out, int max)
{
    int n = 0;
    for (int i = 0; i < na; i++) {
        bool found = false;
        for (int j = 0; j < nb && !found; j++)
            found = a[i] == b[j];
        if (!found && n < max)
            out[n++] = a[i];
    }
    return n;
}

/* ---- sources: errors appearing and clearing ---- */

static void diff_source(diff_ctx *d, const char *source, const ks_part *old, const ks_part *part)
{
    if (!part)
        return;
    if (part->error && (!old || !old->error))
        emit(d, KS_EV_SOURCE_ERROR, KS_SEV_ERROR, source, "%s: %s", source, part->error);
    else if (!part->error && old && old->error)
        emit(d, KS_EV_SOURCE_OK, KS_SEV_INFO, source, "%s: answering again", source);
}

/* ---- cluster: brokers, controller, topics, partitions ---- */

static bool cluster_has_data(const ks_cluster *c)
{
    return c && (c->nbrokers > 0 || c->ntopics > 0);
}

static bool broker_is_up(const ks_cluster *c, int32_t id, const ks_broker **out)
{
    for (int i = 0; i < c->nbrokers; i++)
        if (c->brokers[i].id == id) {
            *out = &c->brokers[i];
            return c->brokers[i].up;
        }
    *out = NULL;
    return false;
}

/* " (host:port)" or "" when the broker's address is not known. */
static const char *broker_addr(const ks_broker *b, char *buf, size_t size)
{
    if (b->host)
        snprintf(buf, size, " (%s:%d)", b->host, b->port);
    else
        buf[0] = '\0';
    return buf;
}

static void diff_brokers(diff_ctx *d, const ks_cluster *old, const ks_cluster *c)
{
    char subject[32], addr[160];
    const ks_broker *b;

    for (int i = 0; i < old->nbrokers; i++) {
        const ks_broker *ob = &old->brokers[i];
        if (ob->up && !broker_is_up(c, ob->id, &b)) {
            snprintf(subject, sizeof(subject), "broker %d", ob->id);
            emit(d, KS_EV_BROKER_DOWN, KS_SEV_ERROR, subject, "broker %d%s down", ob->id,
                 broker_addr(ob, addr, sizeof(addr)));
        }
    }
    for (int i = 0; i < c->nbrokers; i++) {
        const ks_broker *nb = &c->brokers[i];
        if (nb->up && !broker_is_up(old, nb->id, &b)) {
            snprintf(subject, sizeof(subject), "broker %d", nb->id);
            emit(d, KS_EV_BROKER_UP, KS_SEV_INFO, subject, "broker %d%s up", nb->id,
                 broker_addr(nb, addr, sizeof(addr)));
        }
    }
    if (old->controller != c->controller) {
        if (c->controller == KS_NO_ID)
            emit(d, KS_EV_CONTROLLER_MOVED, KS_SEV_WARN, "controller",
                 "controller unknown (was broker %d)", old->controller);
        else if (old->controller == KS_NO_ID)
            emit(d, KS_EV_CONTROLLER_MOVED, KS_SEV_INFO, "controller", "controller is broker %d",
                 c->controller);
        else
            emit(d, KS_EV_CONTROLLER_MOVED, KS_SEV_WARN, "controller",
                 "controller moved: broker %d -> %d", old->controller, c->controller);
    }
}

/* Per-topic counters so that one broker going down does not push one event
 * per partition for thousands of partitions. */
typedef struct owner_budget {
    int count[KS_EV__COUNT];
    int extra[KS_EV__COUNT];
} owner_budget;

static bool budget_take(owner_budget *ob, ks_event_kind kind)
{
    if (ob->count[kind] < PER_OWNER_MAX) {
        ob->count[kind]++;
        return true;
    }
    ob->extra[kind]++;
    return false;
}

static void budget_summarise(diff_ctx *d, const owner_budget *ob, const char *owner,
                             const char *unit)
{
    for (int k = 0; k < KS_EV__COUNT; k++)
        if (ob->extra[k])
            emit(d, (ks_event_kind)k, KS_SEV_WARN, owner, "%s: and %d more %s", event_kind_name(k),
                 ob->extra[k], unit);
}

static void diff_partition(diff_ctx *d, owner_budget *ob, const char *topic, const ks_partition *op,
                           const ks_partition *np)
{
    char subject[96], ids[64], isr[64];
    int32_t moved[32];
    int n;
    bool old_off = partition_offline(op), new_off = partition_offline(np);
    bool old_urp = partition_under_replicated(op), new_urp = partition_under_replicated(np);

    /* the common case, nothing changed: no formatting at all */
    if (op->leader == np->leader && op->nisr == np->nisr && op->nreplicas == np->nreplicas &&
        (op->nisr == 0 || !memcmp(op->isr, np->isr, sizeof(int32_t) * (size_t)op->nisr)))
        return;
    snprintf(subject, sizeof(subject), "%s-%d", topic, np->id);
    fmt_ids(np->isr, np->nisr, isr, sizeof(isr));
    if (op->leader != np->leader) {
        if (new_off) {
            if (budget_take(ob, KS_EV_OFFLINE))
                emit(d, KS_EV_OFFLINE, KS_SEV_ERROR, subject, "offline: no leader (was broker %d)",
                     op->leader);
        } else if (budget_take(ob, KS_EV_LEADER_MOVED)) {
            if (old_off)
                emit(d, KS_EV_LEADER_MOVED, KS_SEV_INFO, subject, "back online: leader broker %d",
                     np->leader);
            else
                emit(d, KS_EV_LEADER_MOVED, KS_SEV_WARN, subject, "leader moved: broker %d -> %d",
                     op->leader, np->leader);
        }
    }
    n = ids_minus(op->isr, op->nisr, np->isr, np->nisr, moved, 32);
    if (n && budget_take(ob, KS_EV_ISR_SHRANK))
        emit(d, KS_EV_ISR_SHRANK, KS_SEV_WARN, subject, "ISR shrank: broker%s %s left (ISR %s)",
             n > 1 ? "s" : "", fmt_ids(moved, n, ids, sizeof(ids)), isr);
    n = ids_minus(np->isr, np->nisr, op->isr, op->nisr, moved, 32);
    if (n && budget_take(ob, KS_EV_ISR_EXPANDED))
        emit(d, KS_EV_ISR_EXPANDED, KS_SEV_INFO, subject,
             "ISR expanded: broker%s %s joined (ISR %s)", n > 1 ? "s" : "",
             fmt_ids(moved, n, ids, sizeof(ids)), isr);
    if (!old_urp && new_urp && !new_off && budget_take(ob, KS_EV_UNDER_REPLICATED))
        emit(d, KS_EV_UNDER_REPLICATED, KS_SEV_WARN, subject,
             "under-replicated: %d of %d replicas in sync", np->nisr, np->nreplicas);
    else if (old_urp && !new_urp && budget_take(ob, KS_EV_RECOVERED))
        emit(d, KS_EV_RECOVERED, KS_SEV_INFO, subject,
             "recovered: all %d replicas in sync (ISR %s)", np->nreplicas, isr);
}

static void diff_topic(diff_ctx *d, const ks_topic *ot, const ks_topic *nt)
{
    owner_budget ob = {0};
    int i = 0, j = 0;

    if (nt->npartitions > ot->npartitions)
        emit(d, KS_EV_PARTITIONS_ADDED, KS_SEV_INFO, nt->name, "partitions added: %d -> %d",
             ot->npartitions, nt->npartitions);
    /* both arrays are sorted by id: merge */
    while (i < ot->npartitions && j < nt->npartitions) {
        const ks_partition *op = &ot->partitions[i], *np = &nt->partitions[j];
        if (op->id < np->id)
            i++;
        else if (op->id > np->id)
            j++;
        else {
            diff_partition(d, &ob, nt->name, op, np);
            i++, j++;
        }
    }
    budget_summarise(d, &ob, nt->name, "partitions");
}

static void diff_cluster(diff_ctx *d, const ks_cluster *old, const ks_cluster *c)
{
    int i = 0, j = 0;

    diff_source(d, "kafka", old ? &old->part : NULL, c ? &c->part : NULL);
    if (!cluster_has_data(c))
        return;
    if (!cluster_has_data(old)) {
        emit(d, KS_EV_LOG, KS_SEV_INFO, "kafka", "connected to %s: %d brokers, %d topics",
             c->bootstrap ? c->bootstrap : "cluster", c->nbrokers, c->ntopics);
        return;
    }
    if ((old->cluster_id && c->cluster_id && strcmp(old->cluster_id, c->cluster_id) != 0) ||
        cmp_str(old->bootstrap, c->bootstrap) != 0) {
        /* another cluster (profile switch): a new baseline, not a thousand deletions */
        emit(d, KS_EV_LOG, KS_SEV_INFO, "kafka", "now watching %s (cluster %s)",
             c->bootstrap ? c->bootstrap : "?", c->cluster_id ? c->cluster_id : "?");
        return;
    }
    diff_brokers(d, old, c);
    if (old->part.error || c->part.error) {
        /* a failed poll knows the brokers (all down) but not the topics:
         * topics resume from the next good poll instead of "deleted" */
        return;
    }
    while (i < old->ntopics || j < c->ntopics) {
        int cmp = i >= old->ntopics ? 1
                  : j >= c->ntopics ? -1
                                    : strcmp(old->topics[i].name, c->topics[j].name);
        if (cmp < 0) {
            emit(d, KS_EV_TOPIC_DELETED, KS_SEV_INFO, old->topics[i].name, "topic deleted");
            i++;
        } else if (cmp > 0) {
            const ks_topic *t = &c->topics[j];
            emit(d, KS_EV_TOPIC_CREATED, KS_SEV_INFO, t->name,
                 "topic created: %d partitions, replication factor %d", t->npartitions,
                 topic_replication_factor(t));
            j++;
        } else {
            diff_topic(d, &old->topics[i], &c->topics[j]);
            i++, j++;
        }
    }
}

/* ---- groups: membership, state, generation, assignment ---- */

static bool groups_have_data(const ks_groups *g)
{
    return g && g->supported && !(g->part.error && g->ngroups == 0);
}

static const char *member_name(const ks_member *m)
{
    return m->client_id && *m->client_id ? m->client_id : m->member_id;
}

static int cmp_tp(const ks_tp *a, const ks_tp *b)
{
    int c = cmp_str(a->topic, b->topic);
    return c ? c : (a->partition > b->partition) - (a->partition < b->partition);
}

/* Appends "+t-0" / "-t-1" items to buf; returns true if the lists differ. */
static bool assignment_delta(const ks_member *om, const ks_member *nm, char *buf, size_t size)
{
    size_t len = 0;
    int i = 0, j = 0;
    bool differ = false;

    buf[0] = '\0';
    while (i < om->nassignment || j < nm->nassignment) {
        int cmp = i >= om->nassignment   ? 1
                  : j >= nm->nassignment ? -1
                                         : cmp_tp(&om->assignment[i], &nm->assignment[j]);
        const ks_tp *tp = cmp < 0 ? &om->assignment[i] : &nm->assignment[j];
        if (cmp == 0) {
            i++, j++;
            continue;
        }
        differ = true;
        if (len < size)
            len +=
                (size_t)snprintf(buf + len, size - len, "%s%c%s-%d", len ? " " : "",
                                 cmp < 0 ? '-' : '+', tp->topic ? tp->topic : "?", tp->partition);
        if (cmp < 0)
            i++;
        else
            j++;
    }
    return differ;
}

static void diff_members(diff_ctx *d, owner_budget *ob, const ks_group *og, const ks_group *ng)
{
    char delta[160];
    int i = 0, j = 0;

    while (i < og->nmembers || j < ng->nmembers) {
        int cmp = i >= og->nmembers   ? 1
                  : j >= ng->nmembers ? -1
                                      : cmp_str(og->members[i].member_id, ng->members[j].member_id);
        if (cmp < 0) {
            const ks_member *m = &og->members[i++];
            if (budget_take(ob, KS_EV_MEMBER_LEFT))
                emit(d, KS_EV_MEMBER_LEFT, KS_SEV_INFO, ng->id, "member left: %s (%s)",
                     member_name(m), m->host ? m->host : "?");
        } else if (cmp > 0) {
            const ks_member *m = &ng->members[j++];
            if (budget_take(ob, KS_EV_MEMBER_JOINED))
                emit(d, KS_EV_MEMBER_JOINED, KS_SEV_INFO, ng->id, "member joined: %s (%s)",
                     member_name(m), m->host ? m->host : "?");
        } else {
            const ks_member *om = &og->members[i++], *nm = &ng->members[j++];
            if (assignment_delta(om, nm, delta, sizeof(delta)) && budget_take(ob, KS_EV_ASSIGNMENT))
                emit(d, KS_EV_ASSIGNMENT, KS_SEV_INFO, ng->id,
                     "assignment of %s: %s (now %d partitions)", member_name(nm), delta,
                     nm->nassignment);
        }
    }
}

static void diff_group(diff_ctx *d, const ks_group *og, const ks_group *ng)
{
    owner_budget ob = {0};

    /* a describe that failed this round says nothing about membership */
    if (og->error || ng->error)
        return;
    if (cmp_str(og->state, ng->state) != 0) {
        bool bad = ng->state && (!strcmp(ng->state, "Dead") || !strcmp(ng->state, "Unknown"));
        emit(d, KS_EV_GROUP_STATE, bad ? KS_SEV_WARN : KS_SEV_INFO, ng->id, "state %s -> %s",
             og->state ? og->state : "?", ng->state ? ng->state : "?");
    }
    if (og->generation_valid && ng->generation_valid && og->generation != ng->generation)
        emit(d, KS_EV_GROUP_GENERATION, KS_SEV_INFO, ng->id, "generation %d -> %d", og->generation,
             ng->generation);
    diff_members(d, &ob, og, ng);
    budget_summarise(d, &ob, ng->id, "changes");
}

static void diff_groups(diff_ctx *d, const ks_groups *old, const ks_groups *g)
{
    int i = 0, j = 0;

    diff_source(d, "groups", old ? &old->part : NULL, g ? &g->part : NULL);
    if (!groups_have_data(g) || !groups_have_data(old))
        return;
    while (i < old->ngroups || j < g->ngroups) {
        int cmp = i >= old->ngroups ? 1
                  : j >= g->ngroups ? -1
                                    : cmp_str(old->groups[i].id, g->groups[j].id);
        if (cmp < 0) {
            emit(d, KS_EV_GROUP_GONE, KS_SEV_INFO, old->groups[i].id, "group gone");
            i++;
        } else if (cmp > 0) {
            const ks_group *ng = &g->groups[j++];
            emit(d, KS_EV_GROUP_NEW, KS_SEV_INFO, ng->id, "group appeared: %s, %d members",
                 ng->state ? ng->state : "?", ng->nmembers);
        } else {
            diff_group(d, &old->groups[i], &g->groups[j]);
            i++, j++;
        }
    }
}

/* ---- ZooKeeper and registry ---- */

static const ks_zk_server *zk_find(const ks_zk *zk, const char *address)
{
    for (int i = 0; i < zk->nservers; i++)
        if (!cmp_str(zk->servers[i].address, address))
            return &zk->servers[i];
    return NULL;
}

static void diff_zk(diff_ctx *d, const ks_zk *old, const ks_zk *zk)
{
    diff_source(d, "zookeeper", old ? &old->part : NULL, zk ? &zk->part : NULL);
    if (!zk || !old || zk->nservers == 0 || old->nservers == 0)
        return;
    for (int i = 0; i < zk->nservers; i++) {
        const ks_zk_server *ns = &zk->servers[i], *os = zk_find(old, ns->address);
        bool bad = ns->mode == KS_ZK_DOWN || ns->mode == KS_ZK_NOT_SERVING;
        if (os && os->mode != ns->mode)
            emit(d, KS_EV_ZK_ROLE, bad ? KS_SEV_WARN : KS_SEV_INFO, ns->address, "%s -> %s",
                 zk_mode_name(os->mode), zk_mode_name(ns->mode));
    }
    if (!old->quorum_valid || !zk->quorum_valid)
        return; /* nobody could say: no news about the quorum */
    if (old->quorum && !zk->quorum)
        emit(d, KS_EV_QUORUM_LOST, KS_SEV_ERROR, "zookeeper", "ZooKeeper quorum lost");
    else if (!old->quorum && zk->quorum)
        emit(d, KS_EV_QUORUM_REGAINED, KS_SEV_INFO, "zookeeper", "ZooKeeper quorum regained");
}

static void diff_registry(diff_ctx *d, const ks_registry *old, const ks_registry *reg)
{
    bool was_up = old ? old->reachable : true; /* a first unreachable poll is news */

    if (!reg)
        return;
    if (was_up && !reg->reachable)
        emit(d, KS_EV_REGISTRY_DOWN, KS_SEV_ERROR, "registry", "registry unreachable: %s",
             reg->part.error ? reg->part.error : "no answer");
    else if (old && !was_up && reg->reachable)
        emit(d, KS_EV_REGISTRY_UP, KS_SEV_INFO, "registry", "registry reachable again");
}

void diff_snapshots(const ks_snapshot *old, const ks_snapshot *snap, ks_timeline *tl,
                    int64_t now_ms)
{
    static const ks_snapshot empty;
    diff_ctx d = {.tl = tl, .now = now_ms};

    if (!snap || !tl)
        return;
    if (!old)
        old = &empty;
    if (old->cluster != snap->cluster)
        diff_cluster(&d, old->cluster, snap->cluster);
    if (old->groups != snap->groups)
        diff_groups(&d, old->groups, snap->groups);
    if (old->zk != snap->zk)
        diff_zk(&d, old->zk, snap->zk);
    if (old->registry != snap->registry)
        diff_registry(&d, old->registry, snap->registry);
    if (d.dropped)
        timeline_push(tl, now_ms, KS_EV_LOG, KS_SEV_WARN, "timeline",
                      "%d more changes in this refresh not shown", d.dropped);
}
