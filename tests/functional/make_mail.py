#!/usr/bin/python3
"""Build the mail that tests/functional/mail.sh reads (doc/mail.md).

make_mail.py SAMPLES OUT: from the sample submissions in the folder
SAMPLES, write into the folder OUT (made, and empty) messages as partners
send them: each sample attached to its own message from its submitter's
address (samples.mbox, one message each, and one .eml each in eml/), and
the odd cases mail.sh names (base64, quoted-printable, nested, forwarded,
a Maildir, no XML, a PDF and a workbook, an Outlook .msg, garbage, a cut
message, parts nested too deep, one name twice).  Only the standard
library's email package; every date, id and boundary is fixed, so the
bytes are the same every run.
"""

import email.policy
import os
import re
import sys
from email.message import EmailMessage, MIMEPart

POLICY = email.policy.SMTP.clone(linesep="\n")
COORD = "CSP Coordinator <csp@partnership.example>"


def submitter(xml):
    """The submitter's name and email written in a sample."""
    text = xml.decode("utf-8")
    name = re.search(r'<submitter\s+name="([^"]*)"', text).group(1)
    mail = re.search(r'email="([^"]*)"', text).group(1)
    return name, mail


def base(frm, subject, n, text="Our return is attached."):
    """A message with the fixed headers, its body text set."""
    m = EmailMessage(policy=POLICY)
    m["From"] = frm
    m["To"] = COORD
    m["Subject"] = subject
    m["Date"] = "Fri, 18 Nov 2016 12:%02d:00 +0000" % (n % 60)
    m["Message-ID"] = "<sub-%d@partner.example>" % n
    m.set_content(text)
    return m


def attach(m, data, name, cte="base64", ctype="application/xml"):
    """Attach @data as @name with the transfer encoding @cte."""
    maintype, subtype = ctype.split("/")
    part = MIMEPart(policy=POLICY)
    if cte == "quoted-printable" or cte == "8bit":
        part.set_content(data.decode("utf-8"), subtype=subtype, cte=cte,
                         disposition="attachment", filename=name)
        if maintype != "text":
            part.replace_header("Content-Type",
                                '%s; charset="utf-8"; name="%s"'
                                % (ctype, name))
    else:
        part.set_content(data, maintype=maintype, subtype=subtype,
                         disposition="attachment", filename=name)
    if not m.is_multipart():
        m.make_mixed()
    m.attach(part)
    return m


def fix_boundaries(m, tag):
    """Give every multipart a fixed boundary (bytes the same each run)."""
    k = 0
    for part in m.walk():
        if part.is_multipart():
            k += 1
            part.set_boundary("=_%s_%d" % (tag, k))


def write(path, m, tag):
    """Write message @m to @path."""
    fix_boundaries(m, tag)
    with open(path, "wb") as f:
        f.write(m.as_bytes(policy=POLICY))


def main():
    samples, out = sys.argv[1], sys.argv[2]
    os.makedirs(os.path.join(out, "eml"))
    files = sorted(f for f in os.listdir(samples) if f.endswith(".xml"))
    data = {}
    for f in files:
        with open(os.path.join(samples, f), "rb") as fh:
            data[f] = fh.read()
    # samples.mbox and eml/: one message per agency, from its submitter.
    mbox = []
    for n, f in enumerate(files, 1):
        name, addr = submitter(data[f])
        m = base("%s <%s>" % (name, addr), "Quarterly return: " + f, n)
        attach(m, data[f], f)
        fix_boundaries(m, "s%d" % n)
        mbox.append(m)
        write(os.path.join(out, "eml", f[:-4] + ".eml"), m, "s%d" % n)
    with open(os.path.join(out, "samples.mbox"), "wb") as fh:
        for n, m in enumerate(mbox, 1):
            fh.write(b"From MAILER-DAEMON Fri Nov 18 12:%02d:00 2016\n" % n)
            body = m.as_bytes(policy=POLICY)
            body = re.sub(rb"(?m)^(>*From )", rb">\1", body)
            fh.write(body if body.endswith(b"\n") else body + b"\n")
            fh.write(b"\n")
    one = files[0]
    oname, oaddr = submitter(data[one])
    frm = "%s <%s>" % (oname, oaddr)
    # Transfer encodings.
    write(os.path.join(out, "b64.eml"),
          attach(base(frm, "Return (base64)", 101), data[one], one), "b")
    write(os.path.join(out, "qp.eml"),
          attach(base(frm, "Return (quoted-printable)", 102), data[one], one,
                 cte="quoted-printable"), "q")
    # Nested: mixed > (alternative, mixed > attachment).
    m = base(frm, "Return (nested)", 103)
    m.add_alternative("<p>Our return is attached.</p>", subtype="html")
    inner = MIMEPart(policy=POLICY)
    inner.set_content("See the file.")
    attach(inner, data[one], one)
    m.make_mixed()
    m.attach(inner)
    write(os.path.join(out, "nested.eml"), m, "n")
    # Forwarded: a colleague forwards the partner's message whole.
    fwd = attach(base(frm, "Return", 104), data[one], one)
    fix_boundaries(fwd, "fi")
    m = base("Desk Officer <desk@partnership.example>", "Fwd: Return", 105,
             "Forwarding the return below.")
    m.make_mixed()
    rfc = MIMEPart(policy=POLICY)
    rfc.set_content(fwd)
    m.attach(rfc)
    write(os.path.join(out, "fwd.eml"), m, "f")
    # A Maildir: two messages in new/ and cur/, one half-delivered in tmp/.
    for d in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(out, "maildir", d))
    md = [("new", "1479470000.M1P1.host", files[1]),
          ("cur", "1479470100.M2P2.host:2,S", files[2]),
          ("tmp", "1479470200.M3P3.host", files[3])]
    for k, (d, fn, f) in enumerate(md):
        name, addr = submitter(data[f])
        write(os.path.join(out, "maildir", d, fn),
              attach(base("%s <%s>" % (name, addr), "Return " + f, 110 + k),
                     data[f], f), "m%d" % k)
    # No XML: a message with only text; a PDF and a workbook instead.
    write(os.path.join(out, "noxml.eml"),
          base(frm, "Figures to follow", 120, "We will send them soon."),
          "x")
    m = base(frm, "Our figures", 121)
    attach(m, b"%PDF-1.4\n%%EOF\n", "figures.pdf", ctype="application/pdf")
    attach(m, b"PK\x03\x04 not really a workbook", "figures.xlsx",
           ctype="application/vnd.openxmlformats-officedocument."
                 "spreadsheetml.sheet")
    write(os.path.join(out, "pdf.eml"), m, "p")
    # An Outlook .msg: the OLE2 signature, then anything.
    with open(os.path.join(out, "return.msg"), "wb") as fh:
        fh.write(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    # Garbage named .eml; a message cut short in its attachment.
    with open(os.path.join(out, "garbage.eml"), "wb") as fh:
        fh.write(b"this is not a message\nat all\n")
    cut = attach(base(frm, "Return (cut)", 122), data[one], one)
    fix_boundaries(cut, "c")
    raw = cut.as_bytes(policy=POLICY)
    with open(os.path.join(out, "cut.eml"), "wb") as fh:
        fh.write(raw[: len(raw) * 2 // 3])
    # Parts nested 20 deep, an XML at the bottom and one at the top: the
    # message is refused whole, the one at the top too.
    leaf = MIMEPart(policy=POLICY)
    leaf.set_content(data[one], maintype="application", subtype="xml",
                     disposition="attachment", filename=one)
    for k in range(20):
        outer = MIMEPart(policy=POLICY)
        outer.make_mixed()
        outer.attach(leaf)
        leaf = outer
    m = base(frm, "Return (deep)", 123)
    attach(m, data[files[1]], "top.xml")
    m.attach(leaf)
    write(os.path.join(out, "deep.eml"), m, "d")
    # One name twice in one message (two agencies' files, both named so).
    m = base(frm, "Two returns", 124)
    attach(m, data[files[0]], "return.xml")
    attach(m, data[files[1]], "return.xml")
    write(os.path.join(out, "twice.eml"), m, "t")
    # An XML attachment with nothing in it.
    m = base(frm, "Return (empty)", 127)
    attach(m, b"", "empty.xml")
    write(os.path.join(out, "empty.eml"), m, "e")
    # A sender outside the agency's domains; a message whose receiving
    # server recorded DKIM and SPF failures.
    m = base("A Stranger <someone@elsewhere.example>", "Return", 125)
    attach(m, data[one], one)
    write(os.path.join(out, "foreign.eml"), m, "f")
    m = base(frm, "Return", 126)
    m["Authentication-Results"] = ("mx.partnership.example; dkim=fail "
                                   "(signature did not verify) "
                                   "header.d=dartford-bc.example; "
                                   "spf=softfail smtp.mailfrom="
                                   "dartford-bc.example")
    attach(m, data[one], one)
    write(os.path.join(out, "authfail.eml"), m, "a")


if __name__ == "__main__":
    main()
