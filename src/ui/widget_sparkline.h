/* widget_sparkline: a short history of one number and its rendering as block characters. */
#ifndef KS_WIDGET_SPARKLINE_H
#define KS_WIDGET_SPARKLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SPARK_SAMPLES 64

/* A ring of samples; an unknown sample is a gap, not a zero. */
typedef struct ks_spark {
    int64_t v[SPARK_SAMPLES];
    bool valid[SPARK_SAMPLES];
    int n;    /* samples held, <= SPARK_SAMPLES */
    int head; /* next slot to write */
} ks_spark;

void sparkline_push(ks_spark *spark, bool valid, int64_t v);

/* The newest `width` samples, oldest left, scaled 0..max onto 8 levels (a
 * non-zero value never draws as the lowest level); gaps are spaces. UTF-8
 * blocks or an ASCII ramp. Returns buf, always NUL-terminated. */
char *sparkline_render(const ks_spark *spark, int width, bool utf8, char *buf, size_t size);

/* +1 if the last k valid samples strictly rise, -1 if they strictly fall, else 0. */
int sparkline_trend(const ks_spark *spark, int k);

#endif
