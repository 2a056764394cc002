/* theme: element names, the mono fallback, and the .theme parser and loader (no curses). */
#include "theme.h"
#include "config.h"
#include "xmalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define THEME_FILE_MAX (64 * 1024) /* a theme is a few dozen lines; refuse anything huge */

static const char *const elem_names[ELEM__COUNT] = {
#define KS_THEME_NAME(id, name, mono) [ELEM_##id] = name,
    KS_THEME_ELEMENTS(KS_THEME_NAME)
#undef KS_THEME_NAME
};

static const uint16_t elem_mono[ELEM__COUNT] = {
#define KS_THEME_MONO(id, name, mono) [ELEM_##id] = (mono),
    KS_THEME_ELEMENTS(KS_THEME_MONO)
#undef KS_THEME_MONO
};

static const char *const color_names[] = {
    "black",        "red",           "green",       "yellow",         "blue",
    "magenta",      "cyan",          "white",       "bright-black",   "bright-red",
    "bright-green", "bright-yellow", "bright-blue", "bright-magenta", "bright-cyan",
    "bright-white",
};

static const struct {
    const char *name;
    uint16_t attr;
} attr_names[] = {
    {"bold", THEME_BOLD},
    {"dim", THEME_DIM},
    {"underline", THEME_UNDERLINE},
    {"reverse", THEME_REVERSE},
    {"italic", THEME_ITALIC},
    {"blink", THEME_BLINK},
    {"normal", 0},
    {"none", 0},
};

const char *theme_elem_name(ks_elem elem)
{
    return elem >= 0 && elem < ELEM__COUNT ? elem_names[elem] : "?";
}

int theme_elem_find(const char *name)
{
    for (int i = 0; i < ELEM__COUNT; i++)
        if (!strcmp(elem_names[i], name))
            return i;
    return -1;
}

void theme_mono(ks_theme *theme)
{
    memset(theme, 0, sizeof(*theme));
    snprintf(theme->name, sizeof(theme->name), "mono");
    theme->mono = true;
    for (int i = 0; i < ELEM__COUNT; i++)
        theme->styles[i] = (ks_style){THEME_DEFAULT_COLOR, THEME_DEFAULT_COLOR, elem_mono[i]};
}

static int parse_color(const char *s, int16_t *out)
{
    char *end;
    long n;

    if (!strcmp(s, "default")) {
        *out = THEME_DEFAULT_COLOR;
        return 0;
    }
    if (!strcmp(s, "grey") || !strcmp(s, "gray")) {
        *out = 8;
        return 0;
    }
    for (size_t i = 0; i < sizeof(color_names) / sizeof(color_names[0]); i++)
        if (!strcmp(s, color_names[i])) {
            *out = (int16_t)i;
            return 0;
        }
    if (!strncmp(s, "color", 5))
        s += 5;
    errno = 0;
    n = strtol(s, &end, 10);
    if (!*s || *end || errno || n < 0 || n > 255)
        return -1;
    *out = (int16_t)n;
    return 0;
}


int theme_parse_style(const char *text, ks_style *out, char *errstr, size_t errstr_size)
{
    char buf[256], *save = NULL, *tok;
    ks_style st = {THEME_DEFAULT_COLOR, THEME_DEFAULT_COLOR, 0};

    if (strlen(text) >= sizeof(buf)) {
        snprintf(errstr, errstr_size, "style too long");
        return -1;
    }
    snprintf(buf, sizeof(buf), "%s", text);
    if (!*config_trim(buf)) {
        snprintf(errstr, errstr_size, "empty style");
        return -1;
    }
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *item = config_trim(tok), *eq = strchr(item, '=');
        bool found = false;
        if (eq) {
            char *key, *val;
            *eq = '\0';
            key = config_trim(item);
            val = config_trim(eq + 1);
            if (strcmp(key, "fg") && strcmp(key, "bg")) {
                snprintf(errstr, errstr_size, "unknown key \"%s\" (fg or bg)", key);
                return -1;
            }
            if (parse_color(val, key[0] == 'f' ? &st.fg : &st.bg) < 0) {
                snprintf(errstr, errstr_size, "unknown colour \"%s\"", val);
                return -1;
            }
            continue;
        }
        for (size_t i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]) && !found; i++)
            if (!strcmp(item, attr_names[i].name)) {
                st.attrs |= attr_names[i].attr;
                found = true;
            }
        if (!found) {
            snprintf(errstr, errstr_size, "unknown attribute \"%s\"", item);
            return -1;
        }
    }
    *out = st;
    return 0;
}

int theme_parse(ks_theme *theme, const char *text, const char *origin, char *errstr,
                size_t errstr_size)
{
    bool set[ELEM__COUNT] = {false};
    char line[512], err[160];
    const char *p = text;
    int lineno = 0;

    theme_mono(theme);
    theme->mono = false;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char *s, *eq;
        int elem;

        lineno++;
        if (len >= sizeof(line)) {
            snprintf(errstr, errstr_size, "%s:%d: line too long", origin, lineno);
            goto fail;
        }
        memcpy(line, p, len);
        line[len] = '\0';
        p += len + (nl != NULL);
        if ((s = strchr(line, '#')))
            *s = '\0';
        s = config_trim(line);
        if (!*s)
            continue;
        if (!(eq = strchr(s, '='))) {
            snprintf(errstr, errstr_size, "%s:%d: expected \"element = style\"", origin, lineno);
            goto fail;
        }
        *eq = '\0';
        if ((elem = theme_elem_find(config_trim(s))) < 0) {
            snprintf(errstr, errstr_size, "%s:%d: unknown element \"%s\"", origin, lineno, config_trim(s));
            goto fail;
        }
        if (theme_parse_style(eq + 1, &theme->styles[elem], err, sizeof(err)) < 0) {
            snprintf(errstr, errstr_size, "%s:%d: %s", origin, lineno, err);
            goto fail;
        }
        set[elem] = true;
    }
    /* unnamed elements: their mono attributes on the normal colours */
    for (int i = 0; i < ELEM__COUNT; i++)
        if (!set[i]) {
            theme->styles[i].fg = theme->styles[ELEM_NORMAL].fg;
            theme->styles[i].bg = theme->styles[ELEM_NORMAL].bg;
        }
    return 0;
fail:
    theme_mono(theme);
    return -1;
}

int theme_dirs(const char *source_dir, const char *installed_dir, char **out, int max)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    int n = 0;

    if (n < max && xdg && *xdg)
        out[n++] = xasprintf("%s/ksight/themes", xdg);
    else if (n < max && home && *home)
        out[n++] = xasprintf("%s/.config/ksight/themes", home);
    if (n < max && source_dir && *source_dir)
        out[n++] = xstrdup(source_dir);
    if (n < max && installed_dir && *installed_dir)
        out[n++] = xstrdup(installed_dir);
    return n;
}

/* Reads a small file whole; NULL with errstr on failure. Caller frees. */
static char *read_small_file(const char *path, char *errstr, size_t errstr_size)
{
    FILE *f = fopen(path, "r");
    char *buf;
    size_t n;

    if (!f) {
        snprintf(errstr, errstr_size, "%s: %s", path, strerror(errno));
        return NULL;
    }
    buf = xmalloc(THEME_FILE_MAX + 1);
    n = fread(buf, 1, THEME_FILE_MAX + 1, f);
    fclose(f);
    if (n > THEME_FILE_MAX || memchr(buf, '\0', n)) {
        snprintf(errstr, errstr_size, "%s: not a theme file", path);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

int theme_load(ks_theme *theme, const char *name, char *const *dirs, int ndirs, char *errstr,
               size_t errstr_size)
{
    char path[4096], *text = NULL;
    int rc;

    theme_mono(theme);
    if (errstr_size)
        errstr[0] = '\0';
    if (!name || !*name || !strcmp(name, "mono"))
        return 0;
    if (strchr(name, '/')) {
        snprintf(path, sizeof(path), "%s", name);
        text = read_small_file(path, errstr, errstr_size);
    } else {
        for (int i = 0; i < ndirs && !text; i++) {
            snprintf(path, sizeof(path), "%s/%s.theme", dirs[i], name);
            if (access(path, R_OK) == 0)
                text = read_small_file(path, errstr, errstr_size);
        }
        if (!text && !errstr[0])
            snprintf(errstr, errstr_size, "theme \"%s\" not found", name);
    }
    if (!text) {
        theme_mono(theme);
        return -1;
    }
    rc = theme_parse(theme, text, path, errstr, errstr_size);
    free(text);
    if (rc == 0) {
        const char *base = strrchr(name, '/');
        snprintf(theme->name, sizeof(theme->name), "%s", base ? base + 1 : name);
    }
    return rc;
}
