#!/usr/bin/python3
"""Fill in a blank exactly as its own comments instruct, and validate it.

The numbered steps of the blank's first comment are parsed: the quoted
placeholders each step names are what it says to replace, and nothing
else in the file is touched (no comment marker, no element).  A step
this script cannot follow mechanically is a failure: the instructions
must be rewritten until it can.

Usage: blank-fill.py CSPPACK WORKDIR EXPECTED_DIR
Runs in WORKDIR (the files are named relatively there).  Prints one
"ok - ..." or "not ok - ..." line per check; exits 1 when one failed.
"""
import os
import re
import subprocess
import sys

AGENCY = "kfrs"
PERIOD = "2016-07-01/2016-09-30"
failed = 0


def report(good, what, detail=""):
    """One TAP-like line."""
    global failed
    if good:
        print("ok - " + what)
    else:
        failed += 1
        print("not ok - " + what)
        for line in detail.splitlines():
            print("    " + line)


def steps(text):
    """The numbered steps of the blank's first comment, joined per step."""
    m = re.search(r"<!--(.*?)-->", text, re.S)
    if not m:
        raise SystemExit("the blank has no comment with instructions")
    out = {}
    cur = None
    for line in m.group(1).splitlines():
        s = line.strip()
        n = re.match(r"(\d+)\. (.*)", s)
        if n:
            cur = int(n.group(1))
            out[cur] = n.group(2)
        elif cur is not None and s and line.startswith("        "):
            out[cur] += " " + s
        else:
            cur = None
    return out


def quoted(step):
    """The quoted strings of a step, in order."""
    return re.findall(r'"([^"]*)"', step)


def plan(text):
    """What each step says to replace, and with what (a dict)."""
    st = steps(text)
    p = {}
    # 1. In submitter, replace "NAME" and "EMAIL" with your name and e-mail.
    q = quoted(st[1])
    if not st[1].startswith("In submitter, replace") or len(q) != 2:
        raise SystemExit("step 1 cannot be followed: " + st[1])
    p["name"], p["email"] = q
    # 2. In submitted, replace "PH" with ... e.g. "EXAMPLE".
    q = quoted(st[2])
    if not st[2].startswith("In submitted, replace") or len(q) != 2:
        raise SystemExit("step 2 cannot be followed: " + st[2])
    p["submitted"], p["example"] = q
    # 3. In each obs, replace status="missing" with value="..." and its
    #    text with a note on the figure, or with nothing; an optional obs
    #    you do not send: delete it whole, from <obs to </obs>.
    m = re.search(r'replace (status="missing") with (value="\.\.\.")', st[3])
    if not st[3].startswith("In each obs") or not m or \
            "its text with" not in st[3] or "or with nothing" not in st[3] or \
            "delete it whole, from <obs to </obs>" not in st[3]:
        raise SystemExit("step 3 cannot be followed: " + st[3])
    p["obs_from"], p["obs_to"] = m.group(1), m.group(2)
    # 4. In each update, replace status="PH" with one of "a", ... "e", and
    #    "TEXT" with what has been done; or delete it whole.
    m = re.match(r'In each update, replace (status="[^"]*") with one of (.*?), '
                 r'and "([^"]*)" with what has been done', st[4])
    if not m:
        raise SystemExit("step 4 cannot be followed: " + st[4])
    p["status_from"] = m.group(1)
    p["statuses"] = quoted(m.group(2))
    p["progress"] = m.group(3)
    if len(p["statuses"]) != 5:
        raise SystemExit("step 4 lists no statuses: " + st[4])
    # 5. Replace the text of comment with ..., or delete it whole.
    if not st[5].startswith("Replace the text of comment with"):
        raise SystemExit("step 5 cannot be followed: " + st[5])
    return p


def fill(text, p, do):
    """TEXT filled in as the plan says, for the steps in DO (a set of
    "submitter", "submitted", "obs", "updates", "comment", "optional"; or
    half steps: "obsvalue" the value alone, "updstatus" the status
    alone): values 1, 2, 3... in order; optional figures deleted whole."""
    if "submitter" in do:
        text = text.replace('name="%s"' % p["name"], 'name="Ann Example"', 1)
        text = text.replace('email="%s"' % p["email"],
                            'email="ann.example@kent.fire-uk.org"', 1)
    if "submitted" in do:
        text = text.replace('submitted="%s"' % p["submitted"],
                            'submitted="%s"' % p["example"], 1)
    body_start = text.index("<submission")
    head, body = text[:body_start], text[body_start:]
    if "optional" in do:
        # "delete it whole, from <obs to </obs>": each obs whose text is not
        # the one a figure owed has, i.e. differs from the first obs's.
        owed = re.search(r"<obs [^>]*>([^<]*)</obs>", body).group(1)
        body = re.sub(r"[ \t]*<obs [^>]*>(?!%s<)[^<]*</obs>\n" %
                      re.escape(owed), "", body)
    if "obs" in do or "obsvalue" in do:
        n = [0]

        def one(m):
            n[0] += 1
            return m.group(1).replace(p["obs_from"],
                                      p["obs_to"].replace("...", str(n[0]))) + \
                ("" if "obs" in do else m.group(2)) + "</obs>"
        body = re.sub(r"(<obs [^>]*>)([^<]*)</obs>", one, body)
    if "updates" in do or "updstatus" in do:
        i = [0]

        def upd(m):
            i[0] += 1
            st = p["statuses"][i[0] % len(p["statuses"])]
            done = "Progress made in the quarter, item %d." % i[0]
            return m.group(1).replace(p["status_from"], 'status="%s"' % st) + \
                (done if "updates" in do else p["progress"]) + "</update>"
        body = re.sub(r"(<update [^>]*>)%s</update>" %
                      re.escape(p["progress"]), upd, body)
    if "comment" in do:
        body = re.sub(r"<comment>[^<]*</comment>",
                      "<comment>All figures are final.</comment>", body)
    return head + body


def validate(path):
    """csppack validate PATH: (exit status, stdout)."""
    r = subprocess.run([CSPPACK, "validate", path], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True)
    return r.returncode, r.stdout


def main():
    global CSPPACK
    CSPPACK, work = os.path.abspath(sys.argv[1]), sys.argv[2]
    expected = os.path.abspath(sys.argv[3])
    os.chdir(work)
    blank = subprocess.run([CSPPACK, "blank", "--agency", AGENCY, "--period",
                            PERIOD], stdout=subprocess.PIPE, check=True,
                           universal_newlines=True).stdout
    p = plan(blank)
    everything = {"submitter", "submitted", "obs", "updates", "comment",
                  "optional"}
    cases = (("unfilled", set()),
             ("half", {"submitter", "optional", "obsvalue", "updstatus"}),
             ("filled", everything))
    for name, do in cases:
        path = "%s-%s.xml" % (AGENCY, name)
        text = fill(blank, p, do)
        with open(path, "w") as f:
            f.write(text)
        # Only attribute values and text changed: the same comments, the
        # same elements (less those deleted whole).
        report(re.findall(r"<!--.*?-->", text, re.S) ==
               re.findall(r"<!--.*?-->", blank, re.S),
               "%s: no comment touched" % name)
        rc, out = validate(path)
        if name == "filled":
            good = rc == 0 and "warning" not in out and "error" not in out \
                and out.endswith(": valid: 6 figures and 4 updates\n")
            report(good, "filled in as the blank says: valid, no warning",
                   out)
            continue
        with open("%s-%s.out" % (AGENCY, name), "w") as f:
            f.write(out)
        want = None
        exp = os.path.join(expected, "%s-%s.expected" % (AGENCY, name))
        if os.path.exists(exp):
            with open(exp) as f:
                want = f.read()
        report(rc == 0 and out == want,
               "%s: exactly the W601 lines of %s-%s.expected" %
               (name, AGENCY, name),
               "".join("    " + x + "\n" for x in out.splitlines()))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
