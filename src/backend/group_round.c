/* group_round: one round of the group poll: ListConsumerGroups, batched
 * describes, committed offsets per group, log-end offsets, lag.
 *
 * DESIGN: runs in the group worker process (see poller_groups.c for why),
 * with a handle and result queue of its own for the round. All requests of
 * a phase are issued at once and collected against one deadline, so a slow
 * or failing group costs the others nothing: it just ends the round with its
 * own error. Log-end offsets are fetched after the committed offsets (as
 * Kafka's ConsumerGroupCommand does), in batched ListOffsets per leader for
 * every partition of every group. */
#include "group_round.h"
#include "poller.h"
#include "clock.h"
#include "kafka_conf.h"
#include "snapshot.h"
#include "watermarks.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DESCRIBE_BATCH 100

typedef struct groups_state {
    const ks_kafka_poller_cfg *cfg;
    ks_kafka_state kst;
    rd_kafka_t *rk;
    rd_kafka_queue_t *queue;
    char create_err[512];
} groups_state;

static void *groups_open(void *cfg, ks_store *store)
{
    static const char *const extra[] = {"isolation.level", "read_uncommitted", NULL};
    groups_state *st = xcalloc(1, sizeof(*st));

    (void)store;
    st->cfg = cfg;
    snprintf(st->kst.name, sizeof(st->kst.name), "groups");
    st->rk = kafka_new(RD_KAFKA_CONSUMER, &st->cfg->kafka, &st->kst, extra, st->create_err,
                       sizeof(st->create_err));
    if (st->rk)
        st->queue = rd_kafka_queue_new(st->rk);
    return st;
}

static void groups_close(void *state)
{
    groups_state *st = state;
    if (st->queue)
        rd_kafka_queue_destroy(st->queue);
    if (st->rk)
        rd_kafka_destroy(st->rk);
    free(st);
}

static rd_kafka_AdminOptions_t *admin_options(groups_state *st, rd_kafka_admin_op_t op,
                                              void *opaque)
{
    char why[256];
    rd_kafka_AdminOptions_t *o = rd_kafka_AdminOptions_new(st->rk, op);
    rd_kafka_AdminOptions_set_request_timeout(o, st->cfg->timeout_ms, why, sizeof(why));
    rd_kafka_AdminOptions_set_opaque(o, opaque);
    return o;
}

/* Waits for the next result event until the deadline, in short slices so a
 * stop request ends the round at once; NULL on timeout or stop. */
static rd_kafka_event_t *next_event(groups_state *st, int64_t deadline)
{
    for (;;) {
        int64_t left = deadline - clock_mono_ms();
        rd_kafka_event_t *ev = rd_kafka_queue_poll(st->queue, left > 200 ? 200 : left > 0 ? (int)left : 0);
        if (ev || left <= 0 || poller_stopping())
            return ev;
    }
}

static int cmp_group_id(const void *a, const void *b)
{
    return strcmp(((const ks_group *)a)->id, ((const ks_group *)b)->id);
}

static ks_group *find_group(ks_groups *gs, const char *id)
{
    ks_group key = {.id = id};
    return bsearch(&key, gs->groups, (size_t)gs->ngroups, sizeof(ks_group), cmp_group_id);
}

/* Phase 1: the group list. Returns false when nothing could be listed. */
static bool list_groups(groups_state *st, ks_groups *gs, int64_t deadline)
{
    ks_arena *a = gs->part.arena;
    rd_kafka_AdminOptions_t *o = admin_options(st, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS, NULL);
    rd_kafka_event_t *ev;
    const rd_kafka_ListConsumerGroups_result_t *res;
    const rd_kafka_ConsumerGroupListing_t **valid;
    const rd_kafka_error_t **errs;
    size_t nvalid = 0, nerrs = 0;

    rd_kafka_ListConsumerGroups(st->rk, o, st->queue);
    rd_kafka_AdminOptions_destroy(o);
    ev = next_event(st, deadline);
    if (!ev) {
        part_set_error(gs, "listing groups timed out");
        return false;
    }
    if (rd_kafka_event_error(ev) || !(res = rd_kafka_event_ListConsumerGroups_result(ev))) {
        part_set_error(gs, "listing groups failed: %s",
                       rd_kafka_event_error(ev) ? rd_kafka_event_error_string(ev)
                                                : "unexpected reply");
        rd_kafka_event_destroy(ev);
        return false;
    }
    valid = rd_kafka_ListConsumerGroups_result_valid(res, &nvalid);
    errs = rd_kafka_ListConsumerGroups_result_errors(res, &nerrs);
    gs->groups = arena_alloc(a, (nvalid ? nvalid : 1) * sizeof(ks_group));
    for (size_t i = 0; i < nvalid; i++) {
        ks_group *g = &gs->groups[gs->ngroups++];
        g->id = arena_strdup(a, rd_kafka_ConsumerGroupListing_group_id(valid[i]));
        g->state = arena_strdup(
            a, rd_kafka_consumer_group_state_name(rd_kafka_ConsumerGroupListing_state(valid[i])));
        g->simple = rd_kafka_ConsumerGroupListing_is_simple_consumer_group(valid[i]);
        g->coordinator = KS_NO_ID;
        g->assignor = "";
    }
    if (nerrs) {
        /* ListGroups goes to every broker; some may fail (the mock has no
         * ListGroups at all). A partial list is still shown, with the reason. */
        if (nvalid == 0 && nerrs > 0) {
            gs->supported = rd_kafka_error_code(errs[0]) != RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE;
            part_set_error(gs, "listing groups failed: %s", rd_kafka_error_string(errs[0]));
            rd_kafka_event_destroy(ev);
            return false;
        }
        part_set_error(gs, "group list may be incomplete: %s", rd_kafka_error_string(errs[0]));
    }
    rd_kafka_event_destroy(ev);
    qsort(gs->groups, (size_t)gs->ngroups, sizeof(ks_group), cmp_group_id);
    return true;
}

static void fill_description(ks_arena *a, ks_group *g, const rd_kafka_ConsumerGroupDescription_t *d)
{
    const rd_kafka_error_t *err = rd_kafka_ConsumerGroupDescription_error(d);
    const rd_kafka_Node_t *coord;
    size_t nmembers;

    if (err) {
        g->error = arena_strdup(a, rd_kafka_error_string(err));
        return;
    }
    g->state = arena_strdup(
        a, rd_kafka_consumer_group_state_name(rd_kafka_ConsumerGroupDescription_state(d)));
    g->assignor = arena_strdup(a, rd_kafka_ConsumerGroupDescription_partition_assignor(d));
    if (!g->assignor)
        g->assignor = "";
    g->simple = rd_kafka_ConsumerGroupDescription_is_simple_consumer_group(d);
    coord = rd_kafka_ConsumerGroupDescription_coordinator(d);
    g->coordinator = coord ? rd_kafka_Node_id(coord) : KS_NO_ID;
    nmembers = rd_kafka_ConsumerGroupDescription_member_count(d);
    g->members = arena_alloc(a, (nmembers ? nmembers : 1) * sizeof(ks_member));
    for (size_t m = 0; m < nmembers; m++) {
        const rd_kafka_MemberDescription_t *md = rd_kafka_ConsumerGroupDescription_member(d, m);
        const rd_kafka_MemberAssignment_t *ma = rd_kafka_MemberDescription_assignment(md);
        const rd_kafka_topic_partition_list_t *tps =
            ma ? rd_kafka_MemberAssignment_partitions(ma) : NULL;
        ks_member *mem = &g->members[g->nmembers++];

        mem->member_id = arena_strdup(a, rd_kafka_MemberDescription_consumer_id(md));
        mem->client_id = arena_strdup(a, rd_kafka_MemberDescription_client_id(md));
        mem->host = arena_strdup(a, rd_kafka_MemberDescription_host(md));
        mem->instance_id = arena_strdup(a, rd_kafka_MemberDescription_group_instance_id(md));
        if (!mem->member_id)
            mem->member_id = "";
        if (!tps || tps->cnt == 0)
            continue;
        mem->assignment = arena_alloc(a, (size_t)tps->cnt * sizeof(ks_tp));
        for (int i = 0; i < tps->cnt; i++)
            mem->assignment[mem->nassignment++] =
                (ks_tp){arena_strdup(a, tps->elems[i].topic), tps->elems[i].partition};
    }
}

/* Phase 2: describe every group, DESCRIBE_BATCH per request, all in flight. */
static void describe_groups(groups_state *st, ks_groups *gs, int64_t deadline)
{
    int nbatches = (gs->ngroups + DESCRIBE_BATCH - 1) / DESCRIBE_BATCH, got = 0;
    const char **ids = xcalloc((size_t)gs->ngroups + 1, sizeof(char *));

    for (int i = 0; i < gs->ngroups; i++)
        ids[i] = gs->groups[i].id;
    for (int b = 0; b < nbatches; b++) {
        int n = gs->ngroups - b * DESCRIBE_BATCH;
        rd_kafka_AdminOptions_t *o =
            admin_options(st, RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS, NULL);
        rd_kafka_DescribeConsumerGroups(st->rk, ids + b * DESCRIBE_BATCH,
                                        (size_t)(n < DESCRIBE_BATCH ? n : DESCRIBE_BATCH), o,
                                        st->queue);
        rd_kafka_AdminOptions_destroy(o);
    }
    while (got < nbatches) {
        rd_kafka_event_t *ev = next_event(st, deadline);
        const rd_kafka_ConsumerGroupDescription_t **descs;
        size_t n = 0;

        if (!ev)
            break;
        got++;
        if (rd_kafka_event_type(ev) == RD_KAFKA_EVENT_DESCRIBECONSUMERGROUPS_RESULT) {
            descs = rd_kafka_DescribeConsumerGroups_result_groups(
                rd_kafka_event_DescribeConsumerGroups_result(ev), &n);
            for (size_t i = 0; i < n; i++) {
                ks_group *g = find_group(gs, rd_kafka_ConsumerGroupDescription_group_id(descs[i]));
                if (g)
                    fill_description(gs->part.arena, g, descs[i]);
            }
            if (n == 0 && rd_kafka_event_error(ev))
                part_set_error(gs, "describing groups failed: %s",
                               rd_kafka_event_error_string(ev));
        }
        rd_kafka_event_destroy(ev);
    }
    if (got < nbatches)
        part_set_error(gs, "describing groups timed out");
    free(ids);
}

/* Committed offsets of one group, merged with its members' assignments so
 * that assigned-but-uncommitted partitions show as "-" like the CLI does. */
static void fill_offsets(ks_arena *a, ks_group *g, const rd_kafka_topic_partition_list_t *tps)
{
    int cap = tps ? tps->cnt : 0;

    for (int m = 0; m < g->nmembers; m++)
        cap += g->members[m].nassignment;
    g->offsets = arena_alloc(a, (size_t)(cap ? cap : 1) * sizeof(ks_offset));
    for (int i = 0; tps && i < tps->cnt; i++) {
        ks_offset *o = &g->offsets[g->noffsets++];
        o->topic = arena_strdup(a, tps->elems[i].topic);
        o->partition = tps->elems[i].partition;
        o->committed = tps->elems[i].offset;
        o->committed_valid = !tps->elems[i].err && tps->elems[i].offset >= 0;
    }
    for (int m = 0; m < g->nmembers; m++)
        for (int k = 0; k < g->members[m].nassignment; k++) {
            const ks_tp *tp = &g->members[m].assignment[k];
            ks_offset *o = NULL;
            for (int i = 0; i < g->noffsets && !o; i++)
                if (g->offsets[i].partition == tp->partition && !strcmp(g->offsets[i].topic, tp->topic))
                    o = &g->offsets[i];
            if (!o) {
                o = &g->offsets[g->noffsets++];
                o->topic = tp->topic;
                o->partition = tp->partition;
            }
            o->member_id = g->members[m].member_id;
        }
}

/* Phase 3: one ListConsumerGroupOffsets per group (librdkafka allows only
 * one), all in flight at once; the event opaque says which group. */
static void fetch_committed(groups_state *st, ks_groups *gs, int64_t deadline)
{
    int got = 0;

    for (int i = 0; i < gs->ngroups; i++) {
        /* NULL partitions = all the group's committed offsets (OffsetFetch
         * v6+ with a null topic array; checked against Kafka 3.9) */
        rd_kafka_ListConsumerGroupOffsets_t *req =
            rd_kafka_ListConsumerGroupOffsets_new(gs->groups[i].id, NULL);
        rd_kafka_AdminOptions_t *o =
            admin_options(st, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS, &gs->groups[i]);
        rd_kafka_ListConsumerGroupOffsets(st->rk, &req, 1, o, st->queue);
        rd_kafka_ListConsumerGroupOffsets_destroy(req);
        rd_kafka_AdminOptions_destroy(o);
    }
    while (got < gs->ngroups) {
        rd_kafka_event_t *ev = next_event(st, deadline);
        ks_group *g;
        const rd_kafka_group_result_t **res;
        size_t n = 0;

        if (!ev)
            break;
        got++;
        g = rd_kafka_event_opaque(ev);
        if (rd_kafka_event_type(ev) != RD_KAFKA_EVENT_LISTCONSUMERGROUPOFFSETS_RESULT || !g) {
            rd_kafka_event_destroy(ev);
            continue;
        }
        res = rd_kafka_ListConsumerGroupOffsets_result_groups(
            rd_kafka_event_ListConsumerGroupOffsets_result(ev), &n);
        if (rd_kafka_event_error(ev) || n == 0) {
            if (!g->error)
                g->error = arena_printf(gs->part.arena, "offsets: %s",
                                        rd_kafka_event_error_string(ev));
            fill_offsets(gs->part.arena, g, NULL);
        } else {
            const rd_kafka_error_t *gerr = rd_kafka_group_result_error(res[0]);
            if (gerr && !g->error)
                g->error = arena_printf(gs->part.arena, "offsets: %s",
                                        rd_kafka_error_string(gerr));
            fill_offsets(gs->part.arena, g, rd_kafka_group_result_partitions(res[0]));
        }
        rd_kafka_event_destroy(ev);
    }
    for (int i = 0; i < gs->ngroups; i++)
        if (!gs->groups[i].offsets) {
            if (!gs->groups[i].error)
                gs->groups[i].error = "offsets: timed out";
            fill_offsets(gs->part.arena, &gs->groups[i], NULL);
        }
}

/* Phase 4: log-end offsets for every partition any group has, one batch. */
static void fetch_ends(groups_state *st, ks_groups *gs)
{
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(64);
    rd_kafka_resp_err_t err;

    for (int i = 0; i < gs->ngroups; i++)
        for (int k = 0; k < gs->groups[i].noffsets; k++)
            rd_kafka_topic_partition_list_add(l, gs->groups[i].offsets[k].topic,
                                              gs->groups[i].offsets[k].partition);
    /* groups share partitions: one entry each, and binary searches below */
    watermarks_sort_unique(l);
    err = watermarks_query(st->rk, l, RD_KAFKA_OFFSET_END, st->cfg->timeout_ms);
    if (err && l->cnt)
        part_set_error(gs, "log-end offsets: %s", rd_kafka_err2str(err));
    for (int i = 0; i < gs->ngroups; i++) {
        ks_group *g = &gs->groups[i];
        for (int k = 0; k < g->noffsets; k++) {
            ks_offset *o = &g->offsets[k];
            rd_kafka_topic_partition_t *e = watermarks_find(l, o->topic, o->partition);
            if (e && !e->err && e->offset >= 0) {
                o->end = e->offset;
                o->end_valid = true;
            }
            o->lag_valid = lag_compute(o->committed_valid, o->committed, o->end_valid, o->end,
                                       &o->lag);
            if (o->lag_valid) {
                g->lag += o->lag;
                g->lag_valid = true;
            }
        }
    }
    rd_kafka_topic_partition_list_destroy(l);
}

ks_groups *group_round_run(const ks_kafka_poller_cfg *cfg)
{
    groups_state *st = groups_open((void *)cfg, NULL);
    ks_groups *gs = groups_new();
    int64_t t0 = clock_mono_ms(), deadline = t0 + cfg->timeout_ms;

    if (!st->rk) {
        part_set_error(gs, "cannot create a Kafka client: %s", st->create_err);
    } else if (list_groups(st, gs, deadline)) {
        if (gs->ngroups) {
            describe_groups(st, gs, deadline);
            fetch_committed(st, gs, clock_mono_ms() + cfg->timeout_ms);
            fetch_ends(st, gs);
        }
    }
    if (st->rk)
        kafka_serve(st->rk);
    groups_close(st);
    groups_sort(gs);
    gs->part.taken_ms = clock_wall_ms();
    gs->part.poll_ms = clock_mono_ms() - t0;
    return gs;
}
