/* test_group_history: rebalance records from successive synthetic groups parts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "clock.h"
#include "fixtures.h"
#include "group_history.h"

#define NPARTS 6

/* A history fed part after part, as the store listener does. */
typedef struct feeder {
    ks_timeline *tl;
    ks_group_history *h;
    ks_groups *prev;
} feeder;

static feeder *feeder_new(void)
{
    feeder *f = calloc(1, sizeof(*f));
    f->tl = timeline_new(256);
    f->h = group_history_new(f->tl);
    return f;
}

static void feeder_free(feeder *f)
{
    group_history_free(f->h);
    part_unref(f->prev);
    timeline_free(f->tl);
    free(f);
}

/* Observes gs at t (seconds); takes the caller's reference. */
static void feed(feeder *f, ks_groups *gs, int64_t t)
{
    group_history_observe(f->h, f->prev, gs, t * 1000);
    part_unref(f->prev);
    f->prev = gs;
}

/* Adds group id in state with members "m1=t:0,1,2" (client "c-m1"; "m2=" owns
 * nothing) and committed offsets on t:0..NPARTS-1. Members in id order. */
static ks_group *vgroup(ks_groups *gs, const char *id, const char *state, va_list ap)
{
    ks_group *g = fx_group(gs, id, state, 64, NPARTS + 2);
    const char *spec;

    while ((spec = va_arg(ap, const char *))) {
        const char *eq = strchr(spec, '=');
        char member[64], client[80];
        snprintf(member, sizeof(member), "%.*s", (int)(eq - spec), spec);
        snprintf(client, sizeof(client), "c-%s", member);
        fx_member(gs, g, member, client, eq + 1);
    }
    for (int p = 0; p < NPARTS; p++)
        fx_offset(gs, g, "t", p, 10, 20);
    return g;
}

static ks_group *add_group(ks_groups *gs, const char *id, const char *state, ...)
{
    va_list ap;
    va_start(ap, state);
    ks_group *g = vgroup(gs, id, state, ap);
    va_end(ap);
    return g;
}

/* A part with the one group "g". */
static ks_groups *part1(const char *state, ...)
{
    ks_groups *gs = fx_groups(1);
    va_list ap;

    gs->supported = true;
    va_start(ap, state);
    vgroup(gs, "g", state, ap);
    va_end(ap);
    return gs;
}

static gh_record recs[GH_MAX_RECORDS];

/* Records of g, newest first (the previous copies are freed). */
static int records(feeder *f, const char *g)
{
    static int held;
    group_record_free(recs, held);
    held = group_history_get(f->h, g, recs, GH_MAX_RECORDS);
    return held;
}

static const gh_entry *entry(const gh_record *r, const char *member)
{
    for (int i = 0; i < r->nentries; i++)
        if (!strcmp(group_record_str(r, r->entries[i].member_id), member))
            return &r->entries[i];
    fail_msg("no entry for %s", member);
    return NULL;
}

static const char *list(const gh_record *r, int first, int n)
{
    static char buf[256];
    return group_record_tps_format(r, first, n, true, buf, sizeof(buf));
}

static const char *newest_event(feeder *f, ks_severity *sev)
{
    static ks_event ev;
    if (timeline_copy(f->tl, &ev, 1) != 1)
        return NULL;
    if (sev)
        *sev = ev.severity;
    return ev.text;
}

static void test_baseline(void **state)
{
    feeder *f = feeder_new();

    (void)state;
    feed(f, part1("Stable", "m1=t:0,1,2", "m2=t:3,4,5", NULL), 1);
    feed(f, part1("Stable", "m1=t:0,1,2", "m2=t:3,4,5", NULL), 2);
    assert_int_equal(records(f, "g"), 0);
    assert_int_equal(fx_count_events(f->tl, KS_EV_GROUP_GENERATION), 0);
    /* first seen mid-rebalance: no "before" yet, so no record until a change after Stable */
    feeder_free(f);
    f = feeder_new();
    feed(f, part1("PreparingRebalance", "m1=", NULL), 1);
    feed(f, part1("Stable", "m1=t:0,1,2,3,4,5", NULL), 2);
    assert_int_equal(records(f, "g"), 0);
    feed(f, part1("PreparingRebalance", "m1=", "m2=", NULL), 3);
    feed(f, part1("Stable", "m1=t:0,1,2", "m2=t:3,4,5", NULL), 4);
    assert_int_equal(records(f, "g"), 1);
    assert_int_equal(recs[0].seq, 1);
    feeder_free(f);
}

static void test_join(void **state)
{
    feeder *f = feeder_new();
    const gh_entry *e;

    (void)state;
    feed(f, part1("Stable", "m1=t:0,1,2,3,4,5", NULL), 10);
    feed(f, part1("PreparingRebalance", "m1=", "m2=", NULL), 11);
    assert_int_equal(records(f, "g"), 1);
    assert_true(recs[0].open); /* in progress, visible to readers */
    feed(f, part1("CompletingRebalance", "m1=", "m2=", NULL), 12);
    feed(f, part1("Stable", "m1=t:0,1,2", "m2=t:3,4,5", NULL), 13);
    assert_int_equal(records(f, "g"), 1);
    const gh_record *r = &recs[0];
    assert_false(r->open);
    assert_int_equal(r->seq, 1);
    assert_false(r->generation_valid);
    assert_int_equal(r->stable_before_ms, 10000);
    assert_int_equal(r->start_ms, 11000);
    assert_int_equal(r->end_ms, 13000);
    assert_int_equal(r->nstates, 3);
    assert_int_equal(r->states[0], GH_PREPARING);
    assert_int_equal(r->states[1], GH_COMPLETING);
    assert_int_equal(r->states[2], GH_STABLE);
    assert_int_equal(r->members_before, 1);
    assert_int_equal(r->members_after, 2);
    assert_int_equal(r->njoined, 1);
    assert_int_equal(r->nleft, 0);
    assert_int_equal(r->nmoved, 3);
    assert_true(r->cover_valid);
    assert_true(r->cover_ok);
    assert_true(r->stopped_valid);
    assert_int_equal(r->stopped_min_ms, 1000); /* seen rebalancing from 11 to 12 */
    assert_int_equal(r->stopped_max_ms, 3000); /* stable at 10, again at 13 */
    assert_int_equal(r->nentries, 2);
    e = entry(r, "m1");
    assert_false(e->joined);
    assert_int_equal(e->nassigned, 0);
    assert_string_equal(list(r, e->revoked, e->nrevoked), "t 3-5");
    assert_string_equal(list(r, e->owned, e->nowned), "t 0-2");
    e = entry(r, "m2");
    assert_true(e->joined);
    assert_string_equal(group_record_str(r, e->client_id), "c-m2");
    assert_string_equal(list(r, e->assigned, e->nassigned), "t 3-5");
    assert_int_equal(e->nrevoked, 0);
    assert_string_equal(group_record_str(r, 0), "g");
    assert_string_equal(newest_event(f, NULL),
                        "group g rebalance #1 (observed): 1->2 members, joined c-m2, 3 partitions "
                        "moved, consumption stopped 1.0-3.0 s");
    assert_int_equal(fx_count_events(f->tl, KS_EV_GROUP_GENERATION), 1);
    feeder_free(f);
}

static void test_leave_clean(void **state)
{
    feeder *f = feeder_new();
    const gh_entry *e;

    (void)state;
    feed(f, part1("Stable", "m1=t:0,1", "m2=t:2,3", "m3=t:4,5", NULL), 1);
    feed(f, part1("PreparingRebalance", "m1=", "m2=", NULL), 2);
    feed(f, part1("Stable", "m1=t:0,1,2", "m2=t:3,4,5", NULL), 3);
    assert_int_equal(records(f, "g"), 1);
    const gh_record *r = &recs[0];
    assert_int_equal(r->members_before, 3);
    assert_int_equal(r->members_after, 2);
    assert_int_equal(r->njoined, 0);
    assert_int_equal(r->nleft, 1);
    e = entry(r, "m3");
    assert_true(e->left);
    assert_string_equal(list(r, e->revoked, e->nrevoked), "t 4,5");
    assert_int_equal(e->nowned, 0);
    e = entry(r, "m2");
    assert_string_equal(list(r, e->assigned, e->nassigned), "t 4,5");
    assert_string_equal(list(r, e->revoked, e->nrevoked), "t 2");
    e = entry(r, "m1");
    assert_string_equal(list(r, e->assigned, e->nassigned), "t 2");
    assert_int_equal(r->nmoved, 3); /* 2, 4 and 5 changed owner */
    assert_true(r->cover_ok);
    assert_int_equal(r->stopped_min_ms, 0); /* one rebalancing observation */
    assert_int_equal(r->stopped_max_ms, 2000);
    feeder_free(f);
}

static void test_killed_member(void **state)
{
    feeder *f = feeder_new();

    (void)state;
    /* the coordinator keeps a dead member, Stable, until its session times out */
    feed(f, part1("Stable", "m1=t:0,1", "m2=t:2,3", "m3=t:4,5", NULL), 1);
    feed(f, part1("Stable", "m1=t:0,1", "m2=t:2,3", "m3=t:4,5", NULL), 2);
    feed(f, part1("Stable", "m1=t:0,1", "m2=t:2,3", "m3=t:4,5", NULL), 3);
    assert_int_equal(records(f, "g"), 0);
    /* then the whole rebalance fits between two polls */
    feed(f, part1("Stable", "m1=t:0,1,2", "m2=t:3,4,5", NULL), 4);
    assert_int_equal(records(f, "g"), 1);
    const gh_record *r = &recs[0];
    assert_false(r->open);
    assert_int_equal(r->nstates, 1);
    assert_int_equal(r->states[0], GH_STABLE);
    assert_int_equal(r->nleft, 1);
    assert_true(entry(r, "m3")->left);
    assert_int_equal(r->members_after, 2);
    assert_true(r->cover_ok);
    assert_int_equal(r->stable_before_ms, 3000);
    assert_int_equal(r->stopped_min_ms, 0);
    assert_int_equal(r->stopped_max_ms, 1000);
    feed(f, part1("Stable", "m1=t:0,1,2", "m2=t:3,4,5", NULL), 5);
    assert_int_equal(records(f, "g"), 1); /* nothing new */
    feeder_free(f);
}

static void test_assignment_change_between_stables(void **state)
{
    feeder *f = feeder_new();

    (void)state;
    feed(f, part1("Stable", "m1=t:0,1,2", "m2=t:3,4,5", NULL), 1);
    feed(f, part1("Stable", "m1=t:0,1,5", "m2=t:2,3,4", NULL), 3);
    assert_int_equal(records(f, "g"), 1);
    const gh_record *r = &recs[0];
    assert_int_equal(r->njoined + r->nleft, 0);
    assert_int_equal(r->members_before, 2);
    assert_int_equal(r->members_after, 2);
    assert_int_equal(r->nmoved, 2);
    assert_string_equal(list(r, entry(r, "m1")->assigned, entry(r, "m1")->nassigned), "t 5");
    assert_string_equal(list(r, entry(r, "m1")->revoked, entry(r, "m1")->nrevoked), "t 2");
    assert_string_equal(list(r, entry(r, "m2")->assigned, entry(r, "m2")->nassigned), "t 2");
    assert_string_equal(list(r, entry(r, "m2")->revoked, entry(r, "m2")->nrevoked), "t 5");
    assert_true(r->cover_ok);
    feeder_free(f);
}

static ks_groups *coop(ks_groups *gs)
{
    gs->groups[0].assignor = "cooperative-sticky";
    return gs;
}

static void test_cooperative_two_steps(void **state)
{
    feeder *f = feeder_new();
    const gh_entry *e;

    (void)state;
    feed(f, coop(part1("Stable", "m1=t:0,1,2,3,4,5", NULL)), 1);
    feed(f, coop(part1("PreparingRebalance", "m1=", "m2=", NULL)), 2);
    /* first step: m1 gives up 3-5, nobody owns them yet */
    feed(f, coop(part1("Stable", "m1=t:0,1,2", "m2=", NULL)), 3);
    assert_int_equal(records(f, "g"), 1);
    assert_true(recs[0].open);
    assert_int_equal(recs[0].uncovered, 3);
    feed(f, coop(part1("PreparingRebalance", "m1=", "m2=", NULL)), 4);
    feed(f, coop(part1("Stable", "m1=t:0,1,2", "m2=t:3,4,5", NULL)), 5);
    assert_int_equal(records(f, "g"), 1); /* one rebalance, not two */
    const gh_record *r = &recs[0];
    assert_false(r->open);
    assert_true(r->cooperative);
    assert_int_equal(r->nstates, 4);
    assert_int_equal(r->states[0], GH_PREPARING);
    assert_int_equal(r->states[1], GH_STABLE);
    assert_int_equal(r->states[2], GH_PREPARING);
    assert_int_equal(r->states[3], GH_STABLE);
    assert_true(r->cover_ok);
    assert_int_equal(r->nmoved, 3);
    e = entry(r, "m1");
    assert_string_equal(list(r, e->revoked, e->nrevoked), "t 3-5");
    e = entry(r, "m2");
    assert_string_equal(list(r, e->assigned, e->nassigned), "t 3-5");
    assert_int_equal(r->stopped_min_ms, 2000); /* unsettled from 2 to 4 */
    assert_int_equal(r->stopped_max_ms, 4000);
    /* cooperative and nothing moved: nothing stopped */
    feed(f, coop(part1("PreparingRebalance", "m1=", "m2=", "m3=", NULL)), 6);
    feed(f, coop(part1("Stable", "m1=t:0,1,2", "m2=t:3,4,5", "m3=", NULL)), 7);
    assert_int_equal(records(f, "g"), 2);
    assert_int_equal(recs[0].nmoved, 0);
    assert_true(recs[0].stopped_valid);
    assert_int_equal(recs[0].stopped_max_ms, 0);
    assert_true(entry(&recs[0], "m3")->joined);
    feeder_free(f);
}

static void test_cover_fails(void **state)
{
    feeder *f = feeder_new();
    ks_severity sev;

    (void)state;
    feed(f, part1("Stable", "m1=t:0,1,2", "m2=t:3,4,5", NULL), 1);
    feed(f, part1("PreparingRebalance", "m1=", NULL), 2);
    feed(f, part1("Stable", "m1=t:0,1,2", NULL), 3);
    assert_int_equal(records(f, "g"), 1);
    assert_true(recs[0].open); /* maybe the first step of two */
    feed(f, part1("Stable", "m1=t:0,1,2", NULL), 4);
    assert_int_equal(records(f, "g"), 1);
    assert_false(recs[0].open); /* twice the same: it stays that way */
    assert_true(recs[0].cover_valid);
    assert_false(recs[0].cover_ok);
    assert_int_equal(recs[0].uncovered, 3);
    assert_int_equal(recs[0].duplicated, 0);
    assert_int_equal(recs[0].end_ms, 4000);
    assert_non_null(strstr(newest_event(f, &sev), "cover BAD: 3 without owner, 0 with two"));
    assert_int_equal(sev, KS_SEV_WARN);
    feed(f, part1("Stable", "m1=t:0,1,2", NULL), 5);
    assert_int_equal(records(f, "g"), 1); /* and is not reported again */

    /* one partition owned twice */
    feed(f, part1("Stable", "m1=t:0,1,2,3", "m2=t:3,4,5", NULL), 6);
    feed(f, part1("Stable", "m1=t:0,1,2,3", "m2=t:3,4,5", NULL), 7);
    assert_int_equal(records(f, "g"), 2);
    assert_false(recs[0].cover_ok);
    assert_int_equal(recs[0].duplicated, 1);
    assert_int_equal(recs[0].uncovered, 0);

    /* a committed offset nobody owns counts; another topic's does not */
    feeder_free(f);
    f = feeder_new();
    feed(f, part1("Stable", "m1=t:0,1,2", "m2=t:3,4", NULL), 1);
    for (int t = 2; t <= 3; t++) {
        ks_groups *gs = part1("Stable", "m1=t:0,1", "m2=t:2,3,4", NULL);
        fx_offset(gs, &gs->groups[0], "u", 0, 1, 2);
        feed(f, gs, t);
    }
    assert_int_equal(records(f, "g"), 1);
    assert_false(recs[0].open);
    assert_false(recs[0].cover_ok);
    assert_int_equal(recs[0].uncovered, 1); /* t-5 has an offset and no owner */
    assert_int_equal(recs[0].duplicated, 0);
    feeder_free(f);
}

static void test_group_empty_and_back(void **state)
{
    feeder *f = feeder_new();

    (void)state;
    feed(f, part1("Stable", "m1=t:0,1,2", "m2=t:3,4,5", NULL), 1);
    feed(f, part1("Empty", NULL), 2);
    assert_int_equal(records(f, "g"), 1);
    const gh_record *r = &recs[0];
    assert_false(r->open);
    assert_int_equal(r->end_state, GH_EMPTY);
    assert_int_equal(r->members_before, 2);
    assert_int_equal(r->members_after, 0);
    assert_int_equal(r->nleft, 2);
    assert_false(r->stopped_valid); /* it did not resume */
    assert_false(r->cover_valid);
    assert_int_equal(r->nmoved, 6);
    assert_string_equal(list(r, entry(r, "m2")->revoked, entry(r, "m2")->nrevoked), "t 3-5");
    assert_non_null(strstr(newest_event(f, NULL), "2->0 members, left c-m1 c-m2"));
    feed(f, part1("Empty", NULL), 3);
    assert_int_equal(records(f, "g"), 1);
    /* an open record closes when the group empties */
    feed(f, part1("PreparingRebalance", "m3=", NULL), 4);
    feed(f, part1("Empty", NULL), 5);
    assert_int_equal(records(f, "g"), 2);
    assert_false(recs[0].open);
    assert_int_equal(recs[0].end_state, GH_EMPTY);
    /* and the next one starts from nothing */
    feed(f, part1("Stable", "m3=t:0,1,2,3,4,5", NULL), 6);
    assert_int_equal(records(f, "g"), 3);
    assert_int_equal(recs[0].members_before, 0);
    assert_true(entry(&recs[0], "m3")->joined);
    assert_true(recs[0].cover_ok);
    assert_false(recs[0].stopped_valid); /* nobody consumed before */
    feeder_free(f);
}

static void test_gone_partial_and_errors(void **state)
{
    feeder *f = feeder_new();
    ks_groups *gs;

    (void)state;
    feed(f, part1("Stable", "m1=t:0,1,2,3,4,5", NULL), 1);
    /* a failed describe of this group: nothing is learnt */
    gs = part1("Stable", NULL);
    gs->groups[0].error = "coordinator not available";
    feed(f, gs, 2);
    assert_int_equal(records(f, "g"), 0);
    /* a part that failed without data, and a partial list: not "gone" */
    gs = fx_groups(1);
    gs->supported = true;
    part_set_error(gs, "listing groups timed out");
    feed(f, gs, 3);
    gs = fx_groups(1);
    gs->supported = true;
    part_set_error(gs, "group list may be incomplete");
    add_group(gs, "other", "Stable", "x=t:0,1,2,3,4,5", NULL);
    feed(f, gs, 4);
    assert_int_equal(records(f, "g"), 0);
    assert_int_equal(records(f, "other"), 1); /* new since the baseline */
    /* a complete list without it: gone */
    gs = fx_groups(1);
    gs->supported = true;
    add_group(gs, "other", "Stable", "x=t:0,1,2,3,4,5", NULL);
    feed(f, gs, 5);
    assert_int_equal(records(f, "g"), 1);
    assert_int_equal(recs[0].end_state, GH_GONE);
    assert_int_equal(recs[0].nleft, 1);
    assert_int_equal(recs[0].members_after, 0);
    assert_non_null(strstr(newest_event(f, NULL), "group gone"));
    /* NULL: a new cluster, everything is forgotten; the next part is a baseline */
    feed(f, NULL, 6);
    assert_int_equal(records(f, "other"), 0);
    feed(f, part1("Stable", "m1=t:0,1,2,3,4,5", NULL), 7);
    assert_int_equal(records(f, "g"), 0);
    feeder_free(f);
}

static void test_real_generation(void **state)
{
    feeder *f = feeder_new();
    ks_groups *gs;

    (void)state;
    gs = part1("Stable", "m1=t:0,1,2,3,4,5", NULL);
    gs->groups[0].generation_valid = true;
    gs->groups[0].generation = 6;
    feed(f, gs, 1);
    gs = part1("Stable", "m1=t:0,1,2", "m2=t:3,4,5", NULL);
    gs->groups[0].generation_valid = true;
    gs->groups[0].generation = 7;
    feed(f, gs, 2);
    assert_int_equal(records(f, "g"), 1);
    assert_true(recs[0].generation_valid);
    assert_int_equal(recs[0].generation, 7);
    assert_non_null(strstr(newest_event(f, NULL), "rebalance #1 (generation 7): "));
    feeder_free(f);
}

static void test_ring_overflow_and_cursor(void **state)
{
    feeder *f = feeder_new();
    gh_record out[8];
    uint64_t cursor = 0;
    int n;

    (void)state;
    feed(f, part1("Stable", "m1=t:0,1,2", "m2=t:3,4,5", NULL), 1);
    for (int i = 0; i < 40; i++)
        feed(f, i % 2 ? part1("Stable", "m1=t:0,1,2", "m2=t:3,4,5", NULL)
                      : part1("Stable", "m1=t:0,1,5", "m2=t:2,3,4", NULL),
             2 + i);
    assert_int_equal(records(f, "g"), GH_MAX_RECORDS);
    assert_int_equal(recs[0].seq, 40);
    assert_int_equal(recs[GH_MAX_RECORDS - 1].seq, 40 - GH_MAX_RECORDS + 1);
    /* the closed ones in closing order, past the ring's drops, eight at a time */
    n = group_history_closed(f->h, &cursor, out, 8);
    assert_int_equal(n, 8);
    assert_int_equal(out[0].seq, 9);
    assert_int_equal(out[7].seq, 16);
    group_record_free(out, n);
    for (int k = 0; k < 3; k++) {
        n = group_history_closed(f->h, &cursor, out, 8);
        assert_int_equal(n, 8);
        group_record_free(out, n);
    }
    assert_int_equal(group_history_closed(f->h, &cursor, out, 8), 0);
    feed(f, part1("Stable", "m1=t:0,1,5", "m2=t:2,3,4", NULL), 50);
    n = group_history_closed(f->h, &cursor, out, 8);
    assert_int_equal(n, 1);
    assert_int_equal(out[0].seq, 41);
    group_record_free(out, n);
    feeder_free(f);
}

static ks_groups *numbered(int from, int count, const char *assignment)
{
    ks_groups *gs = fx_groups(count);
    char id[32];

    gs->supported = true;
    for (int i = from; i < from + count; i++) {
        snprintf(id, sizeof(id), "g%05d", i);
        add_group(gs, id, "Stable", assignment, NULL);
    }
    return gs;
}

static void test_many_groups_bounded(void **state)
{
    feeder *f = feeder_new();

    (void)state;
    /* 1100 at the baseline: the first 1024 ids are followed */
    feed(f, numbered(0, 1100, "m=t:0,1,2,3,4,5"), 1);
    feed(f, numbered(0, 1100, "m=t:0,1,2"), 2);
    assert_int_equal(records(f, "g01023"), 1);
    assert_int_equal(records(f, "g01024"), 0);
    /* the old ones leave, new ones come: the least recently listed make room */
    feed(f, numbered(5000, 100, "m=t:0"), 3);
    assert_int_equal(records(f, "g05099"), 1); /* new: formed, one record */
    assert_int_equal(records(f, "g00000"), 0);     /* evicted for room */
    assert_int_equal(records(f, "g00100"), 1); /* its change (open: 3-5 lost) ends gone */
    assert_int_equal(recs[0].end_state, GH_GONE);
    feed(f, numbered(6000, 1024, "m=t:0"), 4);
    assert_int_equal(records(f, "g06000"), 1);
    assert_int_equal(records(f, "g05099"), 0); /* dropped for room */
    assert_int_equal(records(f, "g00100"), 0);
    feeder_free(f);
}

static int cmp_tp_test(const void *a, const void *b)
{
    const ks_tp *x = a, *y = b;
    return (x->partition > y->partition) - (x->partition < y->partition);
}

/* 200 groups x 50 members x 2 partitions; version 1 moves every partition. */
static ks_groups *big_part(int v)
{
    ks_groups *gs = fx_groups(200);

    gs->supported = true;
    for (int gi = 0; gi < 200; gi++) {
        char id[32];
        snprintf(id, sizeof(id), "big%03d", gi);
        ks_group *g = fx_group(gs, id, "Stable", 50, 0);
        for (int m = 0; m < 50; m++) {
            char mid[32], asg[32];
            snprintf(mid, sizeof(mid), "member-%02d", m);
            snprintf(asg, sizeof(asg), "events:%d,%d", (2 * m + 2 * v) % 100,
                     (2 * m + 2 * v + 1) % 100);
            ks_member *mem = fx_member(gs, g, mid, mid, asg);
            qsort(mem->assignment, (size_t)mem->nassignment, sizeof(ks_tp), cmp_tp_test);
        }
    }
    return gs;
}

/* One publish a second of 200 groups x 50 members must cost little. */
static void test_two_hundred_groups_are_cheap(void **state)
{
    feeder *f = feeder_new();
    int64_t t0;
    double steady_us, churn_us;

    (void)state;
    ks_groups *quiet[50], *churn[20];

    for (int i = 0; i < 50; i++)
        quiet[i] = big_part(0); /* equal content, new part: what a quiet poll gives */
    for (int i = 0; i < 20; i++)
        churn[i] = big_part(1 - i % 2);
    feed(f, big_part(0), 0);
    t0 = clock_mono_us();
    for (int i = 0; i < 50; i++)
        feed(f, quiet[i], 1 + i);
    steady_us = (double)(clock_mono_us() - t0) / 50;
    assert_int_equal(records(f, "big000"), 0);
    t0 = clock_mono_us();
    for (int i = 0; i < 20; i++)
        feed(f, churn[i], 51 + i);
    churn_us = (double)(clock_mono_us() - t0) / 20;
    print_message("200 groups x 50 members: %.0f us per quiet publish, %.0f us when every group "
                  "rebalances\n",
                  steady_us, churn_us);
    assert_int_equal(records(f, "big000"), 20);
    assert_true(recs[0].cover_ok);
    assert_int_equal(recs[0].nmoved, 100);
    assert_int_equal(recs[0].nentries, 50);
    /* the figures are printed, not asserted: timing goals live in bench/ */
    feeder_free(f);
}

/* Generations from the coordinator's log: a replayed one is the baseline, a
 * live one before or after the poll that opens a record is that record's,
 * one that arrives after it closed still lands on it, and two written
 * between polls show as a span. */
static void test_coordinator_generations(void **state)
{
    feeder *f = feeder_new();

    (void)state;
    group_history_coordinator(f->h, "g", 7, 0, false, true); /* the replay, before any poll */
    feed(f, part1("Stable", "m1=t:0,1,2", "m2=t:3,4,5", NULL), 1);
    int32_t gen = 0;
    assert_true(group_history_generation(f->h, "g", &gen));
    assert_int_equal(gen, 7);
    assert_int_equal(records(f, "g"), 0); /* the replay opened nothing */

    /* the rebalance completes between two polls: its generation comes first */
    group_history_coordinator(f->h, "g", 8, 1500, false, false);
    feed(f, part1("Stable", "m1=t:0,1", "m2=t:2,3", "m3=t:4,5", NULL), 2);
    assert_int_equal(records(f, "g"), 1);
    assert_false(recs[0].open);
    assert_true(recs[0].generation_valid);
    assert_int_equal(recs[0].generation, 8);
    assert_int_equal(recs[0].generations, 1);

    /* seen under way first, then the generation, then stable */
    feed(f, part1("PreparingRebalance", NULL), 3);
    assert_int_equal(records(f, "g"), 2);
    assert_true(recs[0].open);
    assert_false(recs[0].generation_valid); /* 8 belongs to the record before */
    group_history_coordinator(f->h, "g", 9, 3500, false, false);
    assert_int_equal(records(f, "g"), 2);
    assert_int_equal(recs[0].generation, 9);
    feed(f, part1("Stable", "m1=t:0,1,2", "m3=t:3,4,5", NULL), 4);
    assert_int_equal(records(f, "g"), 2);
    assert_false(recs[0].open);
    assert_int_equal(recs[0].generation, 9);

    /* a quick rebalance no poll saw, then one it did: a span of two */
    group_history_coordinator(f->h, "g", 10, 4200, false, false);
    group_history_coordinator(f->h, "g", 11, 4600, false, false);
    feed(f, part1("Stable", "m1=t:0,1,2,3,4,5", NULL), 5);
    assert_int_equal(records(f, "g"), 3);
    assert_int_equal(recs[0].generation, 11);
    assert_int_equal(recs[0].generations, 2);
    char text[256];
    assert_non_null(strstr(group_record_summary(&recs[0], text, sizeof(text)),
                           "(generations 10-11)"));

    /* the log is late: the record closes first, the generation lands after */
    feed(f, part1("Stable", "m1=t:0,1,2", "m4=t:3,4,5", NULL), 6);
    assert_int_equal(records(f, "g"), 4);
    assert_false(recs[0].generation_valid);
    group_history_coordinator(f->h, "g", 12, 5900, false, false); /* written before 6 s */
    assert_int_equal(records(f, "g"), 4);
    assert_true(recs[0].generation_valid);
    assert_int_equal(recs[0].generation, 12);

    /* one written after the record closed is the next rebalance's, even
     * before the poll that shows it */
    group_history_coordinator(f->h, "g", 13, 6800, false, false);
    assert_int_equal(records(f, "g"), 4);
    assert_int_equal(recs[0].generation, 12);
    feed(f, part1("Stable", "m1=t:0,1,2", "m5=t:3,4,5", NULL), 7);
    assert_int_equal(records(f, "g"), 5);
    assert_int_equal(recs[0].generation, 13);
    assert_int_equal(recs[0].generations, 1);
    assert_int_equal(recs[1].generation, 12);

    /* a group known only from the log is followed; a tombstone forgets */
    group_history_coordinator(f->h, "other", 3, 7000, false, false);
    assert_true(group_history_generation(f->h, "other", &gen));
    assert_int_equal(gen, 3);
    group_history_coordinator(f->h, "other", -1, 7000, true, false);
    assert_false(group_history_generation(f->h, "other", &gen));
    group_history_coordinator(f->h, "never-seen", -1, 7000, true, false);
    assert_false(group_history_generation(f->h, "never-seen", &gen));
    feeder_free(f);
}

/* The replayed log, as coordlog_to_history hands it over: the group as
 * written at generation gen (the part's reference is taken), then its
 * generation. */
static void replay(feeder *f, ks_groups *gs, int32_t gen, int64_t t_ms)
{
    group_history_replayed(f->h, gs, gen, t_ms);
    group_history_coordinator(f->h, gs->groups[0].id, gen, t_ms, false, true);
    part_unref(gs);
}

static ks_groups *part_named(const char *id, const char *state, const char *m1, const char *m2)
{
    ks_groups *gs = fx_groups(1);
    gs->supported = true;
    add_group(gs, id, state, m1, m2, NULL);
    return gs;
}

static void test_replayed_history(void **state)
{
    feeder *f = feeder_new();
    const gh_entry *e;
    char text[256];

    (void)state;
    replay(f, part1("Stable", "m1=t:0,1,2,3,4,5", NULL), 1, 1000);
    replay(f, part1("Stable", "m1=t:0,1,2", "m2=t:3,4,5", NULL), 2, 2000);
    replay(f, part1("Stable", "m1=t:0,1,2", "m2=t:3,4,5", NULL), 2, 2100); /* again: nothing */
    replay(f, part1("Stable", "m2=t:0,1,2,3,4,5", NULL), 4, 4000); /* 3 never written */
    replay(f, part1("Empty", NULL), 5, 5000);
    assert_int_equal(records(f, "g"), 4);
    /* newest first: the group emptied */
    assert_true(recs[0].replayed);
    assert_int_equal(recs[0].seq, 4);
    assert_int_equal(recs[0].generation, 5);
    assert_int_equal(recs[0].end_state, GH_EMPTY);
    assert_false(recs[0].cover_valid);
    assert_int_equal(recs[0].nleft, 1);
    assert_true(entry(&recs[0], "m2")->left);
    /* a span: generation 3 is not in the log */
    assert_int_equal(recs[1].generation, 4);
    assert_int_equal(recs[1].generations, 2);
    assert_int_equal(recs[1].members_before, 2);
    assert_int_equal(recs[1].members_after, 1);
    assert_true(entry(&recs[1], "m1")->left);
    e = entry(&recs[1], "m2");
    assert_string_equal(list(&recs[1], e->assigned, e->nassigned), "t 0-2");
    assert_true(recs[1].cover_valid && recs[1].cover_ok);
    /* the join of m2: who got what, when, and no duration */
    const gh_record *r = &recs[2];
    assert_int_equal(r->generation, 2);
    assert_int_equal(r->generations, 1);
    assert_int_equal(r->stable_before_ms, 1000);
    assert_int_equal(r->start_ms, 2000);
    assert_int_equal(r->end_ms, 2000);
    assert_false(r->stopped_valid);
    assert_int_equal(r->nstates, 1);
    assert_int_equal(r->states[0], GH_STABLE);
    assert_int_equal(r->nmoved, 3);
    e = entry(r, "m1");
    assert_false(e->joined);
    assert_string_equal(list(r, e->revoked, e->nrevoked), "t 3-5");
    e = entry(r, "m2");
    assert_true(e->joined);
    assert_string_equal(list(r, e->assigned, e->nassigned), "t 3-5");
    assert_string_equal(group_record_summary(r, text, sizeof(text)),
                        "rebalance #2 (generation 2): 1->2 members, joined c-m2, 3 partitions "
                        "moved, from the coordinator's log");
    /* generation 1: the group was new, everything joined */
    assert_int_equal(recs[3].generation, 1);
    assert_int_equal(recs[3].members_before, 0);
    assert_true(entry(&recs[3], "m1")->joined);
    /* history stays out of the timeline of events */
    assert_int_equal(fx_count_events(f->tl, KS_EV_GROUP_GENERATION), 0);
    /* and readers of closed records get it, oldest first */
    uint64_t cursor = 0;
    gh_record out[8];
    int n = group_history_closed(f->h, &cursor, out, 8);
    assert_int_equal(n, 4);
    assert_int_equal(out[0].generation, 1);
    assert_int_equal(out[3].generation, 5);
    group_record_free(out, n);

    /* our own records follow, numbered after the history */
    feed(f, part1("Stable", "m3=t:0,1,2,3,4,5", NULL), 6);
    assert_int_equal(records(f, "g"), 4); /* the baseline */
    feed(f, part1("Stable", "m3=t:0,1,2", "m4=t:3,4,5", NULL), 7);
    assert_int_equal(records(f, "g"), 5);
    assert_false(recs[0].replayed);
    assert_int_equal(recs[0].seq, 5);
    assert_false(recs[0].generation_valid); /* 5 was the replay's */
    /* history arriving after a record of ours is not put among them */
    replay(f, part1("Stable", "m3=t:0,1,2", "m4=t:3,4,5", NULL), 6, 6500);
    assert_int_equal(records(f, "g"), 5);
    assert_false(recs[0].replayed);

    /* a group whose older generations were compacted away: the first
     * replayed one is only the base of the next */
    replay(f, part_named("h", "Stable", "m1=t:0,1,2", "m2=t:3,4,5"), 9, 1000);
    assert_int_equal(records(f, "h"), 0);
    replay(f, part_named("h", "Stable", "m1=t:0,1,2,3,4,5", NULL), 10, 2000);
    assert_int_equal(records(f, "h"), 1);
    assert_int_equal(recs[0].generation, 10);
    assert_int_equal(recs[0].members_before, 2);
    assert_int_equal(recs[0].njoined, 0);
    assert_int_equal(recs[0].nleft, 1);
    /* a tombstone: a group of that name later starts anew */
    group_history_coordinator(f->h, "h", -1, 3000, true, true);
    replay(f, part_named("h", "Stable", "m5=t:0,1,2,3,4,5", NULL), 1, 4000);
    assert_int_equal(records(f, "h"), 2);
    assert_int_equal(recs[0].members_before, 0);
    assert_true(entry(&recs[0], "m5")->joined);
    feeder_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_baseline),
        cmocka_unit_test(test_join),
        cmocka_unit_test(test_leave_clean),
        cmocka_unit_test(test_killed_member),
        cmocka_unit_test(test_assignment_change_between_stables),
        cmocka_unit_test(test_cooperative_two_steps),
        cmocka_unit_test(test_cover_fails),
        cmocka_unit_test(test_group_empty_and_back),
        cmocka_unit_test(test_gone_partial_and_errors),
        cmocka_unit_test(test_real_generation),
        cmocka_unit_test(test_coordinator_generations),
        cmocka_unit_test(test_replayed_history),
        cmocka_unit_test(test_ring_overflow_and_cursor),
        cmocka_unit_test(test_many_groups_bounded),
        cmocka_unit_test(test_two_hundred_groups_are_cheap),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    group_record_free(recs, GH_MAX_RECORDS);
    return rc;
}
