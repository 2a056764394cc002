/* tail_schemas: the tail worker's cache of registry schemas by id.
 *
 * DESIGN: owned by one thread (the tail worker, or `ksight tail`'s main
 * thread), which also owns the CURL handle it creates on first use. A miss
 * fetches GET /schemas/ids/{id} synchronously (the registry limits: 1 s to
 * connect, 3 s in all), parses it once with dec_avro_schema_new(), and keeps
 * the result; GET /schemas/ids/{id}/versions adds the subject when the
 * registry has it. Failures are cached too, so a missing id or a dead
 * registry costs one request, not one per message:
 *   id not found (404)               retried after 60 s
 *   registry unreachable / 5xx       every id answers at once with the same
 *                                    reason for 5 s, then one new attempt
 *   not Avro, or a schema avro-c     permanent (ids are immutable)
 *     cannot use
 * A topic of garbage that merely starts with 0x00 could name millions of ids:
 * at most 20 fetches per second are made, and at most 4,096 ids are kept
 * (failures are evicted first). */
#ifndef KS_TAIL_SCHEMAS_H
#define KS_TAIL_SCHEMAS_H

#include <stddef.h>
#include <stdint.h>

#include "dec_avro.h"

typedef struct ks_tail_schemas ks_tail_schemas;

/* registry_url NULL: no registry (every framed value says so). Copied. */
ks_tail_schemas *tail_schemas_new(const char *registry_url);
void tail_schemas_free(ks_tail_schemas *schemas); /* on the owner thread */

/* A dec_schema_lookup_fn (ctx is the cache): the schema for id, borrowed
 * until the cache is freed, or NULL with the reason in errstr. */
const dec_avro_schema *tail_schemas_lookup(uint32_t id, void *ctx, char *errstr,
                                           size_t errstr_size);

/* The subject of a cached id, or NULL. Borrowed until the cache is freed. */
const char *tail_schemas_subject(ks_tail_schemas *schemas, uint32_t id);

/* Requests made so far (tests, stats). */
unsigned long tail_schemas_fetches(const ks_tail_schemas *schemas);

#endif
