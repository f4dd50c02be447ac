"""Users' voice: comments and data requests, the dated response deadline, RDEC's review, the agency's
answer, response-time statistics, reminders, pages and API."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from rdec.core.context import acting_as
from rdec.opendata import feedback as voice
from rdec.opendata import selectors, services, tasks
from rdec.opendata.models import Feedback, ResponseRule
from rdec.opendata.tests.factories import publish

pytestmark = pytest.mark.django_db
TAIPEI = zoneinfo.ZoneInfo("Asia/Taipei")


def comment(user, dataset, **kwargs) -> Feedback:
    values = {"title": "欄位缺漏", "body": "人口數欄位有空白。", "topic": "content"}
    values.update(kwargs)
    with acting_as(user):
        return services.submit_feedback(actor=user, kind="comment", dataset=dataset, **values)


def data_request(user, agency, **kwargs) -> Feedback:
    values = {"title": "請開放路燈位置", "body": "需要各區路燈座標。", "topic": "new_data"}
    values.update(kwargs)
    with acting_as(user):
        return services.submit_feedback(actor=user, kind="request", agency=agency, **values)


def test_the_deadline_follows_the_rule_in_force_on_the_day_submitted(personas, time_machine):
    ResponseRule.objects.create(
        effective_from=datetime.date(2026, 6, 1),
        response_days=14,
        remind_days_before=3,
        source="test",
    )
    dataset = publish(personas.staff)
    time_machine.move_to(datetime.datetime(2026, 5, 31, 23, 30, tzinfo=TAIPEI), tick=False)
    before = comment(personas.citizen, dataset)
    time_machine.move_to(datetime.datetime(2026, 6, 1, 0, 10, tzinfo=TAIPEI), tick=False)
    after = comment(personas.citizen, dataset)
    assert before.due_on == datetime.date(2026, 6, 7)  # the shipped rule: 7 days
    assert after.due_on == datetime.date(2026, 6, 15)  # the new rule: 14 days
    assert before.agency == dataset.agency  # a comment goes to the dataset's agency


def test_bad_input_names_the_field(personas):
    dataset = publish(personas.staff)
    with acting_as(personas.citizen), pytest.raises(ValidationError) as caught:
        services.submit_feedback(actor=personas.citizen, kind="request", title="", body="x")
    assert set(caught.value.message_dict) == {"title", "agency"}
    with acting_as(personas.citizen), pytest.raises(ValidationError) as caught:
        services.submit_feedback(actor=personas.citizen, kind="comment", title="t", body="", dataset=dataset)
    assert list(caught.value.message_dict) == ["body"]


def test_anonymous_users_cannot_submit(personas):
    with pytest.raises(PermissionDenied):
        services.submit_feedback(
            actor=None, kind="request", title="t", body="b", agency=personas.staff.agency
        )


def test_items_are_public_once_approved_and_hidden_ones_never(personas):
    dataset = publish(personas.staff)
    item = comment(personas.citizen, dataset)
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert item not in selectors.feedback_visible_to(anonymous)
    assert item in selectors.feedback_visible_to(personas.citizen)  # the author
    assert item in selectors.feedback_visible_to(personas.staff)  # the agency
    assert item not in selectors.feedback_visible_to(personas.other_staff)
    with acting_as(personas.officer):
        services.moderate_feedback(item, actor=personas.officer, decision="approved")
    assert item in selectors.feedback_visible_to(anonymous)
    with acting_as(personas.officer):
        with pytest.raises(ValidationError):
            services.moderate_feedback(item, actor=personas.officer, decision="hidden")  # no note
        services.moderate_feedback(item, actor=personas.officer, decision="hidden", note="含個資")
    assert item not in selectors.feedback_visible_to(anonymous)
    with acting_as(personas.staff), pytest.raises(PermissionDenied):
        services.moderate_feedback(item, actor=personas.staff, decision="approved")


def test_only_the_agency_addressed_answers(personas):
    item = data_request(personas.citizen, personas.other_staff.agency)
    with acting_as(personas.staff), pytest.raises(PermissionDenied):
        services.answer_feedback(item, actor=personas.staff, answer="不是我們的")
    with acting_as(personas.other_staff):
        services.answer_feedback(item, actor=personas.other_staff, answer="將於下季開放。")
    item.refresh_from_db()
    assert item.answer == "將於下季開放。" and item.answered_by == personas.other_staff
    assert item.response_days == 0 and not item.is_overdue


def test_response_statistics_by_hand(personas, time_machine):
    """Three items to 建設局 and one to 環保局, submitted on 1 March 2026 (deadline 8 March):
    answered after 2 days, after 10 days (late), not answered (overdue by 20 March), and one hidden."""
    dataset = publish(personas.staff)
    time_machine.move_to(datetime.datetime(2026, 3, 1, 9, tzinfo=TAIPEI), tick=False)
    quick = comment(personas.citizen, dataset)
    slow = data_request(personas.citizen, personas.staff.agency)
    data_request(personas.citizen, personas.staff.agency)
    other = data_request(personas.citizen, personas.other_staff.agency)
    hidden = data_request(personas.citizen, personas.staff.agency)
    with acting_as(personas.officer):
        services.moderate_feedback(hidden, actor=personas.officer, decision="hidden", note="重複")
    time_machine.move_to(datetime.datetime(2026, 3, 3, 9, tzinfo=TAIPEI), tick=False)
    with acting_as(personas.staff):
        services.answer_feedback(quick, actor=personas.staff, answer="已修正")
    time_machine.move_to(datetime.datetime(2026, 3, 11, 9, tzinfo=TAIPEI), tick=False)
    with acting_as(personas.staff):
        services.answer_feedback(slow, actor=personas.staff, answer="研議中")
    with acting_as(personas.other_staff):
        services.answer_feedback(other, actor=personas.other_staff, answer="已開放")
    total, agencies = voice.response_stats(
        Feedback.objects.select_related("agency").order_by("pk"), today=datetime.date(2026, 3, 20)
    )
    assert total.as_dict() == {
        "submitted": 4,
        "answered": 3,
        "answered_on_time": 1,
        "open_overdue": 1,
        "mean_days": round((2 + 10 + 10) / 3, 1),
        "median_days": 10,
        "on_time_pct": 33.3,
    }
    construction = agencies[0]
    assert (construction.submitted, construction.answered, construction.mean_days) == (3, 2, 6.0)
    assert construction.open_overdue == 1


def test_reminders_before_the_deadline_and_after_it_once_each(personas, time_machine):
    personas.staff.email = "staff@example.org"
    personas.staff.save()
    time_machine.move_to(datetime.datetime(2026, 3, 1, 9, tzinfo=TAIPEI), tick=False)
    item = data_request(personas.citizen, personas.staff.agency)  # due 8 March; reminders from 6 March
    assert tasks.send_feedback_reminders(datetime.date(2026, 3, 5)) == 0
    assert tasks.send_feedback_reminders(datetime.date(2026, 3, 6)) == 1
    assert tasks.send_feedback_reminders(datetime.date(2026, 3, 7)) == 0  # not twice
    assert tasks.send_feedback_reminders(datetime.date(2026, 3, 9)) == 1  # overdue notice
    assert tasks.send_feedback_reminders(datetime.date(2026, 3, 10)) == 0
    assert [m.to for m in mail.outbox] == [["staff@example.org"], ["staff@example.org"]]
    assert item.title in mail.outbox[1].body
    # Answered items are not reminded.
    late = data_request(personas.citizen, personas.staff.agency)
    with acting_as(personas.staff):
        services.answer_feedback(late, actor=personas.staff, answer="好")
    assert tasks.send_feedback_reminders(datetime.date(2026, 4, 1)) == 0


def test_the_pages_comment_review_answer_and_show(client, personas):
    dataset = publish(personas.staff)
    detail = reverse("opendata:dataset-detail", args=[dataset.name])
    client.force_login(personas.citizen)
    response = client.post(
        reverse("opendata:dataset-comment", args=[dataset.name]),
        {"topic": "download", "title": "無法下載", "body": "連結失效"},
    )
    item = Feedback.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "opendata:feedback-detail", args=[item.pk]
    )
    client.logout()
    assert "無法下載" not in client.get(detail).content.decode()  # not reviewed yet
    client.force_login(personas.officer)
    client.post(
        reverse("opendata:feedback-detail", args=[item.pk]), {"action": "moderate", "decision": "approved"}
    )
    client.force_login(personas.other_staff)
    assert (
        client.post(
            reverse("opendata:feedback-detail", args=[item.pk]), {"action": "answer", "answer": "x"}
        ).status_code
        == 403
    )
    client.force_login(personas.staff)
    assert "無法下載" in client.get(reverse("opendata:feedback-inbox")).content.decode()
    client.post(
        reverse("opendata:feedback-detail", args=[item.pk]), {"action": "answer", "answer": "已更新連結"}
    )
    client.logout()
    page = client.get(detail).content.decode()
    assert "無法下載" in page and "已更新連結" in page
    stats = client.get(reverse("opendata:feedback-stats")).content.decode()
    assert 'data-testid="stats-row"' in stats


def test_a_data_request_from_the_form(client, personas):
    client.force_login(personas.citizen)
    response = client.post(
        reverse("opendata:request-create"),
        {
            "agency": personas.other_staff.agency.pk,
            "topic": "new_data",
            "title": "公廁位置",
            "body": "需要座標",
        },
    )
    item = Feedback.objects.get()
    assert (
        response.status_code == 302 and item.kind == "request" and item.agency == personas.other_staff.agency
    )
    assert "公廁位置" in client.get(reverse("opendata:request-list")).content.decode()  # the author sees it
    bad = client.post(reverse("opendata:request-create"), {"agency": "", "title": "", "body": ""})
    assert bad.status_code == 400


def test_the_api_submits_answers_and_reviews(personas):
    dataset = publish(personas.staff)
    api = APIClient()
    assert api.post("/api/v1/opendata/feedback/", {"kind": "comment"}, format="json").status_code in (
        401,
        403,
    )
    api.force_authenticate(personas.citizen)
    bad = api.post(
        "/api/v1/opendata/feedback/", {"kind": "comment", "title": "t", "body": "b"}, format="json"
    )
    assert bad.status_code == 400
    created = api.post(
        "/api/v1/opendata/feedback/",
        {
            "kind": "comment",
            "title": "座標錯誤",
            "body": "經緯度顛倒",
            "dataset": dataset.identifier,
            "topic": "content",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["agency"] == dataset.agency.code
    api.force_authenticate(personas.officer)
    assert (
        api.post(
            f"/api/v1/opendata/feedback/{pk}/moderate/", {"decision": "approved"}, format="json"
        ).status_code
        == 200
    )
    api.force_authenticate(personas.staff)
    answered = api.post(f"/api/v1/opendata/feedback/{pk}/answer/", {"answer": "已修正"}, format="json")
    assert answered.status_code == 200 and answered.json()["answer"] == "已修正"
    api.force_authenticate(None)
    listed = api.get("/api/v1/opendata/feedback/?kind=comment").json()
    assert [r["title"] for r in listed["results"]] == ["座標錯誤"]
    stats = api.get("/api/v1/opendata/feedback-stats/").json()
    assert stats["total"]["answered"] == 1 and stats["response_days_rule"] == 7


def test_the_reminder_command_for_cron(personas, time_machine):
    from io import StringIO

    from django.core.management import call_command

    time_machine.move_to(datetime.datetime(2026, 3, 1, 9, tzinfo=TAIPEI), tick=False)
    data_request(personas.citizen, personas.staff.agency)
    time_machine.move_to(datetime.datetime(2026, 3, 20, 9, tzinfo=TAIPEI), tick=False)
    out = StringIO()
    call_command("opendata_reminders", stdout=out)
    assert "1" in out.getvalue()
    assert Feedback.objects.get().overdue_notice_at is not None


def test_the_default_answer_period_rule_states_its_source_in_chinese():
    # shown on the rules page (/rules/) to zh-Hant readers: no English note (migration 0009)
    from rdec.opendata.models import ResponseRule

    rule = ResponseRule.objects.order_by("effective_from").first()
    assert rule is not None and rule.source.startswith("未確認：")
    assert "verify" not in rule.source
