/* csppack: loading input files safely, and their SHA-256. */
#include "csppack/xmlread.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"

/* Default bounds. */
void csp_read_options_init(csp_read_options *opt)
{
    opt->max_file_size = CSP_DEFAULT_MAX_FILE_SIZE;
    opt->max_items = CSP_DEFAULT_MAX_ITEMS;
    opt->max_text = CSP_DEFAULT_MAX_TEXT;
    opt->max_files = CSP_DEFAULT_MAX_FILES;
    opt->threads = 0;
}

/* SHA-256 as lower-case hex. */
void csp_sha256_hex(const void *data, size_t size, char out[CSP_SHA256_HEX])
{
    static const char hex[] = "0123456789abcdef";
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, size, data);
    sha256_digest(&ctx, sizeof digest, digest);
    for (size_t i = 0; i < sizeof digest; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    out[2 * SHA256_DIGEST_SIZE] = '\0';
}

/* A whole-file diagnostic (reported at line 1). */
static csp_error refuse(csp_diag_list *diags, const char *path,
                        csp_diag_code code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static csp_error refuse(csp_diag_list *diags, const char *path,
                        csp_diag_code code, const char *fmt, ...)
{
    csp_diag proto = {.code = code, .file = (char *)path, .line = 1};
    va_list ap;
    va_start(ap, fmt);
    csp_diag *d = csp_diag_addv(diags, &proto, fmt, ap);
    va_end(ap);
    return d ? CSP_ERR_INVALID : CSP_ERR_NOMEM;
}

/* Name of a compressed format recognised by its magic bytes, or NULL. */
static const char *compression(const unsigned char *p, size_t n)
{
    if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
        return "gzip";
    if (n >= 4 && memcmp(p, "PK\x03\x04", 4) == 0)
        return "zip";
    if (n >= 3 && memcmp(p, "BZh", 3) == 0)
        return "bzip2";
    if (n >= 6 && memcmp(p, "\xfd" "7zXZ\0", 6) == 0)
        return "xz";
    if (n >= 4 && memcmp(p, "\x28\xb5\x2f\xfd", 4) == 0)
        return "zstd";
    return NULL;
}

/* A size for people: "64 MiB", "500 bytes". */
static void size_limit_text(size_t n, char *buf, size_t len)
{
    if (n >= 1024 * 1024 && n % (1024 * 1024) == 0)
        snprintf(buf, len, "%zu MiB", n / (1024 * 1024));
    else if (n >= 1024 && n % 1024 == 0)
        snprintf(buf, len, "%zu KiB", n / 1024);
    else
        snprintf(buf, len, "%zu bytes", n);
}

/* Byte-level checks shared by both loaders; takes ownership of data. */
static csp_error finish_input(const char *path, unsigned char *data,
                              size_t size, csp_input *out,
                              csp_diag_list *diags)
{
    csp_error err = CSP_OK;
    const char *z;
    if (size == 0) {
        err = refuse(diags, path, CSP_D_EMPTY,
                     "the file is empty; send the submission again");
        goto out;
    }
    size_t ws = 0;
    if (size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
        ws = 3;
    while (ws < size && (data[ws] == ' ' || data[ws] == '\t' ||
                         data[ws] == '\n' || data[ws] == '\r'))
        ws++;
    if (ws == size) {
        err = refuse(diags, path, CSP_D_EMPTY,
                     "the file holds only blank space; send the submission "
                     "again");
        goto out;
    }
    if ((z = compression(data, size))) {
        err = refuse(diags, path, CSP_D_COMPRESSED,
                     "the file is %s-compressed data, not XML; "
                     "send the uncompressed .xml file", z);
        goto out;
    }
    out->path = csp_strdup(path);
    if (!out->path) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    out->data = data;
    out->size = size;
    csp_sha256_hex(data, size, out->sha256);
    data = NULL;
out:
    free(data);
    return err;
}

/* The message for errno value @p e, in @p buf: files are loaded on several
 * threads, and strerror may keep its message in a buffer they share. */
static const char *errno_text(int e, char *buf, size_t n)
{
    if (strerror_r(e, buf, n) != 0)
        snprintf(buf, n, "error %d", e);
    return buf;
}

/* Load a file read-only, within the size limit. */
csp_error csp_input_load(const char *path, const csp_read_options *opt,
                         csp_input *out, csp_diag_list *diags)
{
    csp_error err = CSP_OK;
    unsigned char *data = NULL;
    size_t size = 0, cap = 0;
    char limit[48], why[128];
    memset(out, 0, sizeof *out);
    size_limit_text(opt->max_file_size, limit, sizeof limit);

    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        err = refuse(diags, path, CSP_D_READ, "cannot open the file: %s",
                     errno_text(errno, why, sizeof why));
        goto out;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        err = refuse(diags, path, CSP_D_READ, "cannot read the file: %s",
                     errno_text(errno, why, sizeof why));
        goto out;
    }
    if (S_ISDIR(st.st_mode)) {
        err = refuse(diags, path, CSP_D_READ, "this is a folder, not a file");
        goto out;
    }
    if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > opt->max_file_size) {
        err = refuse(diags, path, CSP_D_TOO_LARGE,
                     "the file is larger than the limit of %s; split it or "
                     "raise the limit with --max-size", limit);
        goto out;
    }
    cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536;
    for (;;) {
        if (size == cap || !data) {
            size_t want = data ? cap * 2 : cap;
            if (want > opt->max_file_size + 1)
                want = opt->max_file_size + 1;
            if (data && want <= cap)
                want = cap + 1;
            unsigned char *p = csp_realloc(data, want + 1);
            if (!p) {
                err = CSP_ERR_NOMEM;
                goto out;
            }
            data = p;
            cap = want;
        }
        ssize_t n = read(fd, data + size, cap - size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            err = refuse(diags, path, CSP_D_READ, "cannot read the file: %s",
                         errno_text(errno, why, sizeof why));
            goto out;
        }
        if (n == 0)
            break;
        size += (size_t)n;
        if (size > opt->max_file_size) {
            err = refuse(diags, path, CSP_D_TOO_LARGE,
                         "the file is larger than the limit of %s; split it or "
                         "raise the limit with --max-size", limit);
            goto out;
        }
    }
    data[size] = '\0';
    err = finish_input(path, data, size, out, diags);
    data = NULL;
out:
    if (fd >= 0)
        close(fd);
    free(data);
    return err;
}

/* Wrap bytes in memory as an input. */
csp_error csp_input_from_memory(const char *name, const void *bytes,
                                size_t size, const csp_read_options *opt,
                                csp_input *out, csp_diag_list *diags)
{
    memset(out, 0, sizeof *out);
    if (size > opt->max_file_size) {
        char limit[48];
        size_limit_text(opt->max_file_size, limit, sizeof limit);
        return refuse(diags, name, CSP_D_TOO_LARGE,
                      "the file is larger than the limit of %s; split it or "
                      "raise the limit with --max-size", limit);
    }
    unsigned char *data = csp_malloc(size + 1);
    if (!data)
        return CSP_ERR_NOMEM;
    memcpy(data, bytes, size);
    data[size] = '\0';
    return finish_input(name, data, size, out, diags);
}

/* Release an input. */
void csp_input_free(csp_input *in)
{
    if (!in)
        return;
    free(in->path);
    free(in->data);
    in->path = NULL;
    in->data = NULL;
    in->size = 0;
}

/* Append a copy of a path with the device and inode of the regular file
 * it names (0 and 0 for anything else); paths_unique drops repeats. */
static csp_error path_push(csp_path_list *l, const char *p)
{
    struct stat st;
    uint64_t dev = 0, ino = 0;
    if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
        dev = (uint64_t)st.st_dev;
        ino = (uint64_t)st.st_ino;
    }
    if (l->count == l->capacity) {
        size_t cap = l->capacity ? l->capacity * 2 : 16;
        char **n = csp_realloc(l->paths, cap * sizeof *n);
        if (!n)
            return CSP_ERR_NOMEM;
        l->paths = n;
        uint64_t *ids = csp_realloc(l->file_ids, 2 * cap * sizeof *ids);
        if (!ids)
            return CSP_ERR_NOMEM;
        l->file_ids = ids;
        l->capacity = cap;
    }
    if (!(l->paths[l->count] = csp_strdup(p)))
        return CSP_ERR_NOMEM;
    l->file_ids[2 * l->count] = dev;
    l->file_ids[2 * l->count + 1] = ino;
    l->count++;
    return CSP_OK;
}

/* A listed file's identity and where it was listed. */
typedef struct file_pos {
    uint64_t dev, ino;
    size_t pos;
} file_pos;

/* By device, inode, then position. */
static int cmp_file_pos(const void *pa, const void *pb)
{
    const file_pos *a = pa, *b = pb;
    if (a->dev != b->dev)
        return a->dev < b->dev ? -1 : 1;
    if (a->ino != b->ino)
        return a->ino < b->ino ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* List one file once however it was named (the same inbox named twice, as
 * "inbox" and "./inbox/"), where it was first named: sort by (device,
 * inode, position) and keep the first of each.  n log n, for inboxes of
 * many thousands of files. */
static csp_error paths_unique(csp_path_list *l)
{
    size_t n = l->count, kept = 0;
    file_pos *fp;
    if (n < 2)
        return CSP_OK;
    if (!(fp = csp_malloc(n * sizeof *fp)))
        return CSP_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        fp[i] = (file_pos){l->file_ids[2 * i], l->file_ids[2 * i + 1], i};
    qsort(fp, n, sizeof *fp, cmp_file_pos);
    /* Mark a repeat by freeing its path; then close the gaps. */
    for (size_t i = 1; i < n; i++)
        if (fp[i].ino != 0 && fp[i].dev == fp[i - 1].dev &&
            fp[i].ino == fp[i - 1].ino) {
            free(l->paths[fp[i].pos]);
            l->paths[fp[i].pos] = NULL;
        }
    for (size_t i = 0; i < n; i++) {
        if (!l->paths[i])
            continue;
        l->paths[kept] = l->paths[i];
        l->file_ids[2 * kept] = l->file_ids[2 * i];
        l->file_ids[2 * kept + 1] = l->file_ids[2 * i + 1];
        kept++;
    }
    l->count = kept;
    free(fp);
    return CSP_OK;
}

/* Byte order of two strings, for qsort. */
static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Does name end in ".xml", any case? */
static bool is_xml_name(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcasecmp(name + n - 4, ".xml") == 0 && name[0] != '.';
}

/* Expand files and folders into files. */
/* E115 about @p path: more than @p max files. */
static csp_error too_many_files(const char *path, size_t max,
                                csp_diag_list *diags)
{
    csp_diag proto = {.code = CSP_D_TOO_MANY_FILES, .file = (char *)path,
                      .line = 1};
    if (!csp_diag_add(diags, &proto,
                      "more than %zu files are named for one run (the "
                      "count passed it here); nothing was read: split the "
                      "submissions into smaller runs or raise --max-files",
                      max))
        return CSP_ERR_NOMEM;
    return CSP_ERR_LIMIT;
}

csp_error csp_paths_expand(const char *const *paths, size_t n,
                           size_t max_files, csp_path_list *out,
                           csp_diag_list *diags)
{
    csp_error err = CSP_OK;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n && err == CSP_OK; i++) {
        /* Far beyond the bound even counting repeats: stop here. */
        if (max_files && out->count > 2 * max_files &&
            (err = paths_unique(out)) == CSP_OK && out->count > max_files)
            err = too_many_files(paths[i - 1], max_files, diags);
        if (err != CSP_OK)
            break;
        struct stat st;
        if (stat(paths[i], &st) != 0 || !S_ISDIR(st.st_mode)) {
            err = path_push(out, paths[i]);
            continue;
        }
        DIR *d = opendir(paths[i]);
        if (!d && errno == ENOMEM) {
            /* Not the folder's fault: the run fails, nothing is refused. */
            err = CSP_ERR_NOMEM;
            continue;
        }
        if (!d) {
            csp_diag proto = {.code = CSP_D_READ, .file = (char *)paths[i],
                              .line = 1};
            if (!csp_diag_add(diags, &proto, "cannot open the folder: %s",
                              strerror(errno)))
                err = CSP_ERR_NOMEM;
            continue;
        }
        /* Gather the folder's .xml files, sort them, then list them (a
         * file already listed under another name is listed once). */
        csp_path_list found;
        memset(&found, 0, sizeof found);
        struct dirent *e;
        while (err == CSP_OK && (e = readdir(d))) {
            if (!is_xml_name(e->d_name))
                continue;
            /* Stop early in a folder far beyond the bound (copies of one
             * file are counted here, and dropped below). */
            if (max_files && found.count >= 2 * max_files + 1) {
                err = too_many_files(paths[i], max_files, diags);
                break;
            }
            size_t len = strlen(paths[i]) + strlen(e->d_name) + 2;
            char *full = csp_malloc(len);
            if (!full) {
                err = CSP_ERR_NOMEM;
                break;
            }
            const char *sep =
                paths[i][strlen(paths[i]) - 1] == '/' ? "" : "/";
            snprintf(full, len, "%s%s%s", paths[i], sep, e->d_name);
            struct stat fst;
            if (stat(full, &fst) == 0 && S_ISREG(fst.st_mode))
                err = path_push(&found, full);
            free(full);
        }
        closedir(d);
        if (found.count > 1)
            qsort(found.paths, found.count, sizeof *found.paths, str_cmp);
        for (size_t k = 0; k < found.count && err == CSP_OK; k++)
            err = path_push(out, found.paths[k]);
        if (err == CSP_OK && found.count == 0) {
            csp_diag proto = {.code = CSP_D_READ, .file = (char *)paths[i],
                              .line = 1};
            if (!csp_diag_add(diags, &proto,
                              "the folder holds no .xml files; name the "
                              "folder the submissions were saved in"))
                err = CSP_ERR_NOMEM;
        }
        csp_path_list_free(&found);
    }
    if (err == CSP_OK)
        err = paths_unique(out);
    if (err == CSP_OK && max_files && out->count > max_files)
        err = too_many_files(n ? paths[n - 1] : "", max_files, diags);
    if (err != CSP_OK)
        csp_path_list_free(out);
    return err;
}

/* Free a path list. */
void csp_path_list_free(csp_path_list *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->count; i++)
        free(list->paths[i]);
    free(list->paths);
    free(list->file_ids);
    memset(list, 0, sizeof *list);
}
