/* test_theme: the style parser, whole theme files (shipped and broken), search path and loading. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "theme.h"

static void test_element_names(void **state)
{
    (void)state;
    assert_string_equal(theme_elem_name(ELEM_NORMAL), "normal");
    assert_string_equal(theme_elem_name(ELEM_LAG_HIGH), "lag-high");
    assert_int_equal(theme_elem_find("selected"), ELEM_SELECTED);
    assert_int_equal(theme_elem_find("nope"), -1);
    assert_string_equal(theme_elem_name(ELEM__COUNT), "?");
    /* every element has a distinct name */
    for (int i = 0; i < ELEM__COUNT; i++)
        assert_int_equal(theme_elem_find(theme_elem_name(i)), i);
}

static void test_parse_style(void **state)
{
    ks_style st;
    char err[128];

    (void)state;
    assert_int_equal(theme_parse_style("fg=cyan,bg=default,bold", &st, err, sizeof(err)), 0);
    assert_int_equal(st.fg, 6);
    assert_int_equal(st.bg, THEME_DEFAULT_COLOR);
    assert_int_equal(st.attrs, THEME_BOLD);
    assert_int_equal(theme_parse_style(" bold , underline,fg = bright-red , bg=color236 ", &st, err,
                                       sizeof(err)),
                     0);
    assert_int_equal(st.fg, 9);
    assert_int_equal(st.bg, 236);
    assert_int_equal(st.attrs, THEME_BOLD | THEME_UNDERLINE);
    assert_int_equal(theme_parse_style("fg=200,reverse,dim,italic,blink", &st, err, sizeof(err)),
                     0);
    assert_int_equal(st.fg, 200);
    assert_int_equal(st.attrs, THEME_REVERSE | THEME_DIM | THEME_ITALIC | THEME_BLINK);
    assert_int_equal(theme_parse_style("normal", &st, err, sizeof(err)), 0);
    assert_int_equal(st.attrs, 0);
    assert_int_equal(theme_parse_style("fg=grey", &st, err, sizeof(err)), 0);
    assert_int_equal(st.fg, 8);

    assert_int_equal(theme_parse_style("fg=chartreuse", &st, err, sizeof(err)), -1);
    assert_string_equal(err, "unknown colour \"chartreuse\"");
    assert_int_equal(theme_parse_style("fg=256", &st, err, sizeof(err)), -1);
    assert_int_equal(theme_parse_style("fg=-1", &st, err, sizeof(err)), -1);
    assert_int_equal(theme_parse_style("fg=", &st, err, sizeof(err)), -1);
    assert_int_equal(theme_parse_style("fgg=red", &st, err, sizeof(err)), -1);
    assert_string_equal(err, "unknown key \"fgg\" (fg or bg)");
    assert_int_equal(theme_parse_style("bold,shiny", &st, err, sizeof(err)), -1);
    assert_string_equal(err, "unknown attribute \"shiny\"");
    assert_int_equal(theme_parse_style("   ", &st, err, sizeof(err)), -1);
    char big[400];
    memset(big, 'b', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(theme_parse_style(big, &st, err, sizeof(err)), -1);
}

static void test_parse_file(void **state)
{
    ks_theme t;
    char err[256];
    const char *text = "# a comment\n"
                       "\n"
                       "normal = fg=white,bg=black\n"
                       "  selected=fg=black,bg=cyan   # trailing comment\n"
                       "error = fg=red,bold";

    (void)state;
    assert_int_equal(theme_parse(&t, text, "x.theme", err, sizeof(err)), 0);
    assert_false(t.mono);
    assert_int_equal(t.styles[ELEM_SELECTED].bg, 6);
    assert_int_equal(t.styles[ELEM_ERROR].attrs, THEME_BOLD);
    /* an element left out: mono attributes on the normal colours */
    assert_int_equal(t.styles[ELEM_HEADER].fg, 7);
    assert_int_equal(t.styles[ELEM_HEADER].bg, 0);
    assert_int_equal(t.styles[ELEM_HEADER].attrs, THEME_REVERSE);
    assert_int_equal(theme_parse(&t, "", "empty.theme", err, sizeof(err)), 0);
}

static void test_broken_files(void **state)
{
    static const struct {
        const char *text, *error;
    } cases[] = {
        {"normal bold\n", "b.theme:1: expected \"element = style\""},
        {"# ok\nheadr = bold\n", "b.theme:2: unknown element \"headr\""},
        {"normal = fg=red\nerror = fg=purple\n", "b.theme:2: unknown colour \"purple\""},
        {"normal =\n", "b.theme:1: empty style"},
        {"\x01\x02garbage = \xff\n", NULL},
    };
    ks_theme t;
    char err[256];

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(theme_parse(&t, cases[i].text, "b.theme", err, sizeof(err)), -1);
        if (cases[i].error)
            assert_string_equal(err, cases[i].error);
        /* a broken theme is the mono theme, not half a theme */
        assert_true(t.mono);
        assert_int_equal(t.styles[ELEM_SELECTED].attrs, THEME_REVERSE);
        assert_int_equal(t.styles[ELEM_NORMAL].fg, THEME_DEFAULT_COLOR);
    }
    char line[700];
    memset(line, 'x', sizeof(line) - 1);
    line[sizeof(line) - 1] = '\0';
    assert_int_equal(theme_parse(&t, line, "long.theme", err, sizeof(err)), -1);
    assert_string_equal(err, "long.theme:1: line too long");
}

static void test_shipped_themes_parse(void **state)
{
    static const char *const names[] = {"default", "light", "high-contrast", "mono"};
    char *dirs[1] = {KSIGHT_SOURCE_DIR "/themes"};
    ks_theme t;
    char err[512];

    (void)state;
    for (int i = 0; i < 4; i++) {
        /* "mono" is built in; load the file through its path to check it too */
        char path[512];
        snprintf(path, sizeof(path), "%s/%s.theme", dirs[0], names[i]);
        assert_int_equal(theme_load(&t, path, NULL, 0, err, sizeof(err)), 0);
        assert_int_equal(theme_load(&t, names[i], dirs, 1, err, sizeof(err)), 0);
        assert_string_equal(t.name, names[i]);
    }
}

static void test_search_and_fallback(void **state)
{
    char tmpl[] = "/tmp/ksight-theme-XXXXXX", path[512], *dirs[4];
    char *root = mkdtemp(tmpl);
    ks_theme t;
    char err[512];
    FILE *f;
    int n;

    (void)state;
    assert_non_null(root);
    snprintf(path, sizeof(path), "%s/ksight", root);
    mkdir(path, 0700);
    snprintf(path, sizeof(path), "%s/ksight/themes", root);
    mkdir(path, 0700);
    setenv("XDG_CONFIG_HOME", root, 1);
    n = theme_dirs("/src/themes", "/usr/share/ksight/themes", dirs, 4);
    assert_int_equal(n, 3);
    assert_string_equal(dirs[0], path);
    assert_string_equal(dirs[1], "/src/themes");
    assert_string_equal(dirs[2], "/usr/share/ksight/themes");

    /* the user's folder wins over the others */
    snprintf(path, sizeof(path), "%s/ksight/themes/default.theme", root);
    f = fopen(path, "w");
    fputs("normal = fg=magenta\n", f);
    fclose(f);
    free(dirs[1]);
    dirs[1] = strdup(KSIGHT_SOURCE_DIR "/themes");
    assert_int_equal(theme_load(&t, "default", dirs, n, err, sizeof(err)), 0);
    assert_int_equal(t.styles[ELEM_NORMAL].fg, 5);

    /* broken: mono and a reason naming file and line */
    f = fopen(path, "w");
    fputs("normal = fg=magenta\nbogus line\n", f);
    fclose(f);
    assert_int_equal(theme_load(&t, "default", dirs, n, err, sizeof(err)), -1);
    assert_true(t.mono);
    assert_non_null(strstr(err, "default.theme:2: expected"));
    unlink(path);

    assert_int_equal(theme_load(&t, "nosuch", dirs, n, err, sizeof(err)), -1);
    assert_string_equal(err, "theme \"nosuch\" not found");
    assert_true(t.mono);
    assert_int_equal(theme_load(&t, "/nonexistent/x.theme", dirs, n, err, sizeof(err)), -1);
    assert_true(t.mono);
    assert_int_equal(theme_load(&t, "mono", NULL, 0, err, sizeof(err)), 0);
    assert_int_equal(theme_load(&t, NULL, NULL, 0, err, sizeof(err)), 0);
    assert_true(t.mono);

    /* no XDG_CONFIG_HOME: ~/.config */
    unsetenv("XDG_CONFIG_HOME");
    setenv("HOME", "/home/someone", 1);
    for (int i = 0; i < n; i++)
        free(dirs[i]);
    n = theme_dirs(NULL, NULL, dirs, 4);
    assert_int_equal(n, 1);
    assert_string_equal(dirs[0], "/home/someone/.config/ksight/themes");
    free(dirs[0]);
    snprintf(path, sizeof(path), "%s/ksight/themes", root);
    rmdir(path);
    snprintf(path, sizeof(path), "%s/ksight", root);
    rmdir(path);
    rmdir(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_element_names),        cmocka_unit_test(test_parse_style),
        cmocka_unit_test(test_parse_file),           cmocka_unit_test(test_broken_files),
        cmocka_unit_test(test_shipped_themes_parse), cmocka_unit_test(test_search_and_fallback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
