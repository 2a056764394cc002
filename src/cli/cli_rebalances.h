/* cli_rebalances: `ksight rebalances`, the headless rebalance timeline: the
 * groups poller alone, feeding a group history, one record per line as each
 * rebalance ends. */
#ifndef KS_CLI_REBALANCES_H
#define KS_CLI_REBALANCES_H

#include "engine.h"

/* argv[0] is "rebalances". Returns the process exit status: 0 at --count,
 * --duration or a closed stdout; 1 when the cluster does not answer the
 * first group poll or stdout fails (one line on stderr); 2 on bad arguments;
 * 130/143 on SIGINT/SIGTERM.
 * @locality main thread; installs SIGINT/SIGTERM handlers and ignores SIGPIPE. */
int cli_rebalances(const ks_target *target, int argc, char **argv);

#endif
