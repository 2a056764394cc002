/* groups_wire: a ks_groups part as JSON and back, to carry the group poll
 * from the worker process to the dashboard (see poller_groups.c).
 * Pure functions; any thread. */
#ifndef KS_GROUPS_WIRE_H
#define KS_GROUPS_WIRE_H

#include <jansson.h>

#include "model.h"

/* Every field of the part, validity flags included. New reference. */
json_t *groups_wire_encode(const ks_groups *groups);
/* A new part (refcount 1, caller owns) from groups_wire_encode()'s output;
 * NULL with errstr when the document does not have that shape. */
ks_groups *groups_wire_decode(const json_t *doc, char *errstr, size_t errstr_size);

#endif
