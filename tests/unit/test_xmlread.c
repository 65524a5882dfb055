/* Unit tests: safe loading, SHA-256, folder expansion, sniffing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csppack/xmlread.h"

static char tmpdir[64];

/* Write a file in the temp dir; returns its path (static buffer). */
static const char *put(const char *name, const void *data, size_t n)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    return path;
}

static int setup(void **state)
{
    (void)state;
    strcpy(tmpdir, "/tmp/csppack-test-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd);
}

static void test_xmlread_sha256(void **state)
{
    (void)state;
    char hex[CSP_SHA256_HEX];
    csp_sha256_hex("abc", 3, hex);
    assert_string_equal(
        hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_xmlread_load_checks(void **state)
{
    (void)state;
    csp_read_options opt;
    csp_read_options_init(&opt);
    csp_diag_list d;
    csp_diag_list_init(&d);
    csp_input in;

    const char *p = put("ok.xml", "<a/>", 4);
    assert_int_equal(csp_input_load(p, &opt, &in, &d), CSP_OK);
    assert_int_equal(in.size, 4);
    assert_string_equal((char *)in.data, "<a/>");
    csp_input_free(&in);

    opt.max_file_size = 3;
    assert_int_equal(csp_input_load(p, &opt, &in, &d), CSP_ERR_INVALID);
    assert_int_equal(d.items[d.count - 1].code, CSP_D_TOO_LARGE);
    csp_read_options_init(&opt);

    p = put("empty.xml", "", 0);
    assert_int_equal(csp_input_load(p, &opt, &in, &d), CSP_ERR_INVALID);
    assert_int_equal(d.items[d.count - 1].code, CSP_D_EMPTY);

    p = put("z.xml", "\x1f\x8b\x08\x00", 4);
    assert_int_equal(csp_input_load(p, &opt, &in, &d), CSP_ERR_INVALID);
    assert_int_equal(d.items[d.count - 1].code, CSP_D_COMPRESSED);
    assert_non_null(strstr(d.items[d.count - 1].message, "gzip"));

    assert_int_equal(csp_input_load("/nonexistent/x.xml", &opt, &in, &d),
                     CSP_ERR_INVALID);
    assert_int_equal(d.items[d.count - 1].code, CSP_D_READ);

    assert_int_equal(csp_input_load(tmpdir, &opt, &in, &d), CSP_ERR_INVALID);
    assert_int_equal(d.items[d.count - 1].code, CSP_D_READ);
    csp_diag_list_free(&d);
}

static void test_xmlread_expand_sorted(void **state)
{
    (void)state;
    char sub[128];
    snprintf(sub, sizeof sub, "%s/inbox", tmpdir);
    assert_int_equal(mkdir(sub, 0700), 0);
    static const char *const names[] = {"b.xml", "a.XML", "c.txt", ".hidden.xml"};
    for (size_t i = 0; i < 4; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", sub, names[i]);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fclose(f);
    }
    csp_diag_list d;
    csp_diag_list_init(&d);
    csp_path_list l;
    const char *args[] = {sub, "/nonexistent.xml"};
    assert_int_equal(csp_paths_expand(args, 2, 0, &l, &d), CSP_OK);
    assert_int_equal(l.count, 3);
    assert_non_null(strstr(l.paths[0], "/a.XML"));
    assert_non_null(strstr(l.paths[1], "/b.xml"));
    assert_string_equal(l.paths[2], "/nonexistent.xml");
    csp_path_list_free(&l);

    /* The same folder named twice, and one of its files again: each file
     * is listed once, under the name it was first met by. */
    char again[160], file[200];
    snprintf(again, sizeof again, "%s/", sub);
    snprintf(file, sizeof file, "%s/b.xml", sub);
    const char *twice[] = {sub, again, file};
    assert_int_equal(csp_paths_expand(twice, 3, 0, &l, &d), CSP_OK);
    assert_int_equal(l.count, 2);
    csp_path_list_free(&l);
    csp_diag_list_free(&d);
}

static void test_xmlread_sniff(void **state)
{
    (void)state;
    csp_read_options opt;
    csp_read_options_init(&opt);
    csp_diag_list d;
    csp_diag_list_init(&d);
    csp_input in;
    const char *s = "<strategy xmlns='urn:csppack:strategy:1'/>";
    assert_int_equal(csp_input_from_memory("t", s, strlen(s), &opt, &in, &d),
                     CSP_OK);
    assert_int_equal(csp_input_sniff(&in), CSP_DOC_STRATEGY);
    csp_input_free(&in);
    s = "<?xml version='1.0'?><!-- c --><dataset xmlns='urn:csppack:dataset:1'/>";
    assert_int_equal(csp_input_from_memory("t", s, strlen(s), &opt, &in, &d),
                     CSP_OK);
    assert_int_equal(csp_input_sniff(&in), CSP_DOC_DATASET);
    csp_input_free(&in);
    s = "<submission xmlns='urn:other'/>";
    assert_int_equal(csp_input_from_memory("t", s, strlen(s), &opt, &in, &d),
                     CSP_OK);
    assert_int_equal(csp_input_sniff(&in), CSP_DOC_SUBMISSION);
    csp_input_free(&in);
    assert_int_equal(d.count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xmlread_sha256),
        cmocka_unit_test(test_xmlread_load_checks),
        cmocka_unit_test(test_xmlread_expand_sorted),
        cmocka_unit_test(test_xmlread_sniff),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
