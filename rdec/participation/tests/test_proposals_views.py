"""提點子 pages through HTTP: the public list (filters, Chinese words, the count and the closing
date), the form for verified citizens only (400 with field errors, similar proposals without
scripts and as JSON), the proposal page (hidden before acceptance, the rejection reason for the
proposer only, 附議 once — a second support refused with 409 —, the live count), my proposals and
supports, the RDEC's checking queue, board, assignment and flagged supports, the agency's
point-by-point response, meeting and 展期, 未成案 at the deadline, and the home page's work items."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rdec.core import worklist
from rdec.core.models import Role
from rdec.core.tests.factories import UserFactory, agency
from rdec.participation import services
from rdec.participation.models import Endorsement, Proposal, ProposalRule

pytestmark = pytest.mark.django_db

TAIPEI = zoneinfo.ZoneInfo("Asia/Taipei")
MONDAY = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=TAIPEI)  # a working day
PHONE, EMAIL_DOMAIN = "0987654321", "example.tw"


def citizen(username: str, **kw):
    now = timezone.now()
    return UserFactory(
        username=username,
        role=Role.CITIZEN,
        email=f"{username}@{EMAIL_DOMAIN}",
        phone=PHONE,
        phone_verified_at=now,
        email_verified_at=now,
        date_joined=now - datetime.timedelta(days=30),
        **kw,
    )


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(MONDAY, tick=False)
    return time_machine


@pytest.fixture
def rule(clock):
    return ProposalRule.objects.create(
        effective_from=datetime.date(2026, 1, 1),
        source="test",
        check_working_days=5,
        endorse_days=30,
        threshold=2,
        response_months=2,
        burst_window_minutes=10,
        burst_same_network=50,
        new_account_minutes=30,
    )


@pytest.fixture
def people(personas, clock):
    personas.proposer = citizen("proposer", display_name="愛台中")
    personas.supporters = [citizen(f"s{i}", display_name=f"市民{i}") for i in range(3)]
    return personas


def submit(user, **kw):
    kw.setdefault("title", "增設公園遮蔭設施")
    kw.setdefault("content", "夏季公園缺乏遮蔭，建議增設遮陽棚與樹木。")
    kw.setdefault("benefits", "提升市民休憩品質。")
    return services.submit_proposal(actor=user, **kw)


def accepted(people, **kw) -> Proposal:
    proposal = submit(people.proposer, **kw)
    return services.check_proposal(proposal, actor=people.officer, accept=True)


def detail_url(proposal) -> str:
    return reverse("participation:proposal-detail", args=[proposal.number])


def page_of(response) -> str:
    return response.content.decode()


# --- the public list ------------------------------------------------------------------------------


def test_the_list_shows_accepted_proposals_with_count_and_closing_date_and_finds_chinese_words(people, rule):
    shown = accepted(people)
    hidden = submit(people.proposer, title="尚在檢核的提案")
    other = accepted(people, title="改善夜間路燈照明", content="巷弄太暗。")
    page = page_of(Client().get(reverse("participation:proposal-list")))
    assert shown.title in page and other.title in page
    assert hidden.title not in page
    assert 'max="2" value="0"' in page  # the progress bar: count of the threshold
    assert "115年4月1日" in page  # 附議截止 (30 days from 115年3月2日) in ROC style
    found = page_of(Client().get(reverse("participation:proposal-list"), {"q": "遮蔭"}))
    assert shown.title in found and other.title not in found
    by_status = page_of(Client().get(reverse("participation:proposal-list"), {"status": "responded"}))
    assert shown.title not in by_status and "沒有符合的提案" in by_status


# --- the form -------------------------------------------------------------------------------------


def test_visitors_and_unverified_citizens_are_told_to_log_in_or_verify(people, rule):
    page = page_of(Client().get(reverse("participation:proposal-create")))
    assert 'data-testid="verify-needed"' in page and reverse("core:login") in page
    assert 'data-testid="proposal-form"' not in page
    page = page_of(client_for(people.citizen).get(reverse("participation:proposal-create")))
    assert 'data-testid="verify-link"' in page and reverse("core:account-verify") in page
    refused = client_for(people.citizen).post(
        reverse("participation:proposal-create"), {"title": "x", "content": "y", "benefits": "z"}
    )
    assert refused.status_code == 403
    assert not Proposal.objects.exists()


def test_a_verified_citizen_submits_with_an_attachment_and_lands_on_the_proposal(people, rule):
    client = client_for(people.proposer)
    form = page_of(client.get(reverse("participation:proposal-create")))
    assert 'data-notice="proposal"' in form  # the 個資告知
    pdf = SimpleUploadedFile(
        "現況照片.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    )
    response = client.post(
        reverse("participation:proposal-create"),
        {
            "title": "增設公園遮蔭設施",
            "content": "夏季公園缺乏遮蔭。",
            "benefits": "提升休憩品質。",
            "display_name": "公園愛好者",
            "suggested_agencies": [agency("construction").pk],
            "attachments": [pdf],
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(proposal)
    assert proposal.display_name == "公園愛好者" and proposal.attachments.count() == 1
    page = page_of(client.get(detail_url(proposal)))
    assert 'data-testid="checking-note"' in page and "現況照片.pdf" in page


def test_missing_fields_answer_400_with_field_errors_in_chinese(people, rule):
    response = client_for(people.proposer).post(reverse("participation:proposal-create"), {"title": ""})
    assert response.status_code == 400
    page = page_of(response)
    assert 'id="form-errors"' in page and "此欄位為必填" in page
    assert not Proposal.objects.exists()


def test_similar_proposals_without_scripts_and_as_json(people, rule):
    earlier = accepted(people)
    response = client_for(people.supporters[0]).post(
        reverse("participation:proposal-create"),
        {"title": "公園遮蔭不足", "content": "", "benefits": "", "find_similar": "1"},
    )
    assert response.status_code == 200
    page = page_of(response)
    assert earlier.title in page and "errorlist" not in page
    assert not Proposal.objects.filter(title="公園遮蔭不足").exists()
    data = Client().get(reverse("participation:proposal-similar"), {"q": "公園遮蔭"}).json()
    assert [row["number"] for row in data["results"]] == [earlier.number]
    assert data["results"][0]["url"] == detail_url(earlier)
    assert Client().get(reverse("participation:proposal-similar"), {"q": "x"}).json() == {"results": []}


# --- the proposal page and 附議 ----------------------------------------------------------------------


def test_a_proposal_being_checked_is_hidden_from_everyone_but_its_proposer_and_the_rdec(people, rule):
    proposal = submit(people.proposer)
    assert Client().get(detail_url(proposal)).status_code == 404
    assert client_for(people.supporters[0]).get(detail_url(proposal)).status_code == 404
    assert client_for(people.proposer).get(detail_url(proposal)).status_code == 200
    page = page_of(client_for(people.officer).get(detail_url(proposal)))
    assert reverse("participation:proposal-check", args=[proposal.number]) in page


def test_the_rejection_reason_is_shown_to_the_proposer_only(people, rule):
    proposal = submit(people.proposer)
    response = client_for(people.officer).post(
        reverse("participation:proposal-check", args=[proposal.number]),
        {"decision": "refuse", "ground": "advertising", "reason": "內容為商業廣告。"},
    )
    assert response.status_code == 302
    page = page_of(client_for(people.proposer).get(detail_url(proposal)))
    assert 'data-testid="rejection"' in page and "內容為商業廣告。" in page and "廣告" in page
    assert client_for(people.supporters[0]).get(detail_url(proposal)).status_code == 404
    assert Client().get(reverse("participation:proposal-list")).content.decode().count(proposal.title) == 0


def test_a_citizen_supports_once_and_a_second_support_is_refused_with_a_clear_message(people, rule):
    proposal = accepted(people)
    client = client_for(people.supporters[0])
    page = page_of(client.get(detail_url(proposal)))
    assert 'data-testid="support-form"' in page and "data-confirm=" in page and "不得撤回" in page
    first = client.post(reverse("participation:proposal-endorse", args=[proposal.number]))
    assert first.status_code == 302
    assert "您已附議本提案" in page_of(client.get(detail_url(proposal)))
    second = client.post(reverse("participation:proposal-endorse", args=[proposal.number]))
    assert second.status_code == 409
    assert "您已附議過本提案，附議不得撤回" in page_of(second)
    proposal.refresh_from_db()
    assert proposal.endorsement_count == 1
    assert Endorsement.objects.filter(proposal=proposal).count() == 1


def test_unverified_accounts_see_why_they_cannot_support_and_are_refused(people, rule):
    proposal = accepted(people)
    page = page_of(client_for(people.citizen).get(detail_url(proposal)))
    assert 'data-testid="verify-needed"' in page and 'data-testid="support-form"' not in page
    refused = client_for(people.citizen).post(
        reverse("participation:proposal-endorse", args=[proposal.number])
    )
    assert refused.status_code == 403
    assert "驗證" in page_of(refused)
    assert 'data-testid="login-to-support"' in page_of(Client().get(detail_url(proposal)))
    assert "own-proposal" in page_of(client_for(people.proposer).get(detail_url(proposal)))


def test_the_live_count_answers_json_for_public_proposals_only(people, rule):
    proposal = accepted(people)
    services.endorse_proposal(proposal, actor=people.supporters[0], ip_address="203.0.113.5")
    data = Client().get(reverse("participation:proposal-count", args=[proposal.number])).json()
    assert data["endorsement_count"] == 1 and data["threshold"] == 2 and data["under_review"] == 0
    assert data["status"] == "endorsing" and data["status_label"] == "附議中"
    hidden = submit(people.proposer, title="檢核中")
    assert Client().get(reverse("participation:proposal-count", args=[hidden.number])).status_code == 404


def test_my_proposals_and_supports(people, rule):
    mine = accepted(people)
    services.endorse_proposal(mine, actor=people.supporters[1], ip_address="203.0.113.9")
    page = page_of(client_for(people.supporters[1]).get(reverse("participation:proposal-mine")))
    assert mine.title in page and 'data-testid="my-support"' in page
    page = page_of(client_for(people.proposer).get(reverse("participation:proposal-mine")))
    assert 'data-testid="my-proposal"' in page
    assert client_for(people.staff).get(reverse("participation:proposal-mine")).status_code == 403


# --- the RDEC ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["proposal-checking", "proposal-board", "proposal-flagged", "proposal-responses"]
)
def test_rdec_pages_are_for_the_rdec(people, rule, name):
    assert client_for(people.officer).get(reverse(f"participation:{name}")).status_code == 200
    assert client_for(people.citizen).get(reverse(f"participation:{name}")).status_code == 403
    expected = 200 if name == "proposal-responses" else 403
    assert client_for(people.staff).get(reverse(f"participation:{name}")).status_code == expected


def test_the_checking_queue_shows_working_days_left_and_overdue_checks_in_red(people, rule, clock):
    early = submit(people.proposer, title="早提出的點子")
    clock.move_to(MONDAY + datetime.timedelta(days=3), tick=False)  # Thursday
    late = submit(people.proposer, title="晚提出的點子")
    clock.move_to(MONDAY + datetime.timedelta(days=8), tick=False)  # next Tuesday: early is overdue
    page = page_of(client_for(people.officer).get(reverse("participation:proposal-checking")))
    assert page.index(early.title) < page.index(late.title)
    assert "逾期 1 個工作天" in page
    overdue = page_of(
        client_for(people.officer).get(reverse("participation:proposal-checking"), {"due": "overdue"})
    )
    assert early.title in overdue and late.title not in overdue


def test_refusing_without_a_ground_answers_400_and_accepting_opens_support(people, rule):
    proposal = submit(people.proposer)
    url = reverse("participation:proposal-check", args=[proposal.number])
    bad = client_for(people.officer).post(url, {"decision": "refuse", "reason": ""})
    assert bad.status_code == 400 and "errorlist" in page_of(bad)
    assert client_for(people.officer).post(url, {"decision": "accept"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ENDORSING


def test_established_the_rdec_assigns_the_agency_which_answers_point_by_point(people, rule):
    proposal = accepted(people)
    for supporter in people.supporters[:2]:
        services.endorse_proposal(proposal, actor=supporter, ip_address="203.0.113.7")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ESTABLISHED
    page = page_of(client_for(people.officer).get(detail_url(proposal)))
    assert 'data-testid="assign-form"' in page
    response = client_for(people.officer).post(
        reverse("participation:proposal-assign", args=[proposal.number]),
        {"lead_agency": agency("construction").pk, "co_agencies": [agency("environment").pk]},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.lead_agency.code == "construction" and proposal.tracked_item_id
    page = page_of(client_for(people.staff).get(detail_url(proposal)))
    assert 'data-testid="tracked-item"' in page and 'data-testid="respond-link"' in page
    board = page_of(client_for(people.officer).get(reverse("participation:proposal-board")))
    assert proposal.title in board and 'data-testid="board-responses"' in board

    respond = reverse("participation:proposal-respond", args=[proposal.number])
    assert client_for(people.other_staff).get(respond).status_code == 403
    form = page_of(client_for(people.staff).get(respond))
    assert form.count('data-testid="point-row"') == 5 + 1  # five blank rows and the template's
    data = {
        "summary": "本局將分期增設遮陽設施。",
        "points-TOTAL_FORMS": "5",
        "points-INITIAL_FORMS": "0",
        "points-MIN_NUM_FORMS": "0",
        "points-MAX_NUM_FORMS": "50",
        "points-0-point": "增設遮陽棚",
        "points-0-response": "115年下半年於三處公園施作。",
        "points-1-point": "種植樹木",
        "points-1-response": "",
    }
    bad = client_for(people.staff).post(respond, data)
    assert bad.status_code == 400 and "請回答這一點" in page_of(bad)
    data["points-1-response"] = "配合植樹計畫辦理。"
    assert client_for(people.staff).post(respond, data).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.RESPONDED
    page = page_of(Client().get(detail_url(proposal)))
    assert page.count('data-testid="response-point"') == 2 and "配合植樹計畫辦理。" in page
    assert "已回應" in page


def test_the_agency_records_a_meeting_and_extends_the_deadline_publicly(people, rule):
    proposal = accepted(people)
    for supporter in people.supporters[:2]:
        services.endorse_proposal(proposal, actor=supporter, ip_address="203.0.113.7")
    proposal.refresh_from_db()
    services.assign_proposal(proposal, actor=people.officer, lead_agency=agency("construction"))
    proposal.refresh_from_db()
    client = client_for(people.staff)
    meeting = client.post(
        reverse("participation:proposal-meeting", args=[proposal.number]),
        {"held_on": "2026-03-02", "place": "建設局會議室", "record": "與提案人討論施作地點。"},
    )
    assert meeting.status_code == 302
    new_due = proposal.response_due + datetime.timedelta(days=30)
    bad = client.post(reverse("participation:proposal-extend", args=[proposal.number]), {"reason": ""})
    assert bad.status_code == 400
    extend = client.post(
        reverse("participation:proposal-extend", args=[proposal.number]),
        {"new_due": new_due.isoformat(), "reason": "需會勘現場。"},
    )
    assert extend.status_code == 302
    page = page_of(Client().get(detail_url(proposal)))
    assert "與提案人討論施作地點。" in page and "需會勘現場。" in page and 'data-testid="extensions"' in page


def test_short_of_the_threshold_at_the_deadline_the_page_says_not_established(people, rule, clock):
    proposal = accepted(people)
    services.endorse_proposal(proposal, actor=people.supporters[0], ip_address="203.0.113.7")
    proposal.refresh_from_db()
    clock.move_to(
        datetime.datetime.combine(
            proposal.endorse_until + datetime.timedelta(days=1), datetime.time(1), TAIPEI
        ),
        tick=False,
    )
    assert services.close_due_endorsements() == {"established": 0, "not_established": 1}
    page = page_of(Client().get(detail_url(proposal)))
    assert 'data-testid="not-established"' in page and "未成案" in page
    assert 'data-testid="support-form"' not in page


def test_no_phone_or_email_on_the_public_pages(people, rule):
    proposal = accepted(people)
    services.endorse_proposal(proposal, actor=people.supporters[0], ip_address="203.0.113.7")
    for response in (
        Client().get(reverse("participation:proposal-list")),
        Client().get(detail_url(proposal)),
        client_for(people.supporters[1]).get(detail_url(proposal)),
        Client().get(reverse("participation:proposal-count", args=[proposal.number])),
        Client().get(reverse("participation:proposal-similar"), {"q": "公園遮蔭"}),
    ):
        text = page_of(response)
        assert PHONE not in text and EMAIL_DOMAIN not in text


# --- the home page's work items -------------------------------------------------------------------


def _entries(user) -> dict:
    return {e.key: e for group in worklist.work_for(user) for e in group["entries"]}


def test_work_items_count_the_rows_of_the_lists_they_open(people, rule, clock):
    submit(people.proposer, title="待檢核一")
    clock.move_to(MONDAY + datetime.timedelta(days=8), tick=False)
    submit(people.proposer, title="待檢核二")
    entries = _entries(people.officer)
    assert entries["participation.checks_overdue"].count == 1
    assert entries["participation.to_check"].count == 2
    client = client_for(people.officer)
    for key in ("participation.checks_overdue", "participation.to_check", "participation.to_assign"):
        entry = entries[key]
        page = page_of(client.get(entry.url))
        assert (
            page.count('data-testid="checking-row"') + page.count('data-testid="response-row"') == entry.count
        )
    assert "participation.checks_overdue" not in _entries(people.staff)
    from django.contrib.auth.models import AnonymousUser

    visitor = _entries(AnonymousUser())
    assert "participation.propose" in visitor and "participation.support" in visitor
