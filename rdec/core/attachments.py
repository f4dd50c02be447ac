"""One service for every uploaded file (petitions' attachments, inspection photos, progress-report
attachments, open-data resource files, the importers' workbooks), and for handing files back.

- **Type by content.** `sniff()` reads the file's first bytes (magic numbers; the names inside a
  zip for Office/ODF files); the client's Content-Type and the file name are never trusted. Each
  use passes the kinds it allows (`IMAGES`, `PDF`, `OFFICE`, `CSV`).
- **Size.** At most `RDEC_UPLOAD_MAX_BYTES` (or what the caller passes), checked before reading on.
- **Pixels before decoding.** Pillow's `Image.open()` reads only the header: the width × height is
  checked against `RDEC_MAX_IMAGE_PIXELS` before any pixel is decoded (a 257 KB PNG of
  9,400 × 9,400 pixels once took 16 s and 800 MB). `Image.MAX_IMAGE_PIXELS` is set to the same
  limit and Pillow's DecompressionBombWarning is an error (`configure_pillow`, from core's ready()),
  so that every other use of Pillow is held to it too.
- **Zips before opening.** .xlsx/.ods/.docx/.odt are zips: `check_zip()` refuses more than
  `RDEC_ZIP_MAX_ENTRIES` entries, more than `RDEC_ZIP_MAX_UNCOMPRESSED_BYTES` unpacked in all, or an
  entry larger than 1 MiB that unpacks to more than `RDEC_ZIP_MAX_RATIO` times its packed size (a
  296 KB workbook once unpacked to 70 MB and held a worker 165 s). Python's zipfile never unpacks
  more than an entry's declared size, so the declared sizes checked here bound the work.
- **Metadata stripped.** Images are decoded and saved again with their pixels only (orientation
  applied first): no EXIF (GPS, camera, time), XMP or comments. PDFs and Office files are kept as
  they are; open-data files are never altered (`check_data_file`).
- **Safe downloads.** `download_response()`: Content-Disposition attachment with an RFC 6266
  `filename*`, the stored (sniffed) Content-Type and `X-Content-Type-Options: nosniff`.

Every refusal is a ValidationError with a message in the user's language, which forms and the API
answer with 400."""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Kind:
    content_type: str
    ext: str
    label: str


KINDS = {
    "jpeg": Kind("image/jpeg", "jpg", "JPEG"),
    "png": Kind("image/png", "png", "PNG"),
    "webp": Kind("image/webp", "webp", "WebP"),
    "pdf": Kind("application/pdf", "pdf", "PDF"),
    "docx": Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word"),
    "xlsx": Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "Excel"),
    "odt": Kind("application/vnd.oasis.opendocument.text", "odt", "ODT"),
    "ods": Kind("application/vnd.oasis.opendocument.spreadsheet", "ods", "ODS"),
    "csv": Kind("text/csv", "csv", "CSV"),
}
IMAGES = frozenset({"jpeg", "png", "webp"})
PDF = frozenset({"pdf"})
OFFICE = frozenset({"docx", "xlsx", "odt", "ods"})
CSV = frozenset({"csv"})
ZIPPED = frozenset({"docx", "xlsx", "odt", "ods", "pptx", "odp", "zip"})
# never accepted as an open-data file either: pages and programs a browser or a desktop would run
ACTIVE = frozenset({"html", "svg", "executable"})

_ODF = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}
_OOXML = (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx"))
_RATIO_FROM_BYTES = 1024 * 1024  # smaller entries may pack tightly without harm


def configure_pillow() -> None:
    """Hold every use of Pillow to RDEC_MAX_IMAGE_PIXELS; a decompression-bomb warning is an error."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = settings.RDEC_MAX_IMAGE_PIXELS
    warnings.simplefilter("error", Image.DecompressionBombWarning)


# --- what a file is --------------------------------------------------------------------------------


def _sniff_zip(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names and archive.getinfo("mimetype").file_size <= 200:
                return _ODF.get(archive.read("mimetype").strip(), "zip")
            if "[Content_Types].xml" in names:
                for prefix, kind in _OOXML:
                    if any(n.startswith(prefix) for n in names):
                        return kind
            return "zip"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError, NotImplementedError):
        return None


def _is_text(sample: bytes) -> str | None:
    if b"\x00" in sample:
        return None
    for encoding in ("utf-8-sig", "cp950"):
        try:
            text = sample.decode(encoding)
            break
        except UnicodeDecodeError as exc:
            if exc.start >= len(sample) - 3:  # a character cut at the end of the sample
                text = sample[: exc.start].decode(encoding, errors="ignore")
                break
    else:
        return None
    head = text.lstrip().lower()[:200]
    if head.startswith(("<!doctype html", "<html", "<script", "<head", "<body", "<iframe")):
        return "html"
    if head.startswith("<svg") or ("<svg" in head and head.startswith("<?xml")):
        return "svg"
    return "csv"


def sniff(data: bytes) -> str | None:
    """The kind of file by its first bytes: a key of KINDS, or "zip", "gif", "ole" (old Office),
    "html", "svg", "executable"; None when it is none of these (binary of unknown kind)."""
    head = data[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith((b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"#!")):
        return "executable"
    return _is_text(data[:8192])


# --- limits ----------------------------------------------------------------------------------------


def _refuse(message: str, code: str, field: str | None):
    error = ValidationError(message, code=code)
    raise ValidationError({field: [error]}) if field else error


def check_zip(data: bytes, *, name: str = "", field: str | None = None) -> None:
    """Refuse a zip (workbook, document) that would unpack to too much, before anything opens it."""
    max_entries = settings.RDEC_ZIP_MAX_ENTRIES
    max_total = settings.RDEC_ZIP_MAX_UNCOMPRESSED_BYTES
    max_ratio = settings.RDEC_ZIP_MAX_RATIO
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError):
        _refuse(_("%(name)s is damaged and cannot be opened.") % {"name": name}, "file_damaged", field)
    if len(entries) > max_entries:
        _refuse(
            _("%(name)s holds more than %(limit)s files inside; it was not opened.")
            % {"name": name, "limit": max_entries},
            "zip_entries",
            field,
        )
    total = 0
    for entry in entries:
        total += entry.file_size
        if total > max_total:
            _refuse(
                _("%(name)s unpacks to more than %(limit)s; it was not opened.")
                % {"name": name, "limit": filesizeformat(max_total)},
                "zip_size",
                field,
            )
        if entry.file_size > _RATIO_FROM_BYTES and entry.file_size > max_ratio * max(entry.compress_size, 1):
            _refuse(
                _(
                    "%(name)s is packed suspiciously tightly (a part unpacks to more than %(ratio)s times its size); it was not opened."
                )
                % {"name": name, "ratio": max_ratio},
                "zip_ratio",
                field,
            )


def check_image(data: bytes, *, name: str = "", field: str | None = None) -> tuple[str, tuple[int, int]]:
    """(Pillow's format, (width, height)) from the header only; refuses more than
    RDEC_MAX_IMAGE_PIXELS pixels before any pixel is decoded."""
    from PIL import Image, UnidentifiedImageError

    limit = settings.RDEC_MAX_IMAGE_PIXELS
    too_many = _("%(name)s has too many pixels (at most %(limit)s million); make the image smaller.") % {
        "name": name,
        "limit": f"{limit / 1_000_000:g}",
    }
    # No warnings.catch_warnings() here (it is not thread-safe): configure_pillow() makes the
    # warning an error process-wide, and the explicit comparison below holds whatever the filters.
    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header, decodes nothing
            kind, size = image.format, image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _refuse(too_many, "image_pixels", field)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        _refuse(_("%(name)s cannot be read as an image.") % {"name": name}, "file_damaged", field)
    if size[0] * size[1] > limit:
        _refuse(too_many, "image_pixels", field)
    return kind, size


def strip_image(data: bytes, kind: str) -> bytes:
    """The image saved again with its pixels only (orientation applied): no EXIF, GPS, XMP, ICC
    text or comments carry over. Call check_image first."""
    from PIL import Image, ImageOps

    fmt = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}[kind]
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        clean = ImageOps.exif_transpose(image)
    if fmt == "JPEG" and clean.mode not in ("RGB", "L", "CMYK"):
        clean = clean.convert("RGB")
    stripped = Image.new(clean.mode, clean.size)
    stripped.paste(clean)
    if clean.mode == "P" and clean.getpalette():
        stripped.putpalette(clean.getpalette())
    out = io.BytesIO()
    stripped.save(out, fmt, **({"quality": 90} if fmt in ("JPEG", "WEBP") else {}))
    return out.getvalue()


# --- uploads ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cleaned:
    data: bytes
    kind: str
    content_type: str
    ext: str
    name: str  # the uploaded file's own name, without directories, at most 200 characters


def _name(uploaded) -> str:
    return ((getattr(uploaded, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1] or "file")[:200]


def _read(uploaded, *, name: str, limit: int, field: str | None) -> bytes:
    too_large = _("%(name)s is larger than %(limit)s.") % {"name": name, "limit": filesizeformat(limit)}
    size = getattr(uploaded, "size", None)
    if size is not None and size > limit:
        _refuse(too_large, "file_size", field)
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        _refuse(too_large, "file_size", field)
    return data


def clean_upload(
    uploaded, *, allowed: frozenset[str], field: str | None = "file", max_bytes: int | None = None
) -> Cleaned:
    """Check an uploaded file for one use: its kind by content among `allowed`, its size, a zip's
    entries, an image's pixels; images come back without their metadata, other files as they are."""
    name = _name(uploaded)
    data = _read(uploaded, name=name, limit=max_bytes or settings.RDEC_UPLOAD_MAX_BYTES, field=field)
    kind = sniff(data)
    if kind not in allowed:
        labels = ", ".join(KINDS[k].label for k in KINDS if k in allowed)
        _refuse(
            _("%(name)s is not an accepted file (accepted: %(types)s; judged by the file's content).")
            % {"name": name, "types": labels},
            "file_type",
            field,
        )
    if kind in ZIPPED:
        check_zip(data, name=name, field=field)
    if kind in IMAGES:
        check_image(data, name=name, field=field)
        try:
            data = strip_image(data, kind)
        except (OSError, SyntaxError, ValueError):
            _refuse(_("%(name)s cannot be read as an image.") % {"name": name}, "file_damaged", field)
    spec = KINDS[kind]
    return Cleaned(data=data, kind=kind, content_type=spec.content_type, ext=spec.ext, name=name)


def check_data_file(uploaded, *, field: str | None = "file", max_bytes: int | None = None) -> str | None:
    """An open-data file is published as it was uploaded (never re-encoded): only its size is
    checked and web pages, SVG and programs are refused. Returns the sniffed kind."""
    name = _name(uploaded)
    limit = max_bytes or settings.RDEC_OPENDATA_UPLOAD_MAX_BYTES
    size = getattr(uploaded, "size", None)
    if size is not None and size > limit:
        _refuse(
            _("%(name)s is larger than %(limit)s.") % {"name": name, "limit": filesizeformat(limit)},
            "file_size",
            field,
        )
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    head = uploaded.read(64 * 1024)
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    kind = sniff(head) if not head.startswith(b"PK\x03\x04") else "zip"
    if kind in ACTIVE:
        _refuse(
            _("%(name)s is a web page or a program, not a data file.") % {"name": name}, "file_type", field
        )
    return kind


# --- downloads -------------------------------------------------------------------------------------


def content_type_for(ext: str) -> str:
    """The Content-Type of a stored file by the extension this service gave it (from its sniffed
    kind; "jpeg" too, as older uploads were named)."""
    ext = ext.lower().lstrip(".")
    ext = "jpg" if ext == "jpeg" else ext
    return next((k.content_type for k in KINDS.values() if k.ext == ext), "application/octet-stream")


def download_response(file, filename: str, content_type: str | None = None, *, inline: bool = False):
    """A FileResponse for a stored file: `attachment` (RFC 6266, with `filename*` for non-ASCII
    names) unless `inline` (images shown in the page), the stored Content-Type (the sniffed one),
    and `X-Content-Type-Options: nosniff` so that no browser guesses another type."""
    from django.http import FileResponse

    response = FileResponse(file, as_attachment=not inline, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
