/* snapshot_json: model -> jansson tree. Pure; any thread. */
#include "snapshot_json.h"
#include "snapshot.h"

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *int_or_null(bool valid, int64_t v)
{
    return valid ? json_integer(v) : json_null();
}

static json_t *id_list(const int32_t *ids, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_integer(ids[i]));
    return a;
}

static json_t *cluster_json(const ks_cluster *cl)
{
    json_t *brokers = json_array();

    for (int i = 0; cl && i < cl->nbrokers; i++) {
        const ks_broker *b = &cl->brokers[i];
        json_array_append_new(brokers, json_pack("{s:i, s:o, s:o, s:b}", "id", (int)b->id, "host",
                                                 str_or_null(b->host), "port",
                                                 int_or_null(b->port > 0, b->port), "up", b->up));
    }
    return json_pack("{s:o, s:o, s:o}", "id", str_or_null(cl ? cl->cluster_id : NULL),
                     "controller", int_or_null(cl && cl->controller >= 0, cl ? cl->controller : 0),
                     "brokers", brokers);
}

static json_t *topics_json(const ks_cluster *cl)
{
    json_t *topics = json_array();

    for (int t = 0; cl && t < cl->ntopics; t++) {
        const ks_topic *topic = &cl->topics[t];
        json_t *parts = json_array();
        for (int p = 0; p < topic->npartitions; p++) {
            const ks_partition *part = &topic->partitions[p];
            json_array_append_new(
                parts, json_pack("{s:i, s:o, s:o, s:o, s:o, s:o}", "partition", (int)part->id,
                                 "leader", int_or_null(part->leader >= 0, part->leader),
                                 "replicas", id_list(part->replicas, part->nreplicas), "isr",
                                 id_list(part->isr, part->nisr), "low",
                                 int_or_null(part->low_valid, part->low), "high",
                                 int_or_null(part->high_valid, part->high)));
        }
        json_array_append_new(topics, json_pack("{s:s, s:b, s:o}", "name", topic->name,
                                                "internal", topic->internal, "partitions", parts));
    }
    return topics;
}

static json_t *group_json(const ks_group *g)
{
    json_t *members = json_array(), *offsets = json_array();

    for (int m = 0; m < g->nmembers; m++) {
        const ks_member *mem = &g->members[m];
        json_t *assignment = json_array();
        for (int k = 0; k < mem->nassignment; k++)
            json_array_append_new(assignment,
                                  json_pack("{s:s, s:i}", "topic", mem->assignment[k].topic,
                                            "partition", (int)mem->assignment[k].partition));
        json_array_append_new(members, json_pack("{s:o, s:o, s:o, s:o}", "member_id",
                                                 str_or_null(mem->member_id), "client_id",
                                                 str_or_null(mem->client_id), "host",
                                                 str_or_null(mem->host), "assignment", assignment));
    }
    for (int k = 0; k < g->noffsets; k++) {
        const ks_offset *o = &g->offsets[k];
        json_array_append_new(
            offsets, json_pack("{s:s, s:i, s:o, s:o, s:o}", "topic", o->topic, "partition",
                               (int)o->partition, "committed",
                               int_or_null(o->committed_valid, o->committed), "end",
                               int_or_null(o->end_valid, o->end), "lag",
                               int_or_null(o->lag_valid, o->lag)));
    }
    return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "group", g->id, "state",
                     str_or_null(g->state), "assignor", str_or_null(g->assignor), "coordinator",
                     int_or_null(g->coordinator >= 0, g->coordinator), "lag",
                     int_or_null(g->lag_valid, g->lag), "members", members, "offsets", offsets);
}

static json_t *zk_json(const ks_zk *zk)
{
    json_t *servers = json_array();

    if (!zk)
        return json_null();
    for (int i = 0; i < zk->nservers; i++) {
        const ks_zk_server *s = &zk->servers[i];
        json_array_append_new(
            servers, json_pack("{s:s, s:s, s:o, s:o, s:o}", "address", s->address, "mode",
                               zk_mode_name(s->mode), "zxid", int_or_null(s->stats_valid, s->zxid),
                               "connections", int_or_null(s->stats_valid, s->connections),
                               "latency_avg_ms",
                               s->stats_valid ? json_real(s->latency_avg_ms) : json_null()));
    }
    /* quorum is null when no server could tell (all refuse srvr, say) */
    return json_pack("{s:o, s:o}", "quorum", zk->quorum_valid ? json_boolean(zk->quorum) : json_null(),
                     "servers", servers);
}

static json_t *registry_json(const ks_registry *reg)
{
    json_t *subjects = json_array();

    if (!reg)
        return json_null();
    for (int i = 0; i < reg->nsubjects; i++) {
        const ks_subject *s = &reg->subjects[i];
        json_t *versions = json_array();
        for (int v = 0; v < s->nversions; v++)
            json_array_append_new(versions, json_integer(s->versions[v]));
        json_array_append_new(subjects, json_pack("{s:s, s:o, s:o, s:o}", "subject", s->name,
                                                  "versions", versions, "latest_id",
                                                  int_or_null(s->latest_id >= 0, s->latest_id),
                                                  "type", str_or_null(s->type)));
    }
    return json_pack("{s:o, s:b, s:o}", "url", str_or_null(reg->url), "reachable",
                     reg->reachable, "subjects", subjects);
}

json_t *snapshot_to_json(const ks_snapshot *snap)
{
    json_t *groups = json_array(), *errors = json_array();
    ks_error errs[8];
    int nerrs = snapshot_errors(snap, errs, 8);

    for (int i = 0; snap->groups && i < snap->groups->ngroups; i++)
        json_array_append_new(groups, group_json(&snap->groups->groups[i]));
    for (int i = 0; i < nerrs; i++)
        json_array_append_new(errors, json_pack("{s:s, s:s}", "source", errs[i].source, "message",
                                                errs[i].message));
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "cluster", cluster_json(snap->cluster),
                     "topics", topics_json(snap->cluster), "groups", groups, "zookeeper",
                     zk_json(snap->zk), "registry", registry_json(snap->registry), "errors",
                     errors);
}
