/* log: fan one message out to the timeline, a file and (headless) stderr.
 *
 * DESIGN: the sinks are set before threads start; `file` writes are
 * serialised by stdio's own FILE lock; `to_stderr` is atomic because the UI
 * toggles it around curses. */
#include "log.h"
#include "clock.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>

static ks_timeline *log_tl;
static FILE *log_file;
static atomic_bool log_stderr;
static ks_severity log_min_stderr;

void log_init(ks_timeline *tl, const char *path, bool to_stderr, ks_severity min_stderr)
{
    log_tl = tl;
    log_file = path ? fopen(path, "a") : NULL;
    if (log_file)
        setvbuf(log_file, NULL, _IOLBF, 0);
    atomic_store(&log_stderr, to_stderr);
    log_min_stderr = min_stderr;
}

void log_set_stderr(bool to_stderr)
{
    atomic_store(&log_stderr, to_stderr);
}

void log_close(void)
{
    if (log_file)
        fclose(log_file);
    log_file = NULL;
    log_tl = NULL;
}

void log_printf(ks_severity severity, const char *subject, const char *fmt, ...)
{
    static const char *const sev[] = {"info", "warn", "error"};
    char msg[512], when[32];
    va_list ap;
    int64_t now = clock_wall_ms();

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (log_tl)
        timeline_push(log_tl, now, KS_EV_LOG, severity, subject, "%s", msg);
    if (log_file)
        fprintf(log_file, "%s.%03d %-5s %s: %s\n", clock_format(now, when, sizeof(when), 1),
                (int)(now % 1000), sev[severity], subject ? subject : "ksight", msg);
    if (atomic_load(&log_stderr) && severity >= log_min_stderr)
        fprintf(stderr, "ksight: %s%s%s\n", subject ? subject : "", subject ? ": " : "", msg);
}
