/* widget_sparkline: pure ring of samples -> "▁▂▃▅█" text (tested in test_layout.c). */
#include "widget_sparkline.h"

#include <string.h>

void sparkline_push(ks_spark *spark, bool valid, int64_t v)
{
    spark->v[spark->head] = valid ? v : 0;
    spark->valid[spark->head] = valid;
    spark->head = (spark->head + 1) % SPARK_SAMPLES;
    if (spark->n < SPARK_SAMPLES)
        spark->n++;
}

/* i-th newest-but-(n-1-i) sample: index 0 is the oldest of the last n. */
static int slot(const ks_spark *spark, int count, int i)
{
    return (spark->head - count + i + 2 * SPARK_SAMPLES) % SPARK_SAMPLES;
}

char *sparkline_render(const ks_spark *spark, int width, bool utf8, char *buf, size_t size)
{
    static const char *const blocks[8] = {"\u2581", "\u2582", "\u2583", "\u2584",
                                          "\u2585", "\u2586", "\u2587", "\u2588"};
    static const char ramp[8] = {'_', '.', ',', ':', '-', '=', '+', '#'};
    int count = spark->n < width ? spark->n : width;
    int64_t max = 0;
    size_t len = 0;

    if (size == 0)
        return buf;
    buf[0] = '\0';
    for (int i = 0; i < count; i++) {
        int s = slot(spark, count, i);
        if (spark->valid[s] && spark->v[s] > max)
            max = spark->v[s];
    }
    for (int i = 0; i < count; i++) {
        int s = slot(spark, count, i), level = 0;
        const char *cell;
        char one[2] = {0, 0};
        if (spark->valid[s] && spark->v[s] > 0 && max > 0) {
            level = (int)((spark->v[s] * 7 + max - 1) / max);
            level = level < 1 ? 1 : level > 7 ? 7 : level;
        }
        if (!spark->valid[s])
            cell = " ";
        else if (utf8)
            cell = blocks[level];
        else {
            one[0] = ramp[level];
            cell = one;
        }
        if (len + strlen(cell) + 1 > size)
            break;
        memcpy(buf + len, cell, strlen(cell));
        len += strlen(cell);
    }
    buf[len] = '\0';
    return buf;
}

int sparkline_trend(const ks_spark *spark, int k)
{
    int rising = 0, falling = 0, seen = 0;
    int64_t prev = 0;

    for (int i = 0; i < spark->n && seen < k; i++) {
        int s = (spark->head - 1 - i + SPARK_SAMPLES) % SPARK_SAMPLES;
        if (!spark->valid[s])
            continue;
        if (seen > 0) {
            rising += spark->v[s] < prev;
            falling += spark->v[s] > prev;
        }
        prev = spark->v[s];
        seen++;
    }
    if (seen < k || k < 2)
        return 0;
    return rising == k - 1 ? 1 : falling == k - 1 ? -1 : 0;
}
