/* poller_groups: consumer groups with members, assignments, committed offsets
 * and lag, published as the snapshot's groups part. Each round runs in a
 * worker process (this binary with --groups-worker): see poller_groups.c. */
#ifndef KS_POLLER_GROUPS_H
#define KS_POLLER_GROUPS_H

#include "poller.h"

/* cfg: a const ks_kafka_poller_cfg * (kafka_conf.h), borrowed for the poller's life. */
extern const ks_poller_ops poller_groups_ops;

/* The binary to run as the worker (default /proc/self/exe). Set before any
 * poller starts. */
void poller_groups_set_worker(const char *path);

/* main() of `ksight --groups-worker`: configuration JSON on stdin, the groups
 * part as JSON on stdout. Returns the exit status. */
int groups_worker_main(void);

#endif
