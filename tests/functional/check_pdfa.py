#!/usr/bin/python3
"""Check what csppack's PDFs carry, over qpdf's JSON view (qpdf 11, JSON v2).

    check_pdfa.py [--archive | --no-archive] FILE.pdf

Prints one line per check, "ok - NAME" or "FAIL - NAME: why", and exits 1
when any check fails (2 when qpdf cannot read the file).  The checks
(doc/pdf.md lists them for users):

  header       %PDF-1.4 to 1.7 on the first line, a comment of four
               bytes above 127 on the second
  lang         the catalog's /Lang is en-GB
  doctitle     /ViewerPreferences /DisplayDocTitle true
  metadata     the catalog's /Metadata is a stream /Type /Metadata
               /Subtype /XML, not compressed, an XMP packet that parses as XML
  xmp-info     dc:title, dc:creator, dc:description, pdf:Keywords,
               pdf:Producer, xmp:CreatorTool, xmp:CreateDate and
               xmp:ModifyDate equal the Info dictionary's entries (dates
               in the same zone), and no Info entry is missing from it
  pdfaid       --archive: pdfaid:part 2, pdfaid:conformance B;
               --no-archive: no pdfaid
  outputintent --archive: one /OutputIntents entry /S /GTS_PDFA1 with an
               OutputConditionIdentifier and a DestOutputProfile ICC
               stream with /N 3 whose data is an RGB display profile;
               --no-archive: no /OutputIntents
  fonts        every font dictionary's font program is embedded
               (FontFile, FontFile2 or FontFile3), and every Type0 font
               has a ToUnicode CMap of bfchar/bfrange only
  encrypt      no /Encrypt in the trailer
  transparency no /SMask (but /None), no /CA or /ca below 1, no blend
               mode but Normal, no transparency group
  actions      no JavaScript, Launch, GoToR, ImportData, URI-less
               external content: no /JS, /JavaScript, /AA, no /S of those
               kinds, no /EmbeddedFiles
  annotations  every annotation has the Print flag (4) in /F
  id           the trailer's /ID is two equal 16-byte strings
"""
import base64
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}

results = []


def check(name, ok, why=""):
    results.append((name, ok, why))


def text(v):
    """A qpdf JSON string value as Python text."""
    if isinstance(v, str) and v.startswith("u:"):
        return v[2:]
    if isinstance(v, str) and v.startswith("b:"):
        return bytes.fromhex(v[2:]).decode("latin-1")
    return None


def load(path):
    out = subprocess.run(
        ["qpdf", "--json=2", "--json-stream-data=inline", path],
        capture_output=True)
    if out.returncode not in (0, 3):
        print("FAIL - qpdf: cannot read %s: %s" %
              (path, out.stderr.decode(errors="replace").strip()))
        sys.exit(2)
    return json.loads(out.stdout)["qpdf"][1]


class Doc:
    def __init__(self, objs):
        self.objs = objs

    def get(self, ref):
        """The object a reference names, resolved ({'value'} or {'stream'})."""
        if isinstance(ref, str) and re.fullmatch(r"\d+ \d+ R", ref):
            return self.objs.get("obj:" + ref)
        return {"value": ref}

    def dict_of(self, ref):
        o = self.get(ref)
        if o is None:
            return None
        if "stream" in o:
            return o["stream"]["dict"]
        return o["value"] if isinstance(o["value"], dict) else None

    def data(self, ref):
        o = self.get(ref)
        if o and "stream" in o and "data" in o["stream"]:
            return base64.b64decode(o["stream"]["data"])
        return None


def walk(v):
    """Every dictionary inside a value (direct objects)."""
    if isinstance(v, dict):
        yield v
        for x in v.values():
            yield from walk(x)
    elif isinstance(v, list):
        for x in v:
            yield from walk(x)


def all_dicts(doc):
    for key, o in doc.objs.items():
        if key == "trailer":
            continue
        if "stream" in o:
            yield from walk(o["stream"]["dict"])
        else:
            yield from walk(o.get("value"))


def pdf_date_iso(d):
    """D:YYYYMMDDHHmmSS + Z / Z00'00' / +HH'mm' -> XMP's form."""
    m = re.fullmatch(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)"
                     r"(Z(?:00'00')?|[+-]\d\d'\d\d'?)", d or "")
    if not m:
        return None
    y, mo, da, h, mi, s, z = m.groups()
    zone = "Z" if z.startswith("Z") else z[0] + z[1:3] + ":" + z[4:6]
    return "%s-%s-%sT%s:%s:%s%s" % (y, mo, da, h, mi, s, zone)


def check_header(path):
    with open(path, "rb") as f:
        head = f.read(64)
    lines = head.split(b"\n")
    ok = (len(lines) > 2 and re.fullmatch(rb"%PDF-1\.[4-7]", lines[0])
          and len(lines[1]) >= 5 and lines[1][:1] == b"%"
          and all(b > 127 for b in lines[1][1:5]))
    check("header", bool(ok), "first lines %r" % lines[:2])


def xmp_values(root):
    desc = root.findall(".//rdf:Description", NS)
    vals = {}

    def first(path):
        for d in desc:
            e = d.find(path, NS)
            if e is not None:
                return (e.text or "")
            for k, v in d.attrib.items():
                pre, local = path.split(":")
                if k == "{%s}%s" % (NS[pre], local):
                    return v
        return None
    vals["/Title"] = first("dc:title/rdf:Alt/rdf:li")
    vals["/Author"] = first("dc:creator/rdf:Seq/rdf:li")
    vals["/Subject"] = first("dc:description/rdf:Alt/rdf:li")
    vals["/Keywords"] = first("pdf:Keywords")
    vals["/Producer"] = first("pdf:Producer")
    vals["/Creator"] = first("xmp:CreatorTool")
    vals["/CreationDate"] = first("xmp:CreateDate")
    vals["/ModDate"] = first("xmp:ModifyDate")
    vals["part"] = first("pdfaid:part")
    vals["conformance"] = first("pdfaid:conformance")
    return vals


def main():
    args = sys.argv[1:]
    archive = None
    if args and args[0] in ("--archive", "--no-archive"):
        archive = args.pop(0) == "--archive"
    if len(args) != 1 or archive is None:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    path = args[0]
    check_header(path)
    doc = Doc(load(path))
    trailer = doc.objs["trailer"]["value"]
    cat = doc.dict_of(trailer.get("/Root")) or {}
    info = doc.dict_of(trailer.get("/Info")) or {}

    check("lang", text(cat.get("/Lang")) == "en-GB",
          "/Lang is %r" % cat.get("/Lang"))
    vp = doc.dict_of(cat.get("/ViewerPreferences")) or {}
    check("doctitle", vp.get("/DisplayDocTitle") is True,
          "/ViewerPreferences is %r" % vp)

    md_ref = cat.get("/Metadata")
    md = doc.dict_of(md_ref)
    xmp = None
    if md is None or doc.get(md_ref) is None or "stream" not in doc.get(md_ref):
        check("metadata", False, "no /Metadata stream in the catalog")
    elif md.get("/Type") != "/Metadata" or md.get("/Subtype") != "/XML":
        check("metadata", False, "its dictionary is %r" % md)
    elif "/Filter" in md:
        check("metadata", False, "it is compressed (%r)" % md["/Filter"])
    else:
        data = doc.data(md_ref) or b""
        try:
            root = ET.fromstring(data)
            xmp = xmp_values(root)
            ok = data.startswith(b"<?xpacket begin=") and \
                re.search(rb"<\?xpacket end=\"[rw]\"\?>\s*$", data)
            check("metadata", bool(ok), "no xpacket wrapper")
        except ET.ParseError as e:
            check("metadata", False, "the XMP is not XML: %s" % e)

    if xmp is not None:
        bad = []
        for key in ("/Title", "/Author", "/Subject", "/Keywords",
                    "/Producer", "/Creator", "/CreationDate", "/ModDate"):
            iv = text(info.get(key))
            if key in ("/CreationDate", "/ModDate"):
                iv = pdf_date_iso(iv) if iv is not None else None
            if iv != xmp[key]:
                bad.append("%s: Info %r, XMP %r" % (key, iv, xmp[key]))
        check("xmp-info", not bad, "; ".join(bad))
        if archive:
            check("pdfaid", xmp["part"] == "2" and xmp["conformance"] == "B",
                  "pdfaid part %r conformance %r" %
                  (xmp["part"], xmp["conformance"]))
        else:
            check("pdfaid", xmp["part"] is None and xmp["conformance"] is None,
                  "pdfaid in a document that is not archival")
    else:
        check("xmp-info", False, "no XMP")
        check("pdfaid", False, "no XMP")

    oi = cat.get("/OutputIntents")
    if archive:
        why = ""
        ois = doc.get(oi)["value"] if oi is not None else None
        if not isinstance(ois, list) or len(ois) != 1:
            why = "/OutputIntents is %r" % oi
        else:
            d = doc.dict_of(ois[0]) or {}
            prof = d.get("/DestOutputProfile")
            pd = doc.dict_of(prof) or {}
            data = doc.data(prof) or b""
            if d.get("/S") != "/GTS_PDFA1":
                why = "/S is %r" % d.get("/S")
            elif not text(d.get("/OutputConditionIdentifier")):
                why = "no OutputConditionIdentifier"
            elif pd.get("/N") != 3:
                why = "the profile's /N is %r" % pd.get("/N")
            elif len(data) < 128 or data[36:40] != b"acsp" or \
                    data[16:20] != b"RGB " or data[12:16] != b"mntr":
                why = "the profile is not an RGB display ICC profile"
        check("outputintent", not why, why)
    else:
        check("outputintent", oi is None, "/OutputIntents in a document "
              "that is not archival")

    bad = []
    nfonts = 0
    for key, o in doc.objs.items():
        d = o.get("value") if "value" in o else None
        if not isinstance(d, dict) or d.get("/Type") != "/Font":
            continue
        nfonts += 1
        st = d.get("/Subtype")
        if st == "/Type0":
            tu = d.get("/ToUnicode")
            cmap = doc.data(tu) if tu else None
            if cmap is None:
                bad.append("%s has no ToUnicode" % key)
            elif b"begincidrange" in cmap or b"beginbfrange" not in cmap:
                bad.append("%s's ToUnicode is not a bfrange map" % key)
            continue
        if st == "/Type3":
            continue
        fd = doc.dict_of(d.get("/FontDescriptor"))
        if not fd or not any(k in fd for k in
                             ("/FontFile", "/FontFile2", "/FontFile3")):
            bad.append("%s (%s) is not embedded" % (key, d.get("/BaseFont")))
    check("fonts", nfonts > 0 and not bad,
          "; ".join(bad) or "no fonts")

    check("encrypt", "/Encrypt" not in trailer, "the trailer has /Encrypt")

    bad = []
    for d in all_dicts(doc):
        if "/SMask" in d and d["/SMask"] != "/None":
            bad.append("an /SMask")
        for k in ("/CA", "/ca"):
            if k in d and isinstance(d[k], (int, float)) and d[k] < 1:
                bad.append("%s %s" % (k, d[k]))
        if "/BM" in d and d["/BM"] not in ("/Normal", "/Compatible"):
            bad.append("blend mode %s" % d["/BM"])
        if d.get("/S") == "/Transparency":
            bad.append("a transparency group")
    check("transparency", not bad, ", ".join(sorted(set(bad))))

    bad = []
    for d in all_dicts(doc):
        for k in ("/JS", "/JavaScript", "/AA", "/EmbeddedFiles"):
            if k in d:
                bad.append(k)
        if d.get("/S") in ("/JavaScript", "/Launch", "/GoToR", "/ImportData",
                           "/ResetForm", "/Sound", "/Movie", "/GoToE"):
            bad.append("action " + d["/S"])
    check("actions", not bad, ", ".join(sorted(set(bad))))

    bad = []
    for d in all_dicts(doc):
        if d.get("/Type") == "/Annot" or (
                "/Subtype" in d and "/Rect" in d and "/P" in d):
            f = d.get("/F", 0)
            if not isinstance(f, int) or not f & 4:
                bad.append("an annotation without the print flag")
    check("annotations", not bad, ", ".join(sorted(set(bad))))

    ids = trailer.get("/ID")
    why = ""
    if not isinstance(ids, list) or len(ids) != 2:
        why = "/ID is %r" % ids
    else:
        raw = [text(x) for x in ids]
        if any(r is None or len(r) != 16 for r in raw):
            why = "the ID strings are not 16 bytes: %r" % ids
        elif raw[0] != raw[1]:
            why = "the two ID strings differ"
    check("id", not why, why)

    failed = 0
    for name, ok, why in results:
        if ok:
            print("ok - %s" % name)
        else:
            failed += 1
            print("FAIL - %s: %s" % (name, why))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
