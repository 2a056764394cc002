/* registry_register: POST a schema under a subject of a Confluent-compatible
 * registry (the workbook's client.register(subject, schema), Atelier 4).
 *
 * DESIGN: one request on its own CURL handle (made with registry_http_new(),
 * so the same limits apply: connect 1 s, whole request 3 s, body capped),
 * created and cleaned up inside the call, so it never disturbs a handle a
 * poller keeps. Registering a schema the subject already has returns the
 * existing id, so a load run may register at every start. */
#ifndef KS_REGISTRY_REGISTER_H
#define KS_REGISTRY_REGISTER_H

#include <stddef.h>

/* @locality any thread that may block for up to 3 s (the load service's
 * control thread). POST {base_url}/subjects/{subject}/versions with
 * {"schema": schema_json}. Returns 0 with *id_out, or -1 with errstr, e.g.
 * "registering position-value: HTTP 409: Schema being registered is
 * incompatible with an earlier schema (409)". */
int registry_register_schema(const char *base_url, const char *subject, const char *schema_json,
                             int *id_out, char *errstr, size_t errstr_size);

#endif
