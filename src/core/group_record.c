/* group_record: build one rebalance record from observations of a group.
 *
 * DESIGN: called by the history under its lock, for the groups with an open
 * record only, so the O(partitions log partitions) work here is paid by the
 * groups that rebalance, not by every group on every publish. The input
 * groups are borrowed for the call; nothing here keeps a pointer into them. */
#include "group_record.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int cmp_tp(const ks_tp *a, const ks_tp *b)
{
    int c = cmp_str(a->topic, b->topic);
    return c ? c : (a->partition > b->partition) - (a->partition < b->partition);
}

static int cmp_tp_qsort(const void *a, const void *b)
{
    return cmp_tp(a, b);
}

/* ---- the record's arrays ---- */

static uint32_t pool_add(gh_record *r, const char *s)
{
    size_t n = strlen(s ? s : "") + 1;
    uint32_t off = (uint32_t)r->pool_len;

    if (r->pool_len + n > r->pool_cap) {
        r->pool_cap = (r->pool_len + n) * 2 + 64;
        r->pool = xrealloc(r->pool, r->pool_cap);
    }
    memcpy(r->pool + r->pool_len, s ? s : "", n);
    r->pool_len += n;
    return off;
}

/* Topics repeat in every list: reuse the offset of the last one added. */
typedef struct tp_adder {
    gh_record *r;
    const char *last_topic;
    uint32_t last_off;
    ks_tp *moved; /* every delta, unbounded, to count distinct moved partitions */
    size_t nmoved, moved_cap;
} tp_adder;

static void tp_add(tp_adder *ad, const ks_tp *tp)
{
    gh_record *r = ad->r;

    if (r->ntps >= GH_MAX_TPS) {
        r->truncated++;
        return;
    }
    if (!ad->last_topic || cmp_str(ad->last_topic, tp->topic)) {
        ad->last_topic = tp->topic ? tp->topic : "";
        ad->last_off = pool_add(r, tp->topic);
    }
    if (r->ntps == r->tps_cap) {
        r->tps_cap = r->tps_cap ? r->tps_cap * 2 : 64;
        r->tps = xrealloc(r->tps, sizeof(gh_tp) * (size_t)r->tps_cap);
    }
    r->tps[r->ntps++] = (gh_tp){.topic = ad->last_off, .partition = tp->partition};
}

/* Adds a \ b (both sorted) to the record; returns how many (all, kept or not). */
static int tps_minus(tp_adder *ad, const ks_member *a, const ks_member *b)
{
    int i = 0, j = 0, n = 0;
    int na = a ? a->nassignment : 0, nb = b ? b->nassignment : 0;

    while (i < na) {
        int c = j >= nb ? -1 : cmp_tp(&a->assignment[i], &b->assignment[j]);
        if (c < 0) {
            if (ad->nmoved == ad->moved_cap) {
                ad->moved_cap = ad->moved_cap ? ad->moved_cap * 2 : 64;
                ad->moved = xrealloc(ad->moved, sizeof(ks_tp) * ad->moved_cap);
            }
            ad->moved[ad->nmoved++] = a->assignment[i];
            tp_add(ad, &a->assignment[i++]);
            n++;
        } else {
            j++;
            i += c == 0;
        }
    }
    return n;
}

static const ks_member *find_member(const ks_group *g, const char *member_id)
{
    int lo = 0, hi = g ? g->nmembers - 1 : -1;

    while (lo <= hi) {
        int mid = (lo + hi) / 2, c = cmp_str(g->members[mid].member_id, member_id);
        if (!c)
            return &g->members[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

/* ---- the cover check ---- */

/* An item of the cover check: a partition, and whether it is an owner's. */
typedef struct cover_item {
    ks_tp tp;
    bool owned;
} cover_item;

static int cmp_cover(const void *a, const void *b)
{
    return cmp_tp(&((const cover_item *)a)->tp, &((const cover_item *)b)->tp);
}

static bool topic_in(const char **topics, size_t n, const char *topic)
{
    for (size_t i = 0; i < n; i++) /* few topics per group: a scan beats a sort */
        if (!cmp_str(topics[i], topic))
            return true;
    return false;
}

/* The partitions the group consumes are those owned before or after and
 * those it has committed offsets for, on the topics it still consumes (the
 * topics owned after; before's when nothing is owned after). Each must have
 * exactly one owner after. */
static void check_cover(gh_record *r, const ks_group *before, const ks_group *latest,
                        const ks_group *after)
{
    size_t n = 0, cap = 0, ntopics = 0, tcap = 0;
    cover_item *items = NULL;
    const char **topics = NULL;

#define ITEM(TP, OWNED)                                                                            \
    do {                                                                                           \
        if (n == cap) {                                                                            \
            cap = cap ? cap * 2 : 64;                                                              \
            items = xrealloc(items, sizeof(*items) * cap);                                         \
        }                                                                                          \
        items[n++] = (cover_item){.tp = (TP), .owned = (OWNED)};                                   \
    } while (0)
#define TOPIC(T)                                                                                   \
    do {                                                                                           \
        if (!topic_in(topics, ntopics, (T))) {                                                     \
            if (ntopics == tcap) {                                                                 \
                tcap = tcap ? tcap * 2 : 8;                                                        \
                topics = xrealloc(topics, sizeof(*topics) * tcap);                                 \
            }                                                                                      \
            topics[ntopics++] = (T);                                                               \
        }                                                                                          \
    } while (0)
    for (int i = 0; i < latest->nmembers; i++) {
        const ks_member *a = find_member(after, latest->members[i].member_id);
        for (int k = 0; a && k < a->nassignment; k++) {
            ITEM(a->assignment[k], true);
            TOPIC(a->assignment[k].topic);
        }
    }
    for (int i = 0; !n && before && i < before->nmembers; i++)
        for (int k = 0; k < before->members[i].nassignment; k++)
            TOPIC(before->members[i].assignment[k].topic);
    for (int i = 0; before && i < before->nmembers; i++)
        for (int k = 0; k < before->members[i].nassignment; k++)
            if (topic_in(topics, ntopics, before->members[i].assignment[k].topic))
                ITEM(before->members[i].assignment[k], false);
    for (int i = 0; i < after->noffsets; i++) {
        const ks_offset *o = &after->offsets[i];
        if (topic_in(topics, ntopics, o->topic))
            ITEM(((ks_tp){.topic = o->topic, .partition = o->partition}), false);
    }
#undef ITEM
#undef TOPIC
    if (n)
        qsort(items, n, sizeof(*items), cmp_cover);
    r->uncovered = r->duplicated = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        int owners = 0;
        for (; j < n && !cmp_tp(&items[i].tp, &items[j].tp); j++)
            owners += items[j].owned;
        r->uncovered += owners == 0;
        r->duplicated += owners > 1;
        i = j;
    }
    r->cover_ok = !r->uncovered && !r->duplicated;
    free(items);
    free(topics);
}

/* ---- building ---- */

static bool entry_changed(const gh_entry *e)
{
    return e->joined || e->left || e->nassigned || e->nrevoked;
}

void group_record_build(gh_record *r, const char *group_id, const ks_group *before,
                        const ks_group *latest, const ks_group *after)
{
    int nb = before ? before->nmembers : 0, nl = latest ? latest->nmembers : 0;
    int i = 0, j = 0, nall = 0;
    gh_entry *all = xcalloc((size_t)(nb + nl) + 1, sizeof(*all));
    tp_adder ad = {.r = r};

    r->pool_len = 0;
    r->ntps = 0;
    r->truncated = 0;
    r->njoined = r->nleft = 0;
    pool_add(r, group_id);
    r->members_before = nb;
    r->members_after = nl;
    r->assignment_known = after != NULL;
    r->cooperative = latest && latest->assignor && strstr(latest->assignor, "cooperative");
    /* one merge over the member ids before and now */
    while (i < nb || j < nl) {
        int c = i >= nb ? 1 : j >= nl ? -1 : cmp_str(before->members[i].member_id,
                                                      latest->members[j].member_id);
        const ks_member *b = c <= 0 ? &before->members[i] : NULL;
        const ks_member *m = c >= 0 ? &latest->members[j] : NULL;
        const ks_member *a = m ? find_member(after, m->member_id) : NULL;
        gh_entry *e = &all[nall++];

        e->member_id = pool_add(r, (m ? m : b)->member_id);
        e->client_id = pool_add(r, (m ? m : b)->client_id);
        e->joined = !b;
        e->left = !m;
        r->njoined += e->joined;
        r->nleft += e->left;
        /* while the assignment after is unknown only a leaver's loss is certain */
        if (a || !m) {
            e->assigned = r->ntps;
            e->nassigned = tps_minus(&ad, a, b);
            e->revoked = r->ntps;
            e->nrevoked = tps_minus(&ad, b, a);
        }
        i += c <= 0;
        j += c >= 0;
    }
    /* the whole assignment after, per member, after the deltas */
    for (int k = 0; k < nall; k++) {
        gh_entry *e = &all[k];
        const ks_member *a =
            e->left ? NULL : find_member(after, group_record_str(r, e->member_id));
        e->owned = r->ntps;
        e->nowned = 0;
        for (int p = 0; a && p < a->nassignment; p++, e->nowned++)
            tp_add(&ad, &a->assignment[p]);
        if (r->ntps < e->owned + e->nowned)
            e->nowned = r->ntps - e->owned;
    }
    /* bounds: past GH_MAX_ENTRIES only members with a change are kept */
    free(r->entries);
    r->entries = xcalloc((size_t)(nall < GH_MAX_ENTRIES ? nall : GH_MAX_ENTRIES) + 1,
                         sizeof(gh_entry));
    r->nentries = 0;
    for (int k = 0; k < nall; k++) {
        bool keep = nall <= GH_MAX_ENTRIES || entry_changed(&all[k]);
        if (keep && r->nentries < GH_MAX_ENTRIES)
            r->entries[r->nentries++] = all[k];
        else
            r->truncated++;
    }
    free(all);
    /* lists cut by GH_MAX_TPS point past ntps: clamp them */
    for (int k = 0; k < r->nentries; k++) {
        gh_entry *e = &r->entries[k];
        if (e->assigned + e->nassigned > r->ntps)
            e->nassigned = r->ntps > e->assigned ? r->ntps - e->assigned : 0;
        if (e->revoked + e->nrevoked > r->ntps)
            e->nrevoked = r->ntps > e->revoked ? r->ntps - e->revoked : 0;
    }
    if (ad.nmoved)
        qsort(ad.moved, ad.nmoved, sizeof(ks_tp), cmp_tp_qsort);
    r->nmoved = 0;
    for (size_t k = 0; k < ad.nmoved; k++)
        r->nmoved += k == 0 || cmp_tp(&ad.moved[k - 1], &ad.moved[k]) != 0;
    free(ad.moved);
    r->uncovered = r->duplicated = 0;
    r->cover_ok = false;
    if (after && latest)
        check_cover(r, before, latest, after);
}

void group_record_copy(gh_record *dst, const gh_record *src)
{
    *dst = *src;
    dst->pool = src->pool_len ? xmalloc(src->pool_len) : NULL;
    if (src->pool_len)
        memcpy(dst->pool, src->pool, src->pool_len);
    dst->pool_cap = src->pool_len;
    dst->entries = src->nentries ? xmalloc(sizeof(gh_entry) * (size_t)src->nentries) : NULL;
    if (src->nentries)
        memcpy(dst->entries, src->entries, sizeof(gh_entry) * (size_t)src->nentries);
    dst->tps = src->ntps ? xmalloc(sizeof(gh_tp) * (size_t)src->ntps) : NULL;
    if (src->ntps)
        memcpy(dst->tps, src->tps, sizeof(gh_tp) * (size_t)src->ntps);
    dst->tps_cap = src->ntps;
}

void group_record_free(gh_record *recs, int n)
{
    for (int i = 0; recs && i < n; i++) {
        free(recs[i].pool);
        free(recs[i].entries);
        free(recs[i].tps);
        recs[i].pool = NULL;
        recs[i].entries = NULL;
        recs[i].tps = NULL;
    }
}

/* ---- names and text ---- */

static const char *const state_names[] = {
    [GH_STABLE] = "Stable",   [GH_PREPARING] = "PreparingRebalance",
    [GH_COMPLETING] = "CompletingRebalance", [GH_EMPTY] = "Empty",
    [GH_DEAD] = "Dead",       [GH_UNKNOWN] = "Unknown",
    [GH_GONE] = "gone",
};

gh_state group_record_state(const char *state)
{
    for (int s = GH_STABLE; s < GH_GONE; s++)
        if (!cmp_str(state, state_names[s]))
            return (gh_state)s;
    return GH_UNKNOWN;
}

const char *group_record_state_name(gh_state state)
{
    return state >= GH_STABLE && state <= GH_GONE ? state_names[state] : "?";
}

bool group_record_one_topic(const gh_record *r)
{
    for (int i = 1; i < r->ntps; i++)
        if (r->tps[i].topic != r->tps[0].topic &&
            strcmp(group_record_str(r, r->tps[i].topic), group_record_str(r, r->tps[0].topic)))
            return false;
    return true;
}

const char *group_record_tps_format(const gh_record *r, int first, int n, bool topics, char *buf,
                                    size_t size)
{
    size_t len = 0;
    uint32_t topic = UINT32_MAX;

    if (size)
        buf[0] = '\0';
    for (int i = first; i < first + n && i < r->ntps && len + 1 < size; i++) {
        const gh_tp *tp = &r->tps[i];
        /* runs of consecutive partitions of one topic print as a range */
        int k = i;
        while (k + 1 < first + n && k + 1 < r->ntps && r->tps[k + 1].topic == tp->topic &&
               r->tps[k + 1].partition == r->tps[k].partition + 1)
            k++;
        if (tp->topic != topic && topics)
            len += (size_t)snprintf(buf + len, size - len, "%s%s ", len ? " " : "",
                                    group_record_str(r, tp->topic));
        else if (len)
            len += (size_t)snprintf(buf + len, size - len, ",");
        if (len >= size)
            break;
        if (k > i + 1)
            len += (size_t)snprintf(buf + len, size - len, "%d-%d", tp->partition,
                                    r->tps[k].partition);
        else
            len += (size_t)snprintf(buf + len, size - len, "%d", tp->partition), k = i;
        topic = tp->topic;
        i = k;
    }
    return buf;
}

/* Up to three client ids of members that joined (or left), then "+N". */
static size_t names(const gh_record *r, bool joined, char *buf, size_t size)
{
    size_t len = 0;
    int shown = 0, total = joined ? r->njoined : r->nleft;

    for (int i = 0; i < r->nentries && shown < 3 && len < size; i++) {
        const gh_entry *e = &r->entries[i];
        if (joined ? !e->joined : !e->left)
            continue;
        const char *name = group_record_str(r, e->client_id);
        len += (size_t)snprintf(buf + len, size - len, "%s%s", shown ? " " : "",
                                *name ? name : group_record_str(r, e->member_id));
        shown++;
    }
    if (total > shown && len < size)
        len += (size_t)snprintf(buf + len, size - len, " +%d", total - shown);
    return len < size ? len : size;
}

const char *group_record_summary(const gh_record *r, char *buf, size_t size)
{
    size_t len = 0;

#define PUT(...)                                                                                   \
    do {                                                                                           \
        if (len < size)                                                                            \
            len += (size_t)snprintf(buf + len, size - len, __VA_ARGS__);                           \
    } while (0)
    if (r->generation_valid && r->generations > 1)
        PUT("rebalance #%llu (generations %d-%d): ", (unsigned long long)r->seq,
            r->generation - r->generations + 1, r->generation);
    else if (r->generation_valid)
        PUT("rebalance #%llu (generation %d): ", (unsigned long long)r->seq, r->generation);
    else
        PUT("rebalance #%llu (observed): ", (unsigned long long)r->seq);
    PUT("%d->%d members", r->members_before, r->members_after);
    if (r->njoined) {
        PUT(", joined ");
        if (len < size)
            len += names(r, true, buf + len, size - len);
    }
    if (r->nleft) {
        PUT(", left ");
        if (len < size)
            len += names(r, false, buf + len, size - len);
    }
    PUT(", %d partition%s moved", r->nmoved, r->nmoved == 1 ? "" : "s");
    if (r->stopped_valid)
        PUT(", consumption stopped %.1f-%.1f s", (double)r->stopped_min_ms / 1000.0,
            (double)r->stopped_max_ms / 1000.0);
    if (!r->open && r->end_state == GH_EMPTY)
        PUT(", group empty");
    else if (!r->open && r->end_state == GH_GONE)
        PUT(", group gone");
    if (r->cover_valid && !r->cover_ok)
        PUT(", cover BAD: %d without owner, %d with two", r->uncovered, r->duplicated);
    if (r->open)
        PUT(", in progress");
    if (r->replayed)
        PUT(", from the coordinator's log");
#undef PUT
    return buf;
}
