"""Gaps of issue 16 closed later: the closing of a consultation and every proposal step told to the
people concerned (e-mail, LINE), the sharing tags and the follow button on the pages, the proposer's
display name checked like a commenter's, and the citizen's comments on "my proposals"."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from rdec.core.tests.factories import agency
from rdec.participation import services
from rdec.participation.models import Consultation, Follow, Notice, Proposal, ProposalRule
from rdec.participation.tests.test_following import NOW, TODAY, consultation, person, proposal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


# --- 1. the closing of a consultation ------------------------------------------------------------------


def test_closing_a_consultation_tells_its_followers_and_the_line_friends(django_capture_on_commit_callbacks):
    c = consultation(
        opens_on=TODAY - datetime.timedelta(days=20), closes_on=TODAY - datetime.timedelta(days=1)
    )
    services.follow(actor=person("fan"), consultation=c)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.close_due_consultations() == 1
    assert [m.to for m in mail.outbox] == [["fan@example.tw"]]
    assert c.title in mail.outbox[0].subject
    assert Notice.objects.filter(channel="email", consultation=c).count() == 1
    (line,) = Notice.objects.filter(channel="line", consultation=c)
    assert line.payload["endpoint"] == "/v2/bot/message/broadcast"
    assert c.title in line.payload["body"]["messages"][0]["text"]
    # run again (every page does): nothing more is sent
    with django_capture_on_commit_callbacks(execute=True):
        assert services.close_due_consultations() == 0
    assert len(mail.outbox) == 1 and Notice.objects.filter(channel="line").count() == 1
    assert Consultation.objects.get(pk=c.pk).status == Consultation.Status.CLOSED


# --- 2. every proposal step told to the proposer, the supporters and the followers ---------------------------


@pytest.fixture
def rule():
    return ProposalRule.objects.create(
        effective_from=datetime.date(2026, 1, 1),
        source="test",
        check_working_days=5,
        endorse_days=30,
        threshold=3,
        response_months=2,
        burst_window_minutes=10,
        burst_same_network=0,
        new_account_minutes=0,
    )


def told() -> list[str]:
    """Run the step's after-commit work; the addresses e-mailed (sorted), then the outbox emptied."""
    to = sorted(a for m in mail.outbox for a in m.to)
    mail.outbox.clear()
    return to


def line_subjects(p) -> list[str]:
    return [
        n.payload["body"]["messages"][0]["text"].split("\n")[0]
        for n in Notice.objects.filter(channel="line", proposal=p).order_by("pk")
    ]


def submitted(proposer) -> Proposal:
    return services.submit_proposal(
        actor=proposer, title="增設公園遮蔭設施", content="夏季公園缺乏遮蔭。", benefits="提升休憩品質。"
    )


def test_every_proposal_step_tells_the_people_concerned_by_e_mail_and_on_line(
    personas, rule, django_capture_on_commit_callbacks
):
    run = django_capture_on_commit_callbacks
    proposer, fan = person("proposer"), person("fan")
    supporters = [person(f"s{i}") for i in range(3)]
    with run(execute=True):
        p = submitted(proposer)
    assert told() == ["proposer@example.tw"]
    with run(execute=True):
        services.check_proposal(p, actor=personas.officer, accept=True)
    assert told() == ["proposer@example.tw"]
    services.follow(actor=fan, proposal=p)
    for s in supporters[:2]:
        with run(execute=True):
            services.endorse_proposal(p, actor=s)
    assert told() == []  # a support is not a step
    with run(execute=True):  # the third support reaches the threshold: 成案 at once
        services.endorse_proposal(p, actor=supporters[2])
    everyone = sorted(
        ["proposer@example.tw", "fan@example.tw", "s0@example.tw", "s1@example.tw", "s2@example.tw"]
    )
    assert told() == everyone
    p.refresh_from_db()
    assert p.status == Proposal.Status.ESTABLISHED
    established_on_line = [t for t in line_subjects(p) if p.title in t]
    assert len(established_on_line) == 2  # opened for support, then 成案
    with run(execute=True):
        services.assign_proposal(p, actor=personas.officer, lead_agency=agency("construction"))
    assert told() == everyone
    assert Notice.objects.filter(proposal=p, recipient=personas.staff).exists()  # the agency too
    with run(execute=True):
        services.extend_proposal_response(
            p, actor=personas.staff, new_due=datetime.date(2026, 7, 6), reason="需跨局處協調"
        )
    assert told() == everyone
    with run(execute=True):
        services.respond_to_proposal(
            p, actor=personas.staff, summary="將增設遮陽設施。", points=[("遮陽棚", "下半年施作。")]
        )
    assert told() == everyone
    assert len(line_subjects(p)) == 3  # opened, 成案, responded


def test_a_proposal_not_accepted_is_told_to_the_proposer_alone(
    personas, rule, django_capture_on_commit_callbacks
):
    proposer, fan = person("proposer"), person("fan")
    with django_capture_on_commit_callbacks(execute=True):
        p = submitted(proposer)
    mail.outbox.clear()
    Follow.objects.create(user=fan, proposal=p)  # however it came to be, a follower is not told
    with django_capture_on_commit_callbacks(execute=True):
        services.check_proposal(
            p, actor=personas.officer, accept=False, ground="advertising", reason="商業廣告"
        )
    assert told() == ["proposer@example.tw"]
    assert (
        "商業廣告"
        in Notice.objects.get(channel="email", proposal=p, recipient=proposer, body__contains="商業廣告").body
    )
    assert not Notice.objects.filter(recipient=fan).exists()
    assert not Notice.objects.filter(channel="line", proposal=p).exists()


@pytest.mark.parametrize(
    "supports, status", [(3, Proposal.Status.ESTABLISHED), (1, Proposal.Status.NOT_ESTABLISHED)]
)
def test_the_daily_closing_tells_everyone_and_announces_established_on_line(
    personas, rule, django_capture_on_commit_callbacks, supports, status
):
    p = proposal(threshold=10)
    fan = person("fan")
    services.follow(actor=fan, proposal=p)
    for i in range(supports):
        services.endorse_proposal(p, actor=person(f"s{i}"))
    p.refresh_from_db()
    p.threshold = supports if status == Proposal.Status.ESTABLISHED else supports + 1
    p.endorse_until = TODAY - datetime.timedelta(days=1)
    p.save(update_fields=["threshold", "endorse_until"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.close_due_endorsements(today=TODAY)
    p.refresh_from_db()
    assert p.status == status
    expected = sorted([p.proposer.email, "fan@example.tw", *[f"s{i}@example.tw" for i in range(supports)]])
    assert told() == expected
    on_line = Notice.objects.filter(channel="line", proposal=p).count()
    assert on_line == (1 if status == Proposal.Status.ESTABLISHED else 0)


# --- 4. the proposer's name shown, checked as a commenter's ------------------------------------------------


@pytest.mark.parametrize("name", ["0912-345-678", "me@example.tw", "proposer", "PROPOSER@example.tw"])
def test_a_proposers_name_shown_cannot_be_a_phone_an_e_mail_or_the_username(rule, name):
    proposer = person("proposer")
    with pytest.raises(ValidationError) as refused:
        services.submit_proposal(
            actor=proposer, title="增設公園遮蔭設施", content="內容", benefits="效益", display_name=name
        )
    assert set(refused.value.message_dict) == {"display_name"}
    assert not Proposal.objects.exists()


def test_an_account_name_that_cannot_be_shown_falls_back_to_a_citizen(rule):
    proposer = person("proposer", display_name="0912345678")
    p = submitted(proposer)
    assert p.display_name == "市民"
    assert submitted(person("other", display_name="愛台中")).display_name == "愛台中"


def test_the_proposal_form_refuses_a_phone_as_the_name_shown(client, rule):
    proposer = person("proposer", display_name="0912345678")
    client.force_login(proposer)
    url = reverse("participation:proposal-create")
    page = client.get(url).content.decode()
    assert 'value="0912345678"' not in page  # not offered as the name shown
    response = client.post(
        url,
        {"title": "增設公園遮蔭設施", "content": "內容", "benefits": "效益", "display_name": "0912 345 678"},
    )
    assert response.status_code == 400
    assert "電話" in response.content.decode() or "telephone" in response.content.decode()
    assert not Proposal.objects.exists()


# --- 5. the SMS and LINE settings declared and documented ----------------------------------------------------

SENDER_SETTINGS = {
    "RDEC_SMS_SENDER": "",
    "RDEC_LINE_SENDER": "",
    "RDEC_LINE_CHANNEL_TOKEN": "",
    "RDEC_LINE_API_URL": "https://api.line.me",
}


def test_the_sms_and_line_settings_are_read_from_the_environment_and_documented(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[3]
    example = (repo / ".env.example").read_text(encoding="utf-8")
    for name in SENDER_SETTINGS:
        assert f"\n{name}=" in example, name
    token = tmp_path / "line-token"
    token.write_text("from-a-file\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "RDEC_SMS", "RDEC_LINE"))}
    code = "from django.conf import settings as s; print(*[repr(getattr(s, n)) for n in %r], sep='|')"
    names = list(SENDER_SETTINGS)

    def read(**values) -> list[str]:
        result = subprocess.run(  # noqa: S603 - our own interpreter
            [sys.executable, "-c", code % names],
            env={**env, "DJANGO_SETTINGS_MODULE": "rdec.settings", "RDEC_DATA_DIR": str(tmp_path), **values},
            cwd=repo,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().split("|")

    assert read() == [repr(v) for v in SENDER_SETTINGS.values()]  # the defaults the code used
    assert read(
        RDEC_SMS_SENDER="rdec.core.sms.ConsoleSmsSender",
        RDEC_LINE_SENDER="rdec.participation.line.HttpLineSender",
        RDEC_LINE_CHANNEL_TOKEN_FILE=str(token),
        RDEC_LINE_API_URL="https://line.example",
    ) == [
        repr("rdec.core.sms.ConsoleSmsSender"),
        repr("rdec.participation.line.HttpLineSender"),
        repr("from-a-file"),
        repr("https://line.example"),
    ]


# --- 3. sharing tags and the follow button on the pages ------------------------------------------------------


def test_the_proposal_page_has_its_sharing_tags_and_the_follow_button(client, settings):
    p = proposal()
    page = client.get(reverse("participation:proposal-detail", args=[p.number])).content.decode()
    assert f'<meta property="og:title" content="{p.title}">' in page
    assert (
        f'<meta property="og:url" content="{settings.SITE_URL}/participation/proposals/{p.number}/">' in page
    )
    assert 'data-testid="follow-button"' not in page  # signed out: a link to log in instead
    client.force_login(person("fan"))
    page = client.get(reverse("participation:proposal-detail", args=[p.number])).content.decode()
    assert 'data-testid="follow-button"' in page
    assert reverse("participation:proposal-follow", args=[p.number]) in page


def test_a_proposal_being_checked_has_neither_sharing_tags_nor_a_follow_button(client):
    p = proposal(Proposal.Status.CHECKING)
    client.force_login(p.proposer)
    page = client.get(reverse("participation:proposal-detail", args=[p.number])).content.decode()
    assert "og:title" not in page and 'data-testid="follow"' not in page


def test_the_consultation_page_has_its_sharing_tags_and_the_follow_button(client, settings):
    c = consultation()
    url = reverse("participation:consultation-detail", args=[c.slug])
    page = client.get(url).content.decode()
    assert f'<meta property="og:title" content="{c.title}">' in page
    assert (
        f'<meta property="og:url" content="{settings.SITE_URL}/participation/consultations/{c.slug}/">'
        in page
    )
    client.force_login(person("fan"))
    page = client.get(url).content.decode()
    assert 'data-testid="follow-button"' in page
    assert reverse("participation:consultation-follow", args=[c.slug]) in page


# --- 6. my comments on consultations, on "my proposals" --------------------------------------------------------


def test_my_page_lists_my_consultation_comments_with_the_ground_of_a_hidden_one(client):
    c = consultation()
    me, other = person("me"), person("other")
    kept = services.post_comment(c, actor=me, body="建議在火車站增設站點。", display_name="騎車族")
    hidden = services.post_comment(c, actor=me, body="歡迎光臨本店", display_name="騎車族")
    services.post_comment(c, actor=other, body="別人的意見。", display_name="路人")
    services.hide_comment(hidden, actor=c.created_by, ground="advertising", note="廣告")
    client.force_login(me)
    page = client.get(reverse("participation:proposal-mine")).content.decode()
    section = page.split('data-testid="my-comments"', 1)[1].split("</ul>", 1)[0]
    assert section.count('data-testid="my-comment"') == 2
    assert reverse("participation:consultation-detail", args=[c.slug]) in section and c.title in section
    assert "建議在火車站增設站點。" in section and "別人的意見。" not in section
    assert "115/03/02" in section or "115年3月2日" in section  # the ROC date of the comments
    assert section.count('data-testid="my-comment-hidden"') == 1
    assert "廣告" in section.split('data-testid="my-comment-hidden"', 1)[1]  # the ground: 廣告 (Advertising)
    assert kept.pk != hidden.pk
