#!/bin/sh
# Submissions that arrive by mail (issue 18, doc/mail.md):
#
#   - every command reads saved messages (.eml), mboxes and Maildir
#     folders: each XML attachment, base64 or quoted-printable, in nested
#     multiparts or a forwarded message, is a submission named
#     CONTAINER/NAME (CONTAINER#N/NAME in an mbox), two of one name in a
#     message "NAME (2).xml";
#   - the samples sent as an mbox build the same observations.csv,
#     discrepancies.csv and actions.csv as the bare files (the file-name
#     column aside), and validate counts the same figures;
#   - a message with no XML attachment is W501, an attachment that is no
#     submission I502 saying why, an Outlook .msg E504, garbage or a cut
#     message E503, parts nested too deep E503, each line exact;
#   - the same attachment reached twice is one submission (I401);
#   - the number of threads changes nothing.

. "$(dirname "$0")/lib.sh"
test_setup mail
PY=/usr/bin/python3
fail_lines=20
TPL=$TEMPLATES_DIR/dg-csp-2016-19.xml
SAMPLES=$SAMPLES_DIR
[ -d "$SAMPLES/dartford-gravesham" ] && SAMPLES=$SAMPLES/dartford-gravesham
SOURCE_DATE_EPOCH=1500000000
export SOURCE_DATE_EPOCH

# figures_same NAME A B: CSV files A and B are the same but for the
# file-name column ("file"), whose value may also be quoted in a message.
figures_same() {
    if "$PY" - "$2" "$3" <<'PYEOF'
import csv, sys
def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        r = list(csv.reader(f))
    head, out = r[0], []
    k = head.index("file") if "file" in head else None
    for row in r[1:]:
        if k is not None:
            name = row[k]
            row = [c.replace(name, "FILE") if name else c for c in row]
            row[k] = "FILE"
        out.append(row)
    return head, out
sys.exit(0 if rows(sys.argv[1]) == rows(sys.argv[2]) else 1)
PYEOF
    then
        ok "$1"
    else
        fail "$1" "$2 and $3 differ beyond the file names: $(diff "$2" "$3" | head -6 | tr '\n' '|')"
    fi
}

cd "$tmp" || exit 99
if ! "$PY" "$here/make_mail.py" "$SAMPLES" mail >make.err 2>&1; then
    fail "make-mail" "make_mail.py failed: $(head -5 make.err | tr '\n' '|')"
    test_finish
fi
cp -R "$SAMPLES" bare

# ---- the acceptance test: the samples as an mbox, as bare files
run build --template "$TPL" bare --out pack-bare
expect "build-bare" 0
run build --template "$TPL" mail/samples.mbox --out pack-mbox
expect "build-mbox" 0
for f in observations.csv discrepancies.csv actions.csv; do
    # The figures must match whatever the file column says.
    figures_same "mbox-same-$f" pack-bare/$f pack-mbox/$f
done
# The mail provenance in the Submissions sheet, and each receipt a reply
# draft to the message its agency sent.
if "$PY" "$here/check_mail_pack.py" pack-mbox \
    mail/samples.mbox >check.out 2>&1; then
    ok "mbox-provenance-and-replies"
else
    fail "mbox-provenance-and-replies" "$(head -3 check.out)"
fi
run validate --template "$TPL" bare
sed 's/^[^:]*: //' out | grep '^valid' | sort >bare.counts
run validate --template "$TPL" mail/samples.mbox
expect "validate-mbox" 0
sed 's/^[^:]*: //' out | grep '^valid' | sort >mbox.counts
if [ -s bare.counts ] && [ "$(wc -l <bare.counts)" -eq 7 ]; then
    same "validate-mbox-counts" bare.counts mbox.counts
else
    fail "validate-mbox-counts" "validate of the bare files gave no 7 lines"
fi
has_line "mbox-path" out \
    "mail/samples.mbox#4/kcc-2016q2.xml: valid: 42 figures and 11 updates"
# validate makes build's checks of each attachment alone, as of a file.
grep ' W409: ' out | sed 's/^[^:]*:/FILE:/' >mbox.w409
run validate --template "$TPL" bare
grep ' W409: ' out | sed 's/^[^:]*:/FILE:/' >bare.w409
if [ -s bare.w409 ]; then
    same "validate-mbox-own-checks" bare.w409 mbox.w409
else
    fail "validate-mbox-own-checks" "validate of the bare files gave no W409"
fi
# One .eml per agency, in a folder: the same figures again.
run build --template "$TPL" mail/eml --out pack-eml
expect "build-eml-folder" 0
for f in observations.csv discrepancies.csv actions.csv; do
    figures_same "eml-folder-same-$f" pack-bare/$f pack-eml/$f
done

# ---- transfer encodings, nesting, forwarding, a Maildir
for m in b64 qp nested fwd; do
    run validate --template "$TPL" mail/$m.eml
    expect "$m-valid" 0
    has_line "$m-read" out \
        "mail/$m.eml/dartford-bc-2016q2.xml: valid: 21 figures and 11 updates"
done
run validate --template "$TPL" mail/maildir
expect "maildir-valid" 0
exactly "maildir-new-then-cur" out \
"mail/maildir/new/1479470000.M1P1.host/dgs-ccg-2016q2.xml: valid: 9 figures and 4 updates
mail/maildir/cur/1479470100.M2P2.host:2,S/gravesham-bc-2016q2.xml: valid: 21 figures and 9 updates"
has_line "maildir-tmp-skipped" err \
    "mail/maildir/tmp: info: I116: skipped: the Maildir's tmp folder (messages still being delivered)"
# A Maildir message file named alone: sniffed by its bytes, not its name.
run validate --template "$TPL" "mail/maildir/cur/1479470100.M2P2.host:2,S"
expect "maildir-file-valid" 0
run validate --template "$TPL" mail/twice.eml
exactly "one-name-twice" out \
"mail/twice.eml/return.xml: valid: 21 figures and 11 updates
mail/twice.eml/return (2).xml:5: warning: W505: the message came from csu.performance@dartford-bc.example, not from Dartford, Gravesham and Swanley Clinical Commissioning Group's email domains in the template (nhs.net and dgs-ccg.nhs.example); check with Dartford, Gravesham and Swanley Clinical Commissioning Group that the submission is theirs, and add the sender's domain to email-domains= in the template if it is
mail/twice.eml/return (2).xml: valid: 9 figures and 4 updates"

# An empty XML attachment (GMime gives no bytes at all): E104, as an
# empty file, never a crash (found by fuzz/fuzz_mail under UBSan).
run validate --template "$TPL" mail/empty.eml
expect "empty-refused" 1
exactly "empty-e104" out \
"mail/empty.eml/empty.xml:1: error: E104: the file is empty; send the submission again
mail/empty.eml/empty.xml: refused: submission with 1 problem; nothing in it was used"

# ---- who sent it: a foreign domain (warned, or refused with
# --strict-senders), an Authentication-Results failure (warned)
run validate --template "$TPL" mail/foreign.eml
expect "foreign-valid" 0
exactly "foreign-w505" out \
"mail/foreign.eml/dartford-bc-2016q2.xml:5: warning: W505: the message came from someone@elsewhere.example, not from Dartford Borough Council's email domains in the template (dartford.gov.uk and dartford-bc.example); check with Dartford Borough Council that the submission is theirs, and add the sender's domain to email-domains= in the template if it is
mail/foreign.eml/dartford-bc-2016q2.xml: valid: 21 figures and 11 updates"
run validate --template "$TPL" --strict-senders mail/foreign.eml
expect "foreign-strict" 1
exactly "foreign-e506" out \
"mail/foreign.eml/dartford-bc-2016q2.xml:5: error: E506: the message came from someone@elsewhere.example, not from Dartford Borough Council's email domains in the template (dartford.gov.uk and dartford-bc.example), so it is refused (--strict-senders); ask Dartford Borough Council to send it from their own address, or add the sender's domain to email-domains= in the template if it is theirs
mail/foreign.eml/dartford-bc-2016q2.xml: refused: submission with 1 problem; nothing in it was used"
run validate --template "$TPL" mail/authfail.eml
expect "authfail-valid" 0
exactly "authfail-w507" out \
"mail/authfail.eml/dartford-bc-2016q2.xml:5: warning: W507: the mail server mx.partnership.example recorded \"dkim=fail (signature did not verify) header.d=dartford-bc.example\" in the message's Authentication-Results: the message may not be from the address it shows; csppack cannot verify signatures offline, so check with Dartford Borough Council that they sent it
mail/authfail.eml/dartford-bc-2016q2.xml:5: warning: W507: the mail server mx.partnership.example recorded \"spf=softfail smtp.mailfrom=dartford-bc.example\" in the message's Authentication-Results: the message may not be from the address it shows; csppack cannot verify signatures offline, so check with Dartford Borough Council that they sent it
mail/authfail.eml/dartford-bc-2016q2.xml: valid: 21 figures and 11 updates"

# ---- what is not a submission, with why
run validate --template "$TPL" mail/noxml.eml
expect "noxml-exit" 1
exactly "noxml-w501" out \
'mail/noxml.eml:1: warning: W501: the message from Tom Ellery <csu.performance@dartford-bc.example> of Fri, 18 Nov 2016 12:00:00 +0000, subject "Figures to follow" has no XML attachment, so no submission: if it should carry one, ask the sender to attach the submission'"'"'s .xml file
mail/noxml.eml: no submission: the mail has no XML attachment'
run validate --template "$TPL" mail/pdf.eml
has_line "pdf-i502" out \
  'mail/pdf.eml:1: info: I502: the attachment "figures.pdf" (application/pdf) of the message from Tom Ellery <csu.performance@dartford-bc.example> of Fri, 18 Nov 2016 12:01:00 +0000, subject "Our figures" is a PDF document, not a submission: ask the sender to attach the submission'"'"'s .xml file'
has_line "xlsx-i502" out \
  'mail/pdf.eml:1: info: I502: the attachment "figures.xlsx" (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet) of the message from Tom Ellery <csu.performance@dartford-bc.example> of Fri, 18 Nov 2016 12:01:00 +0000, subject "Our figures" is an Excel workbook, not the XML submission: csppack reads the submission'"'"'s .xml file (the agency'"'"'s blank, filled in), never a workbook; ask the sender to attach that .xml file'
run validate --template "$TPL" mail/return.msg
expect "msg-exit" 1
exactly "msg-e504" out \
'mail/return.msg:1: error: E504: the file is an Outlook message (.msg), which csppack cannot read: save the submission'"'"'s .xml attachment itself (in Outlook, right-click the attachment, Save As) and give that file; or convert the message to .eml with msgconvert (Debian package libemail-outlook-message-perl): "msgconvert FILE.msg" writes FILE.eml
mail/return.msg: refused: the mail could not be read; no submission was read from it'
run validate --template "$TPL" mail/garbage.eml
expect "garbage-exit" 1
has_line "garbage-e503" out \
  'mail/garbage.eml:1: error: E503: the file is named as a mail message but does not start with mail header lines (From:, Date:, Subject:...): save the message again from the mail program as .eml'
run validate --template "$TPL" mail/cut.eml
expect "cut-exit" 1
has_line "cut-e503" out \
  'mail/cut.eml:1: error: E503: the message is cut short (a part has no end); nothing in it was read: save the message again from the mail program, whole'
run validate --template "$TPL" mail/deep.eml
expect "deep-exit" 1
has_line "deep-e503" out \
  'mail/deep.eml:1: error: E503: the message from Tom Ellery <csu.performance@dartford-bc.example> of Fri, 18 Nov 2016 12:03:00 +0000, subject "Return (deep)" has parts nested more than 16 deep (multiparts or forwarded messages); nothing in it was read: forward the submission'"'"'s .xml file attached to a new message'
has_line "deep-nothing-read" out \
  'mail/deep.eml: refused: the mail could not be read; no submission was read from it'
# Build lists them too, and still builds from the rest.
run build --template "$TPL" mail/samples.mbox mail/noxml.eml mail/return.msg \
    --out pack-odd
expect "build-with-odd-mail" 1
if [ -s pack-odd/observations.csv ]; then
    ok "build-with-odd-mail-wrote"
else
    fail "build-with-odd-mail-wrote" "no pack written"
fi
has_line "build-w501" out \
  'mail/noxml.eml:1: warning: W501: the message from Tom Ellery <csu.performance@dartford-bc.example> of Fri, 18 Nov 2016 12:00:00 +0000, subject "Figures to follow" has no XML attachment, so no submission: if it should carry one, ask the sender to attach the submission'"'"'s .xml file'
if grep -q '^mail/return.msg:1: error: E504: ' out; then
    ok "build-e504"
else
    fail "build-e504" "no E504 for the .msg"
fi
figures_same "odd-mail-same-observations" pack-bare/observations.csv \
    pack-odd/observations.csv

# ---- one attachment reached twice is one submission
mkdir dup
cp "$SAMPLES/kcc-2016q2.xml" dup/
cp mail/eml/kcc-2016q2.eml dup/
run build -v --template "$TPL" mail/samples.mbox dup --out pack-dup
expect "dup-build" 0
if [ "$(grep -c ': info: I401: ' out)" -eq 2 ]; then
    ok "dup-i401-twice"
else
    fail "dup-i401-twice" "$(grep -c ': info: I401: ' out) I401 lines, not 2"
fi
sha=$(sha256sum "$SAMPLES/kcc-2016q2.xml" | cut -c1-12)
has_line "dup-i401-bare" out \
  "dup/kcc-2016q2.xml: info: I401: kcc-2016q2.xml is byte-identical to kcc-2016q2.eml/kcc-2016q2.xml (SHA-256 $sha...); it is counted once, as kcc-2016q2.eml/kcc-2016q2.xml"
has_line "dup-i401-mbox" out \
  "mail/samples.mbox#4/kcc-2016q2.xml: info: I401: kcc-2016q2.xml is byte-identical to kcc-2016q2.eml/kcc-2016q2.xml (SHA-256 $sha...); it is counted once, as kcc-2016q2.eml/kcc-2016q2.xml"
figures_same "dup-same-observations" pack-bare/observations.csv \
    pack-dup/observations.csv
# Named the other way round, the same one is kept.
run build -v --template "$TPL" dup mail/samples.mbox --out pack-dup2
has_line "dup-order-kept" out \
  "mail/samples.mbox#4/kcc-2016q2.xml: info: I401: kcc-2016q2.xml is byte-identical to kcc-2016q2.eml/kcc-2016q2.xml (SHA-256 $sha...); it is counted once, as kcc-2016q2.eml/kcc-2016q2.xml"

# ---- the number of threads changes nothing
run build --jobs 1 --template "$TPL" mail dup --out pack-j1
cp out j1.out
run build --jobs 4 --template "$TPL" mail dup --out pack-j4
sed 's/pack-j4/pack-j1/' out >j4.out
same "threads-same-output" j1.out j4.out
for f in observations.csv discrepancies.csv actions.csv dataset.xml; do
    same "threads-same-$f" pack-j1/$f pack-j4/$f
done

test_finish
