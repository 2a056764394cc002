/* clock: thin wrappers over clock_gettime so the rest never mixes clocks. */
#define _POSIX_C_SOURCE 200809L
#include "clock.h"

#include <stdio.h>
#include <time.h>

static int64_t ts_ms(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_wall_ms(void)
{
    return ts_ms(CLOCK_REALTIME);
}

int64_t clock_mono_ms(void)
{
    return ts_ms(CLOCK_MONOTONIC);
}

int64_t clock_mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void clock_sleep_ms(int64_t ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

const char *clock_format(int64_t wall_ms, char *buf, int size, int with_date)
{
    time_t t = (time_t)(wall_ms / 1000);
    struct tm tm;

    localtime_r(&t, &tm);
    if (!strftime(buf, (size_t)size, with_date ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &tm))
        snprintf(buf, (size_t)size, "?");
    return buf;
}
