/* poller_registry: subjects, versions and compatibility of a schema registry.
 *
 * DESIGN: runs on a poller thread (poller.h) that owns one CURL * handle and
 * a cache of what it learnt about each subject. A round lists the subjects
 * (GET /subjects) and the global level (GET /config), then refreshes at most
 * POLLER_REGISTRY_REFRESH_MAX subjects, new and failed ones first, then the
 * least recently refreshed: GET /subjects/{s}/versions, GET /config/{s}, and
 * GET /subjects/{s}/versions/latest only when the newest version number
 * changed. With up to that many subjects every subject is fresh every round;
 * beyond, they are refreshed in rotation. The published part (KS_PART_REGISTRY)
 * is a full copy of the cache in its own arena.
 *
 * Meaning of the published fields: reachable is true when /subjects got an
 * HTTP answer; part.error says why the list is missing (transport failure,
 * HTTP error, bad JSON). A subject with nversions == 0 has not been fetched
 * yet (a real subject always has a version); latest_id -1 and type NULL are
 * unknown; compatibility NULL means it inherits the global level (the
 * registry answered 404/40401/40408 for /config/{s}). subject.error holds the
 * first failure of its last refresh; the subject keeps what was fetched.
 * Apicurio answers "NONE" rather than 404 for a subject without its own rule. */
#ifndef KS_POLLER_REGISTRY_H
#define KS_POLLER_REGISTRY_H

#include "poller.h"

#define POLLER_REGISTRY_REFRESH_MAX 32    /* subjects refreshed per round */
#define POLLER_REGISTRY_BUDGET_MS 5000    /* no new subject refresh after this */
#define POLLER_REGISTRY_MAX_FAILURES 2    /* consecutive transport failures end a round */

/* cfg: const char *, the registry's API root, e.g. "http://127.0.0.1:8081" for
 * Confluent or "http://127.0.0.1:8081/apis/ccompat/v7" for Apicurio; may hold
 * user:password@ (never shown). Borrowed until poller_stop(). */
extern const ks_poller_ops poller_registry_ops;

#endif
