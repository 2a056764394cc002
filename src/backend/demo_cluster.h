/* demo_cluster: `ksight --demo`, the workbook's position topic on
 * librdkafka's in-process mock cluster, with a Courier producer and a
 * consumer group of three members, so every view has live data with no
 * Java and no network. */
#ifndef KS_DEMO_CLUSTER_H
#define KS_DEMO_CLUSTER_H

#include <stddef.h>

#include "store.h"

typedef struct ks_demo ks_demo;

/* Starts the mock cluster (3 brokers), creates "position" (3 partitions,
 * replication 3), starts the producer and the group. The mock cannot list
 * or describe groups, so the demo publishes the group part itself, from what
 * its members know. NULL with errstr on failure. */
ks_demo *demo_start(ks_store *store, char *errstr, size_t errstr_size);
const char *demo_bootstrap(const ks_demo *demo); /* borrowed, valid until demo_stop */
void demo_stop(ks_demo *demo);                    /* joins every thread; NULL is fine */

#endif
