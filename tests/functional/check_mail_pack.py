"""Check a pack built from the samples sent as an mbox (mail.sh).

    check_mail_pack.py PACK MBOX

Every message of MBOX must show in the workbook's Submissions sheet (its
From, Subject and Message-ID beside the file it carried), and each
agency's receipts/<agency>.eml must be a reply to its message: To its
sender, "Re: " its subject, In-Reply-To and References its Message-ID.
Prints one line per problem; exit status 1 when there is any.
"""
import email
import email.policy
import mailbox
import os
import sys

import openpyxl


def main():
    pack, mbox = sys.argv[1], sys.argv[2]
    problems = []
    sent = {}
    def parse(f):
        return email.message_from_binary_file(f, policy=email.policy.default)
    for msg in mailbox.mbox(mbox, factory=parse, create=False):
        for part in msg.walk():
            name = part.get_filename()
            if name and name.endswith(".xml"):
                sent[name] = msg
    if len(sent) != 7:
        problems.append("the mbox holds %d attachments, not 7" % len(sent))
    ws = openpyxl.load_workbook(os.path.join(pack, "workbook.xlsx"))[
        "Submissions"]
    rows = list(ws.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r and r[0] == "File")
    cols = {name: k for k, name in enumerate(rows[head]) if name}
    seen = {}
    for r in rows[head + 1:]:
        if r and r[0] in sent:
            seen[r[0]] = r
    for name, msg in sorted(sent.items()):
        r = seen.get(name)
        if r is None:
            problems.append("%s: not in the Submissions sheet" % name)
            continue
        want = {"Received from": msg["From"], "Subject": msg["Subject"],
                "Message-ID": str(msg["Message-ID"]).strip("<>"),
                "Attachment": name}
        for col, value in want.items():
            if r[cols[col]] != str(value):
                problems.append("%s: %s is %r, not %r"
                                % (name, col, r[cols[col]], value))
        agency = name.rsplit("-", 1)[0]
        path = os.path.join(pack, "receipts", agency + ".eml")
        with open(path, "rb") as f:
            draft = email.message_from_binary_file(
                f, policy=email.policy.default)
        reply = {"To": str(msg["From"]), "Subject": "Re: " + msg["Subject"],
                 "In-Reply-To": str(msg["Message-ID"]),
                 "References": str(msg["Message-ID"]), "X-Unsent": "1"}
        for h, value in reply.items():
            if str(draft[h]) != value:
                problems.append("%s.eml: %s is %r, not %r"
                                % (agency, h, str(draft[h]), value))
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
