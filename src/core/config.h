/* config: librdkafka properties (-X, -F) and named profiles from the config file.
 *
 * DESIGN: parsed once on the main thread before any other thread starts;
 * afterwards read-only, so threads may read it without locks. Secrets stay in
 * memory for librdkafka but every display path goes through props_display(). */
#ifndef KS_CONFIG_H
#define KS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

typedef struct ks_props {
    int n, cap;
    char **keys; /* owned */
    char **vals; /* owned */
} ks_props;

void props_free(ks_props *props);               /* frees contents, not the struct */
void props_copy(ks_props *dst, const ks_props *src); /* appends src to dst */
void props_set(ks_props *props, const char *key, const char *val); /* replaces */
const char *props_get(const ks_props *props, const char *key);     /* borrowed or NULL */
/* "key=value" as kcat's -X; returns 0 or -1 with errstr. */
int props_add_kv(ks_props *props, const char *kv, char *errstr, size_t errstr_size);
/* kcat's -F: key=value lines, '#' comments, blank lines; errors name file:line. */
int props_load_file(ks_props *props, const char *path, char *errstr, size_t errstr_size);
bool props_is_secret(const char *key);
const char *props_display(const char *key, const char *val); /* "***" for secrets */

typedef struct ks_profile {
    char *name;
    char *bootstrap;
    char *zookeeper;
    char *registry;
    char *theme;
    bool read_only;
    ks_props props;
} ks_profile;

typedef struct ks_config {
    char *path;              /* file read, or NULL when none existed */
    char *default_profile;   /* "default = NAME" at the top, or NULL */
    int nprofiles;
    ks_profile *profiles;
} ks_config;

/* Trims white space in place; returns the first non-space character.
 * Shared by every line-oriented parser (config, -F files, themes). */
char *config_trim(char *s);

/* $XDG_CONFIG_HOME/ksight/config or ~/.config/ksight/config; caller frees. */
char *config_default_path(void);
/* Missing file: 0 and an empty config. Syntax error: -1, errstr names file:line. */
int config_load(ks_config *cfg, const char *path, char *errstr, size_t errstr_size);
void config_free(ks_config *cfg);
const ks_profile *config_profile(const ks_config *cfg, const char *name);

#endif
