/* csppack: writing the whole pack into one folder, all or nothing. */
#include "csppack/pack/pack.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/write/csv.h"
#include "csppack/write/dataset_xml.h"
#include "csppack/write/html/html.h"
#include "csppack/pack/outdir.h"
#include "csppack/reconcile/keyfindings.h"
#include "csppack/reconcile/returns.h"
#include "csppack/write/receipts.h"
#include "csppack/write/receipts/eml.h"
#include "csppack/write/workbook/lxwerr.h"
#include "csppack/base/workers.h"

extern const unsigned char csp_embedded_dataset_xsd[];
extern const size_t csp_embedded_dataset_xsd_len;

/* A writer of one output file. */
typedef csp_error (*write_fn)(const csp_dataset *ds, FILE *out);

/* Write the dataset's XSD beside it, so the archive is self-describing. */
static csp_error write_xsd(const csp_dataset *ds, FILE *out)
{
    (void)ds;
    if (fwrite(csp_embedded_dataset_xsd, 1, csp_embedded_dataset_xsd_len,
               out) != csp_embedded_dataset_xsd_len)
        return CSP_ERR_IO;
    return CSP_OK;
}

/* Tell the caller what is being written. */
static void progress(const csp_pack_options *opt, const char *name)
{
    if (opt->progress)
        opt->progress(opt->progress_ctx, name);
}

/* Write one file into the private folder with fn (or the receipt of
 * @p agency, with the chase list @p ret: its reply draft with @p eml). */
static csp_error write_file(csp_outdir *od, const char *name,
                            const csp_dataset *ds, write_fn fn,
                            const char *agency, const csp_returns *ret,
                            bool eml, csp_pack_result *res)
{
    csp_error err = CSP_OK;
    FILE *f = csp_outdir_create(od, name, &err, &res->why);
    if (!f)
        return err;
    csp_error werr = fn    ? fn(ds, f)
                     : eml ? csp_receipt_eml_write(ds, agency, ret, f)
                           : csp_receipt_write(ds, agency, ret, f);
    /* Close (and check) first: a write error shows there with its cause. */
    if ((err = csp_outdir_close(od, f, &res->why)) != CSP_OK)
        return err;
    if (werr == CSP_OK)
        res->files++;
    return werr;
}

/* The chase list of the board pack's period. */
csp_error csp_pack_returns(const csp_dataset *ds,
                           const csp_report_options *report,
                           csp_returns *out, bool *has)
{
    csp_period period;
    memset(out, 0, sizeof *out);
    *has = false;
    if (report && report->has_period)
        period = report->period;
    else if (!csp_pack_default_period(ds, &period))
        return CSP_OK;
    if (!csp_period_is_quarter(period))
        return CSP_OK;
    csp_error err = csp_returns_compute(ds, period, out);
    *has = err == CSP_OK;
    return err;
}

/* The chase list the receipts end with: opt->returns, else worked out
 * into @p own (csp_pack_returns); NULL when there is none.  *err:
 * CSP_ERR_NOMEM. */
static const csp_returns *pack_returns(const csp_dataset *ds,
                                       const csp_pack_options *opt,
                                       csp_returns *own, csp_error *err)
{
    bool has;
    *err = CSP_OK;
    if (opt->returns)
        return opt->returns;
    *err = csp_pack_returns(ds, opt->report, own, &has);
    return has ? own : NULL;
}

/* The data part: dataset, schema, CSV files, receipts. */
static csp_error write_data(csp_outdir *od, const csp_dataset *ds,
                            const csp_pack_options *opt, csp_pack_result *res)
{
    static const struct {
        const char *name;
        write_fn fn;
    } files[] = {
        {CSP_PACK_DATASET, csp_dataset_write_xml},
        {CSP_PACK_DATASET_XSD, write_xsd},
        {"observations.csv", csp_csv_write_observations},
        {"discrepancies.csv", csp_csv_write_discrepancies},
        {"actions.csv", csp_csv_write_actions},
    };
    csp_error err = CSP_OK;
    csp_receipt_list receipts = {0};
    csp_returns own = {0};
    const csp_returns *ret = NULL;
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        progress(opt, files[i].name);
        if ((err = write_file(od, files[i].name, ds, files[i].fn, NULL, NULL,
                              false, res)))
            goto out;
    }
    progress(opt, CSP_PACK_RECEIPTS "/");
    ret = pack_returns(ds, opt, &own, &err);
    if (err != CSP_OK ||
        (err = csp_receipts_list(ds, ret, &receipts)) != CSP_OK ||
        (err = csp_outdir_mkdir(od, CSP_PACK_RECEIPTS, &res->why)) != CSP_OK)
        goto out;
    for (size_t i = 0; i <= receipts.count; i++) {
        if (i == receipts.count && !receipts.unknown)
            break;
        const char *agency = i < receipts.count ? receipts.agencies[i] : NULL;
        char name[CSP_RECEIPT_NAME_MAX], path[CSP_RECEIPT_NAME_MAX + 16];
        csp_receipt_file_name(ds, agency, name);
        snprintf(path, sizeof path, CSP_PACK_RECEIPTS "/%s", name);
        if ((err = write_file(od, path, ds, NULL, agency, ret, false, res)))
            goto out;
        res->receipts++;
        /* The reply draft beside it; the unknown receipt is the
         * coordinator's own and has none. */
        if (!agency)
            continue;
        csp_receipt_eml_name(agency, name);
        snprintf(path, sizeof path, CSP_PACK_RECEIPTS "/%s", name);
        if ((err = write_file(od, path, ds, NULL, agency, ret, true, res)))
            goto out;
        res->receipts++;
    }
out:
    csp_returns_free(&own);
    csp_receipt_list_free(&receipts);
    return err;
}

/* The workbook, written by libxlsxwriter to a path reserved in the folder,
 * on a thread of its own when there are two processors: at 200 MiB of
 * submissions it takes as long as the rest of the pack together.
 * libxlsxwriter's own lines on stderr are held back from before the
 * thread starts until after it has ended (csp_workbook_hold); our own
 * progress lines go to opt->progress meanwhile. */
typedef struct wb_job {
    const csp_dataset *ds;
    csp_workbook_options opt;
    char *path;             /* reserved in the private folder */
    csp_error err;
    csp_workbook_result wr;
    csp_why why;            /* what csp_workbook_write says */
    csp_workbook_hold hold;
    pthread_t thread;
    bool threaded;
} wb_job;

static void *wb_run(void *arg)
{
    wb_job *j = arg;
    j->err = csp_workbook_write(j->ds, j->path, &j->opt, &j->wr, &j->why);
    return NULL;
}

/* Reserve the workbook's path, hold stderr back, and start writing it: on
 * a thread when @p threaded (and one can be started), else here; @p why
 * says why it could not start. */
static csp_error wb_start(wb_job *j, csp_outdir *od, const csp_dataset *ds,
                          const csp_pack_options *opt, bool threaded,
                          csp_why *why)
{
    csp_error err = CSP_OK;
    memset(j, 0, sizeof *j);
    j->ds = ds;
    if (opt->workbook)
        j->opt = *opt->workbook;
    else
        csp_workbook_options_init(&j->opt);
    /* The workbook's Returns sheet and marks are about the board pack's
     * period, and it prints the same marking: the report's, unless the
     * caller gave the workbook its own. */
    if (opt->report && opt->report->has_period && !j->opt.has_period) {
        j->opt.has_period = true;
        j->opt.period = opt->report->period;
    }
    if (opt->report && opt->report->marking && !j->opt.marking)
        j->opt.marking = opt->report->marking;
    if (!(j->path = csp_outdir_reserve(od, CSP_PACK_WORKBOOK, &err, why)))
        return err;
    if ((err = csp_workbook_hold_begin(&j->hold)) != CSP_OK) {
        free(j->path);
        j->path = NULL;
        return err;
    }
    if (threaded) {
        /* The thread takes no signals: SIGINT and the others that make
         * the folder clean itself up (csp_outdir_catch_signals) reach the
         * calling thread, which holds them off while it changes the
         * folder's records.  A thread starts with its creator's mask. */
        sigset_t all, old;
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old);
        j->threaded = pthread_create(&j->thread, NULL, wb_run, j) == 0;
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    }
    if (!j->threaded)
        wb_run(j);
    return CSP_OK;
}

/* Wait for the workbook, give stderr back, and check what was written;
 * on failure res->why says why (unless @p quiet: another part failed
 * first and its reason stands). */
static csp_error wb_finish(wb_job *j, csp_outdir *od, bool quiet,
                           csp_pack_result *res)
{
    csp_error err;
    if (j->threaded)
        pthread_join(j->thread, NULL);
    err = csp_workbook_hold_end(&j->hold, j->err, &j->why);
    free(j->path);
    if (err != CSP_OK) {
        /* The writer's reason may itself begin "writing the workbook: ".
         * It comes before a report's, which gives way. */
        static const char again[] = "writing the workbook: ";
        const char *d = csp_why_text(&j->why, err);
        if (strncmp(d, again, sizeof again - 1) == 0)
            d += sizeof again - 1;
        if (!quiet) {
            csp_why_clear(&res->why);
            csp_why_set(&res->why, "writing the workbook failed: %s", d);
        }
        return err;
    }
    res->excerpted = j->wr.excerpted;
    csp_why sync;
    csp_why_clear(&sync);
    if ((err = csp_outdir_sync(od, CSP_PACK_WORKBOOK, &sync)) == CSP_OK)
        res->files++;
    else if (!quiet)
        res->why = sync; /* before a report's reason, if any */
    return err;
}

/* Say that report @p name is being written and create its file; NULL
 * with *err set (and res->why) when it cannot be. */
static FILE *open_report(csp_outdir *od, const char *name,
                         const csp_pack_options *opt, csp_pack_result *res,
                         csp_error *err)
{
    progress(opt, name);
    return csp_outdir_create(od, name, err, &res->why);
}

/* Close a report's file and count it: the close's failure first, then
 * the writer's (@p werr, @p why says why). */
static csp_error close_report(csp_outdir *od, FILE *f, const char *name,
                              csp_error werr, const csp_why *why,
                              csp_pack_result *res)
{
    csp_error err = csp_outdir_close(od, f, &res->why);
    if (err != CSP_OK)
        return err;
    if (werr != CSP_OK) {
        csp_why_set(&res->why, "writing %s failed: %s", name,
                    csp_why_text(why, werr));
        return werr;
    }
    res->files++;
    return CSP_OK;
}

/* The accessible HTML version of a report, from the document its PDF
 * recorded. */
static csp_error write_html(csp_outdir *od, const csp_doc *doc,
                            const char *name, const csp_pack_options *opt,
                            csp_pack_result *res)
{
    csp_error err = CSP_OK;
    FILE *f = open_report(od, name, opt, res, &err);
    if (!f)
        return err;
    csp_why why;
    csp_why_clear(&why);
    csp_error werr = csp_html_write(doc, f, &why);
    return close_report(od, f, name, werr, &why, res);
}

/* One PDF report, then its HTML version (@p html_name). */
static csp_error write_report(csp_outdir *od, const csp_dataset *ds,
                              csp_report_kind kind, const char *name,
                              const char *html_name,
                              const csp_pack_options *opt,
                              csp_pack_result *res)
{
    csp_error err = CSP_OK;
    FILE *f = open_report(od, name, opt, res, &err);
    if (!f)
        return err;
    csp_why why;
    csp_why_clear(&why);
    /* --period is about the quarterly board pack; the yearly strategy
     * document always covers the latest year the data holds.  The PDF
     * records its content for the HTML version and names that file. */
    csp_report_options ropt = {0};
    if (opt->report)
        ropt = *opt->report;
    if (kind == CSP_REPORT_STRATEGY)
        ropt.has_period = false;
    /* The strategy report is the one a partnership archives: PDF/A-2b. */
    if (kind == CSP_REPORT_STRATEGY)
        ropt.archive = true;
    csp_doc *doc = NULL;
    ropt.doc = &doc;
    ropt.html_name = html_name;
    csp_error werr = csp_report_render(ds, kind, &ropt, f, &why);
    if ((err = close_report(od, f, name, werr, &why, res)) == CSP_OK)
        err = write_html(od, doc, html_name, opt, res);
    csp_doc_free(doc);
    return err;
}

/* Write the pack, all or nothing. */
csp_error csp_pack_write(const csp_dataset *ds, const char *dir,
                         const csp_pack_options *opt, csp_pack_result *res)
{
    csp_error err = CSP_OK;
    memset(res, 0, sizeof *res);
    csp_outdir *od = csp_outdir_new(dir);
    if (!od) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    /* Catch the signals first: a run stopped while it creates its
     * private folder removes it too. */
    if (opt->catch_signals && (err = csp_outdir_catch_signals(od)) != CSP_OK)
        goto out;
    csp_outdir_on_wait(od, opt->waiting, opt->waiting_ctx);
    if ((err = csp_outdir_begin(od, &res->why)) != CSP_OK)
        goto out;
    res->touched = true;
    /* The workbook is written beside the other parts when there are two
     * processors (opt->threads).  The parts are still announced in the
     * order below, and the first to fail in that order gives the reason. */
    wb_job wb;
    bool wb_beside = false;
    if ((opt->parts & CSP_PACK_PART_WORKBOOK) &&
        (opt->parts & ~(unsigned)CSP_PACK_PART_WORKBOOK) &&
        csp_workers_count(opt->threads, 2) > 1) {
        if ((err = wb_start(&wb, od, ds, opt, true, &res->why)) != CSP_OK)
            goto out;
        wb_beside = true;
    }
    if (opt->parts & CSP_PACK_PART_DATA)
        err = write_data(od, ds, opt, res);
    csp_error before_workbook = err;
    if (err == CSP_OK && (opt->parts & CSP_PACK_PART_WORKBOOK)) {
        progress(opt, CSP_PACK_WORKBOOK);
        if (!wb_beside &&
            (err = wb_start(&wb, od, ds, opt, false, &res->why)) == CSP_OK)
            err = wb_finish(&wb, od, false, res);
    }
    if (err == CSP_OK && (opt->parts & CSP_PACK_PART_BOARD))
        err = write_report(od, ds, CSP_REPORT_BOARD, CSP_PACK_BOARD,
                           CSP_PACK_BOARD_HTML, opt, res);
    if (err == CSP_OK && (opt->parts & CSP_PACK_PART_STRATEGY))
        err = write_report(od, ds, CSP_REPORT_STRATEGY, CSP_PACK_STRATEGY,
                           CSP_PACK_STRATEGY_HTML, opt, res);
    if (wb_beside) {
        /* The workbook comes after the data part and before the reports. */
        csp_error werr = wb_finish(&wb, od, before_workbook != CSP_OK, res);
        if (before_workbook == CSP_OK && werr != CSP_OK)
            err = werr;
    }
    if (err != CSP_OK)
        goto out;
    progress(opt, NULL);
    err = csp_outdir_commit(od, &res->why);
out:
    if (err != CSP_OK)
        csp_why_set(&res->why, "%s", csp_strerror(err)); /* when unsaid */
    csp_outdir_free(od);
    return err;
}
