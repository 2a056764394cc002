/* cli_load: `ksight load`, the headless load test (same service and workers
 * as the dashboard's load view). */
#ifndef KS_CLI_LOAD_H
#define KS_CLI_LOAD_H

#include <stdbool.h>

#include "engine.h"

/* argv[0] is "load". read_only: the global --read-only (refuses the run).
 * Returns the exit status: 0 done and drained (and, with --audit, nothing
 * lost); 1 the run failed or did not drain; 2 usage or refused; 3 --audit
 * found lost messages (or, with --idempotent, log duplicates or disorder). */
int cli_load(const ks_target *target, bool read_only, int argc, char **argv);

#endif
