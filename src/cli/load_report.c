/* load_report: the end-of-run summary in text and JSON (see load_report.h). */
#include "load_report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RANGES 100 /* lost ranges listed per producer thread */

static json_t *u64_or_null(bool valid, uint64_t v)
{
    return valid ? json_integer((json_int_t)v) : json_null();
}

static json_t *ms_or_null(bool valid, double v)
{
    return valid ? json_real((double)(int64_t)(v * 1000.0 + 0.5) / 1000.0) : json_null();
}

static json_t *quantiles_json(const ks_load_quantiles *q)
{
    return json_pack("{s:o, s:o}", "p50", ms_or_null(q->valid, q->p50_ms), "p99",
                     ms_or_null(q->valid, q->p99_ms));
}

json_t *load_report_json(const ks_load_result *res)
{
    const ks_load_stats *st = res->st;
    bool a = st->audit_valid;

    json_t *doc = json_object();
    json_object_set_new(doc, "produced", json_integer((json_int_t)st->produced));
    json_object_set_new(doc, "acked", json_integer((json_int_t)st->acked));
    json_object_set_new(doc, "failed", json_integer((json_int_t)st->failed));
    json_object_set_new(doc, "consumed", json_integer((json_int_t)(a ? st->audit.received : 0)));
    json_object_set_new(doc, "unique", u64_or_null(a, st->audit.unique));
    json_object_set_new(doc, "lost", u64_or_null(a, st->audit.lost));
    json_object_set_new(doc, "log_duplicates", u64_or_null(a, st->audit.log_duplicates));
    json_object_set_new(doc, "redelivered", u64_or_null(a, st->audit.redelivered));
    json_object_set_new(doc, "out_of_order", u64_or_null(a, st->audit.out_of_order));
    json_object_set_new(doc, "rebalances", json_integer(st->rebalances));
    json_object_set_new(doc, "produce_rate",
                        st->produce_avg_rate > 0
                            ? json_integer((json_int_t)(st->produce_avg_rate + 0.5))
                            : json_null());
    json_object_set_new(doc, "produce_latency_ms", quantiles_json(&st->produce_latency));
    json_object_set_new(doc, "e2e_latency_ms", quantiles_json(&st->e2e_latency));
    return doc;
}

static json_t *counts_json(const ks_audit_counts *c)
{
    json_t *o = json_object();
#define F(name) json_object_set_new(o, #name, json_integer((json_int_t)c->name))
    F(sent);
    F(acked);
    F(failed);
    F(unknown);
    F(received);
    F(unique);
    F(log_duplicates);
    F(redelivered);
    F(out_of_order);
    F(invalid);
    F(lost);
    F(gaps);
    F(unacked_consumed);
    F(unacked_missing);
#undef F
    return o;
}

static json_t *pset_json(const ks_pset *set)
{
    json_t *a = json_array();
    for (int p = 0; p < KS_LOAD_MAX_PARTITIONS; p++)
        if (load_pset_has(set, p))
            json_array_append_new(a, json_integer(p));
    return a;
}

static json_t *rebalance_json(const ks_load_rebalance *r)
{
    json_t *members = json_array();
    for (int i = 0; i < r->nmembers; i++) {
        const ks_load_rebalance_member *rm = &r->members[i];
        json_array_append_new(members,
                              json_pack("{s:i, s:b, s:b, s:o, s:o, s:o}", "member", rm->member,
                                        "reported", rm->reported, "gone", rm->gone, "revoked",
                                        pset_json(&rm->revoked), "assigned",
                                        pset_json(&rm->assigned), "owned", pset_json(&rm->owned)));
    }
    return json_pack("{s:I, s:o, s:I, s:I, s:I, s:o, s:s, s:b, s:b, s:i, s:i, s:o}", "seq",
                     (json_int_t)r->seq, "generation",
                     r->generation_valid ? json_integer(r->generation) : json_null(), "trigger_ms",
                     (json_int_t)r->trigger_ms, "start_ms", (json_int_t)r->start_ms, "end_ms",
                     (json_int_t)r->end_ms, "stopped_ms",
                     r->stopped_valid ? json_integer(r->stopped_ms) : json_null(), "cause",
                     r->cause, "complete", r->complete, "cover_ok", r->cover_ok, "unowned",
                     r->unowned, "multiowned", r->multiowned, "members", members);
}

json_t *load_report_full(const ks_load_result *res)
{
    const ks_load_stats *st = res->st;
    json_t *doc = json_object(), *threads = json_array(), *members = json_array(),
           *timeline = json_array(), *errors = json_object(), *couriers = json_object();
    char *spec = load_spec_format(&st->spec);

    json_object_set_new(doc, "summary", load_report_json(res));
    json_object_set_new(doc, "run_id", json_string(st->run_id));
    json_object_set_new(doc, "spec", json_string(spec));
    json_object_set_new(doc, "topic", json_string(st->spec.topic));
    json_object_set_new(doc, "group", json_string(st->spec.group));
    json_object_set_new(doc, "partitions", json_integer(st->npartitions));
    json_object_set_new(doc, "state", json_string(load_state_name(st->state)));
    json_object_set_new(doc, "error", st->error[0] ? json_string(st->error) : json_null());
    json_object_set_new(doc, "drained", json_boolean(res->drained));
    json_object_set_new(doc, "drain_s", res->drain_s >= 0 ? json_real(res->drain_s) : json_null());
    json_object_set_new(doc, "elapsed_ms", json_integer(st->elapsed_ms));
    json_object_set_new(doc, "unconfirmed", json_integer((json_int_t)st->unconfirmed));
    json_object_set_new(doc, "foreign", json_integer((json_int_t)st->foreign));
    json_object_set_new(doc, "generation",
                        st->generation_valid ? json_integer(st->generation) : json_null());
    if (st->audit_valid)
        json_object_set_new(doc, "audit", counts_json(&st->audit));
    else
        json_object_set_new(doc, "audit", json_null());
    for (int t = 0; t < st->nproducers; t++) {
        json_t *o = counts_json(&st->audit_thread[t]), *ranges = json_array();
        uint64_t r[MAX_RANGES][2];
        uint64_t n =
            res->audit && st->audit_valid ? audit_lost_ranges(res->audit, t, r, MAX_RANGES) : 0;
        for (uint64_t i = 0; i < n && i < MAX_RANGES; i++)
            json_array_append_new(ranges,
                                  json_pack("[I, I]", (json_int_t)r[i][0], (json_int_t)r[i][1]));
        json_object_set_new(o, "thread", json_integer(t));
        json_object_set_new(o, "lost_ranges", ranges);
        json_object_set_new(o, "lost_ranges_total", json_integer((json_int_t)n));
        json_array_append_new(threads, o);
    }
    json_object_set_new(doc, "threads", threads);
    for (int m = 0; m < st->nmembers; m++) {
        const ks_load_member_stats *ms = &st->member[m];
        json_array_append_new(
            members,
            json_pack("{s:i, s:s, s:s, s:o, s:I, s:o, s:I, s:I, s:I}", "member", m, "state",
                      load_worker_state_name(ms->state), "member_id", ms->member_id, "generation",
                      ms->generation_valid ? json_integer(ms->generation) : json_null(),
                      "rebalances", (json_int_t)ms->rebalances, "assigned",
                      pset_json(&ms->assigned), "consumed", (json_int_t)ms->consumed, "commits",
                      (json_int_t)ms->commits, "commit_errors", (json_int_t)ms->commit_errors));
    }
    json_object_set_new(doc, "members", members);
    for (int i = 0; i < res->nreb; i++)
        json_array_append_new(timeline, rebalance_json(&res->reb[i]));
    json_object_set_new(doc, "rebalances", timeline);
    for (int e = 0; e < LOAD_ERR__COUNT; e++)
        json_object_set_new(errors, load_err_name(e), json_integer((json_int_t)st->errors[e]));
    json_object_set_new(doc, "errors", errors);
    for (int c = 0; c < st->ncouriers; c++) {
        char id[16];
        snprintf(id, sizeof(id), "%d", c);
        json_object_set_new(couriers, id, json_integer((json_int_t)st->courier_updates[c]));
    }
    json_object_set_new(doc, "couriers", couriers);
    free(spec);
    return doc;
}

static void quantiles_text(const char *what, const ks_load_quantiles *q, FILE *out)
{
    if (!q->valid) {
        fprintf(out, "  %-18s -\n", what);
        return;
    }
    fprintf(out, "  %-18s p50 %.2f ms   p95 %.2f ms   p99 %.2f ms   max %.2f ms\n", what, q->p50_ms,
            q->p95_ms, q->p99_ms, q->max_ms);
}

void load_report_text(const ks_load_result *res, bool audit, FILE *out)
{
    const ks_load_stats *st = res->st;
    const ks_load_spec *sp = &st->spec;
    const ks_audit_counts *a = &st->audit;

    fprintf(out, "ksight load: run %s on %s (%d partitions)\n", st->run_id, sp->topic,
            st->npartitions);
    if (st->error[0])
        fprintf(out, "  error: %s\n", st->error);
    char per[32] = "until stopped";
    if (sp->messages)
        snprintf(per, sizeof(per), "%lld messages", (long long)sp->messages);
    fprintf(out, "  producers          %d x %s (%s, acks=%s%s, %s, %s)\n", sp->producers, per,
            load_send_mode_name(sp->mode), load_acks_name(sp->acks),
            sp->idempotent ? ", idempotent" : "", load_format_name(sp->format), sp->compression);
    fprintf(out,
            "  produced           %" PRIu64 "   acked %" PRIu64 "   failed %" PRIu64
            "   unconfirmed %" PRIu64 "\n",
            st->produced, st->acked, st->failed, st->unconfirmed);
    if (st->produce_avg_rate > 0)
        fprintf(out, "  produce rate       %.0f msg/s\n", st->produce_avg_rate);
    quantiles_text("produce latency", &st->produce_latency, out);
    fprintf(out, "  consumers          %d members in %s (%s commit, %s)\n", st->nmembers, sp->group,
            load_commit_name(sp->commit), load_assignor_name(sp->assignor));
    if (st->audit_valid) {
        fprintf(out,
                "  consumed           %" PRIu64 "   unique %" PRIu64 "   other runs %" PRIu64 "\n",
                a->received, a->unique, st->foreign);
        quantiles_text("end-to-end latency", &st->e2e_latency, out);
        fprintf(out, "  rebalances         %d", st->rebalances);
        if (st->generation_valid)
            fprintf(out, " (last generation %d)", st->generation);
        fputc('\n', out);
        fprintf(out,
                "  audit              lost %" PRIu64 "   log duplicates %" PRIu64
                "   redelivered %" PRIu64 "   out of order %" PRIu64 "\n",
                a->lost, a->log_duplicates, a->redelivered, a->out_of_order);
        fprintf(out,
                "                     never acknowledged %" PRIu64 " (of which consumed %" PRIu64
                ", missing %" PRIu64 ")\n",
                a->sent - a->acked, a->unacked_consumed, a->unacked_missing);
        if (!res->drained)
            fprintf(out, "  NOT DRAINED: lost counts what had not arrived when the run stopped\n");
        else if (res->drain_s >= 0)
            fprintf(out, "  drained            %.1f s after the last delivery report\n",
                    res->drain_s);
    } else {
        fprintf(out, "  no consumer ran: delivery not audited\n");
    }
    if (audit && st->audit_valid) {
        fprintf(out, "  per producer thread: sent acked failed received unique lost gaps "
                     "log-dup redelivered out-of-order\n");
        for (int t = 0; t < st->nproducers; t++) {
            const ks_audit_counts *c = &st->audit_thread[t];
            fprintf(out,
                    "    %3d %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
                    " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 "\n",
                    t, c->sent, c->acked, c->failed, c->received, c->unique, c->lost, c->gaps,
                    c->log_duplicates, c->redelivered, c->out_of_order);
            if (c->lost && res->audit) {
                uint64_t r[10][2];
                uint64_t n = audit_lost_ranges(res->audit, t, r, 10);
                fprintf(out, "        lost:");
                for (uint64_t i = 0; i < n && i < 10; i++)
                    fprintf(out, " %" PRIu64 "-%" PRIu64, r[i][0], r[i][1]);
                fprintf(out, n > 10 ? " ...\n" : "\n");
            }
        }
    }
    int errs = 0;
    for (int e = 0; e < LOAD_ERR__COUNT; e++)
        if (st->errors[e]) {
            fprintf(out, errs++ ? "   %s %" PRIu64 : "  errors             %s %" PRIu64,
                    load_err_name(e), st->errors[e]);
        }
    if (errs)
        fputc('\n', out);
}

void load_report_progress(const ks_load_stats *st, char *buf, size_t size)
{
    snprintf(buf, size,
             "%s  produced %" PRIu64 " (%.0f/s)  acked %" PRIu64 "  failed %" PRIu64
             "  consumed %" PRIu64 " (%.0f/s)  members %d  rebalances %d%s",
             load_state_name(st->state), st->produced, st->produce_rate, st->acked, st->failed,
             st->consumed, st->consume_rate, st->nalive, st->rebalances,
             st->drained ? "  drained" : "");
}
