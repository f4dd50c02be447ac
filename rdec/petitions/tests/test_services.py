"""The petition workflow through its services: intake, routing, deadlines, transfer, extension,
reply, rating, reopening, closing, merging — each step in the history, illegal steps refused."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from rdec.core import workdays
from rdec.core.models import Agency, AuditEntry
from rdec.petitions import services
from rdec.petitions.models import Case, DutyContact, Extension, Notification
from rdec.petitions.services import TransitionError
from rdec.petitions.tests.factories import category, file
from rdec.petitions.tracking import check_tracking_code, rating_token

pytestmark = pytest.mark.django_db
TPE = ZoneInfo("Asia/Taipei")


def verbs(case) -> list[str]:
    return list(case.events.values_list("verb", flat=True))


def test_a_citizens_case_is_routed_to_the_categorys_agency_with_a_due_date_on_the_calendar(
    django_capture_on_commit_callbacks,
):
    received = datetime.datetime(2026, 2, 13, 10, 0, tzinfo=TPE)
    with django_capture_on_commit_callbacks(execute=True):
        case, code = file(received_at=received)
    assert case.agency.code == "construction" and case.status == Case.Status.ASSIGNED
    assert case.number.startswith("115-") and len(code) == 8 and check_tracking_code(case, code)
    # 路面坑洞: 3 working days; 2026-02-14..22 are days off (春節) → 02-23, 24, 25
    assert case.due_date == datetime.date(2026, 2, 25) == case.original_due_date
    assert (case.district.name, case.village.name) == ("西屯區", "惠來里")
    assert case.petitioner_phone == "0912345678"
    assert verbs(case) == ["received", "assigned"]
    assert mail.outbox and case.number in mail.outbox[0].subject


def test_the_legal_ceiling_caps_a_long_category_deadline():
    cat = category("illegal-building")
    cat.working_days = 40
    cat.save()
    received = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=TPE)
    case, _code = file(code="illegal-building", received_at=received)
    assert case.due_date == datetime.date(2026, 4, 1)  # 30 calendar days


def test_case_numbers_are_unique_and_sequential_per_roc_year():
    a, _ = file()
    b, _ = file()
    assert int(b.number.split("-")[1]) == int(a.number.split("-")[1]) + 1


def test_the_same_idempotency_key_makes_one_case():
    first, code = file(idempotency_key="client-retry-1")
    again, code_again = file(idempotency_key="client-retry-1")
    assert again.pk == first.pk and code_again is None
    assert Case.objects.filter(subject=first.subject).count() == 1


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [("subject", {"subject": " "}), ("description", {"description": ""}), ("lat", {"lon": None})],
)
def test_bad_input_is_refused_with_the_field_to_fix(field, kwargs):
    with pytest.raises(ValidationError) as excinfo:
        file(**kwargs)
    assert field in excinfo.value.message_dict


def test_an_urgent_case_is_dispatched_to_the_duty_contact_with_an_acknowledgement_deadline(
    django_capture_on_commit_callbacks,
):
    DutyContact.objects.create(
        agency=Agency.objects.get(code="transportation"),
        name="值班 陳工程司",
        phone="04-22289111",
        email="duty@example.gov.tw",
    )
    with django_capture_on_commit_callbacks(execute=True):
        case, _ = file(code="signal-dark", subject="號誌全滅", description="文心路與市政路口號誌全滅。")
    assert case.urgent and case.agency.code == "transportation"
    assert case.ack_due_at == case.received_at + datetime.timedelta(hours=2)
    assert "dispatched" in verbs(case)
    assert any(m.to == ["duty@example.gov.tw"] for m in mail.outbox)


def test_transfer_keeps_who_held_the_case_and_tells_the_petitioner(
    personas, django_capture_on_commit_callbacks
):
    case, _ = file()
    with django_capture_on_commit_callbacks(execute=True):
        services.transfer_case(
            case,
            actor=personas.staff,
            agency=Agency.objects.get(code="water-resources"),
            reason="屬排水溝蓋，非道路坑洞",
        )
    case.refresh_from_db()
    assert case.agency.code == "water-resources" and case.handler is None
    tenures = list(case.tenures.values_list("agency__code", "ended_at"))
    assert tenures[0][0] == "construction" and tenures[0][1] is not None
    assert tenures[1] == ("water-resources", None)
    assert Notification.objects.filter(case=case, subject__contains="移").exists() or mail.outbox


def test_staff_of_another_agency_cannot_transfer(personas):
    case, _ = file()
    with pytest.raises(PermissionDenied):
        services.transfer_case(
            case, actor=personas.other_staff, agency=Agency.objects.get(code="environment"), reason="x"
        )


def test_the_whole_path_reply_rate_reopen_close(personas, django_capture_on_commit_callbacks):
    case, _ = file()
    services.start_case(case, actor=personas.staff)
    reply = services.save_reply(
        case, actor=personas.staff, body="已派員修補完成。", internal_note="廠商：大成營造"
    )
    with pytest.raises(PermissionDenied):
        services.approve_reply(reply, actor=personas.staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_reply(reply, actor=personas.supervisor)
    case.refresh_from_db()
    assert case.status == Case.Status.REPLIED and case.replied_at
    sent = [m for m in mail.outbox if "已派員修補完成" in m.body]
    assert sent and "大成營造" not in sent[0].body
    services.rate_case(rating_token(case), actor=None, score=1, comment="根本沒修")
    services.reopen_case(case, actor=personas.supervisor, reason="民眾不滿意，重新查處")
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS
    reply2 = services.save_reply(case, actor=personas.staff, body="已重新修補並拍照存證。")
    services.approve_reply(reply2, actor=personas.supervisor)
    case.refresh_from_db()
    services.close_case(case, actor=personas.supervisor)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert verbs(case) == [
        "received",
        "assigned",
        "started",
        "reply_submitted",
        "replied",
        "rated",
        "reopened",
        "reply_submitted",
        "replied",
        "closed",
    ]
    assert AuditEntry.objects.filter(target_type="petitions.case", verb="petition.closed").exists()


def test_a_rating_link_works_once_and_only_for_the_reply_it_was_sent_with(personas):
    case, _ = file()
    reply = services.save_reply(case, actor=personas.staff, body="已處理。")
    services.approve_reply(reply, actor=personas.supervisor)
    case.refresh_from_db()
    token = rating_token(case)
    services.rate_case(token, actor=None, score=5)
    with pytest.raises(ValidationError):
        services.rate_case(token, actor=None, score=4)
    with pytest.raises(ValidationError):
        services.rate_case(token + "x", actor=None, score=4)


def test_reopen_needs_a_dissatisfied_rating(personas):
    case, _ = file()
    reply = services.save_reply(case, actor=personas.staff, body="已處理。")
    services.approve_reply(reply, actor=personas.supervisor)
    case.refresh_from_db()
    services.rate_case(rating_token(case), actor=None, score=4)
    with pytest.raises(TransitionError):
        services.reopen_case(case, actor=personas.supervisor, reason="x")


def test_an_extension_moves_the_due_date_keeps_the_original_and_tells_the_petitioner(
    personas,
    django_capture_on_commit_callbacks,
):
    case, _ = file()
    ext = services.request_extension(case, actor=personas.staff, working_days=5, reason="需會同台電會勘")
    with pytest.raises(PermissionDenied):
        services.decide_extension(ext, actor=personas.staff, approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_extension(ext, actor=personas.supervisor, approve=True)
    case.refresh_from_db()
    assert case.due_date == workdays.add_working_days(case.original_due_date, 5)
    assert case.original_due_date != case.due_date and case.is_extended
    assert any("需會同台電會勘" in m.body for m in mail.outbox)
    assert Extension.objects.get(pk=ext.pk).status == "approved"


def test_an_extension_cannot_be_requested_after_the_due_date(personas):
    received = timezone.now() - datetime.timedelta(days=20)
    case, _ = file(received_at=received)
    with pytest.raises(TransitionError):
        services.request_extension(case, actor=personas.staff, working_days=3, reason="太晚")


def test_merged_cases_follow_the_main_case_and_their_petitioners_get_its_reply(
    personas,
    django_capture_on_commit_callbacks,
):
    main, _ = file()
    dup, _ = file(petitioner_name="李大華", petitioner_email="lee@example.com")
    services.merge_case(dup, actor=personas.staff, into=main, note="同一坑洞")
    dup.refresh_from_db()
    assert dup.status == Case.Status.MERGED and dup.merged_into == main
    reply = services.save_reply(main, actor=personas.staff, body="坑洞已修補。")
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_reply(reply, actor=personas.supervisor)
    recipients = {m.to[0] for m in mail.outbox if "坑洞已修補" in m.body}
    assert recipients == {"wang@example.com", "lee@example.com"}


def test_illegal_transitions_are_refused_clearly(personas):
    case, _ = file()
    with pytest.raises(TransitionError):
        services.close_case(case, actor=personas.supervisor)  # not replied yet
    services.withdraw_case(case, actor=personas.staff, reason="民眾來電撤回")
    with pytest.raises(TransitionError):
        services.start_case(case, actor=personas.staff)


def test_reassign_only_to_staff_of_the_same_agency(personas):
    case, _ = file()
    services.reassign_case(case, actor=personas.supervisor, handler=personas.staff)
    with pytest.raises(ValidationError):
        services.reassign_case(case, actor=personas.supervisor, handler=personas.other_staff)
    with pytest.raises(PermissionDenied):
        services.reassign_case(case, actor=personas.staff, handler=personas.staff)


def test_personal_data_never_reaches_the_audit_trail():
    case, _ = file()
    trail = str(
        list(AuditEntry.objects.filter(target_type="petitions.case").values_list("changes", flat=True))
    )
    for secret in ("王小明", "0912345678", "wang@example.com", "西屯路二段256號"):
        assert secret not in trail


def test_erasing_a_petitioner_keeps_the_case_for_statistics(personas):
    case, _ = file()
    assert (
        services.export_petitioner_data("0912345678", actor=personas.admin)[0]["petitioner_name"] == "王小明"
    )
    services.erase_petitioner_data(case, actor=personas.admin)
    case.refresh_from_db()
    assert case.petitioner_name == "" and case.petitioner_phone == "" and case.erased_at
    assert case.category.code == "pothole" and case.district.name == "西屯區"
    with pytest.raises(PermissionDenied):
        services.erase_petitioner_data(case, actor=personas.officer)


def test_a_co_agency_sees_the_case_and_confidentiality_still_holds(personas, client):
    from rdec.petitions import selectors
    from rdec.petitions.privacy import personal_view

    case, _ = file(confidential=True)
    with pytest.raises(PermissionDenied):
        services.add_co_agency(
            case, actor=personas.other_staff, agency=Agency.objects.get(code="environment")
        )
    services.add_co_agency(
        case, actor=personas.staff, agency=Agency.objects.get(code="environment"), note="清運"
    )
    assert case in selectors.cases_visible_to(personas.other_staff)
    assert personal_view(case, personas.other_staff)["petitioner_name"] == "王○明"
    with pytest.raises(ValidationError):
        services.add_co_agency(case, actor=personas.staff, agency=Agency.objects.get(code="environment"))
    client.force_login(personas.other_staff)
    assert client.get(f"/petitions/cases/{case.number}/").status_code == 200


def test_the_case_page_adds_a_co_agency(personas, client):
    case, _ = file()
    client.force_login(personas.staff)
    env = Agency.objects.get(code="environment")
    response = client.post(
        f"/petitions/cases/{case.number}/co-agency/", {"agency": env.pk, "note": "協助清運"}
    )
    assert response.status_code == 302
    assert list(case.co_agencies.all()) == [env]
    assert client.post(f"/petitions/cases/{case.number}/co-agency/", {"agency": ""}).status_code == 400


def test_the_petitioner_data_command_exports_and_erases_for_an_administrator(personas):
    import io
    import json

    from django.core.management import call_command
    from django.core.management.base import CommandError

    case, _ = file()
    out = io.StringIO()
    call_command("petitioner_data", "export", "--user", "admin", "--contact", "0912345678", stdout=out)
    assert json.loads(out.getvalue())[0]["petitioner_name"] == "王小明"
    with pytest.raises(CommandError):
        call_command(
            "petitioner_data", "erase", "--user", "officer", "--case", case.number, stdout=io.StringIO()
        )
    call_command("petitioner_data", "erase", "--user", "admin", "--case", case.number, stdout=io.StringIO())
    case.refresh_from_db()
    assert case.petitioner_name == "" and case.erased_at is not None
    assert AuditEntry.objects.filter(verb="petition.personal_data_erased", actor__username="admin").exists()
