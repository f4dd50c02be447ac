"""No proposer's, supporter's, commenter's or voter's phone, e-mail or username reaches another user or
any public page or API of participation.

The URLs are not listed by hand: every route of the participation URLconf and every route of the API
under /api/v1/participation/ is found by walking the project's URL resolver, and each is reversed
with every value that fits its parameters (proposal numbers and ids, consultation and conversation
slugs, comment, statement, support and attachment ids). A route that cannot be reversed with any of
them fails the test, so a new page or endpoint is covered the day it is added, or the test says why
not. Each URL is fetched as an anonymous visitor, as another verified citizen and as the lead
agency's staff (who answer the proposal), and the answer must hold none of the people's phones (in
any usual grouping), e-mail addresses or usernames. Binary answers (the response report's PDF and
.odt) are fetched but not searched (their text is compressed)."""

from __future__ import annotations

import datetime
import io
import itertools
import re
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image

from rdec.core.models import Agency, Role
from rdec.core.tests.factories import UserFactory
from rdec.participation import services
from rdec.participation.models import (
    Comment,
    Consultation,
    Conversation,
    Endorsement,
    Notice,
    Proposal,
    ProposalAttachment,
    ProposalRule,
    Statement,
)

pytestmark = pytest.mark.django_db

TAIPEI = zoneinfo.ZoneInfo("Asia/Taipei")
MONDAY = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=TAIPEI)

# username -> phone; e-mail is <username>@privacy-probe.tw
PEOPLE = {
    "zq-proposer": "0987601234",
    "zq-supporter-a": "0987602345",
    "zq-supporter-b": "0987603456",
    "zq-supporter-c": "0987604567",
    "zq-commenter": "0987605678",
    "zq-replier": "0987606789",
    "zq-voter": "0987607890",
    "zq-follower": "0987608901",
}


def secrets_of(username: str, phone: str) -> list[str]:
    return [
        username,
        f"{username}@privacy-probe.tw",
        phone,
        f"{phone[:4]}-{phone[4:7]}-{phone[7:]}",
        f"{phone[:4]} {phone[4:7]} {phone[7:]}",
        f"{phone[:4]}-{phone[4:]}",
        "+886" + phone[1:],
    ]


SECRETS = [s.lower() for u, p in PEOPLE.items() for s in secrets_of(u, p)]


def verified(username: str):
    now = timezone.now()
    return UserFactory(
        username=username,
        role=Role.CITIZEN,
        display_name=f"暱稱{username[-1]}{len(username)}",
        email=f"{username}@privacy-probe.tw",
        phone=PEOPLE.get(username, "0911000000"),
        phone_verified_at=now,
        email_verified_at=now,
        date_joined=now - datetime.timedelta(days=60),
    )


@pytest.fixture
def world(personas, time_machine):
    time_machine.move_to(MONDAY, tick=False)
    ProposalRule.objects.create(
        effective_from=datetime.date(2026, 1, 1),
        source="test",
        check_working_days=5,
        endorse_days=30,
        threshold=3,
        response_months=2,
        burst_window_minutes=10,
        burst_same_network=50,
        new_account_minutes=30,
    )
    people = {u: verified(u) for u in PEOPLE}
    officer, staff = personas.officer, personas.staff
    construction = Agency.objects.get(code="construction")

    # 提點子: one established, assigned and answered; one open for support; one being checked
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "PNG")
    png = SimpleUploadedFile("a.png", buffer.getvalue(), content_type="image/png")
    done = services.submit_proposal(
        actor=people["zq-proposer"],
        title="增設公園遮蔭設施",
        content="夏季公園缺乏遮蔭，建議增設遮陽棚與樹木。",
        benefits="提升市民休憩品質。",
        attachments=[png],
    )
    services.check_proposal(done, actor=officer, accept=True)
    for name in ("zq-supporter-a", "zq-supporter-b", "zq-supporter-c"):
        services.endorse_proposal(done, actor=people[name], ip_address="203.0.113.9")
    done.refresh_from_db()
    services.follow(actor=people["zq-follower"], proposal=done)
    services.assign_proposal(done, actor=officer, lead_agency=construction)
    done.refresh_from_db()
    services.record_proposal_meeting(
        done, actor=staff, held_on=MONDAY.date(), record="與提案人討論設置地點。"
    )
    services.respond_to_proposal(
        done, actor=staff, summary="將於三處公園增設遮陽設施。", points=[("遮陽棚", "年底前完成。")]
    )
    open_one = services.submit_proposal(
        actor=people["zq-proposer"],
        title="延長圖書館開放時間",
        content="建議週末延長。",
        benefits="方便上班族。",
    )
    services.check_proposal(open_one, actor=officer, accept=True)
    services.endorse_proposal(open_one, actor=people["zq-supporter-a"], ip_address="203.0.113.9")
    services.submit_proposal(
        actor=people["zq-proposer"], title="檢核中的提案", content="內容。", benefits="利益。"
    )

    # 眾開講: open with comments, a reply and a hidden comment
    consultation = services.create_consultation(
        actor=officer,
        title="公共自行車站點規劃",
        background="請提供新設站點意見。",
        questions="您希望在哪裡設站？",
        stage=Consultation.Stage.BEFORE,
        agency=construction,
        opens_on=MONDAY.date(),
        closes_on=MONDAY.date() + datetime.timedelta(days=14),
        slug="ibike-privacy",
    )
    services.publish_consultation(consultation, actor=officer, today=MONDAY.date())
    first = services.post_comment(
        consultation, actor=people["zq-commenter"], body="希望在捷運站旁設站。", question=1
    )
    services.post_comment(consultation, actor=people["zq-replier"], body="同意。", parent=first)
    hidden = services.post_comment(consultation, actor=people["zq-replier"], body="廣告訊息")
    services.hide_comment(hidden, actor=officer, ground="advertising")
    services.follow(actor=people["zq-follower"], consultation=consultation)

    # a conversation with a citizen's statement and votes
    conversation = services.create_conversation(
        actor=officer, title="共享運具", slug="mobility-privacy", statements=["應增加自行車道", "應限制機車"]
    )
    services.add_statement(actor=people["zq-voter"], conversation=conversation, text="人行道應淨空")
    for statement in conversation.statements.filter(moderated=Statement.Moderation.ACCEPTED):
        services.vote(actor=people["zq-voter"], statement=statement, value=1)
    return people


def _participation_routes():
    """(route text, reversible name, parameter names) of every URL pattern under participation."""

    def walk(patterns, prefix, namespace, params):
        for p in patterns:
            groups = list(p.pattern.regex.groupindex)
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns, params + groups)
            elif isinstance(p, URLPattern):
                yield (
                    prefix + str(p.pattern),
                    (f"{namespace}:{p.name}" if namespace and p.name else p.name),
                    params + groups,
                )

    for route, name, params in walk(get_resolver().url_patterns, "", "", []):
        text = route.replace("^", "")
        if text.startswith("en/"):
            continue  # the same views in English
        if text.startswith("participation/") or "v1/participation/" in text or "v1/^participation/" in route:
            yield text, name, params


def _candidates(world) -> dict:
    proposals = list(Proposal.objects.all())
    consultations = list(Consultation.objects.all())
    conversations = list(Conversation.objects.all())
    return {
        "number": [p.number for p in proposals],
        "slug": [c.slug for c in consultations] + [c.slug for c in conversations],
        "pk": [p.pk for p in proposals]
        + [c.pk for c in consultations]
        + list(Comment.objects.values_list("pk", flat=True))
        + list(Statement.objects.values_list("pk", flat=True))
        + list(Endorsement.objects.values_list("pk", flat=True))
        + list(ProposalAttachment.objects.values_list("pk", flat=True))
        + [p.number for p in proposals]
        + [c.slug for c in consultations + conversations],
        "id": [p.pk for p in proposals] + [c.pk for c in consultations],
        "format": ["json"],
        "fmt": ["pdf", "odt"],
    }


def _urls(world) -> tuple[dict, list]:
    pool = _candidates(world)
    found: dict[str, list[str]] = {}
    unreachable = []
    for route, name, params in _participation_routes():
        if not name:
            unreachable.append(f"{route} (no name)")
            continue
        names = list(dict.fromkeys(params))
        if any(n not in pool for n in names):
            unreachable.append(f"{route} (parameters {names})")
            continue
        urls = []
        for values in itertools.product(*(dict.fromkeys(pool[n]) for n in names)):
            try:
                url = reverse(name, kwargs=dict(zip(names, values, strict=True)))
            except NoReverseMatch:
                continue
            urls.append(url)
        if not urls:
            unreachable.append(f"{route} (nothing fits)")
            continue
        if not names:
            urls.append(urls[0] + ("&" if "?" in urls[0] else "?") + "q=公園&status=endorsing")
        found[route] = list(dict.fromkeys(urls))
    return found, unreachable


def _leaks(content: bytes) -> list[str]:
    text = content.decode("utf-8", errors="replace").lower()
    text = re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m.group(1), 16)), text)
    return [s for s in SECRETS if s in text]


def test_every_participation_page_and_api_route_is_reached(world):
    found, unreachable = _urls(world)
    assert unreachable == []
    routes = " ".join(found)
    # the parts' main pages are among them (the walk found the URLconf and the API)
    for expected in (
        "proposals/",
        "consultations/",
        "conversations/",
        "feed.atom",
        "participation/proposals/",
    ):
        assert expected in routes


@pytest.mark.parametrize("who", ["anonymous", "other-citizen", "agency-staff"])
def test_no_phone_email_or_username_on_any_participation_page_or_api(world, personas, client, who):
    if who == "other-citizen":
        client.force_login(verified("someone-else"))
    elif who == "agency-staff":
        client.force_login(personas.staff)  # staff of 建設局, the lead agency that answers
    found, _unreachable = _urls(world)
    fetched, problems = 0, []
    for urls in found.values():
        for url in urls:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hant")
            fetched += 1
            if response.status_code >= 500:
                problems.append(f"{url}: HTTP {response.status_code}")
                continue
            if getattr(response, "streaming", False):
                content = b"".join(response.streaming_content)
            else:
                content = response.content
            kind = response.get("Content-Type", "")
            if any(t in kind for t in ("text/", "json", "xml", "javascript")) or not kind:
                leaks = _leaks(content)
                if leaks:
                    problems.append(f"{url} ({who}): {leaks}")
    assert fetched > 30
    assert problems == []


def test_no_notice_sent_on_line_names_anyone(world):
    for notice in Notice.objects.filter(channel="line"):
        assert _leaks(str(notice.payload).encode()) == []
