/* log: ksight's own messages and librdkafka's, to the timeline and a log file.
 *
 * DESIGN: while curses owns the terminal nothing may reach stdout/stderr, so
 * the log has sinks set once by main before any thread starts: the timeline
 * (shown in the UI), an optional file (--log FILE), and stderr only in the
 * headless modes. log_printf() is callable from any thread. */
#ifndef KS_LOG_H
#define KS_LOG_H

#include <stdbool.h>

#include "timeline.h"

/* @locality main thread, before other threads. Any argument may be NULL/false. */
void log_init(ks_timeline *tl, const char *path, bool to_stderr, ks_severity min_stderr);
void log_set_stderr(bool to_stderr); /* the UI turns stderr off while curses runs */
void log_close(void);

void log_printf(ks_severity severity, const char *subject, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
