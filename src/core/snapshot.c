/* snapshot: refcounts, sorting and look-ups over the model.
 *
 * DESIGN: parts are reference counted with C11 atomics so a UI frame can keep
 * an old part alive while a poller publishes the next one. All functions
 * are callable from any thread; none takes a lock. */
#include "snapshot.h"
#include "xmalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *part_alloc(size_t size)
{
    ks_part *part = xcalloc(1, size);

    atomic_init(&part->refcnt, 1);
    part->arena = arena_new();
    return part;
}

ks_cluster *cluster_new(void)
{
    ks_cluster *cluster = part_alloc(sizeof(*cluster));
    cluster->controller = KS_NO_ID;
    return cluster;
}

ks_groups *groups_new(void)
{
    ks_groups *groups = part_alloc(sizeof(*groups));
    groups->supported = true;
    return groups;
}

ks_zk *zk_new(void)
{
    return part_alloc(sizeof(ks_zk));
}

ks_registry *registry_new(void)
{
    return part_alloc(sizeof(ks_registry));
}

void *part_ref(void *p)
{
    ks_part *part = p;
    if (part)
        atomic_fetch_add(&part->refcnt, 1);
    return p;
}

void part_unref(void *p)
{
    ks_part *part = p;
    if (!part || atomic_fetch_sub(&part->refcnt, 1) != 1)
        return;
    arena_free(part->arena);
    free(part);
}

void part_set_error(void *p, const char *fmt, ...)
{
    ks_part *part = p;
    va_list ap;
    char buf[512];

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    part->error = arena_strdup(part->arena, buf);
}

static int cmp_topic(const void *a, const void *b)
{
    return strcmp(((const ks_topic *)a)->name, ((const ks_topic *)b)->name);
}

static int cmp_partition(const void *a, const void *b)
{
    int32_t x = ((const ks_partition *)a)->id, y = ((const ks_partition *)b)->id;
    return (x > y) - (x < y);
}

static int cmp_broker(const void *a, const void *b)
{
    int32_t x = ((const ks_broker *)a)->id, y = ((const ks_broker *)b)->id;
    return (x > y) - (x < y);
}

static int cmp_tp(const void *a, const void *b)
{
    const ks_tp *x = a, *y = b;
    int c = strcmp(x->topic, y->topic);
    return c ? c : (x->partition > y->partition) - (x->partition < y->partition);
}

static int cmp_offset(const void *a, const void *b)
{
    const ks_offset *x = a, *y = b;
    int c = strcmp(x->topic, y->topic);
    return c ? c : (x->partition > y->partition) - (x->partition < y->partition);
}

static int cmp_member(const void *a, const void *b)
{
    return strcmp(((const ks_member *)a)->member_id, ((const ks_member *)b)->member_id);
}

static int cmp_group(const void *a, const void *b)
{
    return strcmp(((const ks_group *)a)->id, ((const ks_group *)b)->id);
}

static int cmp_subject(const void *a, const void *b)
{
    return strcmp(((const ks_subject *)a)->name, ((const ks_subject *)b)->name);
}

void cluster_sort(ks_cluster *cluster)
{
    if (cluster->nbrokers)
        qsort(cluster->brokers, (size_t)cluster->nbrokers, sizeof(ks_broker), cmp_broker);
    if (cluster->ntopics)
        qsort(cluster->topics, (size_t)cluster->ntopics, sizeof(ks_topic), cmp_topic);
    for (int i = 0; i < cluster->ntopics; i++) {
        ks_topic *t = &cluster->topics[i];
        if (t->npartitions)
            qsort(t->partitions, (size_t)t->npartitions, sizeof(ks_partition), cmp_partition);
    }
}

void groups_sort(ks_groups *groups)
{
    if (groups->ngroups)
        qsort(groups->groups, (size_t)groups->ngroups, sizeof(ks_group), cmp_group);
    for (int i = 0; i < groups->ngroups; i++) {
        ks_group *g = &groups->groups[i];
        if (g->nmembers)
            qsort(g->members, (size_t)g->nmembers, sizeof(ks_member), cmp_member);
        for (int m = 0; m < g->nmembers; m++)
            if (g->members[m].nassignment)
                qsort(g->members[m].assignment, (size_t)g->members[m].nassignment,
                      sizeof(ks_tp), cmp_tp);
        if (g->noffsets)
            qsort(g->offsets, (size_t)g->noffsets, sizeof(ks_offset), cmp_offset);
    }
}

void registry_sort(ks_registry *registry)
{
    if (registry->nsubjects)
        qsort(registry->subjects, (size_t)registry->nsubjects, sizeof(ks_subject), cmp_subject);
}

ks_snapshot *snapshot_ref(ks_snapshot *snap)
{
    if (snap)
        atomic_fetch_add(&snap->refcnt, 1);
    return snap;
}

void snapshot_unref(ks_snapshot *snap)
{
    if (!snap || atomic_fetch_sub(&snap->refcnt, 1) != 1)
        return;
    part_unref(snap->cluster);
    part_unref(snap->groups);
    part_unref(snap->zk);
    part_unref(snap->registry);
    free(snap);
}

const ks_topic *snapshot_topic(const ks_snapshot *snap, const char *name)
{
    ks_topic key = {.name = name};
    if (!snap || !snap->cluster || !snap->cluster->ntopics)
        return NULL;
    return bsearch(&key, snap->cluster->topics, (size_t)snap->cluster->ntopics,
                   sizeof(ks_topic), cmp_topic);
}

const ks_partition *topic_partition(const ks_topic *topic, int32_t id)
{
    ks_partition key = {.id = id};
    if (!topic || !topic->npartitions)
        return NULL;
    return bsearch(&key, topic->partitions, (size_t)topic->npartitions, sizeof(ks_partition),
                   cmp_partition);
}

const ks_broker *snapshot_broker(const ks_snapshot *snap, int32_t id)
{
    ks_broker key = {.id = id};
    if (!snap || !snap->cluster || !snap->cluster->nbrokers)
        return NULL;
    return bsearch(&key, snap->cluster->brokers, (size_t)snap->cluster->nbrokers,
                   sizeof(ks_broker), cmp_broker);
}

const ks_group *snapshot_group(const ks_snapshot *snap, const char *id)
{
    ks_group key = {.id = id};
    if (!snap || !snap->groups || !snap->groups->ngroups)
        return NULL;
    return bsearch(&key, snap->groups->groups, (size_t)snap->groups->ngroups, sizeof(ks_group),
                   cmp_group);
}

const ks_subject *snapshot_subject(const ks_snapshot *snap, const char *name)
{
    ks_subject key = {.name = name};
    if (!snap || !snap->registry || !snap->registry->nsubjects)
        return NULL;
    return bsearch(&key, snap->registry->subjects, (size_t)snap->registry->nsubjects,
                   sizeof(ks_subject), cmp_subject);
}

bool partition_offline(const ks_partition *p)
{
    return p->leader < 0;
}

bool partition_under_replicated(const ks_partition *p)
{
    return p->nisr < p->nreplicas;
}

bool partition_in_isr(const ks_partition *p, int32_t broker)
{
    for (int i = 0; i < p->nisr; i++)
        if (p->isr[i] == broker)
            return true;
    return false;
}

int topic_replication_factor(const ks_topic *topic)
{
    int rf = 0;
    for (int i = 0; i < topic->npartitions; i++)
        if (topic->partitions[i].nreplicas > rf)
            rf = topic->partitions[i].nreplicas;
    return rf;
}

int topic_under_replicated(const ks_topic *topic)
{
    int n = 0;
    for (int i = 0; i < topic->npartitions; i++)
        n += partition_under_replicated(&topic->partitions[i]);
    return n;
}

bool topic_messages(const ks_topic *topic, int64_t *out)
{
    int64_t sum = 0;
    for (int i = 0; i < topic->npartitions; i++) {
        const ks_partition *p = &topic->partitions[i];
        if (!p->low_valid || !p->high_valid)
            return false;
        sum += p->high - p->low;
    }
    *out = sum;
    return true;
}

bool lag_compute(bool committed_valid, int64_t committed, bool end_valid, int64_t end,
                 int64_t *lag)
{
    if (!committed_valid || committed < 0 || !end_valid || end < 0)
        return false;
    *lag = end - committed;
    return true;
}

void cluster_counts(const ks_cluster *cluster, ks_cluster_counts *out)
{
    memset(out, 0, sizeof(*out));
    if (!cluster)
        return;
    for (int i = 0; i < cluster->nbrokers; i++)
        out->brokers_up += cluster->brokers[i].up;
    for (int i = 0; i < cluster->ntopics; i++) {
        const ks_topic *t = &cluster->topics[i];
        out->topics++;
        out->internal_topics += t->internal;
        out->partitions += t->npartitions;
        for (int p = 0; p < t->npartitions; p++) {
            out->under_replicated += partition_under_replicated(&t->partitions[p]);
            out->offline += partition_offline(&t->partitions[p]);
        }
    }
}

int broker_leader_count(const ks_cluster *cluster, int32_t broker)
{
    int n = 0;
    for (int i = 0; cluster && i < cluster->ntopics; i++)
        for (int p = 0; p < cluster->topics[i].npartitions; p++)
            n += cluster->topics[i].partitions[p].leader == broker;
    return n;
}

int broker_replica_count(const ks_cluster *cluster, int32_t broker)
{
    int n = 0;
    for (int i = 0; cluster && i < cluster->ntopics; i++)
        for (int p = 0; p < cluster->topics[i].npartitions; p++) {
            const ks_partition *part = &cluster->topics[i].partitions[p];
            for (int r = 0; r < part->nreplicas; r++)
                n += part->replicas[r] == broker;
        }
    return n;
}

int snapshot_errors(const ks_snapshot *snap, ks_error *out, int max)
{
    const ks_part *parts[4];
    const char *names[4] = {"kafka", "groups", "zookeeper", "registry"};
    int n = 0;

    if (!snap)
        return 0;
    parts[0] = snap->cluster ? &snap->cluster->part : NULL;
    parts[1] = snap->groups ? &snap->groups->part : NULL;
    parts[2] = snap->zk ? &snap->zk->part : NULL;
    parts[3] = snap->registry ? &snap->registry->part : NULL;
    for (int i = 0; i < 4 && n < max; i++)
        if (parts[i] && parts[i]->error)
            out[n++] = (ks_error){names[i], parts[i]->error};
    return n;
}

const char *zk_mode_name(ks_zk_mode mode)
{
    switch (mode) {
    case KS_ZK_LEADER: return "leader";
    case KS_ZK_FOLLOWER: return "follower";
    case KS_ZK_OBSERVER: return "observer";
    case KS_ZK_STANDALONE: return "standalone";
    case KS_ZK_READ_ONLY: return "read-only";
    case KS_ZK_NOT_SERVING: return "not-serving";
    case KS_ZK_REFUSED: return "refused";
    case KS_ZK_DOWN: return "down";
    case KS_ZK_UNKNOWN: break;
    }
    return "unknown";
}
