/*
 * The HTML report's look (html_parts.h): colours checked for contrast
 * and the inline style sheet, for screens from 320 px wide and for A4.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/write/html/html_parts.h"

/* A channel 0..1 as 0..255. */
static unsigned byte(float v)
{
    if (!(v > 0))
        return 0;
    if (v >= 1)
        return 255;
    return (unsigned)lround(v * 255.0);
}

/* "#rrggbb". */
void csp_html_colour(csp_rgb c, char out[8])
{
    snprintf(out, 8, "#%02x%02x%02x", byte(c.r), byte(c.g), byte(c.b));
}

/* A channel as written (0..255), linearised (WCAG 2's relative
 * luminance). */
static double linear(float v)
{
    double s = byte(v) / 255.0;
    return s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4);
}

/* The relative luminance of a colour as written. */
static double luminance(csp_rgb c)
{
    return 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b);
}

/* The contrast ratio of two colours. */
double csp_html_contrast(csp_rgb a, csp_rgb b)
{
    double la = luminance(a), lb = luminance(b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

/* The colour darkened until it reads on white at 4.5:1. */
csp_rgb csp_html_readable(csp_rgb c)
{
    const csp_rgb white = {1, 1, 1};
    /* 0.9 per step reaches black within 60 steps; a little over 4.5
     * guards against rounding to bytes. */
    for (int i = 0; i < 80 && csp_html_contrast(c, white) < 4.6; i++) {
        c.r *= 0.9f;
        c.g *= 0.9f;
        c.b *= 0.9f;
    }
    return c;
}

/* Body text #1a1a1a (17:1 on white), notes #595959 (7:1), links
 * #1d4e89 (8.6:1), table rules #767676.  The accent colours headings
 * only. */
static const char css_format[] =
    "\n"
    "html{-webkit-text-size-adjust:100%%;text-size-adjust:100%%}\n"
    "body{margin:0;background:#fff;color:#1a1a1a;font-family:system-ui,"
    "-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",\"DejaVu Sans\","
    "Arial,sans-serif;font-size:1rem;line-height:1.5;"
    "overflow-wrap:anywhere}\n"
    "main{display:block;max-width:72rem;margin:0 auto;padding:0 1rem 2rem}\n"
    "main>*:not(.table-wrap):not(figure){max-width:48rem}\n"
    "h1,h2,h3,h4,h5{color:%s;line-height:1.25;margin:1.5em 0 .5em}\n"
    "h1{font-size:2rem}h2{font-size:1.5rem}h3{font-size:1.25rem}"
    "h4,h5{font-size:1.05rem}\n"
    "a{color:#1d4e89;text-decoration:underline}\n"
    "a:focus,[tabindex]:focus{outline:3px solid #1a1a1a;outline-offset:2px}\n"
    ".skip{position:absolute;left:-10000px;top:auto;width:1px;height:1px;"
    "overflow:hidden}\n"
    ".skip:focus{position:static;display:inline-block;width:auto;"
    "height:auto;margin:.5rem 1rem;padding:.5rem 1rem;background:#fff;"
    "color:#1a1a1a}\n"
    "header.marking,footer{max-width:72rem;margin:0 auto;padding:0 1rem;"
    "text-align:center}\n"
    "header.marking p{font-weight:bold;letter-spacing:.05em}\n"
    "footer p,.note{color:#595959;font-size:.9rem}\n"
    ".footnotes{font-size:.9rem;margin-top:1rem}\n"
    ".footnotes::before{content:\"\";display:block;width:8rem;"
    "border-top:1px solid #595959}\n"
    ".subtitle{font-size:1.2rem}\n"
    ".lead{font-size:1.1rem;font-weight:bold}\n"
    "nav ul{padding-left:1.25rem}\n"
    /* A table wider than the screen scrolls in its region; shadows at
     * its edges (no script: backgrounds that scroll with the content
     * cover them at either end) show there is more to the side. */
    ".table-wrap{max-width:100%%;overflow-x:auto;margin:1rem 0;"
    "background:linear-gradient(to right,#fff 30%%,rgba(255,255,255,0)),"
    "linear-gradient(to right,rgba(255,255,255,0),#fff 70%%) 100%% 0,"
    "radial-gradient(farthest-side at 0 50%%,rgba(0,0,0,.25),"
    "rgba(0,0,0,0)),"
    "radial-gradient(farthest-side at 100%% 50%%,rgba(0,0,0,.25),"
    "rgba(0,0,0,0)) 100%% 0;"
    "background-repeat:no-repeat;"
    "background-size:40px 100%%,40px 100%%,14px 100%%,14px 100%%;"
    "background-attachment:local,local,scroll,scroll}\n"
    /* A caption that only repeats the heading just above it is read
     * out, not shown twice. */
    "caption.echo{position:absolute;width:1px;height:1px;overflow:hidden;"
    "clip:rect(0 0 0 0);white-space:nowrap}\n"
    "table{border-collapse:collapse;font-size:.9rem;overflow-wrap:normal}\n"
    "caption{text-align:left;font-weight:bold;padding:.25rem 0}\n"
    "th,td{border:1px solid #767676;padding:.25rem .5rem;text-align:left;"
    "vertical-align:top}\n"
    "thead th{background:#f2f2f2}\n"
    "th.num,td.num{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}\n"
    "th.centre,td.centre{text-align:center}\n"
    ".cell-note{display:block;font-size:.8rem;color:#595959;"
    "font-weight:normal}\n"
    "svg.mark{width:.8em;height:.8em;margin-right:.3em;"
    "vertical-align:-.05em}\n"
    "ul.key{list-style:none;padding:0;margin:.5rem 0}\n"
    "ul.key li{display:inline-block;margin-right:1rem}\n"
    ".key-label{margin-bottom:0}\n"
    "figure{margin:1.5rem 0}\n"
    "svg.chart{display:block;width:100%%;max-width:40rem;height:auto}\n"
    "figcaption{font-weight:bold}\n"
    "@media print{\n"
    "@page{size:A4;margin:18mm}\n"
    "body{font-size:10.5pt}\n"
    "main,header.marking,footer{max-width:none;padding:0}\n"
    ".skip{display:none}\n"
    ".page-break{break-before:page;page-break-before:always}\n"
    "h1,h2,h3,h4,h5{break-after:avoid;page-break-after:avoid}\n"
    "tr,figure svg{break-inside:avoid;page-break-inside:avoid}\n"
    "thead{display:table-header-group}\n"
    ".table-wrap{overflow:visible;background:none}\n"
    "a{color:inherit;text-decoration:none}\n"
    "}\n";

/* The style sheet, with the accent made readable for the headings. */
char *csp_html_css(csp_rgb accent)
{
    char col[8];
    csp_html_colour(csp_html_readable(accent), col);
    int n = snprintf(NULL, 0, css_format, col);
    char *s = n < 0 ? NULL : csp_malloc((size_t)n + 1);
    if (s)
        snprintf(s, (size_t)n + 1, css_format, col);
    return s;
}
