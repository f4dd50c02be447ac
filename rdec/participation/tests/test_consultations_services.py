"""眾開講 services: opening (validation, permission per role and agency), publishing, closing on the
office calendar, commenting by verified citizens only, moderation with its public log, the response
report's themes and its publication with the PDF and the .odt."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from rdec.core import workdays
from rdec.core.models import Agency
from rdec.participation import selectors, services
from rdec.participation.models import Comment, Consultation, HidingGround, ModerationEntry, ResponseTheme
from rdec.participation.tests.consultation_factories import (
    DAY,
    NOON,
    consultation_values,
    open_consultation,
    verified_citizen,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOON, tick=False)
    return time_machine


def test_agency_staff_open_a_draft_for_their_agency(personas):
    c = services.create_consultation(actor=personas.staff, **consultation_values())
    assert c.status == Consultation.Status.DRAFT
    assert c.created_by == personas.staff
    assert "iBike" in c.search_text
    assert selectors.consultation_questions(c) == [
        (1, "您希望在哪些地點新設站點？"),
        (2, "現有站點有哪些需要調整？"),
    ]


@pytest.mark.parametrize("who", ["citizen", "agent", "other_staff"])
def test_others_cannot_open_one_for_construction(personas, who):
    with pytest.raises(PermissionDenied):
        services.create_consultation(actor=getattr(personas, who), **consultation_values())


def test_the_rdec_opens_one_for_any_agency(personas):
    env = Agency.objects.get(code="environment")
    c = services.create_consultation(actor=personas.officer, **consultation_values(agency=env))
    assert c.agency == env


def test_bad_input_gives_field_errors(personas):
    with pytest.raises(ValidationError) as exc:
        services.create_consultation(
            actor=personas.staff,
            **consultation_values(title=" ", background="", questions="\n \n", stage="someday"),
        )
    assert set(exc.value.message_dict) >= {"title", "background", "questions", "stage"}


def test_the_period_is_at_least_the_rules_minimum(personas):
    with pytest.raises(ValidationError) as exc:
        services.create_consultation(
            actor=personas.staff, **consultation_values(closes_on=DAY + datetime.timedelta(days=13))
        )
    assert "14" in exc.value.message_dict["closes_on"][0]
    services.create_consultation(
        actor=personas.staff, **consultation_values(closes_on=DAY + datetime.timedelta(days=14))
    )


def test_documents_are_files_or_links(personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    c = services.create_consultation(
        actor=personas.staff,
        documents=[
            {"title": "站點規劃草案", "file": pdf},
            {"title": "iBike 官網", "url": "https://www.ibike.com.tw/"},
        ],
        **consultation_values(),
    )
    docs = list(c.documents.order_by("pk"))
    assert docs[0].file.name.endswith(".pdf") and docs[1].url == "https://www.ibike.com.tw/"
    with pytest.raises(ValidationError) as exc:
        services.add_consultation_document(
            c, actor=personas.staff, title="假檔", file=SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf")
        )
    assert "document_file" in exc.value.message_dict


def test_publish_then_close_on_the_office_calendar(personas, frozen):
    c = open_consultation(personas.staff)
    assert c.status == Consultation.Status.OPEN
    with pytest.raises(ValidationError):
        services.publish_consultation(c, actor=personas.staff)
    frozen.move_to(NOON + datetime.timedelta(days=14), tick=False)  # the closing day itself
    assert services.close_due_consultations() == 0
    frozen.move_to(NOON + datetime.timedelta(days=15), tick=False)
    assert services.close_due_consultations() == 1
    c.refresh_from_db()
    assert c.status == Consultation.Status.CLOSED
    assert c.report_due == workdays.add_working_days(c.closes_on, 30)
    assert services.close_due_consultations() == 0


@settings(max_examples=25, deadline=None)
@given(offset=st.integers(min_value=0, max_value=300), days=st.integers(min_value=1, max_value=60))
def test_the_report_is_due_that_many_working_days_after_closing(offset, days):
    """Property: report_due is a working day with exactly `report_working_days` working days after
    the closing day up to and including it."""
    from rdec.participation.models import ConsultationRule

    closes = datetime.date(2026, 1, 1) + datetime.timedelta(days=offset)
    ConsultationRule.objects.filter(effective_from__lte=closes).update(report_working_days=days)
    due = services.report_due_for(closes)
    assert workdays.is_working_day(due)
    assert due > closes
    assert workdays.working_days_between(closes, due) == days


def test_only_verified_citizens_comment_while_open(personas, frozen):
    c = open_consultation(personas.staff)
    citizen = verified_citizen(1)
    comment = services.post_comment(c, actor=citizen, body="請在北屯區捷運站旁增設站點", question=1)
    assert comment.display_name == "熱心市民1" and comment.question == 1
    for who in (personas.citizen, personas.staff, personas.officer):  # personas.citizen is unverified
        with pytest.raises(PermissionDenied):
            services.post_comment(c, actor=who, body="意見")
    frozen.move_to(NOON + datetime.timedelta(days=15), tick=False)
    with pytest.raises(PermissionDenied):
        services.post_comment(c, actor=citizen, body="太晚了")


def test_replies_are_one_level_and_take_the_question(personas):
    c = open_consultation(personas.staff)
    a, b = verified_citizen(1), verified_citizen(2)
    top = services.post_comment(c, actor=a, body="文心路需要站點", question=2)
    reply = services.post_comment(c, actor=b, body="同意", parent=top)
    deeper = services.post_comment(c, actor=a, body="謝謝", parent=reply)
    assert reply.parent == top and deeper.parent == top and deeper.question == 2


def test_display_names_are_pseudonyms_never_contact_details(personas):
    c = open_consultation(personas.staff)
    citizen = verified_citizen(1, display_name="")
    assert services.post_comment(c, actor=citizen, body="意見一").display_name == "市民"
    assert (
        services.post_comment(c, actor=citizen, body="意見二", display_name="騎車族").display_name == "騎車族"
    )
    for bad in ("commenter1@example.tw", "0912345678", "commenter1"):
        with pytest.raises(ValidationError) as exc:
            services.post_comment(c, actor=citizen, body="意見", display_name=bad)
        assert "display_name" in exc.value.message_dict


def test_comment_validation(personas):
    c = open_consultation(personas.staff)
    citizen = verified_citizen(1)
    with pytest.raises(ValidationError) as exc:
        services.post_comment(c, actor=citizen, body="  ", question=9)
    assert set(exc.value.message_dict) == {"body", "question"}


def test_moderation_hides_and_logs_publicly(personas):
    c = open_consultation(personas.staff)
    citizen = verified_citizen(1)
    services.post_comment(c, actor=citizen, body="第一則")
    bad = services.post_comment(c, actor=citizen, body="買房找我 0900-000-000")
    with pytest.raises(PermissionDenied):
        services.hide_comment(bad, actor=personas.other_staff, ground=HidingGround.ADVERTISING)
    with pytest.raises(ValidationError):
        services.hide_comment(bad, actor=personas.staff, ground="rude")
    entry = services.hide_comment(bad, actor=personas.officer, ground=HidingGround.ADVERTISING, note="廣告")
    bad.refresh_from_db()
    assert bad.hidden and entry.consultation == c
    log = selectors.moderation_log(c)
    assert log == [
        {
            "number": 2,
            "posted_at": bad.created_at,
            "display_name": "熱心市民1",
            "ground": "advertising",
            "ground_label": HidingGround.ADVERTISING.label,
            "at": entry.at,
        }
    ]
    assert "買房" not in str(log)
    threads = selectors.comment_threads(c)
    assert threads[1].hidden and threads[1].body == ""
    with pytest.raises(ValidationError):
        services.hide_comment(bad, actor=personas.staff, ground=HidingGround.ADVERTISING)
    assert ModerationEntry.objects.count() == 1


def _closed(personas, frozen):
    c = open_consultation(personas.staff)
    a, b = verified_citizen(1), verified_citizen(2)
    c1 = services.post_comment(c, actor=a, body="捷運文心崇德站旁增設站點", question=1)
    c2 = services.post_comment(c, actor=b, body="逢甲夜市站車柱太少", question=2)
    c3 = services.post_comment(c, actor=b, body="希望全面免費")
    frozen.move_to(NOON + datetime.timedelta(days=15), tick=False)
    services.close_due_consultations()
    c.refresh_from_db()
    return c, (c1, c2, c3)


def test_the_report_needs_the_consultation_closed(personas):
    c = open_consultation(personas.staff)
    with pytest.raises(ValidationError):
        services.save_response_theme(
            c, actor=personas.staff, title="站點", decision="adopted", reason="可行", comment_ids=[]
        )


def test_themes_link_only_visible_comments_of_the_consultation(personas, frozen):
    c, (c1, c2, c3) = _closed(personas, frozen)
    other = open_consultation(personas.officer, title="公園遊戲場改善")
    Comment.objects.filter(pk=c3.pk).update(hidden=True)
    with pytest.raises(ValidationError) as exc:
        services.save_response_theme(
            c,
            actor=personas.staff,
            title="站點",
            decision="adopted",
            reason="可行",
            comment_ids=[c1.pk, c3.pk],
        )
    assert "comments" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.save_response_theme(
            c, actor=personas.other_staff, title="站點", decision="adopted", reason="可行"
        )
    with pytest.raises(ValidationError) as exc:
        services.save_response_theme(c, actor=personas.staff, title="", decision="maybe", reason="")
    assert set(exc.value.message_dict) == {"title", "decision", "reason"}
    assert other.themes.count() == 0


def test_publishing_the_report_writes_page_pdf_and_odt(personas, frozen):
    c, (c1, c2, c3) = _closed(personas, frozen)
    with pytest.raises(ValidationError) as exc:
        services.publish_consultation_report(c, actor=personas.staff)
    assert {"summary", "policy_changes", "__all__"} <= set(exc.value.message_dict)
    services.save_response_theme(
        c,
        actor=personas.staff,
        title="新設站點",
        decision="adopted",
        reason="列入第二期設站",
        comment_ids=[c1.pk],
    )
    services.save_response_theme(
        c,
        actor=personas.staff,
        title="車柱數量",
        decision="partly",
        reason="假日加派調度車",
        comment_ids=[c2.pk],
    )
    services.save_response_theme(
        c,
        actor=personas.staff,
        title="全面免費",
        decision="not_adopted",
        reason="財源不足",
        comment_ids=[c3.pk],
    )
    services.save_consultation_report(
        c, actor=personas.staff, summary="共收到 3 則意見。", policy_changes="新增 12 處站點。"
    )
    c = services.publish_consultation_report(c, actor=personas.supervisor)
    assert c.status == Consultation.Status.REPORTED and c.report_published_at
    assert c.report_pdf.name.endswith(".pdf") and c.report_odt.name.endswith(".odt")
    assert [t.decision for t in c.themes.all()] == ["adopted", "partly", "not_adopted"]
    with pytest.raises(ValidationError):  # published: final
        services.save_response_theme(c, actor=personas.staff, title="x", decision="adopted", reason="y")
    assert ResponseTheme.objects.filter(consultation=c).count() == 3
