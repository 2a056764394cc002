/* clock: wall-clock and monotonic milliseconds. Any thread. */
#ifndef KS_CLOCK_H
#define KS_CLOCK_H

#include <stdint.h>

int64_t clock_wall_ms(void);  /* ms since the epoch, for display and timestamps */
int64_t clock_mono_ms(void);  /* monotonic ms, for intervals and timeouts */
int64_t clock_mono_us(void);
void clock_sleep_ms(int64_t ms);
/* Formats wall ms as local "HH:MM:SS" (or with date when long) into buf. */
const char *clock_format(int64_t wall_ms, char *buf, int size, int with_date);

#endif
