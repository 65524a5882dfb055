/* Unit tests: diagnostics. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/model/diag.h"

static void test_diag_codes_unique_and_stable(void **state)
{
    (void)state;
    assert_string_equal(csp_diag_code_str(CSP_D_NOT_A_NUMBER), "E210");
    assert_string_equal(csp_diag_code_str(CSP_D_CHECK_FAILED), "W409");
    assert_string_equal(csp_diag_kind(CSP_D_NON_OWNER_DIFFERS),
                        "non-owner-differs");
    for (int i = 0; i < CSP_D_COUNT_; i++) {
        const char *c = csp_diag_code_str((csp_diag_code)i);
        assert_int_equal(strlen(c), 4);
        char sev = c[0];
        csp_severity s = csp_diag_severity((csp_diag_code)i);
        assert_int_equal(sev, s == CSP_SEV_ERROR     ? 'E'
                              : s == CSP_SEV_WARNING ? 'W'
                                                     : 'I');
        for (int j = i + 1; j < CSP_D_COUNT_; j++) {
            assert_string_not_equal(c, csp_diag_code_str((csp_diag_code)j));
            assert_string_not_equal(csp_diag_kind((csp_diag_code)i),
                                    csp_diag_kind((csp_diag_code)j));
        }
    }
    assert_true(csp_diag_refuses_file(CSP_D_DOCTYPE));
    assert_false(csp_diag_refuses_file(CSP_D_NOT_A_NUMBER));
    assert_true(csp_diag_refuses_item(CSP_D_NOT_A_NUMBER));
    assert_false(csp_diag_refuses_item(CSP_D_CONFLICT));
}

static void test_diag_print_and_sort(void **state)
{
    (void)state;
    csp_diag_list l;
    csp_diag_list_init(&l);
    csp_diag p1 = {.code = CSP_D_NOT_A_NUMBER, .file = (char *)"b.xml", .line = 14};
    csp_diag p2 = {.code = CSP_D_UNKNOWN_AREA, .file = (char *)"b.xml", .line = 3};
    csp_diag p3 = {.code = CSP_D_EMPTY, .file = (char *)"a.xml", .line = 1};
    assert_non_null(csp_diag_add(&l, &p1, "value \"%s\" is not a number; write %s",
                                 "1,385", "1385"));
    assert_non_null(csp_diag_add(&l, &p2, "x"));
    assert_non_null(csp_diag_add(&l, &p3, "y"));
    csp_diag_list_sort(&l);
    assert_string_equal(l.items[0].file, "a.xml");
    assert_int_equal(l.items[1].line, 3);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    csp_diag_print(f, &l.items[2]);
    fclose(f);
    assert_string_equal(
        buf, "b.xml:14: error: E210: value \"1,385\" is not a number; write 1385\n");
    free(buf);
    assert_int_equal(csp_diag_list_count(&l, CSP_SEV_ERROR), 3);
    csp_diag_list other;
    csp_diag_list_init(&other);
    assert_int_equal(csp_diag_list_take(&other, &l), CSP_OK);
    assert_int_equal(other.count, 3);
    assert_int_equal(l.count, 0);
    csp_diag_list_free(&other);
    csp_diag_list_free(&l);
    csp_diag_list_free(NULL);
}

/* A diagnostic keeps copies of its key strings (in one allocation with
 * its message): the prototype's may go at once; absent ones stay NULL; a
 * message longer than the formatting buffer is whole. */
static void test_diag_add_copies_strings(void **state)
{
    (void)state;
    csp_diag_list l;
    csp_diag_list_init(&l);
    char file[] = "inbox/kp.xml", agency[] = "kent-police",
         indicator[] = "hate-crimes", area[] = "dartford",
         values[] = "kcc=4;kent-police=5";
    csp_diag proto = {.code = CSP_D_DISPUTED, .file = file, .line = 7,
                      .agency = agency, .indicator = indicator, .area = area,
                      .has_period = true, .values = values};
    char long_text[2000];
    memset(long_text, 'x', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    assert_non_null(csp_diag_add(&l, &proto, "%s is %d", "it", 5));
    assert_non_null(csp_diag_add(&l, &proto, "%s.", long_text));
    memset(file, '-', sizeof file - 1);
    memset(values, '-', sizeof values - 1);
    const csp_diag *d = &l.items[0];
    assert_string_equal(d->message, "it is 5");
    assert_string_equal(d->file, "inbox/kp.xml");
    assert_string_equal(d->agency, "kent-police");
    assert_string_equal(d->indicator, "hate-crimes");
    assert_string_equal(d->area, "dartford");
    assert_string_equal(d->values, "kcc=4;kent-police=5");
    assert_null(d->ref);
    assert_int_equal(d->line, 7);
    assert_true(d->has_period);
    d = &l.items[1];
    assert_int_equal(strlen(d->message), sizeof long_text);
    assert_int_equal(d->message[sizeof long_text - 1], '.');
    assert_string_equal(d->values, "kcc=4;kent-police=5");
    csp_diag_list_free(&l);
}

/* The display form of names and values: escaped, valid UTF-8, one line. */
static void test_text_shown(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        size_t max;
        const char *out;
    } cases[] = {
        {"plain-id", 0, "plain-id"},
        {"caf\xe9.xml", 0, "caf\\xE9.xml"},        /* Latin-1 */
        {"caf\xc3\xa9.xml", 0, "caf\xc3\xa9.xml"}, /* UTF-8 stays */
        {"a\\b", 0, "a\\\\b"},
        {"x\033[31m\r\n\t", 0, "x\\x1B[31m\\x0D\\x0A\\x09"},
        {"\x7f", 0, "\\x7F"},
        {"\xc2\x85", 0, "\\u0085"},                 /* C1 */
        {"a\xe2\x80\xae" "b", 0, "a\\u202Eb"},         /* RLO */
        {"\xe2\x81\xa6\xe2\x80\xa8", 0, "\\u2066\\u2028"},
        {"\xc0\xaf", 0, "\\xC0\\xAF"},            /* over-long "/" */
        {"\xed\xa0\x80", 0, "\\xED\\xA0\\x80"},  /* a surrogate */
        {"\xf0\x9f\x98\x80", 0, "\xf0\x9f\x98\x80"},
        {"abcdef", 3, "abc\xe2\x80\xa6"},
        {"abc", 3, "abc"},
        {"\x01\x02\x03\x04", 2, "\\x01\\x02\xe2\x80\xa6"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = csp_text_shown(cases[i].in, cases[i].max);
        assert_non_null(got);
        assert_string_equal(got, cases[i].out);
        size_t n = strlen(cases[i].in);
        assert_int_equal(csp_text_show(cases[i].in, n, cases[i].max, NULL),
                         strlen(got));
        assert_true(strlen(got) < CSP_TEXT_SHOWN_BUFSZ(n));
        free(got);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_diag_codes_unique_and_stable),
        cmocka_unit_test(test_diag_print_and_sort),
        cmocka_unit_test(test_diag_add_copies_strings),
        cmocka_unit_test(test_text_shown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
