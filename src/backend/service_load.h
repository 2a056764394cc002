/* service_load: the engine service that runs load tests (KS_CMD_LOAD_*).
 *
 * DESIGN: the service executes the load commands on the engine's control
 * thread (or on the thread of `ksight load`, which calls the ops directly).
 * A run is: the topic (created if missing, with the spec's partitions and
 * replication), the Avro schema (registered under <topic>-value when the
 * format is avro), producer threads (worker_produce), a consumer group
 * (worker_consume) and a monitor thread that ticks the shared ks_load about
 * once a second, wakes the UI, and decides when the run has drained:
 *   drained = every producer thread has finished (all sent and every
 *   delivery report in), and for every partition the group's consumed
 *   position has reached the high watermark read after that (the
 *   "targets"), and no message of this run (by its audit header) was
 *   consumed for spec.quiet_ms.
 * A run without any consumer is drained as soon as its producers finish.
 * Drained is recomputed at every check (a consumer added later makes the
 * run undrained until it catches up). The service never stops a run by
 * itself; `ksight load` (spec.stop_when_drained) or the user does.
 * Every start action writes to the cluster: with load_read_only() set the
 * service refuses KS_CMD_LOAD_START and the consumer additions, and says
 * why in the load's error field.
 *
 * Commands (cmd->i, cmd->s):
 *   KS_CMD_LOAD_START            s = spec, "key=value;..." (load_spec_parse)
 *   KS_CMD_LOAD_STOP             stop producers (flush, then purge), close
 *                                the members cleanly, final tick
 *   KS_CMD_LOAD_CONSUMER_ADD     i = how many (<= 0: one)
 *   KS_CMD_LOAD_CONSUMER_REMOVE  i = member number, -1 the newest live one
 *   KS_CMD_LOAD_CONSUMER_KILL    i = member number, -1 the newest live one
 *   KS_CMD_LOAD_RATE             i = pause between sends, ms
 *   KS_CMD_LOAD_CONSUMERS        i = live member count wanted (adds or
 *                                removes the newest, cleanly)
 *   KS_CMD_LOAD_PRODUCERS_STOP   stop the producers only; the group drains */
#ifndef KS_SERVICE_LOAD_H
#define KS_SERVICE_LOAD_H

#include "engine.h"
#include "load.h"

typedef struct ks_load_service ks_load_service;

/* The service's `shared` object. load is borrowed and must outlive it. */
ks_load_service *service_load_new(ks_load *load);
/* After engine_stop() (which stops the run through ops->stop). NULL is fine. */
void service_load_free(ks_load_service *svc);

/* first = KS_CMD_LOAD_START, last = KS_CMD_LOAD_PRODUCERS_STOP; shared is a
 * ks_load_service *. The store may be NULL (headless: nothing to wake). */
extern const ks_service_ops service_load_ops;

#endif
