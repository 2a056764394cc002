/* snapshot_json: the snapshot as the JSON document `ksight snapshot --json`
 * prints (keys fixed by the issue; unknown values are null, never 0). */
#ifndef KS_SNAPSHOT_JSON_H
#define KS_SNAPSHOT_JSON_H

#include <jansson.h>

#include "model.h"

json_t *snapshot_to_json(const ks_snapshot *snap); /* new reference */

#endif
