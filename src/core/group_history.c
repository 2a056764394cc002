/* group_history: per group, a ring of rebalance records built from
 * successive groups parts.
 *
 * DESIGN: observe() runs on the publishing thread inside the store listener
 * (serialised by the store's publish lock) and takes the history's mutex
 * for the whole update; readers take it to copy records out. Per publish a
 * group costs one comparison of its members and assignments with its last
 * observation (a merge of sorted arrays); only groups with an open record
 * pay for a rebuild (group_record.c). Observations are kept by holding a
 * reference on the groups part they come from, so nothing is copied: a part
 * lives on while some group still compares against it. */
#include "group_history.h"
#include "snapshot.h"
#include "xmalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* One observation of a group, kept alive by a reference on its part. */
typedef struct gh_obs {
    ks_groups *part;   /* referenced; NULL: no observation */
    const ks_group *g; /* inside part */
    int64_t t;
} gh_obs;

typedef struct gh_group {
    char *id;
    uint64_t seen_round; /* the last observe() that listed the group */
    bool settled;        /* seen Stable or Empty (or new): a rebalance has a "before" */
    gh_obs last;         /* the latest observation */
    uint64_t nrecords;   /* records opened; the newest is recs[(nrecords - 1) % ring] */
    gh_record recs[GH_MAX_RECORDS];
    bool open;       /* the newest record is open */
    gh_obs base;     /* the open record's "before": last seen stable (part NULL: new group) */
    gh_obs stable;   /* the last Stable observation since it opened */
    int64_t first_unsettled, last_unsettled; /* its observations that did not close it */
    bool gen_known;  /* the coordinator's log gave a generation */
    int32_t gen;     /* the latest one */
    bool gen_base_known; /* a generation already accounted for: replayed, or given to a record */
    int32_t gen_base;
    gh_obs replay;       /* the coordinator's last replayed record of the group, as a group */
    int32_t replay_gen;
    uint64_t nreplayed;  /* records made from the replay (all before any of ours) */
} gh_group;

struct ks_group_history {
    pthread_mutex_t lock;
    ks_timeline *tl;
    gh_group **groups; /* sorted by id */
    int ngroups;
    bool baseline_done;
    uint64_t round, closed_seq, version;
};

static void obs_set(gh_obs *o, const ks_groups *part, const ks_group *g, int64_t t)
{
    if (o->part != part) {
        part_unref(o->part);
        o->part = part_ref((ks_groups *)part); /* parts are immutable: the cast only counts */
    }
    o->g = part ? g : NULL;
    o->t = t;
}

static void obs_clear(gh_obs *o)
{
    obs_set(o, NULL, NULL, 0);
}

static gh_group *group_new(const char *id)
{
    gh_group *gg = xcalloc(1, sizeof(*gg));
    gg->id = xstrdup(id);
    return gg;
}

static void group_free(gh_group *gg)
{
    obs_clear(&gg->last);
    obs_clear(&gg->base);
    obs_clear(&gg->stable);
    obs_clear(&gg->replay);
    group_record_free(gg->recs, GH_MAX_RECORDS);
    free(gg->id);
    free(gg);
}

static void forget_all(ks_group_history *h)
{
    for (int i = 0; i < h->ngroups; i++)
        group_free(h->groups[i]);
    free(h->groups);
    h->groups = NULL;
    h->ngroups = 0;
    h->baseline_done = false;
}

ks_group_history *group_history_new(ks_timeline *tl)
{
    ks_group_history *h = xcalloc(1, sizeof(*h));
    pthread_mutex_init(&h->lock, NULL);
    h->tl = tl;
    return h;
}

void group_history_free(ks_group_history *h)
{
    if (!h)
        return;
    forget_all(h);
    pthread_mutex_destroy(&h->lock);
    free(h);
}

/* ---- one group ---- */

static bool same_member(const ks_member *a, const ks_member *b)
{
    if (strcmp(a->member_id, b->member_id) || a->nassignment != b->nassignment)
        return false;
    for (int i = 0; i < a->nassignment; i++)
        if (a->assignment[i].partition != b->assignment[i].partition ||
            strcmp(a->assignment[i].topic, b->assignment[i].topic))
            return false;
    return true;
}

/* Same member ids with the same assignments (arrays are sorted). */
static bool same_group(const ks_group *a, const ks_group *b)
{
    if (!a || !b)
        return (a ? a->nmembers : 0) == (b ? b->nmembers : 0);
    if (a->nmembers != b->nmembers)
        return false;
    for (int i = 0; i < a->nmembers; i++)
        if (!same_member(&a->members[i], &b->members[i]))
            return false;
    return true;
}

static gh_record *newest(gh_group *gg)
{
    return &gg->recs[(gg->nrecords - 1) % GH_MAX_RECORDS];
}

static gh_record *record_open(gh_group *gg, int64_t t)
{
    gh_record *r = &gg->recs[gg->nrecords % GH_MAX_RECORDS];

    group_record_free(r, 1); /* the ring drops the oldest */
    memset(r, 0, sizeof(*r));
    r->seq = ++gg->nrecords;
    r->open = true;
    r->stable_before_ms = gg->last.part ? gg->last.t : 0;
    r->start_ms = t;
    gg->open = true;
    gg->base = (gh_obs){0};
    obs_set(&gg->base, gg->last.part, gg->last.g, gg->last.t);
    obs_clear(&gg->stable);
    gg->first_unsettled = gg->last_unsettled = 0;
    return r;
}

/* The coordinator's generation for r, the newest record: the latest one it
 * wrote that no earlier record accounts for (it may come before the poll
 * that opens r, or after). The model's own generation (ksight's load
 * groups) wins. */
static void record_generation(gh_group *gg, gh_record *r, bool model_valid)
{
    if (model_valid || !gg->gen_known || (gg->gen_base_known && gg->gen <= gg->gen_base))
        return;
    r->generation_valid = true;
    r->generation = gg->gen;
    r->generations = gg->gen_base_known ? gg->gen - gg->gen_base : 0;
}

static void record_state(gh_record *r, gh_state st)
{
    if (r->nstates && r->states[r->nstates - 1] == st)
        return;
    if (r->nstates < GH_MAX_STATES)
        r->states[r->nstates++] = st;
    else
        r->states[GH_MAX_STATES - 1] = st; /* the last one says how it ended */
}

static void record_close(ks_group_history *h, gh_group *gg, gh_record *r, gh_state end, int64_t t)
{
    char text[224];

    r->open = false;
    r->end_state = end;
    r->end_ms = t;
    r->closed = ++h->closed_seq;
    r->cover_valid = end == GH_STABLE;
    /* consumption resumed only if it closed Stable, and stopped only if someone consumed */
    r->stopped_valid = end == GH_STABLE && gg->base.g && gg->base.g->nmembers;
    if (r->stopped_valid && r->cooperative && r->nmoved == 0) {
        r->stopped_min_ms = r->stopped_max_ms = 0; /* cooperative: nobody gave anything up */
    } else if (r->stopped_valid) {
        r->stopped_max_ms = t - r->stable_before_ms;
        r->stopped_min_ms = gg->last_unsettled ? gg->last_unsettled - gg->first_unsettled : 0;
    }
    gg->open = false;
    if (r->generation_valid) { /* later generations belong to later records */
        gg->gen_base_known = true;
        gg->gen_base = r->generation;
    }
    obs_clear(&gg->base);
    obs_clear(&gg->stable);
    if (h->tl)
        timeline_push(h->tl, t, KS_EV_GROUP_GENERATION,
                      r->cover_valid && !r->cover_ok ? KS_SEV_WARN : KS_SEV_INFO, gg->id,
                      "group %s %s", gg->id, group_record_summary(r, text, sizeof(text)));
}

/* One observation g of a group (from part, at t) with nothing open or an open record. */
static void observe_group(ks_group_history *h, gh_group *gg, const ks_groups *part,
                          const ks_group *g, int64_t t)
{
    gh_state st = group_record_state(g->state);
    bool was_stable = gg->stable.part != NULL;
    gh_record *r;

    if (!gg->settled) { /* first seen mid-rebalance: wait for a state to compare with */
        gg->settled = st == GH_STABLE || st == GH_EMPTY;
        obs_set(&gg->last, part, g, t);
        return;
    }
    if (!gg->open) {
        bool start = st == GH_PREPARING || st == GH_COMPLETING ||
                     (st == GH_STABLE && !same_group(gg->last.g, g)) ||
                     ((st == GH_EMPTY || st == GH_DEAD) && gg->last.g && gg->last.g->nmembers);
        if (!start) {
            obs_set(&gg->last, part, g, t);
            return;
        }
        record_open(gg, t);
        was_stable = false;
    }
    r = newest(gg);
    record_state(r, st);
    r->end_ms = t;
    if (g->generation_valid) {
        r->generation_valid = true;
        r->generation = g->generation;
    }
    record_generation(gg, r, g->generation_valid);
    /* two Stable observations with one unchanged incomplete assignment: it stays so */
    bool stuck = st == GH_STABLE && was_stable && same_group(gg->stable.g, g);
    if (st == GH_STABLE)
        obs_set(&gg->stable, part, g, t);
    group_record_build(r, gg->id, gg->base.g, g, gg->stable.g);
    if (st == GH_EMPTY || st == GH_DEAD)
        record_close(h, gg, r, st, t);
    else if (st == GH_STABLE && (r->cover_ok || stuck))
        record_close(h, gg, r, GH_STABLE, t);
    else {
        if (!gg->first_unsettled)
            gg->first_unsettled = t;
        gg->last_unsettled = t;
    }
    obs_set(&gg->last, part, g, t);
    h->version++;
}

/* The group is no longer listed: an open record ends, members all left. */
static void group_gone(ks_group_history *h, gh_group *gg, int64_t t)
{
    if (!gg->last.part && !gg->open)
        return; /* already known gone */
    if (gg->settled && (gg->open || (gg->last.g && gg->last.g->nmembers))) {
        gh_record *r = gg->open ? newest(gg) : record_open(gg, t);
        record_state(r, GH_GONE);
        group_record_build(r, gg->id, gg->base.g, NULL, NULL);
        record_close(h, gg, r, GH_GONE, t);
        h->version++;
    }
    obs_clear(&gg->last);
    gg->settled = true; /* back later: a new group, everything joins */
}

/* ---- the whole part ---- */

static int cmp_id(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

/* Drops the least recently listed groups beyond GH_MAX_GROUPS. */
static void evict(gh_group **list, int *n, uint64_t round)
{
    while (*n > GH_MAX_GROUPS) {
        int victim = -1;
        for (int i = 0; i < *n; i++)
            if (list[i]->seen_round < round &&
                (victim < 0 || list[i]->seen_round < list[victim]->seen_round))
                victim = i;
        if (victim < 0)
            return; /* cannot happen: new groups are created only with room */
        group_free(list[victim]);
        memmove(&list[victim], &list[victim + 1], sizeof(*list) * (size_t)(*n - victim - 1));
        (*n)--;
    }
}

void group_history_observe(ks_group_history *h, const ks_groups *old, const ks_groups *now,
                           int64_t now_ms)
{
    gh_group **next;
    int i = 0, j = 0, k = 0, absent = 0, room;
    bool complete, baseline;

    if (old == now && h->baseline_done)
        return;
    pthread_mutex_lock(&h->lock);
    if (!now) { /* a new cluster: nothing of the old one applies */
        forget_all(h);
        h->version++;
        pthread_mutex_unlock(&h->lock);
        return;
    }
    if (!now->supported || (now->part.error && !now->ngroups)) {
        pthread_mutex_unlock(&h->lock);
        return; /* no data is not "every group left" */
    }
    complete = !now->part.error;
    baseline = !h->baseline_done;
    h->baseline_done = true;
    h->round++;
    /* groups no longer listed may give their slot to new ones */
    while (i < h->ngroups || j < now->ngroups) {
        int c = i >= h->ngroups    ? 1
                : j >= now->ngroups ? -1
                                    : cmp_id(h->groups[i]->id, now->groups[j].id);
        absent += c < 0;
        i += c <= 0;
        j += c >= 0;
    }
    room = GH_MAX_GROUPS - h->ngroups + absent;
    next = xcalloc((size_t)(h->ngroups + now->ngroups) + 1, sizeof(*next));
    for (i = j = 0; i < h->ngroups || j < now->ngroups;) {
        int c = i >= h->ngroups    ? 1
                : j >= now->ngroups ? -1
                                    : cmp_id(h->groups[i]->id, now->groups[j].id);
        if (c < 0) {
            gh_group *gg = h->groups[i++];
            if (complete) /* a partial list says nothing about the missing */
                group_gone(h, gg, now_ms);
            next[k++] = gg;
            continue;
        }
        const ks_group *g = &now->groups[j++];
        gh_group *gg = c == 0 ? h->groups[i++] : NULL;
        if (!gg) {
            if (room <= 0)
                continue; /* bounded: this group is not followed */
            room--;
            gg = group_new(g->id);
            gg->settled = !baseline; /* new since the baseline: before it, nothing */
        }
        next[k++] = gg;
        gg->seen_round = h->round;
        if (!g->error) /* a failed describe says nothing about membership */
            observe_group(h, gg, now, g, now_ms);
    }
    evict(next, &k, h->round);
    free(h->groups);
    h->groups = next;
    h->ngroups = k;
    pthread_mutex_unlock(&h->lock);
}

/* ---- readers ---- */

static gh_group *find_group(ks_group_history *h, const char *id)
{
    int lo = 0, hi = h->ngroups - 1;

    while (lo <= hi) {
        int mid = (lo + hi) / 2, c = cmp_id(h->groups[mid]->id, id);
        if (!c)
            return h->groups[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

/* Between the brokers' clock (a record's timestamp) and ours (polls). */
#define CLOCK_SLACK_MS 500

/* Inserts a group first heard of from the coordinator's log; NULL at the bound. */
static gh_group *group_add(ks_group_history *h, const char *id)
{
    int at = 0;

    if (h->ngroups >= GH_MAX_GROUPS)
        return NULL;
    while (at < h->ngroups && cmp_id(h->groups[at]->id, id) < 0)
        at++;
    h->groups = xrealloc(h->groups, sizeof(*h->groups) * (size_t)(h->ngroups + 1));
    memmove(&h->groups[at + 1], &h->groups[at], sizeof(*h->groups) * (size_t)(h->ngroups - at));
    h->groups[at] = group_new(id);
    h->groups[at]->settled = h->baseline_done; /* as if a poll had listed it */
    h->ngroups++;
    return h->groups[at];
}

void group_history_coordinator(ks_group_history *h, const char *group, int32_t generation,
                               int64_t written_ms, bool deleted, bool replay)
{
    pthread_mutex_lock(&h->lock);
    gh_group *gg = find_group(h, group);
    if (!gg && !deleted)
        gg = group_add(h, group);
    if (!gg) {
        pthread_mutex_unlock(&h->lock);
        return;
    }
    if (deleted) {
        gg->gen_known = gg->gen_base_known = false;
        obs_clear(&gg->replay); /* a group of that name later is a new one */
    } else if (replay) { /* history from before ksight looked: no record of ours */
        gg->gen_known = gg->gen_base_known = true;
        gg->gen = gg->gen_base = generation;
    } else {
        gg->gen_known = true;
        gg->gen = generation;
        if (gg->nrecords) {
            gh_record *r = newest(gg);
            bool was = r->generation_valid;
            /* a closed record takes it only if it was written before the poll
             * that closed it (the log was slow); later, it is the next one's */
            if (r->open || (!r->generation_valid && written_ms <= r->end_ms + CLOCK_SLACK_MS))
                record_generation(gg, r, false);
            if (!r->open && !was && r->generation_valid) { /* it came after the record closed */
                gg->gen_base_known = true;
                gg->gen_base = r->generation;
            }
        }
    }
    h->version++;
    pthread_mutex_unlock(&h->lock);
}

void group_history_replayed(ks_group_history *h, const ks_groups *part, int32_t generation,
                            int64_t written_ms)
{
    const ks_group *g = part && part->ngroups == 1 ? &part->groups[0] : NULL;

    if (!g)
        return;
    pthread_mutex_lock(&h->lock);
    gh_group *gg = find_group(h, g->id);
    if (!gg)
        gg = group_add(h, g->id);
    /* history goes before our own records, never among them */
    if (!gg || gg->open || gg->nrecords > gg->nreplayed) {
        pthread_mutex_unlock(&h->lock);
        return;
    }
    const ks_group *prev = gg->replay.g;
    /* a first record past generation 1: what came before was compacted
     * away, so it is only the base of the next one */
    if ((prev && generation > gg->replay_gen) || (!prev && generation == 1)) {
        gh_record *r = &gg->recs[gg->nrecords % GH_MAX_RECORDS];
        gh_state st = g->nmembers ? GH_STABLE : GH_EMPTY;
        group_record_free(r, 1); /* the ring drops the oldest */
        memset(r, 0, sizeof(*r));
        r->seq = ++gg->nrecords;
        gg->nreplayed++;
        r->replayed = true;
        r->generation_valid = true;
        r->generation = generation;
        r->generations = prev ? generation - gg->replay_gen : 1;
        r->stable_before_ms = prev ? gg->replay.t : 0;
        r->start_ms = r->end_ms = written_ms;
        r->states[r->nstates++] = st;
        group_record_build(r, gg->id, prev, g, st == GH_STABLE ? g : NULL);
        r->end_state = st;
        r->cover_valid = st == GH_STABLE;
        r->closed = ++h->closed_seq;
        h->version++;
    }
    if (!prev || generation >= gg->replay_gen) {
        obs_set(&gg->replay, part, g, written_ms);
        gg->replay_gen = generation;
    }
    pthread_mutex_unlock(&h->lock);
}

bool group_history_generation(ks_group_history *h, const char *group, int32_t *generation)
{
    pthread_mutex_lock(&h->lock);
    gh_group *gg = find_group(h, group);
    bool known = gg && gg->gen_known;
    if (known)
        *generation = gg->gen;
    pthread_mutex_unlock(&h->lock);
    return known;
}

bool group_history_latest(ks_group_history *h, const char *group, int64_t *end_ms, bool *open,
                          uint64_t *count)
{
    pthread_mutex_lock(&h->lock);
    gh_group *gg = find_group(h, group);
    bool any = gg && gg->nrecords;
    if (any) {
        *end_ms = newest(gg)->end_ms;
        *open = gg->open;
        *count = gg->nrecords;
    }
    pthread_mutex_unlock(&h->lock);
    return any;
}

int group_history_get(ks_group_history *h, const char *group, gh_record *out, int max)
{
    int n = 0;

    pthread_mutex_lock(&h->lock);
    gh_group *gg = group ? find_group(h, group) : NULL;
    for (uint64_t s = gg ? gg->nrecords : 0; s > 0 && n < max; s--) {
        if (gg->nrecords - s >= GH_MAX_RECORDS)
            break;
        group_record_copy(&out[n++], &gg->recs[(s - 1) % GH_MAX_RECORDS]);
    }
    pthread_mutex_unlock(&h->lock);
    return n;
}

static int cmp_closed(const void *a, const void *b)
{
    const gh_record *x = *(const gh_record *const *)a, *y = *(const gh_record *const *)b;
    return (x->closed > y->closed) - (x->closed < y->closed);
}

int group_history_closed(ks_group_history *h, uint64_t *cursor, gh_record *out, int max)
{
    const gh_record **found;
    int nfound = 0, n = 0;

    pthread_mutex_lock(&h->lock);
    if (h->closed_seq <= *cursor) {
        pthread_mutex_unlock(&h->lock);
        return 0;
    }
    found = xcalloc((size_t)h->ngroups * GH_MAX_RECORDS + 1, sizeof(*found));
    for (int i = 0; i < h->ngroups; i++)
        for (int s = 0; s < GH_MAX_RECORDS; s++) {
            const gh_record *r = &h->groups[i]->recs[s];
            if (r->seq && !r->open && r->closed > *cursor)
                found[nfound++] = r;
        }
    qsort(found, (size_t)nfound, sizeof(*found), cmp_closed);
    for (; n < nfound && n < max; n++)
        group_record_copy(&out[n], found[n]);
    /* all delivered: skip past records the ring or eviction dropped meanwhile */
    *cursor = n == nfound ? h->closed_seq : out[n - 1].closed;
    free(found);
    pthread_mutex_unlock(&h->lock);
    return n;
}

uint64_t group_history_version(ks_group_history *h)
{
    uint64_t v;

    pthread_mutex_lock(&h->lock);
    v = h->version;
    pthread_mutex_unlock(&h->lock);
    return v;
}
