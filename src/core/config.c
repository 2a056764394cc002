/* config: property lists and the profile file (INI-like, "[name]" sections). */
#include "config.h"
#include "xmalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void props_free(ks_props *props)
{
    for (int i = 0; i < props->n; i++) {
        free(props->keys[i]);
        free(props->vals[i]);
    }
    free(props->keys);
    free(props->vals);
    memset(props, 0, sizeof(*props));
}

void props_set(ks_props *props, const char *key, const char *val)
{
    for (int i = 0; i < props->n; i++)
        if (!strcmp(props->keys[i], key)) {
            free(props->vals[i]);
            props->vals[i] = xstrdup(val);
            return;
        }
    if (props->n == props->cap) {
        props->cap = props->cap ? props->cap * 2 : 8;
        props->keys = xrealloc(props->keys, (size_t)props->cap * sizeof(char *));
        props->vals = xrealloc(props->vals, (size_t)props->cap * sizeof(char *));
    }
    props->keys[props->n] = xstrdup(key);
    props->vals[props->n] = xstrdup(val);
    props->n++;
}

void props_copy(ks_props *dst, const ks_props *src)
{
    for (int i = 0; i < src->n; i++)
        props_set(dst, src->keys[i], src->vals[i]);
}

const char *props_get(const ks_props *props, const char *key)
{
    for (int i = 0; i < props->n; i++)
        if (!strcmp(props->keys[i], key))
            return props->vals[i];
    return NULL;
}

char *config_trim(char *s)
{
    char *e;
    while (isspace((unsigned char)*s))
        s++;
    e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

/* Splits "key=value" in place; NULL value when there is no '=' or no key. */
static int split_kv(char *line, char **key, char **val)
{
    char *eq = strchr(line, '=');
    if (!eq)
        return -1;
    *eq = '\0';
    *key = config_trim(line);
    *val = config_trim(eq + 1);
    return **key ? 0 : -1;
}

int props_add_kv(ks_props *props, const char *kv, char *errstr, size_t errstr_size)
{
    char *copy = xstrdup(kv), *key, *val;
    int rc = split_kv(copy, &key, &val);

    if (rc == 0)
        props_set(props, key, val);
    else
        snprintf(errstr, errstr_size, "expected property=value, got \"%s\"", kv);
    free(copy);
    return rc;
}

int props_load_file(ks_props *props, const char *path, char *errstr, size_t errstr_size)
{
    FILE *f = fopen(path, "r");
    char *line = NULL, *key, *val, *s;
    size_t cap = 0;
    int lineno = 0, rc = 0;

    if (!f) {
        snprintf(errstr, errstr_size, "%s: %s", path, strerror(errno));
        return -1;
    }
    while (getline(&line, &cap, f) > 0) {
        lineno++;
        s = config_trim(line);
        if (!*s || *s == '#')
            continue;
        if (split_kv(s, &key, &val) != 0) {
            snprintf(errstr, errstr_size, "%s:%d: expected property=value", path, lineno);
            rc = -1;
            break;
        }
        props_set(props, key, val);
    }
    free(line);
    fclose(f);
    return rc;
}

bool props_is_secret(const char *key)
{
    static const char *const words[] = {"password", "secret", "sasl.oauthbearer.config",
                                        "ssl.key.pem", "ssl_key", "token", "credentials"};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strstr(key, words[i]))
            return true;
    return false;
}

const char *props_display(const char *key, const char *val)
{
    return props_is_secret(key) ? "***" : val;
}

char *config_default_path(void)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

    if (xdg && *xdg)
        return xasprintf("%s/ksight/config", xdg);
    return xasprintf("%s/.config/ksight/config", home && *home ? home : ".");
}

static bool parse_bool(const char *v, bool *out)
{
    if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "on") || !strcmp(v, "1"))
        *out = true;
    else if (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "off") || !strcmp(v, "0"))
        *out = false;
    else
        return false;
    return true;
}

/* Applies one "key = value" line of a [profile] section. */
static int profile_set(ks_profile *p, const char *key, const char *val)
{
    char **slot = NULL;

    if (!strcmp(key, "bootstrap"))
        slot = &p->bootstrap;
    else if (!strcmp(key, "zookeeper"))
        slot = &p->zookeeper;
    else if (!strcmp(key, "registry"))
        slot = &p->registry;
    else if (!strcmp(key, "theme"))
        slot = &p->theme;
    else if (!strcmp(key, "read-only"))
        return parse_bool(val, &p->read_only) ? 0 : -1;
    if (slot) {
        free(*slot);
        *slot = xstrdup(val);
    } else {
        props_set(&p->props, key, val); /* anything else is a librdkafka property */
    }
    return 0;
}

int config_load(ks_config *cfg, const char *path, char *errstr, size_t errstr_size)
{
    FILE *f;
    char *line = NULL, *s, *key, *val;
    size_t cap = 0;
    int lineno = 0, rc = 0;
    ks_profile *cur = NULL;

    memset(cfg, 0, sizeof(*cfg));
    if (!(f = fopen(path, "r"))) {
        if (errno == ENOENT)
            return 0;
        snprintf(errstr, errstr_size, "%s: %s", path, strerror(errno));
        return -1;
    }
    cfg->path = xstrdup(path);
    while (rc == 0 && getline(&line, &cap, f) > 0) {
        lineno++;
        s = config_trim(line);
        if (!*s || *s == '#' || *s == ';')
            continue;
        if (*s == '[') {
            char *end = strchr(s, ']');
            if (!end || end == s + 1) {
                snprintf(errstr, errstr_size, "%s:%d: expected [profile-name]", path, lineno);
                rc = -1;
                break;
            }
            *end = '\0';
            cfg->profiles = xrealloc(cfg->profiles,
                                     (size_t)(cfg->nprofiles + 1) * sizeof(ks_profile));
            cur = &cfg->profiles[cfg->nprofiles++];
            memset(cur, 0, sizeof(*cur));
            cur->name = xstrdup(config_trim(s + 1));
            continue;
        }
        if (split_kv(s, &key, &val) != 0) {
            snprintf(errstr, errstr_size, "%s:%d: expected key = value", path, lineno);
            rc = -1;
        } else if (!cur) {
            if (strcmp(key, "default") != 0) {
                snprintf(errstr, errstr_size, "%s:%d: \"%s\" outside a [profile] section",
                         path, lineno, key);
                rc = -1;
            } else {
                free(cfg->default_profile);
                cfg->default_profile = xstrdup(val);
            }
        } else if (profile_set(cur, key, val) != 0) {
            snprintf(errstr, errstr_size, "%s:%d: bad value for %s", path, lineno, key);
            rc = -1;
        }
    }
    free(line);
    fclose(f);
    if (rc != 0)
        config_free(cfg);
    return rc;
}

void config_free(ks_config *cfg)
{
    for (int i = 0; i < cfg->nprofiles; i++) {
        ks_profile *p = &cfg->profiles[i];
        free(p->name);
        free(p->bootstrap);
        free(p->zookeeper);
        free(p->registry);
        free(p->theme);
        props_free(&p->props);
    }
    free(cfg->profiles);
    free(cfg->path);
    free(cfg->default_profile);
    memset(cfg, 0, sizeof(*cfg));
}

const ks_profile *config_profile(const ks_config *cfg, const char *name)
{
    for (int i = 0; i < cfg->nprofiles; i++)
        if (!strcmp(cfg->profiles[i].name, name))
            return &cfg->profiles[i];
    return NULL;
}
