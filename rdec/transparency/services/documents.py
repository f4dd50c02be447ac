"""A contract's documents: the original kept for its agency and the RDEC, the text read page by page,
redactions proposed for a natural person's personal data, and the public copy — a new PDF from which
the withheld text is gone (政府資訊公開法 Art. 18 para 1 item 6; para 2: withhold a passage, never more).

- **Reading.** pypdfium2 (PDFium) reads each page's text; a PDF with no text on any page is a scan
  (`lacks_text`): nothing can be proposed, the agency marks passages itself.
- **Proposing.** On each page: a 身分證字號 or 居留證 number with a right check digit, a phone
  number, an e-mail address (rdec.core.pii) and a home address (a Taiwanese address ending in 號).
  A company's name and its 8-digit 統一編號 are never proposed; a landline, e-mail or address
  labelled as a company's or an agency's (公司, 營業, 機關, 廠商…) is not proposed either.
- **The public copy.** Pages without withheld text are copied as they are; each page with some is
  rendered to an image with black boxes over every occurrence of the withheld strings and replaced
  by that image alone (same page size), so no text of it can be extracted. The public text is the
  text with each withheld string replaced by █.
- **Withholding a whole document.** An annex may be withheld in full with an Art. 18 item and a
  reason; the signed contract itself, or every document of a contract, may not (Art. 18 para 2).
"""

from __future__ import annotations

import io
import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rdec.core import attachments, audit, pii
from rdec.core.permissions import require
from rdec.transparency.models import Art18Item, Contract, ContractDocument, Redaction

RENDER_DPI = 150  # the resolution of a page made an image because text on it is withheld
JPEG_QUALITY = 85
MAX_PDF_BYTES = 50 * 1024 * 1024  # a signed contract with its annexes, scanned at 300 dpi
BLOCK = "█"
# the same prefix as the PCC import (services/contracts.py); a contract registered directly has a
# local id after the agency's code
OCID_PREFIX = getattr(settings, "RDEC_OCDS_PREFIX", "ocds-tc1999")

KIND_LABELS = {
    "id": gettext_lazy("ID number"),
    "phone": gettext_lazy("phone number"),
    "email": gettext_lazy("e-mail address"),
    "address": gettext_lazy("home address"),
}

# A landline, e-mail or address right after one of these words is a business's or an agency's.
_BUSINESS_LABEL = re.compile(r"(?:公司|營業|事務所|機關|廠商|會址|辦公|統一編號|統編|行號|商號)")
_LABEL_REACH = 40  # characters before a hit (in its clause) where the label is looked for

_CITIES = (
    "臺北市|台北市|新北市|桃園市|臺中市|台中市|臺南市|台南市|高雄市|基隆市|新竹市|嘉義市|新竹縣|苗栗縣|"
    "彰化縣|南投縣|雲林縣|嘉義縣|屏東縣|宜蘭縣|花蓮縣|臺東縣|台東縣|澎湖縣|金門縣|連江縣"
)
_NAME = r"[^\W\d_住址地為在於是的及與和：:，,。、（）()]"  # a character of a place name (CJK, no label words)
_D = r"[0-9０-９]"
_ADDRESS = re.compile(
    rf"(?:(?:{_CITIES})\s?)?"
    rf"(?:{_NAME}{{1,3}}?[區鄉鎮市]\s?)?"
    rf"(?:{_NAME}{{1,3}}?[村里]\s?)?"
    rf"(?:{_D}{{1,3}}鄰\s?)?"
    rf"{_NAME}{{1,8}}?(?:路|街|大道)\s?"
    rf"(?:(?:[一二三四五六七八九十]{{1,3}}|{_D}{{1,2}})段\s?)?"
    rf"(?:{_D}{{1,4}}巷\s?)?"
    rf"(?:{_D}{{1,4}}弄\s?)?"
    rf"{_D}{{1,5}}(?:之{_D}{{1,3}})?號"
    rf"(?:之{_D}{{1,3}})?"
    rf"(?:\s?{_D}{{1,3}}[樓F](?:之{_D}{{1,3}})?)?"
)


@dataclass(frozen=True)
class Candidate:
    page: int  # 1-based
    text: str
    kind: str  # id, phone, email, address


# --- reading and proposing (pure functions) --------------------------------------------------------


def _open(data: bytes, field: str | None = "document"):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        error = ValidationError(_("The PDF is damaged or protected and cannot be read."), code="file_damaged")
        raise ValidationError({field: [error]}) if field else error from None


def _page_text(page) -> str:
    textpage = page.get_textpage()
    try:
        return _flatten(textpage.get_text_range())[0]
    finally:
        textpage.close()


def extract_pages(data: bytes) -> list[str]:
    """The text of each page of a PDF (PDFium), in order; an empty string for a page without text."""
    pdf = _open(data)
    try:
        return [_page_text(page) for page in pdf]
    finally:
        pdf.close()


def _label_before(text: str, start: int) -> str:
    """The text before `start` in the same clause (up to _LABEL_REACH characters)."""
    before = text[max(0, start - _LABEL_REACH) : start]
    cut = max(before.rfind(mark) for mark in ("。", "；", ";", "\n\n", "\f"))
    return before[cut + 1 :] if cut >= 0 else before


def _is_mobile(value: str) -> bool:
    digits = re.sub(r"\D", "", pii.normalize(value))
    return digits.startswith("09") or digits.startswith("8869")


def find_personal_data(text: str) -> list[tuple[str, str]]:
    """(kind, text) of each natural person's ID number, phone, e-mail and home address in `text`."""
    found: list[tuple[int, int, str, str]] = []
    for hit in pii.find(text):
        if hit.kind not in ("id", "phone", "email"):
            continue  # names are proposed only as the supplier (masked in the register)
        business = _BUSINESS_LABEL.search(_label_before(text, hit.start))
        if hit.kind == "phone" and business and not _is_mobile(hit.text):
            continue
        if hit.kind == "email" and business:
            continue
        found.append((hit.start, hit.end, hit.kind, hit.text))
    taken = [(s, e) for s, e, _k, _t in found]
    for match in _ADDRESS.finditer(text):
        start, end = match.span()
        if any(s < end and start < e for s, e in taken):
            continue
        if _BUSINESS_LABEL.search(_label_before(text, start)):
            continue
        found.append((start, end, "address", match.group(0).strip()))
    found.sort()
    return [(kind, value) for _s, _e, kind, value in found]


def propose(pages: list[str]) -> list[Candidate]:
    """The redactions to propose for a document's pages: each personal datum once per page."""
    candidates: list[Candidate] = []
    for number, text in enumerate(pages, start=1):
        seen: set[str] = set()
        for kind, value in find_personal_data(text):
            if value not in seen:
                seen.add(value)
                candidates.append(Candidate(number, value, kind))
    return candidates


def mask_public_text(text: str, withheld: list[str]) -> str:
    """`text` with each withheld string replaced by as many █ (the longest first)."""
    for value in sorted({w for w in withheld if w}, key=len, reverse=True):
        text = text.replace(value, BLOCK * len(value))
    return text


# --- the public copy (pure) ------------------------------------------------------------------------


def _flatten(raw: str) -> tuple[str, list[int]]:
    """PDFium's page text with its line breaks as "\n", and for each character its index in `raw`."""
    chars, where, i = [], [], 0
    while i < len(raw):
        if raw[i] == "\r":
            chars.append("\n")
            where.append(i)
            i += 2 if raw[i + 1 : i + 2] == "\n" else 1
            continue
        chars.append(raw[i])
        where.append(i)
        i += 1
    return "".join(chars), where


def _occurrences(textpage, raw: str, value: str) -> list[list[int]]:
    """The character indices of each occurrence of `value` (which may run over a line break)."""
    found: list[list[int]] = []
    if textpage.count_chars() == len(raw):  # PDFium's text index is its character index
        flat, where = _flatten(raw)
        start = flat.find(value)
        while start >= 0:
            found.append([where[j] for j in range(start, start + len(value)) if not flat[j].isspace()])
            start = flat.find(value, start + 1)
    else:
        for piece in value.split():
            searcher = textpage.search(piece, match_case=True)
            while (hit := searcher.get_next()) is not None:
                found.append(list(range(hit[0], hit[0] + hit[1])))
            searcher.close()
    return found


def _boxes(textpage, indices: list[int]) -> list[tuple[float, float, float, float]]:
    """The boxes (PDF points: left, bottom, right, top) over the characters `indices` in reading
    order: one box per run on a line, so that nothing shows between glyphs."""
    merged: list[list[float]] = []
    for i in indices:
        left, bottom, right, top = textpage.get_charbox(i)
        if right <= left or top <= bottom:
            continue
        last = merged[-1] if merged else None
        height = top - bottom
        if (
            last
            and min(top, last[3]) - max(bottom, last[1]) > 0.3 * min(height, last[3] - last[1])
            and -height < left - last[2] < 1.5 * height
        ):
            last[0], last[1] = min(last[0], left), min(last[1], bottom)
            last[2], last[3] = max(last[2], right), max(last[3], top)
        else:
            merged.append([left, bottom, right, top])
    return [tuple(box) for box in merged]


def _blacken(page, boxes) -> None:
    import pypdfium2.raw as raw

    for left, bottom, right, top in boxes:
        pad = 1.5
        rect = raw.FPDFPageObj_CreateNewRect(
            left - pad, bottom - pad, right - left + 2 * pad, top - bottom + 2 * pad
        )
        raw.FPDFPageObj_SetFillColor(rect, 0, 0, 0, 255)
        raw.FPDFPath_SetDrawMode(rect, raw.FPDF_FILLMODE_WINDING, False)
        raw.FPDFPage_InsertObject(page.raw, rect)
    raw.FPDFPage_GenerateContent(page.raw)


def _render(page, dpi: int) -> tuple[bytes, float, float]:
    """The page as a JPEG at `dpi`, and its size in points (as shown, rotation applied)."""
    bitmap = page.render(scale=dpi / 72, may_draw_forms=True)
    image = bitmap.to_pil().convert("RGB")
    bitmap.close()
    width, height = page.get_size()
    if page.get_rotation() in (90, 270):
        width, height = height, width
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY)
    return buffer.getvalue(), width, height


def _image_page(out, index: int, jpeg: bytes, width: float, height: float) -> None:
    """A page of `out` at `index` with the image alone on it, at the given size."""
    import pypdfium2 as pdfium

    page = out.new_page(width, height, index=index)
    picture = pdfium.PdfImage.new(out)
    picture.load_jpeg(io.BytesIO(jpeg), pages=[page], inline=False, autoclose=True)
    picture.set_matrix(pdfium.PdfMatrix().scale(width, height))
    page.insert_obj(picture)
    page.gen_content()
    page.close()


def _page_image(page, values: list[str], number: int, dpi: int) -> tuple[bytes, float, float]:
    """The page rendered with black boxes over every occurrence of `values`."""
    textpage = page.get_textpage()
    try:
        raw = textpage.get_text_range()
        flat, _where = _flatten(raw)
        boxes = []
        for value in values:
            if value not in flat:
                continue
            found = _occurrences(textpage, raw, value)
            if not found:
                raise ValidationError(
                    _("A withheld passage could not be located on page %(page)s.") % {"page": number},
                    code="redaction_not_found",
                )
            for indices in found:
                boxes += _boxes(textpage, indices)
    finally:
        textpage.close()
    _blacken(page, boxes)
    return _render(page, dpi)


def redact_pdf(data: bytes, withheld: list[tuple[int, str]], *, dpi: int = RENDER_DPI) -> bytes:
    """A new PDF from `data` without the withheld text. `withheld`: (page, text) pairs; a string
    withheld on one page is withheld wherever it appears. Pages without withheld text are copied
    in one import (their fonts shared); the others are images. Raises ValidationError when a
    withheld string cannot be located on its page (nothing would hide it in the image)."""
    import pypdfium2 as pdfium

    values = sorted({text for _page, text in withheld if text}, key=len, reverse=True)
    marked = {page for page, _text in withheld}
    source = _open(data, field=None)
    out = pdfium.PdfDocument.new()
    try:
        images: dict[int, tuple[bytes, float, float]] = {}
        for index in range(len(source)):
            page = source[index]
            textpage = page.get_textpage()
            flat, _where = _flatten(textpage.get_text_range())
            textpage.close()
            if index + 1 in marked or any(v in flat for v in values):
                images[index] = _page_image(page, values, index + 1, dpi)
            page.close()
        kept = [i for i in range(len(source)) if i not in images]
        if kept:
            out.import_pages(source, pages=kept, index=0)
        for index in sorted(images):  # ascending: the pages before each are in place
            _image_page(out, index, *images[index])
        buffer = io.BytesIO()
        out.save(buffer)
        return buffer.getvalue()
    finally:
        out.close()
        source.close()


# --- services --------------------------------------------------------------------------------------


def _reason(kind: str) -> str:
    return _("Personal privacy of a natural person (Art. 18 para 1 item 6): %(what)s.") % {
        "what": KIND_LABELS[kind]
    }


@transaction.atomic
def add_document(
    contract: Contract, uploaded, *, kind: str, title: str, actor
) -> tuple[ContractDocument, list[Redaction]]:
    """Store a PDF of `contract` (checked: PDF by content, size), read its text page by page and
    propose redactions for each natural person's personal data. Returns the document and the
    proposals (not yet accepted)."""
    require(actor, "transparency.manage_register", contract)
    if kind not in ContractDocument.Kind.values:
        raise ValidationError({"kind": [_("Choose a kind of document.")]}, code="invalid_choice")
    clean = attachments.clean_upload(
        uploaded, allowed=attachments.PDF, field="document", max_bytes=MAX_PDF_BYTES
    )
    pages = extract_pages(clean.data)
    document = ContractDocument(
        contract=contract,
        kind=kind,
        title=((title or "").strip() or clean.name)[:200],
        pages=len(pages),
        text="\f".join(pages),
        lacks_text=not any(p.strip() for p in pages),
    )
    document.original.save(f"{uuid.uuid4().hex}.pdf", ContentFile(clean.data), save=False)
    document.save()
    proposals = Redaction.objects.bulk_create(
        Redaction(
            document=document,
            page=c.page,
            text=c.text[:500],
            item=Art18Item.PRIVACY,
            reason=_reason(c.kind)[:300],
            proposed=True,
        )
        for c in propose(pages)
    )
    if contract.status == Contract.Status.DRAFT:
        contract.status = Contract.Status.REVIEW
        contract.save(update_fields=["status", "updated_at"])
    audit.record(
        "transparency.document_added",
        contract,
        document=document.pk,
        pages=document.pages,
        proposed=len(proposals),
        lacks_text=document.lacks_text,
    )
    return document, proposals


def make_public_copy(document: ContractDocument, *, actor) -> ContractDocument:
    """Make the public copy of `document` without its accepted redactions' text, and its public text."""
    require(actor, "transparency.manage_register", document.contract)
    withheld = list(document.redactions.filter(accepted=True).values_list("page", "text"))
    with document.original.open("rb") as f:
        data = f.read()
    copy = redact_pdf(data, withheld) if withheld else data
    if document.public_copy:
        document.public_copy.delete(save=False)
    document.public_copy.save(f"{uuid.uuid4().hex}.pdf", ContentFile(copy), save=False)
    document.public_text = mask_public_text(document.text, [t for _p, t in withheld])
    document.save(update_fields=["public_copy", "public_text"])
    return document


@transaction.atomic
def withhold_document(document: ContractDocument, *, item: int, reason: str, actor) -> ContractDocument:
    """Withhold a whole annex with its Art. 18 item and reason. The signed contract itself, or the
    last document of a contract still published, may not be withheld (Art. 18 para 2): withhold its
    passages instead."""
    require(actor, "transparency.manage_register", document.contract)
    if document.kind == ContractDocument.Kind.SIGNED:
        raise ValidationError(
            {
                "document": [
                    ValidationError(
                        _(
                            "The signed contract cannot be withheld in full (Art. 18 para 2): withhold the passages that must be withheld and publish the rest."
                        ),
                        code="whole_contract",
                    )
                ]
            }
        )
    others = document.contract.documents.exclude(pk=document.pk)
    if not others.filter(withheld=False).exists():
        raise ValidationError(
            {
                "document": [
                    ValidationError(
                        _(
                            "Every document of the contract would be withheld (Art. 18 para 2): withhold passages or single annexes only."
                        ),
                        code="all_documents",
                    )
                ]
            }
        )
    errors = {}
    if item not in Art18Item.values:
        errors["item"] = [ValidationError(_("Choose an item of Art. 18 para 1."), code="invalid_choice")]
    if not (reason or "").strip():
        errors["reason"] = [ValidationError(_("Give the reason for withholding."), code="required")]
    if errors:
        raise ValidationError(errors)
    document.withheld, document.withheld_item, document.withheld_reason = True, item, reason.strip()
    if document.public_copy:
        document.public_copy.delete(save=False)
    document.public_text = ""
    document.save(
        update_fields=["withheld", "withheld_item", "withheld_reason", "public_copy", "public_text"]
    )
    audit.record("transparency.document_withheld", document.contract, document=document.pk, item=item)
    return document


def public_supplier(contract: Contract) -> str:
    """The supplier as everyone may see it: a natural person's name masked (王○明)."""
    return pii.mask_name(contract.supplier_name) if contract.supplier_is_person else contract.supplier_name


def _search_text(contract: Contract) -> str:
    parts = [contract.title, public_supplier(contract)]
    if not contract.supplier_is_person:
        parts.append(contract.supplier_tax_id)
    parts += [d.public_text for d in contract.documents.filter(withheld=False)]
    return "\n".join(p for p in parts if p)


@transaction.atomic
def approve_and_publish(contract: Contract, *, actor, accept_proposed: bool = False) -> Contract:
    """Approve the public copies of `contract`'s documents (accepting the proposed redactions first
    if asked) and publish the contract."""
    require(actor, "transparency.manage_register", contract)
    now = timezone.now()
    redactions = Redaction.objects.filter(document__contract=contract)
    if accept_proposed:
        redactions.filter(proposed=True, accepted=False, decided_at__isnull=True).update(
            accepted=True, decided_by=actor, decided_at=now
        )
    for document in contract.documents.filter(withheld=False):
        make_public_copy(document, actor=actor)
        document.approved_by, document.approved_at = actor, now
        document.save(update_fields=["approved_by", "approved_at"])
    contract.status = Contract.Status.PUBLISHED
    contract.published_at = contract.published_at or now
    contract.search_text = _search_text(contract)
    contract.save(update_fields=["status", "published_at", "search_text", "updated_at"])
    audit.record(
        "transparency.contract_published",
        contract,
        redactions=redactions.filter(accepted=True).count(),
    )
    return contract


@transaction.atomic
def register_contract(
    *,
    actor,
    agency,
    title: str,
    supplier_name: str = "",
    supplier_tax_id: str = "",
    supplier_is_person: bool = False,
    award_amount=None,
    budget_amount=None,
    signed_on=None,
    document=None,
    document_title: str = "",
) -> tuple[Contract, list[Redaction]]:
    """Register a contract of `agency` (a draft) with its signed text, if given (see add_document)."""
    probe = Contract(agency=agency)
    require(actor, "transparency.manage_register", probe)
    contract = Contract(
        agency=agency,
        ocid=f"{OCID_PREFIX}-{agency.code}-direct-{uuid.uuid4().hex[:12]}",
        title=(title or "").strip(),
        supplier_name=(supplier_name or "").strip(),
        supplier_tax_id=(supplier_tax_id or "").strip(),
        supplier_is_person=supplier_is_person,
        award_amount=award_amount,
        budget_amount=budget_amount,
        signed_on=signed_on,
    )
    contract.full_clean(exclude=["search_text"])
    contract.save()
    proposals: list[Redaction] = []
    if document is not None:
        _doc, proposals = add_document(
            contract,
            document,
            kind=ContractDocument.Kind.SIGNED,
            title=document_title or contract.title,
            actor=actor,
        )
    return contract, proposals
