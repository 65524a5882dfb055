/*
 * Safe loading of XML from outside.
 *
 * A file is loaded once into memory (never more than the size limit), its
 * SHA-256 is taken from exactly those bytes, and the XML readers parse
 * exactly those bytes: no file-name reader, so no silent gunzip; no
 * network; no entity expansion; any DOCTYPE refused.
 */
#ifndef CSPPACK_XMLREAD_H
#define CSPPACK_XMLREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csppack/base/error.h"
#include "csppack/base/workers.h"
#include "csppack/model/diag.h"
#include "csppack/model/submission.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Default size limit for one input file: 64 MiB. */
#define CSP_DEFAULT_MAX_FILE_SIZE ((size_t)64 * 1024 * 1024)
/** Default bound on obs + update elements in one file. */
#define CSP_DEFAULT_MAX_ITEMS ((size_t)1000000)
/** Default bound on one text (a note, a progress statement), in bytes. */
#define CSP_DEFAULT_MAX_TEXT ((size_t)4 * 1024 * 1024)
/** Default bound on the number of files one run reads. */
#define CSP_DEFAULT_MAX_FILES ((size_t)100000)

/** Bounds on what one run reads, and how many files it reads at once. */
typedef struct csp_read_options {
    size_t max_file_size;   /**< bytes in one file */
    size_t max_items;       /**< obs + update elements in one file */
    size_t max_text;        /**< bytes in one text node */
    size_t max_files;       /**< files named for one run (after expanding
                                 folders); see csp_paths_expand */
    /** Threads that read files at once (csp_submission_read_all,
     *  csp_validate_paths): 0 for one per online processor, at most 8;
     *  never more than CSP_WORKERS_MAX.  The results never depend on it. */
    unsigned threads;
    /** Refuse a submission from mail whose sender's domain is not one of
     *  its agency's (E506) rather than warn (W505): --strict-senders,
     *  read/sender.h. */
    bool strict_senders;
} csp_read_options;

/** Fill @p opt with the defaults above (threads 0). */
void csp_read_options_init(csp_read_options *opt);

/** A file's bytes, loaded after the byte-level checks. */
typedef struct csp_input {
    char *path;                       /**< as the user named it */
    unsigned char *data;              /**< NUL-terminated for convenience */
    size_t size;
    char sha256[CSP_SHA256_HEX];      /**< lower-case hex */
} csp_input;

/**
 * Load @p path into @p out.  A file that cannot be read, is over the limit,
 * is compressed, or is empty gets its diagnostic in @p diags and
 * CSP_ERR_INVALID; CSP_ERR_NOMEM only when memory ran out.  The file is
 * opened read-only and never modified.  On success caller frees @p out
 * with csp_input_free.
 */
csp_error csp_input_load(const char *path, const csp_read_options *opt,
                         csp_input *out, csp_diag_list *diags)
    CSP_MUST_CHECK;

/**
 * Wrap bytes already in memory (copied) as an input named @p name.
 * Performs the same byte-level checks as csp_input_load.  @p data may be
 * NULL when @p size is 0 (an empty attachment: E104).
 */
csp_error csp_input_from_memory(const char *name, const void *data,
                                size_t size, const csp_read_options *opt,
                                csp_input *out, csp_diag_list *diags)
    CSP_MUST_CHECK;

/** Release what csp_input_load allocated (NULL or zeroed is fine). */
void csp_input_free(csp_input *in);

/** SHA-256 of @p size bytes as lower-case hex. */
void csp_sha256_hex(const void *data, size_t size, char out[CSP_SHA256_HEX]);

/** Whether file name @p name ends in @p ext (".xml", with its dot) and
 *  is longer than it, in any letter case: how files are judged by name,
 *  in folders (csp_paths_expand) and in mail (read/mail.h). */
bool csp_name_ends(const char *name, const char *ext);

/** Most folders below a folder named that csp_paths_expand reads into. */
#define CSP_MAX_FOLDER_DEPTH 16

/** The list a pack keeps of the files csppack wrote into it (outdir.h).
 *  A folder below a folder named that holds one is a pack, not part of
 *  the inbox: csp_paths_expand skips it whole (I116). */
#define CSP_PACK_FILES_LIST ".csppack-files"

/** A list of file paths (owned strings). */
typedef struct csp_path_list {
    char **paths;
    size_t count;
    size_t capacity;
    uint64_t *file_ids;   /**< internal: device and inode of each path, to
                               list one file once however it is named */
    bool *found;          /**< found[i]: paths[i] was found in a folder,
                               not named itself */
    char **roots;         /**< the folders named, each without its
                               trailing '/' ("/" is ""), in byte order:
                               see csp_path_name in
                               model/dataset.h */
    size_t nroots;
} csp_path_list;

/**
 * Expand what the user named into files.  A file stands for itself,
 * whatever its name and kind (csp_input_load refuses what is not a
 * regular file; its bytes say whether it is mail: read/mail.h).  A
 * folder stands for every entry in it and its subfolders, to
 * CSP_MAX_FOLDER_DEPTH below it, whose name ends in ".xml", ".eml",
 * ".mbox" or ".msg" (any case) and that is not a folder, each folder's
 * entries in byte order of their names.  A folder holding both cur/ and
 * new/ is a Maildir: every file in new/, then every file in cur/ (each
 * in byte order of names, hidden ones skipped), whatever their names;
 * its tmp/ is skipped (I116); its other entries are read as any
 * folder's.  Every other entry is skipped with an I116 diagnostic saying
 * why (hidden, not .xml, .eml, .mbox or .msg, a link to a folder already
 * read, a csppack pack's receipts), except a folder too deep (E118); a
 * folder named that yields no file gets E119.  A named path that does
 * not exist is still listed (csp_input_load reports it).  One file named
 * twice (the same device and inode) is listed once, where it was first
 * named.  More than @p max_files files (0: no bound) is an E115
 * diagnostic on the path that passed the bound and CSP_ERR_LIMIT, with
 * @p out empty: nothing of such a run may be read.  More than
 * @p max_files skipped entries are counted, not listed.
 * Caller frees @p out with csp_path_list_free.
 */
csp_error csp_paths_expand(const char *const *paths, size_t n,
                           size_t max_files, csp_path_list *out,
                           csp_diag_list *diags)
    CSP_MUST_CHECK;

/** Free a path list (NULL is fine). */
void csp_path_list_free(csp_path_list *list);

/** Which kind of document @p in holds (by the root element's namespace;
 *  csp_doc_kind is in model/submission.h). */
csp_doc_kind csp_input_sniff(const csp_input *in);

#ifdef __cplusplus
}
#endif
#endif
