/* snapshot_text: brokers, topics, groups, ZooKeeper and registry as tables,
 * laid out like Kafka's own CLI output so the numbers can be compared by eye.
 * Every string from the cluster goes through sanitize(): group ids, client
 * ids and hosts are arbitrary bytes. */
#include "snapshot_text.h"
#include "sanitize.h"
#include "snapshot.h"

#include <inttypes.h>
#include <string.h>

/* One sanitised copy of s in a caller buffer. */
static const char *safe(const char *s, char *buf, size_t size)
{
    if (!s)
        return "-";
    sanitize(s, strlen(s), buf, size);
    return buf;
}

static const char *num(bool valid, int64_t v, char *buf, size_t size)
{
    if (!valid)
        return "-";
    snprintf(buf, size, "%" PRId64, v);
    return buf;
}

static void ids(const int32_t *v, int n, char *buf, size_t size)
{
    size_t off = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && off < size; i++)
        off += (size_t)snprintf(buf + off, size - off, "%s%d", i ? "," : "", (int)v[i]);
}

static void print_cluster(const ks_cluster *cl, FILE *out)
{
    char a[256], b[64];
    ks_cluster_counts c;

    cluster_counts(cl, &c);
    fprintf(out, "Cluster %s  controller %s  brokers %d/%d up  topics %d  partitions %d  "
                 "under-replicated %d  offline %d\n\n",
            safe(cl->cluster_id, a, sizeof(a)), num(cl->controller >= 0, cl->controller, b, sizeof(b)),
            c.brokers_up, cl->nbrokers, c.topics, c.partitions, c.under_replicated, c.offline);
    fprintf(out, "%-6s %-30s %-5s %8s %8s\n", "BROKER", "HOST:PORT", "STATE", "LEADERS",
            "REPLICAS");
    for (int i = 0; i < cl->nbrokers; i++) {
        const ks_broker *br = &cl->brokers[i];
        char hp[300];
        snprintf(hp, sizeof(hp), "%s:%d", safe(br->host, a, sizeof(a)), br->port);
        fprintf(out, "%-6d %-30s %-5s %8d %8d\n", (int)br->id, br->host ? hp : "-",
                br->up ? "up" : "down", broker_leader_count(cl, br->id),
                broker_replica_count(cl, br->id));
    }
    fputc('\n', out);
}

static void print_topics(const ks_cluster *cl, FILE *out)
{
    char a[256], r[128], s[128], ld[32], lo[32], hi[32];

    fprintf(out, "%-40s %9s %-6s %-8s %-12s %-12s %12s %12s\n", "TOPIC", "PARTITION", "LEADER",
            "REPLICAS", "ISR", "", "LOW", "HIGH");
    for (int t = 0; t < cl->ntopics; t++) {
        const ks_topic *topic = &cl->topics[t];
        for (int p = 0; p < topic->npartitions; p++) {
            const ks_partition *part = &topic->partitions[p];
            ids(part->replicas, part->nreplicas, r, sizeof(r));
            ids(part->isr, part->nisr, s, sizeof(s));
            fprintf(out, "%-40s %9d %-6s %-8s %-12s %-12s %12s %12s\n",
                    safe(topic->name, a, sizeof(a)), (int)part->id,
                    part->leader >= 0 ? num(true, part->leader, ld, sizeof(ld)) : "none", r, s,
                    partition_under_replicated(part) ? "UNDER-REPL" : "",
                    num(part->low_valid, part->low, lo, sizeof(lo)),
                    num(part->high_valid, part->high, hi, sizeof(hi)));
        }
    }
    fputc('\n', out);
}

static void print_groups(const ks_groups *gs, FILE *out)
{
    char a[256], b[256], c1[32], c2[32], c3[32];

    for (int i = 0; i < gs->ngroups; i++) {
        const ks_group *g = &gs->groups[i];
        fprintf(out, "GROUP %s  state %s  assignor %s  coordinator %s  members %d  lag %s%s%s\n",
                safe(g->id, a, sizeof(a)), g->state ? g->state : "-",
                g->assignor && *g->assignor ? safe(g->assignor, b, sizeof(b)) : "-",
                num(g->coordinator >= 0, g->coordinator, c1, sizeof(c1)), g->nmembers,
                num(g->lag_valid, g->lag, c2, sizeof(c2)), g->error ? "  error: " : "",
                g->error ? g->error : "");
        if (!g->noffsets)
            continue;
        fprintf(out, "  %-40s %9s %14s %14s %10s  %s\n", "TOPIC", "PARTITION", "CURRENT-OFFSET",
                "LOG-END-OFFSET", "LAG", "CONSUMER-ID");
        for (int k = 0; k < g->noffsets; k++) {
            const ks_offset *o = &g->offsets[k];
            fprintf(out, "  %-40s %9d %14s %14s %10s  %s\n", safe(o->topic, a, sizeof(a)),
                    (int)o->partition, num(o->committed_valid, o->committed, c1, sizeof(c1)),
                    num(o->end_valid, o->end, c2, sizeof(c2)), num(o->lag_valid, o->lag, c3, sizeof(c3)),
                    safe(o->member_id, b, sizeof(b)));
        }
    }
    if (gs->ngroups)
        fputc('\n', out);
}

static void print_zk(const ks_zk *zk, FILE *out)
{
    char a[256], z[32], c[32];

    fprintf(out, "ZooKeeper quorum: %s%s%s\n", !zk->quorum_valid ? "unknown" : zk->quorum ? "yes" : "NO",
            zk->part.error ? "  " : "", zk->part.error ? zk->part.error : "");
    fprintf(out, "  %-22s %-12s %-14s %6s %8s  %s\n", "SERVER", "MODE", "ZXID", "CONNS",
            "LAT-AVG", "");
    for (int i = 0; i < zk->nservers; i++) {
        const ks_zk_server *s = &zk->servers[i];
        char lat[32];
        snprintf(z, sizeof(z), "0x%" PRIx64, s->zxid);
        snprintf(lat, sizeof(lat), "%.1fms", s->latency_avg_ms);
        fprintf(out, "  %-22s %-12s %-14s %6s %8s  %s\n", safe(s->address, a, sizeof(a)),
                zk_mode_name(s->mode), s->stats_valid ? z : "-",
                num(s->stats_valid, s->connections, c, sizeof(c)), s->stats_valid ? lat : "-",
                s->error ? s->error : "");
    }
    fputc('\n', out);
}

static void print_registry(const ks_registry *reg, FILE *out)
{
    char a[256], v[32];

    fprintf(out, "Registry %s: %s\n", safe(reg->url, a, sizeof(a)),
            reg->reachable ? "reachable" : "UNREACHABLE");
    if (reg->nsubjects)
        fprintf(out, "  %-40s %8s %9s %s\n", "SUBJECT", "VERSIONS", "LATEST-ID", "TYPE");
    for (int i = 0; i < reg->nsubjects; i++) {
        const ks_subject *s = &reg->subjects[i];
        fprintf(out, "  %-40s %8d %9s %s\n", safe(s->name, a, sizeof(a)), s->nversions,
                num(s->latest_id >= 0, s->latest_id, v, sizeof(v)), s->type ? s->type : "-");
    }
    fputc('\n', out);
}

void snapshot_print_text(const ks_snapshot *snap, FILE *out)
{
    ks_error errs[8];
    int n;

    if (snap->cluster) {
        print_cluster(snap->cluster, out);
        print_topics(snap->cluster, out);
    }
    if (snap->groups)
        print_groups(snap->groups, out);
    if (snap->zk)
        print_zk(snap->zk, out);
    if (snap->registry)
        print_registry(snap->registry, out);
    n = snapshot_errors(snap, errs, 8);
    for (int i = 0; i < n; i++)
        fprintf(out, "error: %s: %s\n", errs[i].source, errs[i].message);
}
