"""The MOU register (合作備忘錄專區): numbers, the approval gates (§1.5 case 10), the status flow,
the publication due date and overdue flag, expiry, yearly reports, the full text and what the
public sees (§1.5 case 11)."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rdec.core.tests.factories import agency
from rdec.transparency import selectors_registers as selectors
from rdec.transparency import tasks
from rdec.transparency.models import Mou, TransparencyRule
from rdec.transparency.services import mous as services

pytestmark = pytest.mark.django_db

D = datetime.date
TAIPEI = zoneinfo.ZoneInfo("Asia/Taipei")
SIGNED = D(2022, 3, 1)
COMPANY = {"name": "台灣積體電路製造股份有限公司", "kind": "company", "region": "臺灣"}
MAINLAND = {"name": "廈門市人民政府", "kind": "mainland", "region": "大陸地區"}
FOREIGN = {"name": "Sacramento", "kind": "foreign_local", "region": "美國"}


def codes(exc: ValidationError, field: str) -> list[str]:
    return [e.code for e in exc.error_dict[field]]


def minimal_pdf(text: str = "Hello smart city MOU") -> bytes:
    """A one-page PDF with `text` in Helvetica (ASCII), offsets computed."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_upload(text: str = "Hello smart city MOU") -> SimpleUploadedFile:
    return SimpleUploadedFile("mou.pdf", minimal_pdf(text), content_type="application/pdf")


@pytest.fixture
def today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=TAIPEI), tick=False)
    return D(2026, 3, 2)


def new_mou(actor, *, parties=(COMPANY,), **kw) -> Mou:
    values = {
        "lead_agency": agency("construction"),
        "title": "智慧城市場域驗證合作備忘錄",
        "summary": "共同推動智慧路燈實證",
        "parties": list(parties),
        "term_start": D(2022, 3, 1),
        "term_end": D(2027, 2, 28),
    }
    values.update(kw)
    return services.create_mou(actor=actor, **values)


def signed_mou(actor, signed_on=SIGNED, **kw) -> Mou:
    mou = new_mou(actor, **kw)
    services.submit_mou_for_approval(mou, actor=actor)
    return services.sign_mou(mou, signed_on=signed_on, actor=actor)


# --- numbers -----------------------------------------------------------------------------------------


def test_numbers_run_within_the_roc_year_of_creation(personas, today, time_machine):
    first, second = new_mou(personas.staff), new_mou(personas.staff)
    time_machine.move_to(datetime.datetime(2027, 1, 4, 9, 0, tzinfo=TAIPEI), tick=False)
    third = new_mou(personas.staff)
    assert [first.number, second.number, third.number] == ["MOU-115-0001", "MOU-115-0002", "MOU-116-0001"]
    assert first.status == "draft" and [p.kind for p in first.parties.all()] == ["company"]


def test_a_taken_number_is_retried(personas, today, monkeypatch):
    first = new_mou(personas.staff)
    taken = iter([first.number])
    real = services._next_number
    monkeypatch.setattr(services, "_next_number", lambda day: next(taken, None) or real(day))
    assert new_mou(personas.staff).number == "MOU-115-0002"


def test_create_refuses_bad_parties_and_terms(personas, today):
    with pytest.raises(ValidationError) as exc:
        new_mou(
            personas.staff,
            title="",
            parties=[{"name": "", "kind": "alien"}],
            term_start=D(2023, 1, 1),
            term_end=D(2022, 1, 1),
        )
    assert set(exc.value.error_dict) == {"title", "parties", "term_end"}
    assert set(codes(exc.value, "parties")) == {"party_name", "party_kind"}


def test_only_the_agency_and_the_rdec_keep_an_mou(personas, today):
    with pytest.raises(PermissionDenied):
        new_mou(personas.other_staff)
    with pytest.raises(PermissionDenied):
        new_mou(personas.citizen)
    mou = new_mou(personas.officer)
    with pytest.raises(PermissionDenied):
        services.submit_mou_for_approval(mou, actor=personas.other_staff)


# --- the gates (§1.5 case 10) ------------------------------------------------------------------------


def test_a_mainland_party_blocks_signing_until_the_mac_approves(personas, today):
    mou = new_mou(personas.staff, parties=[MAINLAND])
    services.submit_mou_for_approval(mou, actor=personas.staff)
    with pytest.raises(ValidationError) as exc:
        services.sign_mou(mou, signed_on=D(2026, 3, 1), actor=personas.staff)
    assert codes(exc.value, "status") == ["approval_missing_mac"]
    services.record_mou_approval(mou, actor=personas.staff, body="mac", status="pending")
    services.record_mou_approval(mou, actor=personas.staff, body="moi", status="approved", decided_on=today)
    with pytest.raises(ValidationError) as exc:
        services.sign_mou(mou, signed_on=D(2026, 3, 1), actor=personas.staff)
    assert codes(exc.value, "status") == ["approval_missing_mac"]
    mou.refresh_from_db()
    assert mou.status == "under_approval" and mou.signed_on is None

    services.record_mou_approval(
        mou,
        actor=personas.staff,
        body="mac",
        status="approved",
        decided_on=today,
        reference="陸台字第1150000001號",
    )
    services.sign_mou(mou, signed_on=D(2026, 3, 1), actor=personas.staff)
    assert (mou.status, mou.signed_on) == ("signed", D(2026, 3, 1))
    assert mou.approvals.filter(body="mac").count() == 1


def test_a_refused_mac_approval_does_not_open_the_gate(personas, today):
    mou = new_mou(personas.staff, parties=[COMPANY, MAINLAND])
    services.submit_mou_for_approval(mou, actor=personas.staff)
    services.record_mou_approval(mou, actor=personas.staff, body="mac", status="refused", decided_on=today)
    with pytest.raises(ValidationError) as exc:
        services.sign_mou(mou, signed_on=today, actor=personas.staff)
    assert codes(exc.value, "status") == ["approval_missing_mac"]


@pytest.mark.parametrize("body", ["moi", "ey"])
def test_a_foreign_local_government_needs_a_central_approval(personas, today, body):
    mou = new_mou(personas.staff, parties=[FOREIGN], doc_type="sister_city")
    services.submit_mou_for_approval(mou, actor=personas.staff)
    with pytest.raises(ValidationError) as exc:
        services.sign_mou(mou, signed_on=today, actor=personas.staff)
    assert codes(exc.value, "status") == ["approval_missing_central"]
    services.record_mou_approval(mou, actor=personas.staff, body=body, status="approved", decided_on=today)
    assert services.sign_mou(mou, signed_on=today, actor=personas.staff).status == "signed"


def test_both_gates_are_named_when_both_are_missing(personas, today):
    mou = new_mou(personas.staff, parties=[MAINLAND, FOREIGN])
    services.submit_mou_for_approval(mou, actor=personas.staff)
    with pytest.raises(ValidationError) as exc:
        services.sign_mou(mou, signed_on=today, actor=personas.staff)
    assert codes(exc.value, "status") == ["approval_missing_mac", "approval_missing_central"]


def test_a_signed_mou_cannot_gain_a_party_whose_approval_is_missing(personas, today):
    mou = signed_mou(personas.staff)
    with pytest.raises(ValidationError) as exc:
        services.update_mou(mou, actor=personas.staff, parties=[COMPANY, MAINLAND])
    assert codes(exc.value, "parties") == ["approval_missing_mac"]
    assert [p.kind for p in mou.parties.all()] == ["company"]


def test_an_approval_needs_its_decision_date(personas, today):
    mou = new_mou(personas.staff)
    with pytest.raises(ValidationError) as exc:
        services.record_mou_approval(mou, actor=personas.staff, body="mac", status="approved")
    assert codes(exc.value, "decided_on") == ["required"]


# --- the status flow ---------------------------------------------------------------------------------


def test_the_whole_flow_is_followed(personas, today):
    mou = signed_mou(personas.staff)
    for status in ("active", "terminated"):
        services.change_mou_status(mou, status=status, actor=personas.staff)
    mou.refresh_from_db()
    assert mou.status == "terminated"


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ([], "signed"),  # draft → signed skips the approval
        ([], "active"),
        (["under_approval"], "active"),
        (["under_approval", "signed"], "expired"),
        (["under_approval", "signed", "active"], "draft"),
        (["under_approval", "signed", "active", "expired"], "active"),
        (["under_approval", "signed", "active", "renewed"], "terminated"),
        ([], "nonsense"),
    ],
)
def test_other_steps_are_refused(personas, today, path, target):
    mou = new_mou(personas.staff)
    for step in path:
        services.change_mou_status(
            mou, status=step, actor=personas.staff, signed_on=today if step == "signed" else None
        )
    with pytest.raises(ValidationError) as exc:
        services.change_mou_status(mou, status=target, actor=personas.staff, signed_on=today)
    assert codes(exc.value, "status")[0] in {"invalid_transition", "invalid_choice"}
    mou.refresh_from_db()
    assert mou.status == (path[-1] if path else "draft")


def test_signing_needs_a_date_not_in_the_future_and_a_party(personas, today):
    mou = new_mou(personas.staff, parties=[])
    services.submit_mou_for_approval(mou, actor=personas.staff)
    with pytest.raises(ValidationError) as exc:
        services.sign_mou(mou, signed_on=D(2026, 3, 3), actor=personas.staff)
    assert codes(exc.value, "signed_on") == ["future"]
    assert codes(exc.value, "parties") == ["required"]


# --- publication (§1.5 case 10) ----------------------------------------------------------------------


def test_signing_sets_the_publication_due_date_and_the_overdue_flag(personas, today):
    mou = signed_mou(personas.staff, signed_on=D(2022, 3, 1))
    assert mou.publication_due == D(2022, 3, 31)  # N = 30 calendar days
    assert list(selectors.overdue_mous(D(2022, 3, 31))) == []
    assert list(selectors.overdue_mous(D(2022, 4, 1))) == [mou]


def test_the_due_date_follows_the_rule_in_force_on_the_signing_day(personas, today):
    TransparencyRule.objects.create(effective_from=D(2024, 1, 1), source="測試", mou_publication_days=14)
    before = signed_mou(personas.staff, signed_on=D(2023, 12, 31))
    assert before.publication_due == D(2024, 1, 30)
    later = signed_mou(personas.staff, signed_on=D(2024, 1, 1))
    assert later.publication_due == D(2024, 1, 15)


def test_publishing_needs_a_signed_mou_with_its_full_text(personas, today):
    draft = new_mou(personas.staff, full_text=pdf_upload())
    with pytest.raises(ValidationError) as exc:
        services.publish_mou(draft, actor=personas.staff)
    assert codes(exc.value, "status") == ["not_signed"]
    mou = signed_mou(personas.staff)
    with pytest.raises(ValidationError) as exc:
        services.publish_mou(mou, actor=personas.staff)
    assert codes(exc.value, "full_text") == ["required"]


def test_a_published_mou_is_no_longer_overdue(personas, today):
    mou = signed_mou(personas.staff, signed_on=D(2022, 3, 1))
    services.attach_mou_full_text(mou, upload=pdf_upload(), actor=personas.staff)
    services.publish_mou(mou, actor=personas.staff)
    assert mou.published_at is not None
    assert list(selectors.overdue_mous(D(2026, 3, 2))) == []


DAYS = st.dates(min_value=D(2006, 1, 1), max_value=D(2026, 3, 2))


@pytest.fixture
def second_rule(db):
    return TransparencyRule.objects.create(
        effective_from=D(2024, 7, 1), source="測試", mou_publication_days=45
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(signed_on=DAYS)
def test_the_due_date_is_the_signing_day_plus_the_rules_days(second_rule, signed_on):
    due = services.publication_due(signed_on)
    days = 45 if signed_on >= D(2024, 7, 1) else 30
    assert due - signed_on == datetime.timedelta(days=days)
    assert due > signed_on


# --- expiry and reminders ----------------------------------------------------------------------------


def test_an_mou_whose_term_ended_expires_the_next_day(personas, today, time_machine):
    mou = signed_mou(personas.staff, signed_on=D(2022, 3, 1), term_end=D(2023, 12, 31))
    services.change_mou_status(mou, status="active", actor=personas.staff)
    renewing = signed_mou(personas.staff, signed_on=D(2022, 3, 1), term_end=D(2023, 12, 31), auto_renew=True)
    assert services.expire_due_mous(today=D(2023, 12, 31)) == 0
    time_machine.move_to(datetime.datetime(2024, 1, 1, 0, 10, tzinfo=TAIPEI), tick=False)
    tasks.expire_due_mous()
    mou.refresh_from_db()
    renewing.refresh_from_db()
    assert (mou.status, renewing.status) == ("expired", "signed")
    assert services.expire_due_mous(today=D(2024, 1, 1)) == 0  # idempotent


def test_only_the_rdec_runs_the_expiry_by_hand(personas, today):
    with pytest.raises(PermissionDenied):
        services.expire_due_mous(today=today, actor=personas.staff)
    assert services.expire_due_mous(today=today, actor=personas.officer) == 0


def test_expiring_mous_are_those_ending_within_the_reminder_days(personas, today):
    soon = signed_mou(personas.staff, term_end=D(2026, 5, 1))  # 60 days after 2026-03-02
    signed_mou(personas.staff, term_end=D(2026, 5, 2))
    signed_mou(personas.staff, term_end=D(2026, 4, 1), auto_renew=True)
    assert list(selectors.expiring_mous(today)) == [soon]


# --- yearly reports ----------------------------------------------------------------------------------


def test_one_performance_report_a_year(personas, today):
    mou = signed_mou(personas.staff, signed_on=D(2022, 3, 1))
    report = services.add_mou_report(mou, year=2023, results="完成路燈實證3處", actor=personas.staff)
    assert (report.year, report.created_by) == (2023, personas.staff)
    with pytest.raises(ValidationError) as exc:
        services.add_mou_report(mou, year=112, results="重複", actor=personas.staff)  # ROC 112 = 2023
    assert codes(exc.value, "year") == ["duplicate"]
    with pytest.raises(ValidationError) as exc:
        services.add_mou_report(mou, year=2021, results="", actor=personas.staff)
    assert set(exc.value.error_dict) == {"year", "results"}


def test_a_draft_has_no_report(personas, today):
    mou = new_mou(personas.staff)
    with pytest.raises(ValidationError) as exc:
        services.add_mou_report(mou, year=2026, results="x", actor=personas.staff)
    assert "not_signed" in codes(exc.value, "status")


# --- full text ---------------------------------------------------------------------------------------


def test_a_full_text_that_is_not_a_pdf_is_refused(personas, today):
    mou = new_mou(personas.staff)
    with pytest.raises(ValidationError) as exc:
        services.attach_mou_full_text(
            mou, upload=SimpleUploadedFile("mou.pdf", b"<html>not a pdf</html>"), actor=personas.staff
        )
    assert codes(exc.value, "full_text") == ["file_type"]
    with pytest.raises(ValidationError) as exc:
        new_mou(personas.staff, full_text=SimpleUploadedFile("x.pdf", b"MZ\x90\x00binary"))
    assert "full_text" in exc.value.error_dict


def test_the_full_text_is_stored_and_its_text_read_when_pypdfium2_is_there(personas, today):
    mou = new_mou(personas.staff)
    services.attach_mou_full_text(mou, upload=pdf_upload("Hello smart city MOU"), actor=personas.staff)
    mou.refresh_from_db()
    assert mou.full_text.name.endswith(".pdf")
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        assert (mou.lacks_text, mou.text) == (True, "")
    else:
        assert "smart city" in mou.text and not mou.lacks_text
        assert "smart city" in mou.search_text


def test_without_pypdfium2_the_text_is_missing_not_an_error(personas, today, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pdfium(name, *args, **kwargs):
        if name == "pypdfium2":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pdfium)
    mou = new_mou(personas.staff, full_text=pdf_upload())
    assert (mou.lacks_text, mou.text) == (True, "")


# --- what the public sees (§1.5 case 11) -------------------------------------------------------------


def test_the_public_never_sees_drafts_mous_under_approval_or_unpublished(personas, today):
    draft = new_mou(personas.staff, full_text=pdf_upload())
    pending = new_mou(personas.staff)
    services.submit_mou_for_approval(pending, actor=personas.staff)
    unpublished = signed_mou(personas.staff)
    public = signed_mou(personas.staff, full_text=pdf_upload())
    services.publish_mou(public, actor=personas.staff)
    Mou.objects.filter(pk=draft.pk).update(published_at=public.published_at)  # even if stamped

    assert list(selectors.public_mous()) == [public]
    assert set(selectors.mous_visible_to(None)) == {public}
    assert set(selectors.mous_visible_to(personas.staff)) == {draft, pending, unpublished, public}
    assert set(selectors.mous_visible_to(personas.other_staff)) == {public}
    assert set(selectors.mous_visible_to(personas.officer)) == {draft, pending, unpublished, public}


def test_public_search_matches_words_in_the_full_text_and_filters(personas, today):
    city = new_mou(
        personas.staff, full_text=pdf_upload(), parties=[COMPANY], co_agencies=[agency("environment")]
    )
    services.submit_mou_for_approval(city, actor=personas.staff)
    services.sign_mou(city, signed_on=D(2024, 5, 1), actor=personas.staff)
    Mou.objects.filter(pk=city.pk).update(text="雙方同意於水湳智慧城建置無人機物流實證")
    city.refresh_from_db()
    services.update_mou(city, actor=personas.staff)  # the search text follows the full text
    services.publish_mou(city, actor=personas.staff)
    other = signed_mou(personas.staff, title="文化交流備忘錄", summary="", full_text=pdf_upload())
    services.publish_mou(other, actor=personas.staff)

    assert list(selectors.public_mous(q="無人機 物流")) == [city]
    assert list(selectors.public_mous(q="無人機 交流")) == []
    assert list(selectors.public_mous(q="文化")) == [other]
    assert list(selectors.public_mous(year=2024)) == [city]
    assert list(selectors.public_mous(year=113)) == [city]
    assert set(selectors.public_mous(agency="environment")) == {city}
    assert set(selectors.public_mous(agency="construction")) == {city, other}
    assert list(selectors.public_mous(party_kind="foreign_local")) == []
    assert set(selectors.public_mous(party_kind="company")) == {city, other}
    assert list(selectors.public_mous(status="active")) == []
    assert set(selectors.public_mous(status="draft")) == {city, other}  # not a public status: ignored


# --- a substantial change after approval goes back for approval (research §1.1, 兩岸 practice) ----------


def test_changed_share_measures_how_much_of_a_text_changed():
    assert services.changed_share("智慧路燈場域驗證", "智慧路燈場域驗證") == 0
    assert services.changed_share("智慧路燈場域驗證合作", "茶葉外銷數量價格") == 1
    assert 0 < services.changed_share("智慧路燈場域驗證合作備忘錄", "智慧路燈場域驗證合作意向書") < 0.5
    assert services.changed_share("", "任何文字") is None  # a scan without text cannot be compared


def test_a_text_changed_by_more_than_half_after_approval_resets_the_approval(personas, today):
    staff = personas.staff
    mou = new_mou(
        staff, parties=(MAINLAND,), full_text=pdf_upload("Smart city street lights and parks pilot")
    )
    services.submit_mou_for_approval(mou, actor=staff)
    services.record_mou_approval(mou, actor=staff, body="mac", status="approved", decided_on=today)
    # a small correction keeps the approval
    services.attach_mou_full_text(
        mou, upload=pdf_upload("Smart city street lights and parks pilot project"), actor=staff
    )
    assert mou.approvals.get().status == "approved"
    # a different agreement under the same number does not
    services.attach_mou_full_text(
        mou, upload=pdf_upload("Tea export volumes and prices for 2023"), actor=staff
    )
    approval = mou.approvals.get()
    assert (approval.status, approval.decided_on) == ("pending", None)
    with pytest.raises(ValidationError) as exc:
        services.sign_mou(mou, signed_on=today, actor=staff)
    assert codes(exc.value, "status") == ["approval_missing_mac"]
    # a new title changed by more than half does the same
    services.record_mou_approval(mou, actor=staff, body="mac", status="approved", decided_on=today)
    services.update_mou(mou, actor=staff, title="茶葉外銷數量價格協議")
    assert mou.approvals.get().status == "pending"
