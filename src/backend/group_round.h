/* group_round: one complete poll of the consumer groups, in this process. */
#ifndef KS_GROUP_ROUND_H
#define KS_GROUP_ROUND_H

#include "kafka_conf.h"
#include "model.h"

/* Creates a handle, lists, describes and fetches the offsets and lag of every
 * group, destroys the handle. Returns a new part (caller owns); errors are in
 * the part. @locality any thread; blocks up to about 2 x cfg->timeout_ms. */
ks_groups *group_round_run(const ks_kafka_poller_cfg *cfg);

#endif
