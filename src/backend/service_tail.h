/* service_tail: the engine service for the tail view and the schema view.
 *
 * DESIGN: runs on the engine's control thread (ks_service_ops). It owns the
 * tail worker thread (one tail at a time), the per-topic format overrides
 * and a CURL handle of the control thread for schema fetches. What the UI
 * reads lives in the two shared objects main creates and hands to both
 * sides: a ks_tail (rows, counters, state) and a ks_schema_view.
 *
 * Commands (cmdq.h):
 *   KS_CMD_TAIL_START   s = topic, s2 = options (tail_spec.h), e.g.
 *                       "from=-15m;partitions=0,2;value=avro;rows=20000".
 *                       Stops the running tail, clears the ring, starts
 *                       anew. key=/value= formats are remembered for the
 *                       topic and reused by later starts that give none.
 *   KS_CMD_TAIL_STOP    stops the worker; rows stay for reading and export.
 *   KS_CMD_TAIL_PAUSE   i = 1 pause, 0 resume (the consumer pauses too).
 *   KS_CMD_TAIL_EXPORT  s = path; i = 1: only rows matching the filter.
 *                       The result is stats.notice and a log line.
 *   KS_CMD_SCHEMA_FETCH s = subject, i = version (0 = latest), s2 = a second
 *                       version ("3" or "latest") to diff against, or NULL.
 * The filter is not a command: the UI calls tail_set_filter() directly. */
#ifndef KS_SERVICE_TAIL_H
#define KS_SERVICE_TAIL_H

#include "engine.h"
#include "schema_view.h"
#include "tail.h"

typedef struct ks_tail_service ks_tail_service;

/* tail and schemas are borrowed until service_tail_free(). */
ks_tail_service *service_tail_new(ks_tail *tail, ks_schema_view *schemas);
/* After engine_stop() (which has stopped the worker). NULL is fine. */
void service_tail_free(ks_tail_service *svc);

/* The ops to register with engine_start(): {&service_tail_ops, svc}. */
extern const ks_service_ops service_tail_ops;

#endif
