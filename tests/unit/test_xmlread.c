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

#include "csppack/model/dataset.h"
#include "csppack/read/xmlread.h"

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

    /* Not a regular file: refused without being opened (a FIFO would
     * block the open for ever). */
    assert_int_equal(csp_input_load(tmpdir, &opt, &in, &d), CSP_ERR_INVALID);
    assert_int_equal(d.items[d.count - 1].code, CSP_D_NOT_A_FILE);
    assert_string_equal(d.items[d.count - 1].message,
                        "this is a folder, not a regular file; csppack "
                        "reads only regular files, and did not open it");
    char fifo[160], link[160];
    snprintf(fifo, sizeof fifo, "%s/fifo.xml", tmpdir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(csp_input_load(fifo, &opt, &in, &d), CSP_ERR_INVALID);
    assert_int_equal(d.items[d.count - 1].code, CSP_D_NOT_A_FILE);
    assert_non_null(strstr(d.items[d.count - 1].message, "a named pipe"));
    unlink(fifo);
    snprintf(link, sizeof link, "%s/gone.xml", tmpdir);
    assert_int_equal(symlink("nowhere.xml", link), 0);
    assert_int_equal(csp_input_load(link, &opt, &in, &d), CSP_ERR_INVALID);
    assert_int_equal(d.items[d.count - 1].code, CSP_D_BROKEN_LINK);
    unlink(link);
    assert_int_equal(symlink("loop.xml", fifo), 0); /* fifo.xml -> loop */
    snprintf(link, sizeof link, "%s/loop.xml", tmpdir);
    assert_int_equal(symlink("fifo.xml", link), 0);
    assert_int_equal(csp_input_load(link, &opt, &in, &d), CSP_ERR_INVALID);
    assert_int_equal(d.items[d.count - 1].code, CSP_D_BROKEN_LINK);
    unlink(link);
    unlink(fifo);
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

    /* Subfolders are read, in byte order of the names of each folder's
     * entries; the folder named is a root, without its '/'; the skipped
     * entries are I116, each once. */
    char deep[200], x[260];
    snprintf(deep, sizeof deep, "%s/kfrs", sub);
    assert_int_equal(mkdir(deep, 0700), 0);
    snprintf(x, sizeof x, "%s/K.XML", deep);
    FILE *f = fopen(x, "w");
    assert_non_null(f);
    fclose(f);
    csp_diag_list_init(&d);
    assert_int_equal(csp_paths_expand((const char *const *)twice, 2, 0, &l,
                                      &d),
                     CSP_OK);
    assert_int_equal(l.count, 3);
    assert_non_null(strstr(l.paths[2], "/inbox/kfrs/K.XML"));
    assert_true(l.found[0] && l.found[1] && l.found[2]);
    assert_int_equal(l.nroots, 2); /* "inbox" twice */
    assert_string_equal(l.roots[0], sub);
    assert_string_equal(csp_path_name((const char *const *)l.roots,
                                      l.nroots, l.paths[2]),
                        "kfrs/K.XML");
    size_t skipped = 0;
    for (size_t i = 0; i < d.count; i++)
        skipped += d.items[i].code == CSP_D_SKIPPED;
    assert_int_equal(skipped, 2); /* c.txt, .hidden.xml */
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
