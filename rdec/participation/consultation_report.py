"""The response report of a consultation (眾開講回應報告) as files: a PDF (WeasyPrint, the Noto CJK font
embedded) and an .odt (odfpy), made the way tracking's council report is (rdec/tracking/reports.py).

One definition (`report_of()`) feeds both formats and the page. Written once, when the report is
published (services.publish_consultation_report); the page links the stored files.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core.dates import roc_date
from rdec.participation.models import Consultation

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

CJK_FONT = "Noto Sans CJK TC"
MIME = {"pdf": "application/pdf", "odt": "application/vnd.oasis.opendocument.text"}


@dataclass
class Theme:
    title: str
    decision: str
    reason: str
    comments: str  # "#1、#4" or "—"


@dataclass
class Report:
    title: str
    lines: list[str]  # agency, stage, period, comments counted
    questions: list[str]
    summary: str
    policy_changes: str
    themes: list[Theme]
    counts: str  # 採納 n・部分採納 n・不採納 n
    published: str
    headers: list[str]


def report_of(c: Consultation) -> Report:
    from rdec.participation import selectors

    themes = selectors.report_themes(c)
    decided = {d: sum(1 for t in themes if t.decision == d) for d in c.themes.model.Decision.values}
    labels = dict(c.themes.model.Decision.choices)
    visible = selectors.visible_comment_count(c)
    return Report(
        title=_("Response report: %(title)s") % {"title": c.title},
        lines=[
            _("Responsible agency: %(agency)s") % {"agency": c.agency.name},
            _("Policy stage: %(stage)s") % {"stage": c.get_stage_display()},
            _("Open for comments from %(start)s to %(end)s")
            % {"start": roc_date(c.opens_on), "end": roc_date(c.closes_on)},
            _("Comments received: %(n)s") % {"n": visible},
        ],
        questions=[f"{n}. {q}" for n, q in selectors.consultation_questions(c)],
        summary=c.report_summary,
        policy_changes=c.policy_changes,
        themes=[
            Theme(
                title=t.title,
                decision=str(t.get_decision_display()),
                reason=t.reason,
                comments="、".join(f"#{n}" for n in t.comment_numbers) or "—",
            )
            for t in themes
        ],
        counts="・".join(f"{labels[d]} {n}" for d, n in decided.items()),
        published=_("Published on %(date)s")
        % {"date": roc_date(timezone.localdate(c.report_published_at or timezone.now()))},
        headers=[_("Theme"), _("Decision"), _("Reason"), _("Comments")],
    )


def to_pdf(report: Report) -> bytes:
    import weasyprint

    html = render_to_string(
        "participation/consultation_report_pdf.html",
        {"report": report, "font": CJK_FONT},
    )
    return weasyprint.HTML(string=html).write_pdf()


def to_odt(report: Report) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.style import FontFace, ParagraphProperties, Style, TableColumnProperties, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, P

    doc = OpenDocumentText()
    doc.fontfacedecls.addElement(FontFace(name=CJK_FONT, fontfamily=CJK_FONT))

    def text_style(name: str, size: str, bold: bool = False) -> Style:
        style = Style(name=name, family="paragraph")
        props = {"fontname": CJK_FONT, "fontnameasian": CJK_FONT, "fontsize": size, "fontsizeasian": size}
        if bold:
            props |= {"fontweight": "bold", "fontweightasian": "bold"}
        style.addElement(TextProperties(**props))
        style.addElement(ParagraphProperties(marginbottom="0.2cm"))
        doc.styles.addElement(style)
        return style

    body = text_style("Body", "11pt")
    h1 = text_style("Title1", "16pt", bold=True)
    h2 = text_style("Title2", "13pt", bold=True)
    column = Style(name="Col", family="table-column")
    column.addElement(TableColumnProperties(columnwidth="4cm"))
    doc.automaticstyles.addElement(column)

    def paragraphs(text: str) -> None:
        for line in (text or "").splitlines() or [""]:
            doc.text.addElement(P(stylename=body, text=line))

    doc.text.addElement(H(outlinelevel=1, stylename=h1, text=report.title))
    for line in report.lines:
        doc.text.addElement(P(stylename=body, text=line))
    doc.text.addElement(P(stylename=body, text=report.published))
    doc.text.addElement(H(outlinelevel=2, stylename=h2, text=_("Questions asked")))
    for q in report.questions:
        doc.text.addElement(P(stylename=body, text=q))
    doc.text.addElement(H(outlinelevel=2, stylename=h2, text=_("Summary of the response")))
    paragraphs(report.summary)
    doc.text.addElement(H(outlinelevel=2, stylename=h2, text=_("What changed in the policy")))
    paragraphs(report.policy_changes)
    doc.text.addElement(H(outlinelevel=2, stylename=h2, text=_("Comments by theme")))
    doc.text.addElement(P(stylename=body, text=report.counts))
    table = Table(name="Themes")
    for _i in report.headers:
        table.addElement(TableColumn(stylename=column))

    def add_row(values):
        tr = TableRow()
        for value in values:
            cell = TableCell(valuetype="string")
            for line in (value or "").splitlines() or [""]:
                cell.addElement(P(stylename=body, text=line))
            tr.addElement(cell)
        table.addElement(tr)

    add_row(report.headers)
    for t in report.themes:
        add_row([t.title, t.decision, t.reason, t.comments])
    doc.text.addElement(table)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def build(consultation: Consultation, fmt: str) -> bytes:
    report = report_of(consultation)
    return {"pdf": to_pdf, "odt": to_odt}[fmt](report)
