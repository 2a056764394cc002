/* poller_cluster: brokers, controller, cluster id, topics, partitions and
 * watermarks, published as the snapshot's cluster part. */
#ifndef KS_POLLER_CLUSTER_H
#define KS_POLLER_CLUSTER_H

#include "poller.h"

/* cfg: a const ks_kafka_poller_cfg * (kafka_conf.h), borrowed for the poller's life. */
extern const ks_poller_ops poller_cluster_ops;

#endif
