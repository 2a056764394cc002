/* load_report: what `ksight load` prints at the end of a run: the text
 * summary, the --json object (fixed keys) and the --report document (every
 * detail: per-thread audit, lost ranges, members, rebalance timeline).
 * Pure functions over copies taken from the ks_load; any thread. */
#ifndef KS_LOAD_REPORT_H
#define KS_LOAD_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "load.h"

typedef struct ks_load_result {
    const ks_load_stats *st;
    const ks_load_rebalance *reb; /* oldest first */
    int nreb;
    ks_audit *audit; /* for lost ranges; may be NULL */
    bool drained;    /* the run ended drained */
    double drain_s;  /* producers done -> drained, < 0 unknown */
} ks_load_result;

/* The --json object, keys exactly: produced, acked, failed, consumed,
 * unique, lost, log_duplicates, redelivered, out_of_order, rebalances,
 * produce_rate, produce_latency_ms{p50,p99}, e2e_latency_ms{p50,p99}.
 * Unknown values (no consumer ran, no latency sample) are null. */
json_t *load_report_json(const ks_load_result *res);

/* The --report document: the above under "summary", and everything else. */
json_t *load_report_full(const ks_load_result *res);

/* The text summary; with audit, the per-thread table and lost ranges too. */
void load_report_text(const ks_load_result *res, bool audit, FILE *out);

/* One progress line (no newline) for a terminal. */
void load_report_progress(const ks_load_stats *st, char *buf, size_t size);

#endif
