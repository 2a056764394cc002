/* load_rebalance: the rebalance timeline of the load run's consumer group,
 * built from the members' own rebalance callbacks.
 *
 * DESIGN: one record per generation. A record opens at the first callback
 * of a rebalance (a revoke, or an assign with no revoke before it) and
 * closes when every live member has reported its assignment for that
 * generation (complete), or when an assignment of a newer generation shows
 * it was superseded. Each partition remembers since when it has had no
 * owner (revoked, or its owner killed); the record's stopped time is the
 * longest such wait that its assignments ended. Everything here runs under
 * the load lock, called from member threads. */
#include "load.h"
#include "load_int.h"

#include <stdio.h>
#include <string.h>

void load_rebalance_reset(ks_load *load)
{
    memset(load->reb, 0, sizeof(load->reb));
    load->reb_count = 0;
    load->reb_assigned = 0;
    load->reb_open = -1;
    memset(load->unowned_since, 0, sizeof(load->unowned_since));
    load->pending_cause[0] = '\0';
    load->pending_trigger_ms = 0;
}

/* @locks lock held */
static void cause_add(ks_load *load, int64_t now, const char *fmt, int m)
{
    char item[48];
    size_t len = strlen(load->pending_cause);

    snprintf(item, sizeof(item), fmt, m);
    if (len + strlen(item) + 3 < sizeof(load->pending_cause))
        snprintf(load->pending_cause + len, sizeof(load->pending_cause) - len, "%s%s",
                 len ? ", " : "", item);
    if (!load->pending_trigger_ms)
        load->pending_trigger_ms = now;
}

/* @locks lock held */
static ks_load_rebalance *open_record(ks_load *load, int64_t now)
{
    if (load->reb_open >= 0)
        return &load->reb[load->reb_open];
    int at = (int)(load->reb_count % KS_LOAD_MAX_REBALANCES);
    ks_load_rebalance *r = &load->reb[at];
    memset(r, 0, sizeof(*r));
    r->seq = ++load->reb_count;
    r->start_ms = now;
    r->end_ms = now;
    r->trigger_ms = load->pending_trigger_ms ? load->pending_trigger_ms : now;
    snprintf(r->cause, sizeof(r->cause), "%s",
             load->pending_cause[0] ? load->pending_cause : "rebalance");
    load->pending_cause[0] = '\0';
    load->pending_trigger_ms = 0;
    load->reb_open = at;
    return r;
}

static ks_load_rebalance_member *record_member(ks_load_rebalance *r, int m)
{
    for (int i = 0; i < r->nmembers; i++)
        if (r->members[i].member == m)
            return &r->members[i];
    if (r->nmembers >= KS_LOAD_MAX_MEMBERS)
        return NULL;
    ks_load_rebalance_member *rm = &r->members[r->nmembers++];
    memset(rm, 0, sizeof(*rm));
    rm->member = m;
    return rm;
}

/* Refreshes owned sets, completeness and cover; closes the record when
 * complete. @locks lock held */
static void record_update(ks_load *load, ks_load_rebalance *r)
{
    bool complete = true;
    int live = 0;

    for (int m = 0; m < load->nmembers; m++) {
        if (!load->mp[m].alive)
            continue;
        live++;
        ks_load_rebalance_member *rm = record_member(r, m);
        if (!rm)
            continue;
        rm->owned = load->mp[m].owned;
        if (!rm->reported)
            complete = false;
    }
    for (int i = 0; i < r->nmembers; i++)
        if (!load->mp[r->members[i].member].alive) {
            r->members[i].gone = true; /* leaving, left or killed */
            load_pset_clear(&r->members[i].owned);
        }
    r->unowned = r->multiowned = 0;
    for (int p = 0; p < load->npartitions && p < KS_LOAD_MAX_PARTITIONS; p++) {
        int owners = 0;
        for (int i = 0; i < r->nmembers; i++)
            owners += load_pset_has(&r->members[i].owned, p);
        if (owners == 0)
            r->unowned++;
        else if (owners > 1)
            r->multiowned++;
    }
    r->complete = complete && live > 0;
    r->cover_ok = r->complete && r->unowned == 0 && r->multiowned == 0;
    if (!r->complete || load->reb_open < 0 || &load->reb[load->reb_open] != r)
        return;
    load->reb_open = -1;
    /* a killed member owned its partitions in the group's eyes until now */
    for (int m = 0; m < load->nmembers; m++)
        if (!load->mp[m].alive)
            load_pset_clear(&load->mp[m].owned);
    if (load->tl) {
        char gen[24] = "?";
        if (r->generation_valid)
            snprintf(gen, sizeof(gen), "%d", (int)r->generation);
        if (r->stopped_valid)
            timeline_push(load->tl, r->end_ms, KS_EV_GROUP_GENERATION, KS_SEV_INFO,
                          load->spec.group,
                          "load group generation %s: %d members, %s, "
                          "consumption stopped %lld ms (%s)",
                          gen, live, r->cover_ok ? "every partition owned once" : "NOT covered",
                          (long long)r->stopped_ms, r->cause);
        else
            timeline_push(load->tl, r->end_ms, KS_EV_GROUP_GENERATION, KS_SEV_INFO,
                          load->spec.group, "load group generation %s: %d members, %s (%s)", gen,
                          live, r->cover_ok ? "every partition owned once" : "NOT covered",
                          r->cause);
    }
}

/* The newest record of generation gen, if it is still in the ring and no
 * newer generation was recorded after it. @locks lock held */
static ks_load_rebalance *record_of_generation(ks_load *load, int32_t gen)
{
    for (uint64_t s = load->reb_count; s > 0 && load->reb_count - s < KS_LOAD_MAX_REBALANCES; s--) {
        ks_load_rebalance *r = &load->reb[(s - 1) % KS_LOAD_MAX_REBALANCES];
        if (r->generation_valid && r->generation == gen)
            return r;
        if (r->generation_valid && r->generation > gen)
            return NULL;
    }
    return NULL;
}

/* The partitions of a member that stop being consumed now. @locks lock held */
static void orphan(ks_load *load, const ks_pset *parts, int64_t now)
{
    for (int p = 0; p < KS_LOAD_MAX_PARTITIONS; p++)
        if (load_pset_has(parts, p) && !load->unowned_since[p])
            load->unowned_since[p] = now;
}

void load_member_event(ks_load *load, int m, ks_load_member_event ev, int64_t now)
{
    if (m < 0 || m >= KS_LOAD_MAX_MEMBERS)
        return;
    pthread_mutex_lock(&load->lock);
    load_member_priv *mp = &load->mp[m];
    switch (ev) {
    case LOAD_MEMBER_JOINING:
        if (!mp->used) {
            memset(mp, 0, sizeof(*mp));
            mp->used = true;
        }
        mp->alive = true;
        if (m >= load->nmembers)
            load->nmembers = m + 1;
        load->audit_valid = true;
        cause_add(load, now, "member %d joined", m);
        break;
    case LOAD_MEMBER_LEAVING:
        mp->alive = false; /* its revoke belongs to the coming rebalance */
        cause_add(load, now, "member %d left", m);
        break;
    case LOAD_MEMBER_LEFT:
    case LOAD_MEMBER_KILLED:
        mp->alive = false;
        orphan(load, &mp->owned, now);
        if (ev == LOAD_MEMBER_KILLED) {
            cause_add(load, now, "member %d killed", m);
            if (load->tl)
                timeline_push(load->tl, now, KS_EV_MEMBER_LEFT, KS_SEV_WARN, load->spec.group,
                              "load member %d killed without LeaveGroup: its %d partitions "
                              "wait for the session timeout",
                              m, load_pset_count(&mp->owned));
        }
        if (load->reb_open >= 0) {
            ks_load_rebalance_member *rm = record_member(&load->reb[load->reb_open], m);
            if (rm)
                rm->gone = true;
            record_update(load, &load->reb[load->reb_open]);
        }
        break;
    }
    pthread_mutex_unlock(&load->lock);
    load_bump(load);
}

void load_member_id(ks_load *load, int m, const char *member_id)
{
    if (m < 0 || m >= KS_LOAD_MAX_MEMBERS)
        return;
    pthread_mutex_lock(&load->lock);
    snprintf(load->mp[m].member_id, sizeof(load->mp[m].member_id), "%s",
             member_id ? member_id : "");
    pthread_mutex_unlock(&load->lock);
}

void load_rebalance(ks_load *load, int m, bool assign, bool incremental, int32_t generation,
                    const int32_t *parts, int n, int64_t now)
{
    if (m < 0 || m >= KS_LOAD_MAX_MEMBERS)
        return;
    pthread_mutex_lock(&load->lock);
    load_member_priv *mp = &load->mp[m];
    ks_load_rebalance *r;
    ks_pset set;

    load_pset_clear(&set);
    for (int i = 0; i < n; i++)
        load_pset_add(&set, parts[i]);
    if (!assign) {
        r = open_record(load, now);
        ks_load_rebalance_member *rm = record_member(r, m);
        for (int p = 0; p < KS_LOAD_MAX_PARTITIONS; p++)
            if (load_pset_has(&set, p)) {
                load_pset_del(&mp->owned, p);
                if (rm)
                    load_pset_add(&rm->revoked, p);
            }
        orphan(load, &set, now);
        r->end_ms = now;
        record_update(load, r);
        pthread_mutex_unlock(&load->lock);
        load_bump(load);
        return;
    }
    /* an assignment of a newer generation than the open record's: that
     * rebalance was superseded before every member reported */
    if (load->reb_open >= 0 && generation >= 0) {
        ks_load_rebalance *cur = &load->reb[load->reb_open];
        if (cur->generation_valid && generation > cur->generation)
            load->reb_open = -1;
    }
    /* a late report for a generation whose record already closed (a member
     * that was leaving when the others finished) goes to that record */
    r = generation >= 0 ? record_of_generation(load, generation) : NULL;
    if (!r || (load->reb_open >= 0 && r == &load->reb[load->reb_open]))
        r = open_record(load, now);
    if (generation >= 0) {
        r->generation_valid = true;
        r->generation = generation;
        mp->generation_valid = true;
        mp->generation = generation;
    }
    bool first_assign = true;
    for (int i = 0; i < r->nmembers; i++)
        first_assign = first_assign && !r->members[i].reported;
    if (first_assign)
        load->reb_assigned++;
    ks_load_rebalance_member *rm = record_member(r, m);
    if (rm) {
        rm->reported = true;
        for (int p = 0; p < KS_LOAD_MAX_PARTITIONS; p++)
            if (load_pset_has(&set, p))
                load_pset_add(&rm->assigned, p);
    }
    if (!incremental)
        load_pset_clear(&mp->owned);
    for (int p = 0; p < KS_LOAD_MAX_PARTITIONS; p++) {
        if (!load_pset_has(&set, p))
            continue;
        load_pset_add(&mp->owned, p);
        if (load->unowned_since[p]) {
            int64_t stopped = now - load->unowned_since[p];
            if (!r->stopped_valid || stopped > r->stopped_ms)
                r->stopped_ms = stopped;
            r->stopped_valid = true;
            load->unowned_since[p] = 0;
        }
    }
    atomic_fetch_add(&load->members[m].rebalances, 1);
    r->end_ms = now;
    record_update(load, r);
    pthread_mutex_unlock(&load->lock);
    load_bump(load);
}

int load_rebalances(ks_load *load, ks_load_rebalance *out, int max)
{
    int n = 0;
    pthread_mutex_lock(&load->lock);
    uint64_t first =
        load->reb_count > KS_LOAD_MAX_REBALANCES ? load->reb_count - KS_LOAD_MAX_REBALANCES : 0;
    if (load->reb_count - first > (uint64_t)max)
        first = load->reb_count - (uint64_t)max;
    for (uint64_t s = first; s < load->reb_count && n < max; s++)
        out[n++] = load->reb[s % KS_LOAD_MAX_REBALANCES];
    pthread_mutex_unlock(&load->lock);
    return n;
}
