/* zk_4lw: parsing of ZooKeeper four-letter-word replies (srvr).
 *
 * DESIGN: pure functions over the bytes a server sent before closing the
 * connection: no I/O, no allocation, no globals, no locale (ZooKeeper prints
 * numbers the Java way whatever the dashboard's LC_NUMERIC is). Input may be
 * truncated, binary or hostile; every field carries its own validity. */
#ifndef KS_ZK_4LW_H
#define KS_ZK_4LW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* The exact texts ZooKeeper 3.5+ prints instead of the statistics. */
#define ZK_4LW_NOT_SERVING "This ZooKeeper instance is not currently serving requests"
#define ZK_4LW_NOT_WHITELISTED " is not executed because it is not in the whitelist."

/* Everything `srvr` reports, field by field. */
typedef struct zk_4lw_srvr {
    ks_zk_mode mode;
    char version[96];   /* "3.8.0-5a02a05e...", text before ", built on"; "" if absent */
    bool read_only_line; /* "READ-ONLY mode; serving only read-only clients" seen */

    bool latency_valid;
    int64_t latency_min_ms, latency_max_ms;
    double latency_avg_ms; /* 3.6+ prints a double: "0.5", "2.0E-4" */

    bool received_valid, sent_valid, connections_valid, outstanding_valid;
    int64_t received, sent, outstanding;
    int connections;

    bool zxid_valid;
    int64_t zxid;

    bool node_count_valid;
    int64_t node_count;

    /* mode known and latency, connections, zxid and node count all parsed */
    bool stats_valid;
} zk_4lw_srvr;

/* Parses a srvr (or stat) reply of len bytes; buf need not be NUL-terminated.
 * Always fills *out and returns out->mode:
 *   LEADER..READ_ONLY  the Mode line was understood (the statistics may still be
 *                      partly missing if the reply was cut: see the _valid flags);
 *   KS_ZK_NOT_SERVING  "This ZooKeeper instance is not currently serving requests";
 *   KS_ZK_REFUSED      "srvr is not executed because it is not in the whitelist.";
 *   KS_ZK_UNKNOWN      empty, truncated before Mode, unknown mode, or not ZooKeeper.
 * For every mode but the serving ones, errstr receives a one-line reason
 * (printable ASCII only); otherwise it is set to "". errstr may be NULL. */
ks_zk_mode zk_4lw_parse_srvr(const char *buf, size_t len, zk_4lw_srvr *out, char *errstr,
                             size_t errstr_size);

/* "leader" -> KS_ZK_LEADER, ..., "read-only"; KS_ZK_UNKNOWN for anything else. */
ks_zk_mode zk_4lw_mode_from_name(const char *name, size_t len);

/* True for the modes in which a server answers clients as part of a quorum
 * (leader, follower, observer) or alone (standalone). */
bool zk_4lw_mode_serving(ks_zk_mode mode);

#endif
