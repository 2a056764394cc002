/* courier: the workbook's payload, a courier and its position on a random
 * walk, encoded as JSON (Atelier 2) or as Avro in the Confluent wire format
 * (Atelier 4: magic byte 0, 4-byte big-endian schema id, Avro binary).
 *
 * DESIGN: pure functions and one small state struct per producer thread; no
 * I/O, no globals, no allocation. The random walk uses a per-thread xorshift
 * generator so threads never share state. */
#ifndef KS_COURIER_H
#define KS_COURIER_H

#include <stddef.h>
#include <stdint.h>

/* The schema registered under <topic>-value for the Avro format. */
extern const char courier_avro_schema[];

#define COURIER_MAX_PER_THREAD 1024
#define COURIER_JSON_MAX 128 /* bytes a JSON payload needs at most */
#define COURIER_AVRO_MAX 32  /* bytes an Avro payload (with framing) needs at most */

typedef struct ks_courier_pos {
    double latitude, longitude;
} ks_courier_pos;

typedef struct ks_courier_walk {
    uint64_t rng;
    int first_id, count; /* couriers first_id .. first_id + count - 1 */
    ks_courier_pos pos[COURIER_MAX_PER_THREAD];
} ks_courier_walk;

/* Couriers [first_id, first_id + count) start near Paris; seed != 0. */
void courier_walk_init(ks_courier_walk *walk, int first_id, int count, uint64_t seed);

/* The courier of message seq and its next position (one step of the walk). */
int courier_walk_next(ks_courier_walk *walk, uint64_t seq, ks_courier_pos *pos);

/* {"id":17,"position":{"latitude":48.8566,"longitude":2.3522}}
 * Returns the length written (without NUL), or -1 if size is too small. */
int courier_json(char *buf, size_t size, int id, const ks_courier_pos *pos);

/* Confluent framing + Avro binary of Courier{id:int, position:Position{
 * latitude:double, longitude:double}}. Returns the length, -1 if too small. */
int courier_avro(uint8_t *buf, size_t size, uint32_t schema_id, int id, const ks_courier_pos *pos);

/* The key: the courier id in decimal (the workbook's String key). Returns
 * the length, -1 if too small. */
int courier_key(char *buf, size_t size, int id);

/* Writes v in decimal at buf (room for 20 digits, no NUL); returns the length. */
int courier_u64(char *buf, uint64_t v);

/* Parses a key written by courier_key; -1 if it is not one. */
int courier_key_parse(const void *key, size_t len);

#endif
