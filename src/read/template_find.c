/* csppack: the strategy template among the inputs (read/template_find.h). */
#include "csppack/read/template_find.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csppack/base/alloc.h"

/* The namespace of templates, as their root element declares it. */
static const char strategy_ns[] = "urn:csppack:strategy:1";

/* Whether @p needle occurs in the @p n bytes at @p hay. */
static bool holds(const unsigned char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (hay[i] == (unsigned char)needle[0] &&
            memcmp(hay + i, needle, k) == 0)
            return true;
    return false;
}

/* Whether the start of the regular file @p path names the strategy
 * namespace: most inputs are submissions, and reading only their first
 * bytes keeps the search cheap.  Only a regular file is opened, without
 * blocking, as csp_input_load does. */
static bool names_strategy_ns(const char *path, unsigned char *buf)
{
    struct stat before, st;
    bool found = false;
    if (stat(path, &before) != 0 || !S_ISREG(before.st_mode))
        return false;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return false;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
        st.st_dev == before.st_dev && st.st_ino == before.st_ino) {
        size_t size = 0;
        while (size < CSP_TEMPLATE_FIND_PREFIX) {
            ssize_t r = read(fd, buf + size, CSP_TEMPLATE_FIND_PREFIX - size);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            size += (size_t)r;
        }
        found = holds(buf, size, strategy_ns);
    }
    close(fd);
    return found;
}

/* Whether @p path is a template: its root element is in the strategy
 * namespace.  *sha256 set when it is.  CSP_ERR_NOMEM only. */
static csp_error is_template(const char *path, const csp_read_options *opt,
                             bool *yes, char sha256[CSP_SHA256_HEX])
{
    csp_input in;
    csp_diag_list scratch;
    csp_diag_list_init(&scratch);
    *yes = false;
    csp_error err = csp_input_load(path, opt, &in, &scratch);
    csp_diag_list_free(&scratch);
    if (err == CSP_ERR_NOMEM)
        return err;
    if (err != CSP_OK)
        return CSP_OK; /* unreadable: the submission reader says why */
    *yes = csp_input_sniff(&in) == CSP_DOC_STRATEGY;
    if (*yes)
        memcpy(sha256, in.sha256, CSP_SHA256_HEX);
    csp_input_free(&in);
    return CSP_OK;
}

/* Look in the folders named for templates. */
csp_error csp_template_find(const char *const *paths, size_t n,
                            const csp_read_options *opt,
                            csp_found_template *out)
{
    csp_path_list files = {0};
    csp_diag_list diags;
    char first[CSP_SHA256_HEX] = "", sha[CSP_SHA256_HEX];
    unsigned char *buf = NULL;
    csp_error err;
    memset(out, 0, sizeof *out);
    csp_diag_list_init(&diags);
    err = csp_paths_expand(paths, n, opt->max_files, &files, &diags);
    if (err == CSP_ERR_LIMIT) {
        err = CSP_OK; /* E115: the run refuses it all when it reads */
        goto out;
    }
    if (err != CSP_OK)
        goto out;
    buf = csp_malloc(CSP_TEMPLATE_FIND_PREFIX);
    if (!buf) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < files.count && !out->other; i++) {
        bool yes;
        if (!files.found[i] || !names_strategy_ns(files.paths[i], buf))
            continue;
        if ((err = is_template(files.paths[i], opt, &yes, sha)) != CSP_OK)
            goto out;
        if (!yes || (out->path && strcmp(sha, first) == 0))
            continue;
        char **slot = out->path ? &out->other : &out->path;
        if (!(*slot = csp_strdup(files.paths[i]))) {
            err = CSP_ERR_NOMEM;
            goto out;
        }
        memcpy(first, sha, sizeof first);
    }
out:
    if (err != CSP_OK)
        csp_found_template_free(out);
    free(buf);
    csp_diag_list_free(&diags);
    csp_path_list_free(&files);
    return err;
}

/* Free the paths found. */
void csp_found_template_free(csp_found_template *found)
{
    if (!found)
        return;
    free(found->path);
    free(found->other);
    found->path = found->other = NULL;
}
