/* cli_tail: `ksight tail TOPIC`, the headless tail: same consumer, decoders
 * and JSON Lines record as the tail view and its export. */
#ifndef KS_CLI_TAIL_H
#define KS_CLI_TAIL_H

#include "engine.h"

/* argv[0] is "tail". Returns the process exit status: 0 at --count,
 * --until-end or a closed stdout; 1 when the cluster, the topic or stdout
 * fails (one line on stderr); 2 on bad arguments; 130/143 on SIGINT/SIGTERM.
 * @locality main thread; installs SIGINT/SIGTERM handlers and ignores SIGPIPE. */
int cli_tail(const ks_target *target, int argc, char **argv);

#endif
