/* groups_wire: ks_groups <-> JSON, field for field.
 *
 * DESIGN: the document is produced by our own worker, but it crosses a
 * process boundary, so decoding checks every type and bounds and never
 * trusts a count: a malformed document is an error, not a crash. */
#include "groups_wire.h"
#include "snapshot.h"

#include <stdio.h>
#include <string.h>

static json_t *str(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *member_encode(const ks_member *m)
{
    json_t *a = json_array();
    for (int k = 0; k < m->nassignment; k++)
        json_array_append_new(a, json_pack("[s,i]", m->assignment[k].topic,
                                           (int)m->assignment[k].partition));
    return json_pack("{s:o,s:o,s:o,s:o,s:o}", "member_id", str(m->member_id), "client_id",
                     str(m->client_id), "host", str(m->host), "instance_id", str(m->instance_id),
                     "assignment", a);
}

static json_t *offset_encode(const ks_offset *o)
{
    return json_pack("{s:s,s:i,s:b,s:I,s:b,s:I,s:b,s:I,s:o}", "topic", o->topic, "partition",
                     (int)o->partition, "cv", o->committed_valid, "c", (json_int_t)o->committed,
                     "ev", o->end_valid, "e", (json_int_t)o->end, "lv", o->lag_valid, "l",
                     (json_int_t)o->lag, "member_id", str(o->member_id));
}

json_t *groups_wire_encode(const ks_groups *gs)
{
    json_t *groups = json_array();

    for (int i = 0; i < gs->ngroups; i++) {
        const ks_group *g = &gs->groups[i];
        json_t *members = json_array(), *offsets = json_array();
        for (int m = 0; m < g->nmembers; m++)
            json_array_append_new(members, member_encode(&g->members[m]));
        for (int k = 0; k < g->noffsets; k++)
            json_array_append_new(offsets, offset_encode(&g->offsets[k]));
        json_array_append_new(
            groups, json_pack("{s:s,s:o,s:o,s:b,s:i,s:b,s:I,s:o,s:b,s:i,s:o,s:o}", "id", g->id,
                              "state", str(g->state), "assignor", str(g->assignor), "simple",
                              g->simple, "coordinator", (int)g->coordinator, "lag_valid",
                              g->lag_valid, "lag", (json_int_t)g->lag, "error", str(g->error),
                              "generation_valid", g->generation_valid, "generation",
                              (int)g->generation, "members", members, "offsets", offsets));
    }
    return json_pack("{s:b,s:o,s:I,s:I,s:o}", "supported", gs->supported, "error",
                     str(gs->part.error), "taken_ms", (json_int_t)gs->part.taken_ms, "poll_ms",
                     (json_int_t)gs->part.poll_ms, "groups", groups);
}

/* A string field copied into the arena; NULL stays NULL. False on a wrong type. */
static bool get_str(ks_arena *a, const json_t *obj, const char *key, const char **out)
{
    const json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        *out = NULL;
        return true;
    }
    if (!json_is_string(v))
        return false;
    *out = arena_strndup(a, json_string_value(v), json_string_length(v));
    return true;
}

static bool get_int(const json_t *obj, const char *key, int64_t *out)
{
    const json_t *v = json_object_get(obj, key);
    if (!json_is_integer(v))
        return false;
    *out = json_integer_value(v);
    return true;
}

static bool get_bool(const json_t *obj, const char *key, bool *out)
{
    const json_t *v = json_object_get(obj, key);
    if (!json_is_boolean(v))
        return false;
    *out = json_is_true(v);
    return true;
}

static bool member_decode(ks_arena *a, const json_t *j, ks_member *m)
{
    const json_t *asg = json_object_get(j, "assignment");
    size_t i;
    const json_t *tp;

    if (!json_is_object(j) || !json_is_array(asg) || !get_str(a, j, "member_id", &m->member_id) ||
        !get_str(a, j, "client_id", &m->client_id) || !get_str(a, j, "host", &m->host) ||
        !get_str(a, j, "instance_id", &m->instance_id))
        return false;
    if (!m->member_id)
        m->member_id = "";
    m->assignment = arena_alloc(a, (json_array_size(asg) + 1) * sizeof(ks_tp));
    json_array_foreach(asg, i, tp)
    {
        const json_t *t = json_array_get(tp, 0), *p = json_array_get(tp, 1);
        if (!json_is_string(t) || !json_is_integer(p))
            return false;
        m->assignment[m->nassignment++] =
            (ks_tp){arena_strdup(a, json_string_value(t)), (int32_t)json_integer_value(p)};
    }
    return true;
}

static bool offset_decode(ks_arena *a, const json_t *j, ks_offset *o)
{
    int64_t partition;
    if (!json_is_object(j) || !get_str(a, j, "topic", &o->topic) || !o->topic ||
        !get_int(j, "partition", &partition) || !get_bool(j, "cv", &o->committed_valid) ||
        !get_int(j, "c", &o->committed) || !get_bool(j, "ev", &o->end_valid) ||
        !get_int(j, "e", &o->end) || !get_bool(j, "lv", &o->lag_valid) ||
        !get_int(j, "l", &o->lag) || !get_str(a, j, "member_id", &o->member_id))
        return false;
    o->partition = (int32_t)partition;
    return true;
}

static bool group_decode(ks_arena *a, const json_t *j, ks_group *g)
{
    const json_t *members = json_object_get(j, "members"), *offsets = json_object_get(j, "offsets");
    int64_t coordinator, generation;
    size_t i;
    const json_t *v;

    if (!json_is_object(j) || !json_is_array(members) || !json_is_array(offsets) ||
        !get_str(a, j, "id", &g->id) || !g->id || !get_str(a, j, "state", &g->state) ||
        !get_str(a, j, "assignor", &g->assignor) || !get_bool(j, "simple", &g->simple) ||
        !get_int(j, "coordinator", &coordinator) || !get_bool(j, "lag_valid", &g->lag_valid) ||
        !get_int(j, "lag", &g->lag) || !get_str(a, j, "error", &g->error) ||
        !get_bool(j, "generation_valid", &g->generation_valid) ||
        !get_int(j, "generation", &generation))
        return false;
    g->coordinator = (int32_t)coordinator;
    g->generation = (int32_t)generation;
    g->members = arena_alloc(a, (json_array_size(members) + 1) * sizeof(ks_member));
    json_array_foreach(members, i, v) if (!member_decode(a, v, &g->members[g->nmembers++])) return false;
    g->offsets = arena_alloc(a, (json_array_size(offsets) + 1) * sizeof(ks_offset));
    json_array_foreach(offsets, i, v) if (!offset_decode(a, v, &g->offsets[g->noffsets++])) return false;
    return true;
}

ks_groups *groups_wire_decode(const json_t *doc, char *errstr, size_t errstr_size)
{
    ks_groups *gs = groups_new();
    const json_t *groups = json_object_get(doc, "groups"), *v;
    const char *error = NULL;
    size_t i;

    if (!json_is_object(doc) || !json_is_array(groups) ||
        !get_bool(doc, "supported", &gs->supported) ||
        !get_int(doc, "taken_ms", &gs->part.taken_ms) ||
        !get_int(doc, "poll_ms", &gs->part.poll_ms) ||
        !get_str(gs->part.arena, doc, "error", &error))
        goto bad;
    gs->part.error = error;
    gs->groups = arena_alloc(gs->part.arena, (json_array_size(groups) + 1) * sizeof(ks_group));
    json_array_foreach(groups, i, v)
    {
        if (!group_decode(gs->part.arena, v, &gs->groups[gs->ngroups++]))
            goto bad;
    }
    groups_sort(gs);
    return gs;
bad:
    snprintf(errstr, errstr_size, "malformed group data from the worker process");
    part_unref(gs);
    return NULL;
}
