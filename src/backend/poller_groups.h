/* poller_groups: consumer groups with members, assignments, committed offsets
 * and lag, published as the snapshot's groups part. */
#ifndef KS_POLLER_GROUPS_H
#define KS_POLLER_GROUPS_H

#include "poller.h"

/* cfg: a const ks_kafka_poller_cfg * (kafka_conf.h), borrowed for the poller's life. */
extern const ks_poller_ops poller_groups_ops;

#endif
