"""The attachment service (core.attachments) and the table reader's limits (core.tabular): type by
content, size, pixels before decoding, zips before opening, metadata stripped, safe downloads. The
bombs are built here on the fly and must be refused quickly, without decoding them."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from PIL import Image

from rdec.core import attachments, tabular

ANY = attachments.IMAGES | attachments.PDF | attachments.OFFICE | attachments.CSV


def _image(fmt: str, size=(40, 30), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt, **save)
    return out.getvalue()


def _jpeg_with_gps(orientation: int | None = None) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # Make
    exif[0x8825] = {1: "N", 2: (24.0, 9.0, 41.4), 3: "E", 4: (120.0, 38.0, 48.8)}  # GPSInfo
    if orientation:
        exif[0x0112] = orientation
    data = _image("JPEG", exif=exif)
    with Image.open(io.BytesIO(data)) as check:
        assert check.getexif().get_ifd(0x8825), "the test image must carry GPS EXIF"
    return data


def _pixel_bomb() -> bytes:
    """A PNG of 9,400 × 9,400 one-bit pixels: a few kilobytes that would decode to 88 million pixels."""
    out = io.BytesIO()
    Image.new("1", (9400, 9400), 0).save(out, "PNG", optimize=True)
    return out.getvalue()


def _xlsx(rows=(("a", "b"), ("1", "2"))) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _zip_bomb(base: bytes, megabytes: int = 80) -> bytes:
    """The workbook with a sheet entry that unpacks to `megabytes` MB of one repeated byte."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for entry in src.infolist():
            dst.writestr(entry, src.read(entry))
        with dst.open("xl/worksheets/sheet2.xml", "w") as big:
            chunk = b" " * (1024 * 1024)
            for _i in range(megabytes):
                big.write(chunk)
    return out.getvalue()


def _quick(call):
    """(exception raised, seconds, peak bytes allocated by Python) of call()."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        call()
    except Exception as exc:  # noqa: BLE001 - returned for the test to check
        raised = exc
    else:
        raised = None
    seconds = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return raised, seconds, peak


# --- type by content ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (lambda: _image("JPEG"), "jpeg"),
        (lambda: _image("PNG"), "png"),
        (lambda: _image("WEBP"), "webp"),
        (lambda: _image("GIF"), "gif"),
        (lambda: b"%PDF-1.7\n", "pdf"),
        (_xlsx, "xlsx"),
        (lambda: "案號,名稱\n1,坑洞\n".encode(), "csv"),
        (lambda: "案號,名稱\n".encode("cp950"), "csv"),
        (lambda: b"  <!DOCTYPE html><script>alert(1)</script>", "html"),
        (lambda: b'<?xml version="1.0"?><svg onload="x">', "svg"),
        (lambda: b"MZ\x90\x00 not a photo", "executable"),
        (lambda: b"\x00\x01\x02binary", None),
    ],
)
def test_the_kind_is_read_from_the_content(data, kind):
    assert attachments.sniff(data()) == kind


def test_the_name_and_the_clients_content_type_are_not_trusted():
    fake = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        attachments.clean_upload(fake, allowed=attachments.IMAGES, field="photo")
    assert exc.value.error_dict["photo"][0].code == "file_type"
    pdf = SimpleUploadedFile("scan.png", b"%PDF-1.4\n%x\n", content_type="image/png")
    clean = attachments.clean_upload(pdf, allowed=ANY)
    assert (clean.kind, clean.content_type, clean.ext, clean.name) == (
        "pdf",
        "application/pdf",
        "pdf",
        "scan.png",
    )


def test_the_message_is_in_traditional_chinese():
    from django.utils import translation

    with translation.override("zh-hant"):
        with pytest.raises(ValidationError) as exc:
            attachments.clean_upload(
                SimpleUploadedFile("a.exe", b"MZ\x90"), allowed=attachments.PDF, field="f"
            )
    message = exc.value.message_dict["f"][0]
    assert "a.exe" in message and "PDF" in message and "檔案" in message


@hsettings(max_examples=40, deadline=None)
@given(st.binary(max_size=64))
def test_random_bytes_are_refused_or_accepted_never_an_error(data):
    try:
        clean = attachments.clean_upload(SimpleUploadedFile("x", data), allowed=ANY)
    except ValidationError:
        return
    assert clean.kind in ANY


# --- size -----------------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(settings):
    settings.RDEC_UPLOAD_MAX_BYTES = 1000
    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2000)
    with pytest.raises(ValidationError) as exc:
        attachments.clean_upload(upload, allowed=attachments.PDF)
    assert exc.value.error_dict["file"][0].code == "file_size"
    upload.size = None  # a stream without a known size is read no further than the limit
    with pytest.raises(ValidationError):
        attachments.clean_upload(upload, allowed=attachments.PDF)


# --- pixels before decoding -------------------------------------------------------------------------


def test_a_pixel_bomb_is_refused_quickly_without_decoding():
    bomb = _pixel_bomb()
    assert len(bomb) < 300_000
    upload = SimpleUploadedFile("bomb.png", bomb, content_type="image/png")
    raised, seconds, peak = _quick(lambda: attachments.clean_upload(upload, allowed=attachments.IMAGES))
    assert isinstance(raised, ValidationError)
    assert raised.error_dict["file"][0].code == "image_pixels"
    assert seconds < 2
    assert peak < 5 * 1024 * 1024  # the file itself, not 88 million pixels


def test_the_pixel_limit_is_a_setting_and_holds_for_every_use_of_pillow(settings):
    settings.RDEC_MAX_IMAGE_PIXELS = 100 * 100
    small, large = _image("PNG", (100, 100)), _image("PNG", (101, 100))
    assert (
        attachments.clean_upload(SimpleUploadedFile("s.png", small), allowed=attachments.IMAGES).kind == "png"
    )
    with pytest.raises(ValidationError):
        attachments.clean_upload(SimpleUploadedFile("l.png", large), allowed=attachments.IMAGES)
    assert Image.MAX_IMAGE_PIXELS == 40_000_000  # set from the setting at start-up (core's ready())
    with pytest.raises((Image.DecompressionBombError, Image.DecompressionBombWarning)):
        Image.open(io.BytesIO(_pixel_bomb()))  # a warning is an error too


# --- metadata -------------------------------------------------------------------------------------


def test_gps_and_camera_data_are_removed_and_the_orientation_applied():
    upload = SimpleUploadedFile("photo.jpg", _jpeg_with_gps(orientation=6))  # rotate 90° to show
    clean = attachments.clean_upload(upload, allowed=attachments.IMAGES)
    with Image.open(io.BytesIO(clean.data)) as image:
        exif = image.getexif()
        assert not exif.get_ifd(0x8825) and 0x010F not in exif and 0x0112 not in exif
        assert "exif" not in image.info
        assert image.size == (30, 40)  # turned as the camera meant


def test_documents_are_kept_as_they_are():
    data = _xlsx()
    clean = attachments.clean_upload(SimpleUploadedFile("t.xlsx", data), allowed=attachments.OFFICE)
    assert clean.data == data and clean.kind == "xlsx"


# --- zips before opening ----------------------------------------------------------------------------


def test_a_workbook_bomb_is_refused_quickly_by_the_table_reader_and_the_attachment_service():
    bomb = _zip_bomb(_xlsx())
    assert len(bomb) < 500_000
    raised, seconds, peak = _quick(lambda: list(tabular.iter_rows(bomb, "progress.xlsx")))
    assert isinstance(raised, tabular.UnreadableFile)
    assert "progress.xlsx" in raised.message
    assert seconds < 2 and peak < 10 * 1024 * 1024
    with pytest.raises(ValidationError) as exc:
        attachments.clean_upload(SimpleUploadedFile("t.xlsx", bomb), allowed=attachments.OFFICE)
    assert exc.value.error_dict["file"][0].code in {"zip_size", "zip_ratio"}


def test_zip_limits_are_settings(settings):
    data = _zip_bomb(_xlsx(), megabytes=2)  # 2 MB of spaces: packed 1000 times
    with pytest.raises(ValidationError) as exc:
        attachments.check_zip(data, name="t.xlsx")
    assert exc.value.code == "zip_ratio"
    settings.RDEC_ZIP_MAX_RATIO = 100_000
    attachments.check_zip(data, name="t.xlsx")
    settings.RDEC_ZIP_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    with pytest.raises(ValidationError) as exc:
        attachments.check_zip(data, name="t.xlsx")
    assert exc.value.code == "zip_size"
    settings.RDEC_ZIP_MAX_ENTRIES = 3
    with pytest.raises(ValidationError) as exc:
        attachments.check_zip(data, name="t.xlsx")
    assert exc.value.code == "zip_entries"


# --- rows -----------------------------------------------------------------------------------------


def test_a_table_stops_at_the_row_cap(settings):
    settings.RDEC_IMPORT_MAX_ROWS = 5
    assert len(list(tabular.iter_rows(b"h\n1\n2\n3\n4\n"))) == 5
    for data, name in (
        (b"h\n" + b"1\n" * 5, "t.csv"),
        (_xlsx([("h",), *[(str(i),) for i in range(5)]]), "t.xlsx"),
    ):
        with pytest.raises(tabular.UnreadableFile) as exc:
            list(tabular.iter_rows(data, name))
        assert "5" in exc.value.message


def test_empty_rows_do_not_count_but_a_long_run_of_them_ends_the_table(settings):
    settings.RDEC_IMPORT_MAX_ROWS = 3
    rows = list(tabular.iter_rows(b"h\n1\n\n\n\n2\n" + b",\n" * 2000 + b"3\n"))
    assert rows[:2] == [["h"], ["1"]] and ["2"] in rows and ["3"] not in rows


# --- downloads ------------------------------------------------------------------------------------


def test_downloads_are_attachments_with_the_stored_type_and_nosniff():
    response = attachments.download_response(io.BytesIO(b"%PDF-1.4"), "會勘紀錄.pdf", "application/pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=utf-8''%E6%9C%83" in disposition
    inline = attachments.download_response(io.BytesIO(b"x"), "p.jpg", "image/jpeg", inline=True)
    assert inline["Content-Disposition"].startswith("inline;")
    assert attachments.content_type_for("jpeg") == "image/jpeg"
    assert attachments.content_type_for("exe") == "application/octet-stream"


# --- open-data files ------------------------------------------------------------------------------


def test_open_data_files_are_checked_but_never_changed(settings):
    csv_file = SimpleUploadedFile("d.csv", "名稱\n=1+1\n".encode())
    assert attachments.check_data_file(csv_file) == "csv"
    assert csv_file.read() == "名稱\n=1+1\n".encode()
    for data in (b"<html><body><script>x</script>", b"MZ\x90\x00"):
        with pytest.raises(ValidationError):
            attachments.check_data_file(SimpleUploadedFile("d.csv", data))
    settings.RDEC_OPENDATA_UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError):
        attachments.check_data_file(SimpleUploadedFile("d.csv", b"a,b\n" * 10))
