#!/usr/bin/python3
"""Check a pack's receipts as a partner's data officer reads them
(doc/receipts.md): every line at most 72 columns, no SHA-256, no
template id (indicator or area), no program name; and each agency's
reply draft receipts/AGENCY.eml (stdlib email package): X-Unsent: 1,
text/plain; charset utf-8, no Date or Message-ID, a To unless the agency
sent nothing, threading that matches its Subject, its body the .txt.

Usage: check_receipts.py LABEL PACK TEMPLATE
Prints "ok - ..." and "FAIL - ..." lines.
"""
import email
import email.policy
import os
import re
import sys
import xml.etree.ElementTree as ET

label, pack, template = sys.argv[1:4]
rdir = os.path.join(pack, "receipts")
fails = []


def verdict(case, problems):
    if problems:
        print("FAIL - %s: %s: %s" % (label, case, "; ".join(problems[:5])))
    else:
        print("ok - %s: %s" % (label, case))


def template_ids():
    ids = set()
    for e in ET.parse(template).getroot().iter():
        if e.tag.split("}")[-1] in ("indicator", "area") and "id" in e.attrib:
            ids.add(e.attrib["id"])
    return ids


IDS = template_ids()
HEX64 = re.compile(r"[0-9a-fA-F]{64}")
# File names and addresses may hold an id ("dartford-bc-2016q2.xml").
NOT_PROSE = re.compile(r"\S+\.xml\b|\S+@\S+")


def prose_problems(name, text):
    out = []
    for n, line in enumerate(text.split("\n"), 1):
        if len(line) > 72:
            out.append("%s:%d is %d columns" % (name, n, len(line)))
        if HEX64.search(line):
            out.append("%s:%d has a SHA-256" % (name, n))
        if "csppack" in line.lower():
            out.append("%s:%d names the program" % (name, n))
        prose = NOT_PROSE.sub(" ", line)
        for i in IDS:
            if re.search(r"(?<![\w.@/-])%s(?![\w@/-])" % re.escape(i), prose):
                out.append("%s:%d has the id %s" % (name, n, i))
    return out


txts = sorted(f for f in os.listdir(rdir) if f.endswith(".txt"))
if not txts:
    print("FAIL - %s: no receipts in %s" % (label, rdir))
    sys.exit(1)
problems = []
for f in txts:
    with open(os.path.join(rdir, f), encoding="utf-8") as fh:
        problems += prose_problems(f, fh.read())
verdict("%d receipts: lines <= 72, no hash, id or program name" % len(txts),
        problems)

problems = []
drafts = 0
for f in txts:
    agency = f[:-4]
    eml = os.path.join(rdir, agency + ".eml")
    if agency in ("unknown", "_unknown"):
        if os.path.exists(eml):
            problems.append("%s: the coordinator's receipt has a draft" % f)
        continue
    if not os.path.exists(eml):
        problems.append("%s.eml missing" % agency)
        continue
    drafts += 1
    with open(eml, "rb") as fh:
        msg = email.message_from_binary_file(fh, policy=email.policy.default)
    with open(os.path.join(rdir, f), encoding="utf-8") as fh:
        txt = fh.read()
    if msg["X-Unsent"] != "1":
        problems.append("%s: X-Unsent %r" % (agency, msg["X-Unsent"]))
    if msg.get_content_type() != "text/plain" or \
            msg.get_content_charset() != "utf-8":
        problems.append("%s: Content-Type %s" % (agency, msg["Content-Type"]))
    for h in ("Date", "Message-ID"):
        if msg[h] is not None:
            problems.append("%s: has %s" % (agency, h))
    subject = str(msg["Subject"] or "")
    if not subject:
        problems.append("%s: no Subject" % agency)
    irt = msg["In-Reply-To"]
    if irt is not None:
        if not subject.lower().startswith("re:"):
            problems.append("%s: a reply whose Subject is %r" % (agency, subject))
        if not str(msg["References"] or "").endswith(str(irt)):
            problems.append("%s: References do not end with In-Reply-To" %
                            agency)
    sent_nothing = "We have received no submission from you" in txt
    if sent_nothing != (msg["To"] is None):
        problems.append("%s: To %r" % (agency, msg["To"]))
    body = msg.get_content()
    if body != txt:
        problems.append("%s: body is not the receipt" % agency)
    long = [l for l in body.split("\n") if len(l) > 72]
    if long:
        problems.append("%s: body line of %d columns" % (agency, len(long[0])))
verdict("%d reply drafts: headers, body the receipt" % drafts, problems)
