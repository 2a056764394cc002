/* cli_snapshot: `ksight snapshot [--json]`, poll every source once and print. */
#ifndef KS_CLI_SNAPSHOT_H
#define KS_CLI_SNAPSHOT_H

#include "engine.h"

/* Returns the process exit status: 0 when the cluster answered, 1 when not
 * (one line on stderr), 2 on bad arguments. argv[0] is "snapshot". */
int cli_snapshot(ks_target *target, int argc, char **argv);

#endif
