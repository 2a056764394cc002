/* poller_zk: ZooKeeper ensemble roles and health through the `srvr` four-letter word.
 *
 * DESIGN: runs on a poller thread (poller.h). Each round asks every configured
 * server at once over non-blocking TCP, so a down or hung server costs at most
 * POLLER_ZK_TOTAL_MS and never delays the others; the replies are parsed by
 * zk_4lw.c and published as one ks_zk part (KS_PART_ZK).
 *
 * Quorum: the ensemble has a quorum iff at least one server answers srvr as
 * leader, follower, observer or standalone. ZooKeeper answers srvr with
 * statistics only while it serves clients, and a follower or observer serves
 * only while it is synced with a leader backed by a quorum; any other server
 * says "not currently serving requests" (or read-only). Counting followers
 * too keeps the verdict right when only some servers of the ensemble are
 * configured (a single follower in --zookeeper). quorum_valid is false when
 * no server could tell (all answering servers refused srvr or sent garbage). */
#ifndef KS_POLLER_ZK_H
#define KS_POLLER_ZK_H

#include "model.h"
#include "poller.h"

#define POLLER_ZK_CONNECT_MS 1000 /* TCP connect timeout per server */
#define POLLER_ZK_TOTAL_MS 1500   /* connect + send + reply per server (all in parallel) */
#define POLLER_ZK_REPLY_MAX 65536 /* srvr is ~300 bytes; stat with many clients more */

/* cfg: const char *, ZooKeeper connect string "host:port,host:port[/chroot]"
 * (port 2181 when omitted, "[v6addr]:port" for IPv6), borrowed until stop. */
extern const ks_poller_ops poller_zk_ops;

/* @locality any thread. Sets zk->quorum, zk->quorum_valid and zk->part.error
 * from the servers' modes (see DESIGN above). Pure; exposed for tests. */
void poller_zk_judge(ks_zk *zk);

#endif
