"""簡政創新's pages: the RDEC's digests by month (the missing months flagged, on a frozen date), a
digest's items and its sending (one lead, errors by their fields in Chinese with HTTP 400), an
agency's inbox and its answer (400 without a reason; the tracked item shown once adopted), who may
open what, process reforms and the review's awards."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone, translation

from rdec.programs import services_innovation
from rdec.programs.models import Call
from rdec.programs.models_innovation import (
    Assessment,
    Award,
    Digest,
    InnovationEntry,
    ProcessReform,
    Referral,
)
from rdec.programs.tests.factories import DURING, TAX_IDS, make_call, review, reviewer
from rdec.tracking.models import Item

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = datetime.datetime(2026, 4, 15, 10, 0, tzinfo=datetime.UTC)


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hant")
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(TODAY, tick=False)


def digest_with_item(officer, *, month=4):
    digest = services_innovation.create_digest(actor=officer, year=2026, month=month)
    item = services_innovation.add_item(
        digest, actor=officer, headline="高雄市推動數位臨櫃", kind="councillor_question", place="高雄市"
    )
    return digest, item


def test_the_digest_list_flags_the_months_without_a_digest(personas):
    digest, item = digest_with_item(personas.officer, month=2)
    services_innovation.send_digest(
        digest,
        actor=personas.officer,
        routing={item: ([personas.staff.agency], None)},
        letter_number="府授研字第1號",
        due_on=D(2026, 2, 28),
        sent_on=D(2026, 2, 3),
    )
    response = client_for(personas.officer).get("/programs/innovation/digests/")
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["missing"] == [1, 3, 4]
    assert html.count('data-testid="missing"') == 3
    assert 'data-month="5"' not in html  # May has not begun


def test_creating_a_digest_twice_for_a_month_is_a_400_in_chinese(personas):
    client = client_for(personas.officer)
    response = client.post("/programs/innovation/digests/", {"year": 2026, "month": 4, "title": "四月"})
    assert response.status_code == 302
    digest = Digest.objects.get()
    assert response["Location"].endswith(f"/programs/innovation/digests/{digest.pk}/")
    response = client.post("/programs/innovation/digests/", {"year": 2026, "month": 4})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["month"]
    # a field left out: the form's own error, in Chinese
    response = client.post("/programs/innovation/digests/", {"year": 2026})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["month"]
    assert "此欄位為必填" in response.content.decode()


def test_sending_a_cross_agency_item_needs_one_lead(personas):
    digest, item = digest_with_item(personas.officer)
    client = client_for(personas.officer)
    url = f"/programs/innovation/digests/{digest.pk}/"
    data = {
        "action": "send",
        "send-letter_number": "府授研創字第1130004567號",
        "send-sent_on": "2026-04-15",
        "send-due_on": "2026-04-30",
        f"send-agencies_{item.pk}": [personas.staff.agency.pk, personas.other_staff.agency.pk],
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert list(response.context["send_form"].errors) == [f"lead_{item.pk}"]
    assert not Referral.objects.exists()
    data[f"send-lead_{item.pk}"] = personas.other_staff.agency.pk
    response = client.post(url, data)
    assert response.status_code == 302
    assert Referral.objects.filter(lead=True).get().agency == personas.other_staff.agency
    digest.refresh_from_db()
    assert digest.sent_on == D(2026, 4, 15)


def test_adding_an_item_without_a_headline_is_a_400(personas):
    digest = services_innovation.create_digest(actor=personas.officer, year=2026, month=4)
    response = client_for(personas.officer).post(
        f"/programs/innovation/digests/{digest.pk}/", {"action": "item", "item-kind": "news"}
    )
    assert response.status_code == 400
    assert list(response.context["item_form"].errors) == ["headline"]


@pytest.fixture
def referral(personas):
    digest, item = digest_with_item(personas.officer)
    services_innovation.send_digest(
        digest,
        actor=personas.officer,
        routing={item: ([personas.staff.agency], None)},
        letter_number="府授研字第2號",
        due_on=D(2026, 4, 10),
        sent_on=D(2026, 4, 1),
    )
    return item.referrals.get()


def test_the_inbox_shows_the_agencys_own_referrals_overdue(personas, referral):
    html = client_for(personas.staff).get("/programs/innovation/referrals/").content.decode()
    assert "高雄市推動數位臨櫃" in html and 'data-testid="overdue"' in html
    html = client_for(personas.other_staff).get("/programs/innovation/referrals/").content.decode()
    assert "高雄市推動數位臨櫃" not in html and 'data-testid="no-referrals"' in html
    assert (
        client_for(personas.other_staff).get(f"/programs/innovation/referrals/{referral.pk}/").status_code
        == 404
    )
    assert client_for(personas.citizen).get("/programs/innovation/referrals/").status_code == 403


def test_not_adopting_without_a_reason_is_a_400_in_chinese(personas, referral):
    response = client_for(personas.staff).post(
        f"/programs/innovation/referrals/{referral.pk}/", {"decision": "not_adopt", "reason": ""}
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["reason"]
    with translation.override("zh-hant"):  # the message in the page's language, beside its field
        assert translation.gettext("Give the reasons for not adopting the item.") in response.content.decode()
    assert not Assessment.objects.exists()


def test_adopting_puts_the_item_under_control_and_shows_it(personas, referral):
    client = client_for(personas.staff)
    url = f"/programs/innovation/referrals/{referral.pk}/"
    response = client.post(url, {"decision": "adopt", "measures": "設置數位臨櫃", "target_on": "2026-09-30"})
    assert response.status_code == 302
    tracked = Item.objects.get()
    assert (tracked.source, tracked.owner, tracked.deadline) == (
        "innovation",
        personas.staff.agency,
        D(2026, 9, 30),
    )
    html = client.get(url).content.decode()
    assert 'data-testid="tracked-item"' in html and tracked.number in html
    answers = client_for(personas.officer).get(f"/programs/innovation/items/{referral.item_id}/")
    assert answers.status_code == 200 and tracked.number in answers.content.decode()
    # the RDEC reads the answer but does not give one; others may not answer
    assert client_for(personas.officer).post(url, {"decision": "not_adopt", "reason": "x"}).status_code == 403


def test_the_rdec_pages_are_the_rdecs(personas, referral):
    client = client_for(personas.staff)
    assert client.get("/programs/innovation/digests/").status_code == 403
    assert client.get(f"/programs/innovation/items/{referral.item_id}/").status_code == 403


def test_a_process_reform_is_recorded_for_the_own_agency(personas):
    client = client_for(personas.staff)
    data = {
        "agency": personas.staff.agency.pk,
        "year": 2026,
        "item": "使用執照線上申辦",
        "strategy": "工具運用",
        "days_before": 20,
        "days_after": 5,
        "documents_before": 6,
        "documents_after": 3,
        "visits_before": 2,
        "visits_after": 0,
    }
    assert client.post("/programs/innovation/reforms/new/", data).status_code == 302
    html = client.get("/programs/innovation/reforms/?year=2026").content.decode()
    assert "使用執照線上申辦" in html and "75.0%" in html
    response = client.post(
        "/programs/innovation/reforms/new/", {**data, "agency": personas.other_staff.agency.pk}
    )
    assert response.status_code == 400 and "agency" in response.context["form"].errors
    assert ProcessReform.objects.count() == 1


def test_the_review_page_ranks_entries_and_gives_awards(personas, time_machine):
    time_machine.move_to(DURING, tick=False)
    call = make_call(personas.officer)
    entry = services_innovation.enter_innovation(
        call,
        actor=personas.staff,
        agency=personas.staff.agency,
        title="免附謄本",
        description="x",
        tax_id=TAX_IDS[0],
    )
    review(
        entry.submission,
        personas.officer,
        reviewer("judge"),
        {"structure": 80, "method": 70, "analysis": 90, "conclusions": 60},
    )
    client = client_for(personas.officer)
    url = f"/programs/innovation/reviews/{call.slug}/"
    html = client.get(url).content.decode()
    assert "74.00" in html
    response = client.post(url, {"entry": entry.pk, f"award-{entry.pk}-level": "gold"})
    assert response.status_code == 400
    response = client.post(url, {"entry": entry.pk, f"award-{entry.pk}-level": "distinction"})
    assert response.status_code == 302
    assert Award.objects.get().rank == 1
    assert client_for(personas.staff).get(url).status_code == 403
    assert "免附謄本" in client_for(personas.staff).get("/programs/innovation/reviews/").content.decode()


def test_an_agency_enters_the_review_on_its_page_and_the_rdec_edits_an_item(personas, time_machine):
    time_machine.move_to(DURING, tick=False)
    call = make_call(personas.officer)
    client = client_for(personas.staff)
    url = f"/programs/innovation/reviews/{call.slug}/enter/"
    assert client.get(url).status_code == 200
    data = {
        "agency": personas.staff.agency.pk,
        "title": "線上預約臨櫃",
        "description": "減少等候",
        "tax_id": "12345678",
    }
    response = client.post(url, data)
    assert response.status_code == 400 and list(response.context["form"].errors) == ["tax_id"]
    assert client.post(url, {**data, "tax_id": TAX_IDS[0]}).status_code == 302
    entry = InnovationEntry.objects.get()
    assert (entry.agency, entry.submission.call, entry.year) == (personas.staff.agency, call, 2022)

    digest, item = digest_with_item(personas.officer)
    officer = client_for(personas.officer)
    edit = f"/programs/innovation/items/{item.pk}/edit/"
    assert officer.get(edit).status_code == 200
    response = officer.post(edit, {"headline": "高雄市推動數位臨櫃服務", "kind": "bogus"})
    assert response.status_code == 400 and list(response.context["form"].errors) == ["kind"]
    response = officer.post(edit, {"headline": "高雄市推動數位臨櫃服務", "kind": "news"})
    assert response.status_code == 302
    page = officer.get(f"/programs/innovation/digests/{digest.pk}/").content.decode()
    assert "高雄市推動數位臨櫃服務" in page and 'data-testid="send-form"' in page
    assert client.get(edit).status_code == 403


def test_the_rdec_opens_the_review_as_an_engine_call_with_a_rubric_summing_to_100(personas):
    client = client_for(personas.officer)
    url = "/programs/innovation/reviews/new/"
    data = {
        "slug": "innovation-2026",
        "title": "115年簡政創新評審",
        "opens": "2026-10-01",
        "closes": "2026-11-30",
        "criteria": "structure, 結構與文字, 10\nmethod, 架構及方法, 30\nanalysis, 問題分析與發現, 30\nconclusions, 結論及建議, 20",
        "tie_break": "method",
    }
    response = client.post(url, data)
    assert response.status_code == 400 and list(response.context["form"].errors) == ["criteria"]
    assert not Call.objects.exists()
    response = client.post(url, {**data, "criteria": data["criteria"].replace("20", "30")})
    assert response.status_code == 302
    call = Call.objects.get()
    assert (call.programme, call.tie_break) == ("innovation", "method")
    assert [c.weight for c in call.rubrics.get().criteria.all()] == [10, 30, 30, 30]
    assert timezone.localtime(call.closes).strftime("%Y-%m-%d %H:%M:%S") == "2026-11-30 23:59:59"
    assert client_for(personas.staff).get(url).status_code == 403
