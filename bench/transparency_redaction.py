"""Benchmark: a contract's text read and its redactions proposed (契約公開, issue 17).

Floor (issue 17, "Speed and scale"): a 100-page contract PDF — text extracted page by page and the
redactions of the natural persons' data proposed — in < 10 s. Also timed, with no floor: the public
copy made with every proposal accepted (each page with personal data rendered at 150 dpi).

The PDF is made with WeasyPrint (not timed): 100 A4 pages of contract clauses in Chinese, every
fifth page naming a natural person with an ID number, a mobile, an e-mail and a home address, every
page naming the company and its 統一編號. Prints the seconds (median of --runs) and the ratio to
the floor (below 1.0 meets it).

    .venv/bin/python bench/transparency_redaction.py [--pages 100] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rdec.settings")
os.environ.setdefault("RDEC_DATA_DIR", tempfile.mkdtemp())

import django  # noqa: E402

django.setup()

from rdec.transparency.services import documents  # noqa: E402

FLOOR_S = 10.0
CLAUSE = (
    "第{n}條 乙方應依契約規定之期限及品質完成履約，並依機關通知辦理驗收；履約期間如有變更，"
    "應經雙方同意以書面為之。乙方（好棒工程股份有限公司，統一編號 12345678）應投保營造綜合保險。"
)
PERSON = (
    "<p>乙方連絡人：王大明，身分證字號：A123456789，手機：0912-345-{k:03d}，"
    "電子郵件：person{k}@example.com。</p><p>住址：臺中市西屯區臺灣大道三段{k}號5樓</p>"
)


def make_pdf(pages: int) -> bytes:
    import weasyprint

    sections = []
    for page in range(pages):
        body = "".join(f"<p>{CLAUSE.format(n=page * 12 + i + 1)}</p>" for i in range(12))
        if page % 5 == 0:
            body = PERSON.format(k=page + 1) + body
        sections.append(f'<section style="page-break-after:always">{body}</section>')
    html = f"<html><body style=\"font-family:'Noto Sans CJK TC';font-size:10.5pt\">{''.join(sections)}</body></html>"
    return weasyprint.HTML(string=html).write_pdf()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    data = make_pdf(args.pages)
    made_s = time.perf_counter() - started

    times, candidates, pages = [], [], []
    for _run in range(args.runs):
        started = time.perf_counter()
        pages = documents.extract_pages(data)
        candidates = documents.propose(pages)
        times.append(time.perf_counter() - started)
    propose_s = statistics.median(times)

    started = time.perf_counter()
    copy = documents.redact_pdf(data, [(c.page, c.text) for c in candidates])
    copy_s = time.perf_counter() - started

    marked = len({c.page for c in candidates})
    print(
        f"PDF: {len(pages)} pages, {len(data) / 1e6:.1f} MB (made by WeasyPrint in {made_s:.1f} s, not timed)"
    )
    print(
        f"text extracted and redactions proposed: {propose_s:.2f} s (median of {args.runs}), floor {FLOOR_S:.0f} s, ratio {propose_s / FLOOR_S:.3f}"
    )
    print(f"  {len(candidates)} proposals on {marked} pages; {sum(len(p) for p in pages):,} characters")
    print(
        f"public copy with every proposal accepted: {copy_s:.2f} s ({marked} pages rendered at {documents.RENDER_DPI} dpi), {len(copy) / 1e6:.1f} MB"
    )


if __name__ == "__main__":
    main()
