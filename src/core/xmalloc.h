/* xmalloc: allocation that never returns NULL; out-of-memory aborts the process.
 *
 * DESIGN: out-of-memory is a programming/resource error (tier 1 of the style
 * guide): there is no sensible recovery in a dashboard, so we restore the
 * terminal through the registered fatal hook and abort. Thread-safe. */
#ifndef KS_XMALLOC_H
#define KS_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);                 /* NULL in, NULL out */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Called once before abort() on a fatal error (the UI restores the terminal).
 * Set at start-up from the main thread before other threads exist. */
void xmalloc_set_fatal_hook(void (*hook)(void));
_Noreturn void ks_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
