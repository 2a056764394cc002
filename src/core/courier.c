/* courier: random-walk positions and their JSON and Avro encodings. */
#include "courier.h"

#include <stdbool.h>
#include <string.h>

const char courier_avro_schema[] =
    "{\"type\":\"record\",\"name\":\"Courier\",\"namespace\":\"org.formation.model\","
    "\"fields\":[{\"name\":\"id\",\"type\":\"int\"},"
    "{\"name\":\"position\",\"type\":{\"type\":\"record\",\"name\":\"Position\","
    "\"fields\":[{\"name\":\"latitude\",\"type\":\"double\"},"
    "{\"name\":\"longitude\",\"type\":\"double\"}]}}]}";

static uint64_t xorshift(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

/* uniform in [-1, 1) */
static double unit(uint64_t *s)
{
    return (double)(xorshift(s) >> 11) / (double)(1ULL << 52) - 1.0;
}

void courier_walk_init(ks_courier_walk *w, int first_id, int count, uint64_t seed)
{
    if (count < 1)
        count = 1;
    if (count > COURIER_MAX_PER_THREAD)
        count = COURIER_MAX_PER_THREAD;
    w->rng = seed ? seed : 0x9e3779b97f4a7c15ULL;
    w->first_id = first_id;
    w->count = count;
    for (int i = 0; i < count; i++) {
        w->pos[i].latitude = 48.8566 + 0.05 * unit(&w->rng);
        w->pos[i].longitude = 2.3522 + 0.05 * unit(&w->rng);
    }
}

int courier_walk_next(ks_courier_walk *w, uint64_t seq, ks_courier_pos *pos)
{
    int i = (int)(seq % (uint64_t)w->count);
    w->pos[i].latitude += 0.0005 * unit(&w->rng);
    w->pos[i].longitude += 0.0005 * unit(&w->rng);
    *pos = w->pos[i];
    return w->first_id + i;
}

/* Decimal digits of v at p; returns the length. */
static int put_u64(char *p, uint64_t v)
{
    char tmp[20];
    int n = 0, len;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    len = n;
    while (n)
        *p++ = tmp[--n];
    return len;
}

static const char digit_pairs[] = "00010203040506070809101112131415161718192021222324"
                                  "25262728293031323334353637383940414243444546474849"
                                  "50515253545556575859606162636465666768697071727374"
                                  "75767778798081828384858687888990919293949596979899";

/* Two digits of v (0..99) at p. */
static void put_pair(char *p, unsigned v)
{
    p[0] = digit_pairs[2 * v];
    p[1] = digit_pairs[2 * v + 1];
}

/* v with exactly 6 decimals (rounded), as printf's %.6f prints the
 * coordinates of a courier; printf itself costs more than the rest of a
 * message, and so would six divisions by a variable. */
static int put_fixed6(char *p, double v)
{
    char *start = p;
    bool neg = v < 0;
    uint64_t units = (uint64_t)((neg ? -v : v) * 1e6 + 0.5);
    unsigned frac = (unsigned)(units % 1000000);

    if (neg && units)
        *p++ = '-';
    p += put_u64(p, units / 1000000);
    *p++ = '.';
    put_pair(p, frac / 10000);
    put_pair(p + 2, frac / 100 % 100);
    put_pair(p + 4, frac % 100);
    return (int)(p + 6 - start);
}

int courier_json(char *buf, size_t size, int id, const ks_courier_pos *pos)
{
    static const char a[] = "{\"id\":", b[] = ",\"position\":{\"latitude\":",
                      c[] = ",\"longitude\":", d[] = "}}";
    char tmp[COURIER_JSON_MAX], *p = tmp;

    /* no NaN or huge coordinates here: the walk stays near Paris */
    if (!(pos->latitude > -1e9 && pos->latitude < 1e9 && pos->longitude > -1e9 &&
          pos->longitude < 1e9))
        return -1;
    memcpy(p, a, sizeof(a) - 1), p += sizeof(a) - 1;
    if (id < 0)
        *p++ = '-';
    p += put_u64(p, id < 0 ? (uint64_t)(-(int64_t)id) : (uint64_t)id);
    memcpy(p, b, sizeof(b) - 1), p += sizeof(b) - 1;
    p += put_fixed6(p, pos->latitude);
    memcpy(p, c, sizeof(c) - 1), p += sizeof(c) - 1;
    p += put_fixed6(p, pos->longitude);
    memcpy(p, d, sizeof(d) - 1), p += sizeof(d) - 1;
    size_t n = (size_t)(p - tmp);
    if (n >= size)
        return -1;
    memcpy(buf, tmp, n);
    buf[n] = '\0';
    return (int)n;
}

int courier_u64(char *buf, uint64_t v)
{
    return put_u64(buf, v);
}

static size_t put_double_le(uint8_t *p, double d)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof(bits));
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(bits >> (8 * i));
    return 8;
}

int courier_avro(uint8_t *buf, size_t size, uint32_t schema_id, int id, const ks_courier_pos *pos)
{
    uint8_t tmp[COURIER_AVRO_MAX];
    size_t n = 0;
    uint32_t zz = ((uint32_t)id << 1) ^ (uint32_t)(id >> 31); /* zigzag int */

    tmp[n++] = 0; /* Confluent magic byte */
    tmp[n++] = (uint8_t)(schema_id >> 24);
    tmp[n++] = (uint8_t)(schema_id >> 16);
    tmp[n++] = (uint8_t)(schema_id >> 8);
    tmp[n++] = (uint8_t)schema_id;
    do {
        uint8_t b = zz & 0x7f;
        zz >>= 7;
        tmp[n++] = zz ? (uint8_t)(b | 0x80) : b;
    } while (zz);
    n += put_double_le(tmp + n, pos->latitude);
    n += put_double_le(tmp + n, pos->longitude);
    if (n > size)
        return -1;
    memcpy(buf, tmp, n);
    return (int)n;
}

int courier_key(char *buf, size_t size, int id)
{
    char tmp[12];
    int n = 0;
    if (id < 0)
        tmp[n++] = '-';
    n += put_u64(tmp + n, id < 0 ? (uint64_t)(-(int64_t)id) : (uint64_t)id);
    if ((size_t)n >= size)
        return -1;
    memcpy(buf, tmp, (size_t)n);
    buf[n] = '\0';
    return n;
}

int courier_key_parse(const void *key, size_t len)
{
    const char *k = key;
    int v = 0;

    if (!k || len == 0 || len > 9)
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (k[i] < '0' || k[i] > '9')
            return -1;
        v = v * 10 + (k[i] - '0');
    }
    return v;
}
