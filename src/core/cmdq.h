/* cmdq: commands from the UI thread to the backend engine.
 *
 * DESIGN: the UI never calls the network and never links librdkafka, so a
 * user action becomes a ks_cmd pushed here; the engine's control thread pops
 * it and does the work; results come back as snapshot data, timeline events
 * or tail/load state, followed by a store wake-up. Push never blocks. */
#ifndef KS_CMDQ_H
#define KS_CMDQ_H

#include <stdbool.h>
#include <stdint.h>

typedef enum ks_cmd_kind {
    KS_CMD_NONE = 0,
    KS_CMD_SET_INTERVAL,   /* i = poll interval in ms */
    KS_CMD_REFRESH,        /* poll every source now */
    KS_CMD_SWITCH_PROFILE, /* s = profile name */
    /* tail service (worker_tail): s = topic, s2 = options "key=value;..." */
    KS_CMD_TAIL_START,
    KS_CMD_TAIL_STOP,
    KS_CMD_TAIL_PAUSE,     /* i = 1 pause, 0 resume */
    KS_CMD_TAIL_EXPORT,    /* s = path of a JSON Lines file */
    KS_CMD_SCHEMA_FETCH,   /* s = subject, i = version (0 = latest), s2 = second version for a diff */
    KS_CMD_TAIL_RESERVED1,
    KS_CMD_TAIL_RESERVED2,
    /* load service (worker_produce/consume/audit): s = spec "key=value;..." */
    KS_CMD_LOAD_START,
    KS_CMD_LOAD_STOP,
    KS_CMD_LOAD_CONSUMER_ADD,
    KS_CMD_LOAD_CONSUMER_REMOVE,
    KS_CMD_LOAD_CONSUMER_KILL,
    KS_CMD_LOAD_RATE,      /* i = pause between sends in ms */
    KS_CMD_LOAD_CONSUMERS,       /* i = live member count wanted */
    KS_CMD_LOAD_PRODUCERS_STOP,  /* the group drains */
    KS_CMD_QUIT,
} ks_cmd_kind;

typedef struct ks_cmd {
    ks_cmd_kind kind;
    int64_t i;
    char *s;   /* owned by the command; freed by cmd_free() */
    char *s2;
} ks_cmd;

typedef struct ks_cmdq ks_cmdq;

ks_cmdq *cmdq_new(void);
void cmdq_free(ks_cmdq *q);
/* @locality any thread. Copies the strings. */
void cmdq_push(ks_cmdq *q, ks_cmd_kind kind, int64_t i, const char *s, const char *s2);
/* @locality consumer thread. Waits up to timeout_ms (-1 forever); false on timeout. */
bool cmdq_pop(ks_cmdq *q, ks_cmd *out, int timeout_ms);
void cmd_free(ks_cmd *cmd);

#endif
