/* Unit tests: the base layer's UTF-8 decoder and csp_why. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "csppack/base/error.h"
#include "csppack/base/strbuf.h"
#include "csppack/base/utf8.h"

/* Decode the whole of s as one character: its length and code point. */
static size_t dec1(const char *s, uint32_t *cp)
{
    *cp = 0xFFFFFFFFu;
    return csp_utf8_decode(s, strlen(s), cp);
}

static void test_utf8_decode_well_formed(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(dec1("A", &cp), 1);
    assert_int_equal(cp, 0x41);
    assert_int_equal(dec1("\xC2\xA3", &cp), 2); /* £ */
    assert_int_equal(cp, 0xA3);
    assert_int_equal(dec1("\xE2\x80\x99", &cp), 3); /* ’ */
    assert_int_equal(cp, 0x2019);
    assert_int_equal(dec1("\xF0\x9F\x98\x80", &cp), 4); /* U+1F600 */
    assert_int_equal(cp, 0x1F600);
    assert_int_equal(dec1("\xF4\x8F\xBF\xBF", &cp), 4); /* U+10FFFF */
    assert_int_equal(cp, 0x10FFFF);
}

static void test_utf8_decode_refuses_ill_formed(void **state)
{
    (void)state;
    uint32_t cp;
    static const char *const bad[] = {
        "\x80",             /* a continuation byte alone */
        "\xC0\xAF",         /* over-long "/" */
        "\xC1\xBF",         /* over-long */
        "\xE0\x80\xAF",     /* over-long, three bytes */
        "\xED\xA0\x80",     /* surrogate U+D800 */
        "\xF0\x80\x80\xAF", /* over-long, four bytes */
        "\xF4\x90\x80\x80", /* past U+10FFFF */
        "\xF5\x80\x80\x80", /* never a lead byte */
        "\xE2\x80",         /* cut short */
        "\xE2\x28\xA1",     /* a bad continuation */
        "\x92",             /* Windows-1252's apostrophe */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(dec1(bad[i], &cp), 0);
    assert_int_equal(csp_utf8_decode("A", 0, &cp), 0);
    assert_int_equal(csp_utf8_seq_len("\xE2\x80\x99", 2), 0);
}

static void test_utf8_floor_and_count(void **state)
{
    (void)state;
    const char *s = "a\xE2\x80\x99"
                    "b"; /* a’b */
    assert_int_equal(csp_utf8_floor(s, 0), 0);
    assert_int_equal(csp_utf8_floor(s, 2), 1);
    assert_int_equal(csp_utf8_floor(s, 3), 1);
    assert_int_equal(csp_utf8_floor(s, 4), 4);
    assert_int_equal(csp_utf8_count(s, strlen(s)), 3);
    assert_int_equal(csp_utf8_count("\x92x", 2), 2); /* a bad byte is one */
    assert_int_equal(csp_utf8_count("", 0), 0);
}

static void test_why_keeps_the_first_reason(void **state)
{
    (void)state;
    csp_why why;
    csp_why_clear(&why);
    assert_string_equal(csp_why_text(&why, CSP_ERR_IO), "input/output error");
    assert_string_equal(csp_why_text(NULL, CSP_ERR_NOMEM), "out of memory");
    csp_why_set(&why, "cannot open %s: %s", "a.xml", "No such file");
    csp_why_set(&why, "a later reason");
    assert_string_equal(csp_why_text(&why, CSP_ERR_IO),
                        "cannot open a.xml: No such file");
    csp_why_set(NULL, "nowhere"); /* no effect, no crash */
    csp_why_clear(&why);
    assert_string_equal(why.text, "");
}

static void test_why_cuts_at_a_character(void **state)
{
    (void)state;
    /* 767 bytes fit: 1 byte then 383 two-byte characters make 767, so
     * "x" + 384 x "£" (769 bytes) must lose the whole last "£". */
    char s[1 + 2 * 384 + 1];
    s[0] = 'x';
    for (size_t i = 0; i < 384; i++)
        memcpy(s + 1 + 2 * i, "\xC2\xA3", 2);
    s[sizeof s - 1] = '\0';
    csp_why why;
    csp_why_clear(&why);
    csp_why_set(&why, "%s", s);
    assert_int_equal(strlen(why.text), 1 + 2 * 383);
    assert_int_equal(csp_utf8_count(why.text, strlen(why.text)), 384);
    assert_memory_equal(why.text, s, 1 + 2 * 383);
}

/* A buffer with no cap (SIZE_MAX) grows: its room for the NUL does not
 * wrap to nothing. */
static void test_strbuf_without_cap(void **state)
{
    (void)state;
    csp_strbuf sb;
    csp_strbuf_init(&sb, SIZE_MAX);
    for (int i = 0; i < 100; i++)
        assert_int_equal(csp_strbuf_puts(&sb, "0123456789"), CSP_OK);
    assert_int_equal(sb.len, 1000);
    assert_int_equal(strlen(sb.data), 1000);
    assert_memory_equal(sb.data + 990, "0123456789", 10);
    csp_strbuf_free(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_decode_well_formed),
        cmocka_unit_test(test_utf8_decode_refuses_ill_formed),
        cmocka_unit_test(test_utf8_floor_and_count),
        cmocka_unit_test(test_why_keeps_the_first_reason),
        cmocka_unit_test(test_why_cuts_at_a_character),
        cmocka_unit_test(test_strbuf_without_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
