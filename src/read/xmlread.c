/* csppack: loading input files safely, and their SHA-256. */
#include "csppack/read/xmlread.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <nettle/sha2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csppack/base/alloc.h"
#include "csppack/read/xmlplain.h"

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

/* Add @p proto, whose file is a path as named, with that path in its
 * display form (csp_text_show). */
static csp_diag *shown_addv(csp_diag_list *diags, const csp_diag *proto,
                            const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
static csp_diag *shown_addv(csp_diag_list *diags, const csp_diag *proto,
                            const char *fmt, va_list ap)
{
    char *shown = csp_text_shown(proto->file ? proto->file : "", 0);
    if (!shown)
        return NULL;
    csp_diag p = *proto;
    p.file = shown;
    csp_diag *d = csp_diag_addv(diags, &p, fmt, ap);
    free(shown);
    return d;
}

/* shown_addv with the message's arguments. */
static csp_diag *shown_add(csp_diag_list *diags, const csp_diag *proto,
                           const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static csp_diag *shown_add(csp_diag_list *diags, const csp_diag *proto,
                           const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    csp_diag *d = shown_addv(diags, proto, fmt, ap);
    va_end(ap);
    return d;
}

/* A diagnostic about the file or folder @p path as named (at line 1),
 * which names it in its display form. */
static csp_diag *path_diag(csp_diag_list *diags, const char *path,
                           csp_diag_code code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static csp_diag *path_diag(csp_diag_list *diags, const char *path,
                           csp_diag_code code, const char *fmt, ...)
{
    csp_diag proto = {.code = code, .file = (char *)path, .line = 1};
    va_list ap;
    va_start(ap, fmt);
    csp_diag *d = shown_addv(diags, &proto, fmt, ap);
    va_end(ap);
    return d;
}

/* A whole-file refusal (reported at line 1). */
#define refuse(diags, path, ...)                                               \
    (path_diag((diags), (path), __VA_ARGS__) ? CSP_ERR_INVALID : CSP_ERR_NOMEM)

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
    if ((z = compression(data, size)) && strcmp(z, "zip") == 0 &&
        csp_xmlplain_is_xlsx(data, size)) {
        err = refuse(diags, path, CSP_D_COMPRESSED,
                     "the file is an Excel workbook (.xlsx) renamed .xml, "
                     "not XML text: csppack cannot read a workbook; fill in "
                     "the blank submission the coordinator sent (csppack "
                     "blank makes one) with the figures, and send that file");
        goto out;
    }
    if (z) {
        err = refuse(diags, path, CSP_D_COMPRESSED,
                     "the file is %s-compressed data, not XML; "
                     "send the uncompressed .xml file", z);
        goto out;
    }
    /* Named from here on in its display form, in every output. */
    out->path = csp_text_shown(path, 0);
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

/* What a file that is not a regular one is, in words. */
static const char *kind_text(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a folder";
    if (S_ISFIFO(mode))
        return "a named pipe";
    if (S_ISSOCK(mode))
        return "a socket";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    return "not a file";
}

/* E116: @p path is not a regular file (never opened). */
static csp_error not_a_file(csp_diag_list *diags, const char *path,
                            mode_t mode)
{
    return refuse(diags, path, CSP_D_NOT_A_FILE,
                  "this is %s, not a regular file; csppack reads only "
                  "regular files, and did not open it",
                  kind_text(mode));
}

/* Why @p path cannot be stat'ed: a broken link (E117) or E101. */
static csp_error cannot_stat(csp_diag_list *diags, const char *path, int e)
{
    char why[128];
    struct stat lst;
    if (e == ELOOP)
        return refuse(diags, path, CSP_D_BROKEN_LINK,
                      "a symbolic link that loops (it leads back to "
                      "itself); save the submission itself in the folder");
    if (e == ENOENT && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
        return refuse(diags, path, CSP_D_BROKEN_LINK,
                      "a symbolic link to nothing (its target does not "
                      "exist); save the submission itself in the folder");
    return refuse(diags, path, CSP_D_READ, "cannot open the file: %s",
                  errno_text(e, why, sizeof why));
}

/* Load a file read-only, within the size limit.  Only a regular file is
 * opened: a FIFO would block the run, a device never end.  The path is
 * looked at first, opened without blocking, and the file opened must be
 * the one looked at (the path may have been replaced in between). */
csp_error csp_input_load(const char *path, const csp_read_options *opt,
                         csp_input *out, csp_diag_list *diags)
{
    csp_error err = CSP_OK;
    unsigned char *data = NULL;
    size_t size = 0, cap = 0;
    char limit[48], why[128];
    int fd = -1;
    struct stat before, st;
    memset(out, 0, sizeof *out);
    size_limit_text(opt->max_file_size, limit, sizeof limit);

    if (stat(path, &before) != 0) {
        err = cannot_stat(diags, path, errno);
        goto out;
    }
    if (!S_ISREG(before.st_mode)) {
        err = not_a_file(diags, path, before.st_mode);
        goto out;
    }
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        err = refuse(diags, path, CSP_D_READ, "cannot open the file: %s",
                     errno_text(errno, why, sizeof why));
        goto out;
    }
    if (fstat(fd, &st) != 0) {
        err = refuse(diags, path, CSP_D_READ, "cannot read the file: %s",
                     errno_text(errno, why, sizeof why));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        err = not_a_file(diags, path, st.st_mode);
        goto out;
    }
    if (st.st_dev != before.st_dev || st.st_ino != before.st_ino) {
        err = refuse(diags, path, CSP_D_READ,
                     "the file was replaced while it was being opened; "
                     "run csppack again");
        goto out;
    }
    /* Reads of a regular file never block; clear the flag all the same. */
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
        err = refuse(diags, path, CSP_D_READ, "cannot read the file: %s",
                     errno_text(errno, why, sizeof why));
        goto out;
    }
    if ((uintmax_t)st.st_size > opt->max_file_size) {
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
    /* An empty attachment comes with no bytes at all (NULL). */
    if (size)
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
 * it names (0 and 0 for anything else); paths_unique drops repeats.
 * @p found: it was found in a folder, not named. */
static csp_error path_push(csp_path_list *l, const char *p, bool found)
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
        bool *f = csp_realloc(l->found, cap * sizeof *f);
        if (!f)
            return CSP_ERR_NOMEM;
        l->found = f;
        l->capacity = cap;
    }
    if (!(l->paths[l->count] = csp_strdup(p)))
        return CSP_ERR_NOMEM;
    l->file_ids[2 * l->count] = dev;
    l->file_ids[2 * l->count + 1] = ino;
    l->found[l->count] = found;
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
        l->found[kept] = l->found[i];
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

/* Does @p name end in @p ext, any case? */
bool csp_name_ends(const char *name, const char *ext)
{
    size_t n = strlen(name), e = strlen(ext);
    return n > e && strcasecmp(name + n - e, ext) == 0;
}

/* Is @p name one a folder is read for: a submission (.xml) or mail
 * (.eml, .mbox, and Outlook's .msg, to be told how to save it: read/
 * mail.h), any case? */
static bool is_xml_name(const char *name)
{
    return csp_name_ends(name, ".xml") || csp_name_ends(name, ".eml") ||
           csp_name_ends(name, ".mbox") || csp_name_ends(name, ".msg");
}

/* E115 about @p path: more than @p max files. */
static csp_error too_many_files(const char *path, size_t max,
                                csp_diag_list *diags)
{
    if (!path_diag(diags, path, CSP_D_TOO_MANY_FILES,
                      "more than %zu files are named for one run (the "
                      "count passed it here); nothing was read: split the "
                      "submissions into smaller runs or raise --max-files",
                      max))
        return CSP_ERR_NOMEM;
    return CSP_ERR_LIMIT;
}

/* A folder read by csp_paths_expand, by identity, and its name for
 * messages (csp_path_name's, or the base name of a folder named). */
typedef struct seen_dir {
    uint64_t dev, ino;
    char *name;
} seen_dir;

/* One csp_paths_expand. */
typedef struct walk {
    csp_path_list *out;
    csp_diag_list *diags;
    size_t max_files;
    const char *named;    /* the folder named being read, as named */
    const char *root;     /* the same without its trailing '/' */
    size_t root_len;
    seen_dir *dirs;       /* every folder read: a hash table of capdirs
                             slots (a power of two), empty ones NULL */
    size_t ndirs, capdirs;
    size_t listed;        /* I116 diagnostics made */
    size_t unlisted;      /* entries skipped past the bound: counted */
    size_t files_here;    /* files found under the folder named */
    size_t skipped_here;  /* entries skipped under it */
    size_t dirs_here;     /* subfolders read under it */
    bool unopened;        /* the folder named could not be opened */
} walk;

/* The slot of identity (dev, ino) in the table of folders read: its own,
 * or the empty one where it goes (capdirs is a power of two). */
static size_t dir_slot(const walk *w, uint64_t dev, uint64_t ino)
{
    uint64_t h = (dev * 0x9E3779B97F4A7C15u) ^ (ino * 0xC2B2AE3D27D4EB4Fu);
    size_t j = (size_t)(h ^ (h >> 29)) & (w->capdirs - 1);
    while (w->dirs[j].name &&
           (w->dirs[j].dev != dev || w->dirs[j].ino != ino))
        j = (j + 1) & (w->capdirs - 1);
    return j;
}

/* The folder read already with @p st's identity, or NULL: a hash table,
 * so that an inbox of many thousands of folders is walked in linear time. */
static const seen_dir *seen(const walk *w, const struct stat *st)
{
    if (!w->capdirs)
        return NULL;
    const seen_dir *d =
        &w->dirs[dir_slot(w, (uint64_t)st->st_dev, (uint64_t)st->st_ino)];
    return d->name ? d : NULL;
}

/* Record folder @p path (@p st) as read. */
static csp_error see(walk *w, const char *path, const struct stat *st)
{
    if (2 * (w->ndirs + 1) > w->capdirs) {
        size_t cap = w->capdirs ? 2 * w->capdirs : 64;
        seen_dir *old = w->dirs;
        size_t oldcap = w->capdirs;
        if (!(w->dirs = csp_calloc(cap, sizeof *w->dirs))) {
            w->dirs = old;
            return CSP_ERR_NOMEM;
        }
        w->capdirs = cap;
        for (size_t i = 0; i < oldcap; i++)
            if (old[i].name)
                w->dirs[dir_slot(w, old[i].dev, old[i].ino)] = old[i];
        free(old);
    }
    const char *name;
    if (strcmp(path, w->root) == 0) {
        const char *slash = strrchr(w->root, '/');
        name = slash ? slash + 1 : *w->root ? w->root : "/";
    } else {
        name = path + w->root_len + 1;
    }
    uint64_t dev = (uint64_t)st->st_dev, ino = (uint64_t)st->st_ino;
    seen_dir *d = &w->dirs[dir_slot(w, dev, ino)];
    if (!(d->name = csp_strdup(name)))
        return CSP_ERR_NOMEM;
    d->dev = dev;
    d->ino = ino;
    w->ndirs++;
    return CSP_OK;
}

/* I116: entry @p path was skipped, and why.  Past max_files of them they
 * are counted, not listed (csp_paths_expand lists the count). */
static csp_error skip(walk *w, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static csp_error skip(walk *w, const char *path, const char *fmt, ...)
{
    char why[256];
    va_list ap;
    w->skipped_here++;
    if (w->max_files && w->listed >= w->max_files) {
        w->unlisted++;
        return CSP_OK;
    }
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    w->listed++;
    csp_diag proto = {.code = CSP_D_SKIPPED, .file = (char *)path};
    return shown_add(w->diags, &proto, "skipped: %s", why)
               ? CSP_OK
               : CSP_ERR_NOMEM;
}

/* A folder-level error (E101, E118) at line 1. */
static csp_error folder_error(walk *w, const char *path, csp_diag_code code,
                              const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static csp_error folder_error(walk *w, const char *path, csp_diag_code code,
                              const char *fmt, ...)
{
    csp_diag proto = {.code = code, .file = (char *)path, .line = 1};
    va_list ap;
    va_start(ap, fmt);
    csp_diag *d = shown_addv(w->diags, &proto, fmt, ap);
    va_end(ap);
    w->skipped_here++;
    return d ? CSP_OK : CSP_ERR_NOMEM;
}

/* List file @p path, found in a folder; stop at far beyond the bound. */
static csp_error found_file(walk *w, const char *path)
{
    csp_error err = path_push(w->out, path, true);
    w->files_here++;
    /* Copies of one file count until they are dropped. */
    if (err == CSP_OK && w->max_files && w->out->count > 2 * w->max_files &&
        (err = paths_unique(w->out)) == CSP_OK &&
        w->out->count > w->max_files)
        err = too_many_files(w->named, w->max_files, w->diags);
    return err;
}

static csp_error walk_folder(walk *w, const char *path, size_t depth);

/* One entry @p name of a folder, at @p path; @p depth is the folder's
 * below the folder named; @p pack: the folder holds a csppack pack. */
static csp_error walk_entry(walk *w, const char *path, const char *name,
                            size_t depth, bool pack)
{
    struct stat lst, st;
    char why[128];
    bool xml = is_xml_name(name);
    if (name[0] == '.')
        return skip(w, path, "hidden (the name starts with a dot)");
    if (lstat(path, &lst) != 0)
        return skip(w, path, "it could not be looked at: %s",
                    errno_text(errno, why, sizeof why));
    st = lst;
    if (S_ISLNK(lst.st_mode) && stat(path, &st) != 0) {
        int e = errno;
        if (xml) /* csp_input_load refuses it: E117 */
            return found_file(w, path);
        return skip(w, path,
                    "not a .xml or mail file (%s)",
                    e == ELOOP ? "a symbolic link that loops"
                    : e == ENOENT ? "a symbolic link to nothing"
                                  : "a symbolic link that cannot be followed");
    }
    if (S_ISDIR(st.st_mode)) {
        const seen_dir *s;
        if (pack && strcmp(name, "receipts") == 0)
            return skip(w, path,
                        "the receipts of the csppack pack in this folder");
        if ((s = seen(w, &st)))
            return S_ISLNK(lst.st_mode)
                       ? skip(w, path, "a link to a folder read already (%s)",
                              s->name)
                       : skip(w, path, "a folder read already, as %s",
                              s->name);
        if (depth >= CSP_MAX_FOLDER_DEPTH)
            return folder_error(w, path, CSP_D_TOO_DEEP,
                                "the folder is more than %d folders below "
                                "the folder named; it was not read: move "
                                "its files up",
                                CSP_MAX_FOLDER_DEPTH);
        csp_error err = see(w, path, &st);
        w->dirs_here++;
        return err == CSP_OK ? walk_folder(w, path, depth + 1) : err;
    }
    if (xml) /* csp_input_load refuses a FIFO or a device unopened: E116 */
        return found_file(w, path);
    if (S_ISREG(st.st_mode))
        return skip(w, path, "not a .xml or mail file");
    return skip(w, path, "not a .xml or mail file (%s)",
                kind_text(st.st_mode));
}

/* Is @p name one of names[0..n) (sorted)? */
static bool has_name(char **names, size_t n, const char *name)
{
    return n && bsearch(&name, names, n, sizeof *names, str_cmp) != NULL;
}

/* The entries of open folder @p d (@p path), but "." and "..", into
 * *names (*n of *cap), unsorted; a folder far beyond the bound is E115
 * and CSP_ERR_LIMIT. */
static csp_error read_names(walk *w, DIR *d, const char *path, char ***pnames,
                            size_t *pn, size_t *pcap)
{
    csp_error err = CSP_OK;
    char **names = *pnames;
    size_t n = *pn, cap = *pcap;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        /* Stop early in a folder far beyond the bound. */
        if (w->max_files && n >= 2 * w->max_files + 1) {
            csp_diag proto = {.code = CSP_D_TOO_MANY_FILES,
                              .file = (char *)path, .line = 1};
            err = shown_add(w->diags, &proto,
                               "the folder holds more than %zu entries "
                               "(twice --max-files); nothing was read: "
                               "split the submissions into smaller runs or "
                               "raise --max-files",
                               2 * w->max_files)
                      ? CSP_ERR_LIMIT
                      : CSP_ERR_NOMEM;
            break;
        }
        if (n == cap) {
            size_t c = cap ? 2 * cap : 32;
            char **p = csp_realloc(names, c * sizeof *p);
            if (!p) {
                err = CSP_ERR_NOMEM;
                break;
            }
            names = p;
            cap = c;
        }
        if (!(names[n] = csp_strdup(e->d_name))) {
            err = CSP_ERR_NOMEM;
            break;
        }
        n++;
    }
    *pnames = names;
    *pn = n;
    *pcap = cap;
    return err;
}

/* Is @p path "/" @p name a folder (followed through links)? */
static bool is_folder(const char *path, const char *name)
{
    char full[PATH_MAX];
    struct stat st;
    if ((size_t)snprintf(full, sizeof full, "%s/%s", *path ? path : "",
                         name) >= sizeof full)
        return false;
    return stat(full, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Every message file of Maildir folder @p path "/" @p box (new or cur),
 * in byte order of their names, whatever their names; hidden files and
 * what is not a file are skipped (I116). */
static csp_error walk_mailbox(walk *w, const char *path, const char *box)
{
    csp_error err = CSP_OK;
    char **names = NULL, why[128];
    size_t n = 0, cap = 0;
    size_t blen = strlen(path) + strlen(box) + 2;
    char *dir = csp_malloc(blen);
    if (!dir)
        return CSP_ERR_NOMEM;
    snprintf(dir, blen, "%s/%s", path, box);
    DIR *d = opendir(dir);
    if (!d) {
        err = errno == ENOMEM ? CSP_ERR_NOMEM
                              : folder_error(w, dir, CSP_D_READ,
                                             "cannot open the folder: %s",
                                             errno_text(errno, why,
                                                        sizeof why));
        free(dir);
        return err;
    }
    w->dirs_here++;
    if ((err = read_names(w, d, dir, &names, &n, &cap)) == CSP_OK && n > 1)
        qsort(names, n, sizeof *names, str_cmp);
    for (size_t i = 0; i < n && err == CSP_OK; i++) {
        struct stat st;
        size_t len = strlen(dir) + strlen(names[i]) + 2;
        char *full = csp_malloc(len);
        if (!full) {
            err = CSP_ERR_NOMEM;
            break;
        }
        snprintf(full, len, "%s/%s", dir, names[i]);
        if (names[i][0] == '.')
            err = skip(w, full, "hidden (the name starts with a dot)");
        else if (stat(full, &st) != 0 || !S_ISREG(st.st_mode))
            err = skip(w, full, "not a message file of the Maildir");
        else
            err = found_file(w, full);
        free(full);
    }
    closedir(d);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(dir);
    return err;
}

/* Every entry of folder @p path (@p depth below the folder named), in
 * byte order of their names. */
static csp_error walk_folder(walk *w, const char *path, size_t depth)
{
    csp_error err = CSP_OK;
    char **names = NULL, why[128];
    size_t n = 0, cap = 0;
    DIR *d = opendir(*path ? path : "/");
    if (!d && errno == ENOMEM)
        return CSP_ERR_NOMEM; /* the run fails, nothing is refused */
    if (!d && depth == 0)
        w->unopened = true;
    if (!d)
        return folder_error(w, path, CSP_D_READ,
                            "cannot open the folder: %s",
                            errno_text(errno, why, sizeof why));
    if ((err = read_names(w, d, path, &names, &n, &cap)) != CSP_OK)
        goto out;
    if (n > 1)
        qsort(names, n, sizeof *names, str_cmp);
    /* A folder below the one named that holds a pack csppack wrote is
     * that pack, not part of the inbox (a run inside the inbox writes
     * its pack into ./pack by default, and the next run reads the
     * inbox again). */
    if (depth > 0 && has_name(names, n, CSP_PACK_FILES_LIST)) {
        err = skip(w, path,
                   "a pack csppack wrote (it holds %s); its files are not "
                   "submissions",
                   CSP_PACK_FILES_LIST);
        goto out;
    }
    /* A pack's dataset beside its schema: its receipts are no inbox. */
    bool pack = has_name(names, n, "dataset.xml") &&
                has_name(names, n, "dataset.xsd");
    /* A Maildir: its new messages, then those seen (read/mail.h). */
    bool maildir = is_folder(path, "cur") && is_folder(path, "new");
    if (maildir && ((err = walk_mailbox(w, path, "new")) != CSP_OK ||
                    (err = walk_mailbox(w, path, "cur")) != CSP_OK))
        goto out;
    for (size_t i = 0; i < n && err == CSP_OK; i++) {
        bool box = maildir && (strcmp(names[i], "cur") == 0 ||
                               strcmp(names[i], "new") == 0);
        size_t len = strlen(path) + strlen(names[i]) + 2;
        char *full = box ? NULL : csp_malloc(len);
        if (box)
            continue;
        if (!full) {
            err = CSP_ERR_NOMEM;
            break;
        }
        snprintf(full, len, "%s/%s", path, names[i]);
        if (maildir && strcmp(names[i], "tmp") == 0)
            err = skip(w, full, "the Maildir's tmp folder (messages still "
                                "being delivered)");
        else
            err = walk_entry(w, full, names[i], depth, pack);
        free(full);
    }
out:
    closedir(d);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return err;
}

/* E119 on folder @p named when it gave no file. */
static csp_error nothing_to_read(walk *w)
{
    csp_diag proto = {.code = CSP_D_NOTHING_TO_READ, .file = (char *)w->named,
                      .line = 1};
    const char *advice = "name the folder the submissions were saved in";
    csp_diag *d;
    if (w->skipped_here)
        d = shown_add(w->diags, &proto,
                         "the folder holds no .xml or mail file, only "
                         "%zu entr%s "
                         "skipped (listed); %s",
                         w->skipped_here, w->skipped_here == 1 ? "y" : "ies",
                         advice);
    else if (w->dirs_here)
        d = shown_add(w->diags, &proto,
                         "the folder and its subfolders hold no file; %s",
                         advice);
    else
        d = shown_add(w->diags, &proto, "the folder is empty; %s", advice);
    return d ? CSP_OK : CSP_ERR_NOMEM;
}

/* Read folder @p named (@p st) and everything below it. */
static csp_error walk_named(walk *w, const char *named, const struct stat *st)
{
    csp_error err;
    size_t len = strlen(named);
    while (len > 0 && named[len - 1] == '/')
        len--;
    char *root = csp_strndup(named, len);
    if (!root)
        return CSP_ERR_NOMEM;
    csp_path_list *l = w->out;
    char **r = csp_realloc(l->roots, (l->nroots + 1) * sizeof *r);
    if (!r) {
        free(root);
        return CSP_ERR_NOMEM;
    }
    l->roots = r;
    l->roots[l->nroots++] = root;
    /* Named twice (or inside a folder named before): read once, as a
     * file named twice is. */
    if (seen(w, st))
        return CSP_OK;
    w->named = named;
    w->root = root;
    w->root_len = len;
    w->files_here = w->skipped_here = w->dirs_here = 0;
    w->unopened = false;
    if ((err = see(w, root, st)) != CSP_OK)
        return err;
    err = walk_folder(w, root, 0);
    /* A folder that cannot be opened has its E101 already. */
    if (err == CSP_OK && w->files_here == 0 && !w->unopened)
        err = nothing_to_read(w);
    return err;
}

/* Expand files and folders into files. */
csp_error csp_paths_expand(const char *const *paths, size_t n,
                           size_t max_files, csp_path_list *out,
                           csp_diag_list *diags)
{
    csp_error err = CSP_OK;
    walk w = {.out = out, .diags = diags, .max_files = max_files};
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n && err == CSP_OK; i++) {
        /* Far beyond the bound even counting repeats: stop here. */
        if (max_files && out->count > 2 * max_files &&
            (err = paths_unique(out)) == CSP_OK && out->count > max_files)
            err = too_many_files(paths[i - 1], max_files, diags);
        if (err != CSP_OK)
            break;
        struct stat st;
        if (stat(paths[i], &st) != 0 || !S_ISDIR(st.st_mode))
            err = path_push(out, paths[i], false);
        else
            err = walk_named(&w, paths[i], &st);
    }
    if (err == CSP_OK && w.unlisted) {
        csp_diag proto = {.code = CSP_D_SKIPPED,
                          .file = (char *)(n ? paths[n - 1] : "")};
        if (!shown_add(diags, &proto,
                          "skipped: %zu more entr%s of the folders named, "
                          "not listed one by one",
                          w.unlisted, w.unlisted == 1 ? "y" : "ies"))
            err = CSP_ERR_NOMEM;
    }
    if (err == CSP_OK)
        err = paths_unique(out);
    if (err == CSP_OK && max_files && out->count > max_files)
        err = too_many_files(n ? paths[n - 1] : "", max_files, diags);
    if (err == CSP_OK && out->nroots > 1)
        qsort(out->roots, out->nroots, sizeof *out->roots, str_cmp);
    for (size_t i = 0; i < w.capdirs; i++)
        free(w.dirs[i].name);
    free(w.dirs);
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
    for (size_t i = 0; i < list->nroots; i++)
        free(list->roots[i]);
    free(list->paths);
    free(list->file_ids);
    free(list->found);
    free(list->roots);
    memset(list, 0, sizeof *list);
}
