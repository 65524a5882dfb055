"""Send a benchmark inbox by mail: the same submissions as saved messages.

    mail.py INBOX OUT [--mbox-mib N]

Writes OUT/eml/, one .eml per submission (the file attached in base64, as
mail programs send it), and OUT/mbox/, the same messages in mbox files of
at most N MiB each (default 48: under csppack's 64 MiB bound on one
file), so that `csppack build` can be timed on bare files, on saved
messages and on mboxes of the same submissions (doc/performance.md).
Fixed headers and boundaries: the same bytes on every run.
"""
import email.policy
import os
import re
import sys
from email.message import EmailMessage

POLICY = email.policy.SMTP.clone(linesep="\n")


def message(path, n):
    """The submission at @path attached to message number @n."""
    with open(path, "rb") as f:
        data = f.read()
    # From the submitter the file names, so the sender checks pass.
    found = re.search(rb'email="([^"]+)"', data)
    sender = found.group(1).decode() if found else "data@partner.example"
    m = EmailMessage(policy=POLICY)
    m["From"] = "Data Officer <%s>" % sender
    m["To"] = "CSP Coordinator <csp@partnership.example>"
    m["Subject"] = "Return: " + os.path.basename(path)
    m["Date"] = "Fri, 18 Nov 2016 12:00:00 +0000"
    m["Message-ID"] = "<bench-%d@partner.example>" % n
    m.set_content("Our return is attached.")
    m.add_attachment(data, maintype="application", subtype="xml",
                     filename=os.path.basename(path))
    m.set_boundary("=_bench_%d" % n)
    return m.as_bytes(policy=POLICY)


def main():
    inbox, out = sys.argv[1], sys.argv[2]
    limit = 48 << 20
    if len(sys.argv) > 4 and sys.argv[3] == "--mbox-mib":
        limit = int(sys.argv[4]) << 20
    os.makedirs(os.path.join(out, "eml"), exist_ok=True)
    os.makedirs(os.path.join(out, "mbox"), exist_ok=True)
    names = sorted(n for n in os.listdir(inbox) if n.endswith(".xml"))
    box, size, k = None, 0, 0
    for n, name in enumerate(names, 1):
        raw = message(os.path.join(inbox, name), n)
        with open(os.path.join(out, "eml", name[:-4] + ".eml"), "wb") as f:
            f.write(raw)
        if box is None or size + len(raw) > limit:
            if box:
                box.close()
            k += 1
            box = open(os.path.join(out, "mbox", "inbox-%03d.mbox" % k), "wb")
            size = 0
        # mboxrd: a body line starting "From " gets a ">" before it.
        body = b"\n".join(b">" + line if line.startswith(b"From ") else line
                          for line in raw.split(b"\n"))
        chunk = b"From bench@partner.example Fri Nov 18 12:00:00 2016\n" + \
            body.rstrip(b"\n") + b"\n\n"
        box.write(chunk)
        size += len(chunk)
    if box:
        box.close()


if __name__ == "__main__":
    main()
