"""Following proposals and consultations, the notices to followers (e-mail) and to the LINE official
account's friends (Messaging API request bodies), the Atom feed and the Open Graph tags."""

from __future__ import annotations

import datetime
import json
import logging
import threading
import zoneinfo
from http.server import BaseHTTPRequestHandler, HTTPServer
from xml.etree import ElementTree

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from rdec.core.models import Agency, AuditEntry, Role
from rdec.core.tests.factories import UserFactory
from rdec.participation import selectors, services
from rdec.participation.line import HttpLineSender, RecordingLineSender, text_messages
from rdec.participation.models import Consultation, Follow, Notice, Proposal

pytestmark = pytest.mark.django_db

TAIPEI = zoneinfo.ZoneInfo("Asia/Taipei")
NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=TAIPEI)
TODAY = NOW.date()
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def person(username: str, **kw):
    now = timezone.now()
    return UserFactory(
        username=username,
        role=kw.pop("role", Role.CITIZEN),
        email=kw.pop("email", f"{username}@example.tw"),
        phone=kw.pop("phone", "0912345678"),
        phone_verified_at=now,
        email_verified_at=now,
        **kw,
    )


def proposal(status=Proposal.Status.ENDORSING, n=1, **kw) -> Proposal:
    proposer = kw.pop("proposer", None) or person(f"proposer{n}", display_name=f"提案人{n}")
    values = {
        "number": f"115-{n:04d}",
        "title": kw.pop("title", f"增設公園遮蔭設施{n}"),
        "content": "夏季公園缺乏遮蔭，建議增設遮陽棚與樹木。",
        "benefits": "提升市民休憩品質。",
        "proposer": proposer,
        "display_name": proposer.display_name,
        "status": status,
        "check_due": TODAY,
        "threshold": 3,
        "endorse_from": TODAY,
        "endorse_until": TODAY + datetime.timedelta(days=30),
    }
    values.update(kw)
    return Proposal.objects.create(**values)


def consultation(status=Consultation.Status.OPEN, slug="ibike", **kw) -> Consultation:
    values = {
        "slug": slug,
        "title": kw.pop("title", "公共自行車站點規劃"),
        "background": "本市 iBike 站點將擴充，請提供意見。",
        "questions": "您希望在哪裡設站？",
        "stage": Consultation.Stage.BEFORE,
        "agency": Agency.objects.get(code="construction"),
        "status": status,
        "opens_on": TODAY - datetime.timedelta(days=1),
        "closes_on": TODAY + datetime.timedelta(days=14),
        "created_by": kw.pop("created_by", None) or person(f"staff-{slug}", role=Role.RDEC_OFFICER),
    }
    values.update(kw)
    return Consultation.objects.create(**values)


# --- follow / unfollow ---------------------------------------------------------------------------------


def test_a_citizen_follows_a_public_proposal_once_and_unfollows():
    p, fan = proposal(), person("fan")
    first = services.follow(actor=fan, proposal=p)
    again = services.follow(actor=fan, proposal=p)
    assert first.pk == again.pk and Follow.objects.filter(user=fan).count() == 1
    assert services.is_following(fan, proposal=p)
    assert AuditEntry.objects.filter(verb="participation.followed").count() == 1
    assert services.unfollow(actor=fan, proposal=p) is True
    assert not services.is_following(fan, proposal=p)


def test_a_proposal_being_checked_or_a_draft_consultation_cannot_be_followed():
    fan = person("fan")
    with pytest.raises(PermissionDenied):
        services.follow(actor=fan, proposal=proposal(Proposal.Status.CHECKING))
    with pytest.raises(PermissionDenied):
        services.follow(actor=fan, consultation=consultation(Consultation.Status.DRAFT))


def test_the_follow_button_posts_and_my_follows_lists_it(client):
    p, c, fan = proposal(), consultation(), person("fan")
    client.force_login(fan)
    response = client.post(reverse("participation:proposal-follow", args=[p.number]), {"action": "follow"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "participation:proposal-detail", args=[p.number]
    )
    client.post(
        reverse("participation:consultation-follow", args=[c.slug]), {"action": "follow", "next": "/x/"}
    )
    page = client.get(
        reverse("participation:following-list"), HTTP_ACCEPT_LANGUAGE="zh-hant"
    ).content.decode()
    assert p.title in page and c.title in page
    client.post(reverse("participation:proposal-follow", args=[p.number]), {"action": "unfollow"})
    assert not Follow.objects.filter(user=fan, proposal=p).exists()


def test_following_needs_a_login_and_a_post(client):
    p = proposal()
    url = reverse("participation:proposal-follow", args=[p.number])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and reverse("core:login") in response["Location"]
    assert client.get(reverse("participation:following-list")).status_code == 302


def test_the_follow_button_include_shows_the_state():
    p, fan = proposal(), person("fan")

    class Request:
        user = fan
        path = "/p/"

        def get_full_path(self):
            return "/p/"

    template = Template("{% load participation_following %}{% follow_button p %}")
    html = template.render(Context({"p": p, "request": Request(), "csrf_token": "tok"}))
    assert 'data-testid="follow-button"' in html
    services.follow(actor=fan, proposal=p)
    html = template.render(Context({"p": p, "request": Request(), "csrf_token": "tok"}))
    assert 'data-testid="unfollow-button"' in html


# --- notices to followers --------------------------------------------------------------------------------


def test_followers_are_told_one_e_mail_each_and_a_notice_row_each():
    c = consultation()
    fans = [person(f"fan{i}") for i in range(3)]
    for fan in fans:
        services.follow(actor=fan, consultation=c)
    told = services.notify_followers(consultation=c, subject="主旨", body="內容", exclude_users=[fans[2]])
    assert told == 2
    assert sorted(tuple(m.to) for m in mail.outbox) == [("fan0@example.tw",), ("fan1@example.tw",)]
    assert Notice.objects.filter(channel="email", consultation=c).count() == 2


def test_a_consultation_reported_tells_its_followers_and_the_line_friends(django_capture_on_commit_callbacks):
    c = consultation()
    services.follow(actor=person("fan"), consultation=c)
    with django_capture_on_commit_callbacks(execute=True):
        c.status = Consultation.Status.REPORTED
        c.save()
    assert [m.to for m in mail.outbox] == [["fan@example.tw"]]
    line = Notice.objects.get(channel="line", consultation=c)
    assert line.payload["endpoint"] == "/v2/bot/message/broadcast"
    assert "回應報告" in line.payload["body"]["messages"][0]["text"] or "report" in line.body


def test_a_proposal_opened_for_support_is_announced_on_line(django_capture_on_commit_callbacks):
    p = proposal(Proposal.Status.CHECKING)
    with django_capture_on_commit_callbacks(execute=True):
        p.status = Proposal.Status.ENDORSING
        p.save()
    (line,) = Notice.objects.filter(channel="line", proposal=p)
    body = line.payload["body"]
    assert set(body) == {"messages"}
    assert body["messages"][0]["type"] == "text" and p.title in body["messages"][0]["text"]
    assert f"/participation/proposals/{p.number}/" in body["messages"][0]["text"]
    assert line.payload["sent"] is False  # the recording sender sends nothing


def test_saving_without_a_status_change_announces_nothing(django_capture_on_commit_callbacks):
    p = proposal()
    with django_capture_on_commit_callbacks(execute=True):
        p.title = "新標題"
        p.save()
    assert not Notice.objects.filter(channel="line").exists()


# --- the LINE sender ---------------------------------------------------------------------------------------


def test_the_recording_sender_keeps_the_exact_push_and_multicast_bodies():
    sender = RecordingLineSender()
    (push,) = sender.push("U" + "a" * 32, text_messages("您追蹤的提案已成案"))
    assert push.payload["endpoint"] == "/v2/bot/message/push"
    assert push.payload["body"] == {
        "to": "U" + "a" * 32,
        "messages": [{"type": "text", "text": "您追蹤的提案已成案"}],
    }
    ids = [f"U{i:032x}" for i in range(501)]
    rows = sender.multicast(ids, text_messages("公告"))
    assert [len(r.payload["body"]["to"]) for r in rows] == [500, 1]  # LINE takes 500 ids a request
    assert rows[0].payload["body"]["messages"] == [{"type": "text", "text": "公告"}]


def test_a_text_longer_than_lines_limit_is_cut():
    (message,) = text_messages("字" * 6000)
    assert len(message["text"]) == 5000


class FakeLine(BaseHTTPRequestHandler):
    seen: list = []
    status = 200

    def do_POST(self):  # noqa: N802 - http.server's name
        length = int(self.headers["Content-Length"])
        FakeLine.seen.append((self.path, dict(self.headers), json.loads(self.rfile.read(length))))
        self.send_response(FakeLine.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_line():
    FakeLine.seen, FakeLine.status = [], 200
    server = HTTPServer(("127.0.0.1", 0), FakeLine)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_the_http_sender_posts_the_messaging_api_request_with_the_channel_token(fake_line, settings, caplog):
    settings.RDEC_LINE_CHANNEL_TOKEN = "secret-channel-token"
    settings.RDEC_LINE_API_URL = fake_line
    sender = HttpLineSender()
    (row,) = sender.multicast(["U1", "U2", "U1"], text_messages("新提案開放附議"))
    path, headers, body = FakeLine.seen[0]
    assert path == "/v2/bot/message/multicast"
    assert headers["Authorization"] == "Bearer secret-channel-token"
    assert headers["X-Line-Retry-Key"] == row.payload["retry_key"]
    assert body == {"to": ["U1", "U2"], "messages": [{"type": "text", "text": "新提案開放附議"}]}
    assert row.payload["sent"] is True and row.payload["status"] == 200
    sender.broadcast(text_messages("公告"))
    assert FakeLine.seen[1][0] == "/v2/bot/message/broadcast" and FakeLine.seen[1][2] == {
        "messages": [{"type": "text", "text": "公告"}]
    }


def test_an_error_answer_is_recorded_and_logged_without_the_token(fake_line, settings, caplog):
    caplog.set_level(logging.DEBUG)
    FakeLine.status = 401
    settings.RDEC_LINE_API_URL = fake_line
    (row,) = HttpLineSender(token="secret-channel-token").push("U1", text_messages("x"))
    assert row.payload["sent"] is False and row.payload["status"] == 401
    assert "secret-channel-token" not in "\n".join(r.getMessage() for r in caplog.records)
    assert "secret-channel-token" not in json.dumps(row.payload)


def test_the_setting_chooses_the_sender(settings):
    from rdec.participation.line import line_sender

    assert isinstance(line_sender(), RecordingLineSender)
    settings.RDEC_LINE_SENDER = "rdec.participation.line.HttpLineSender"
    assert isinstance(line_sender(), HttpLineSender)


# --- the Atom feed and Open Graph --------------------------------------------------------------------------


def test_the_atom_feed_lists_what_is_open_and_nothing_else(client):
    open_p = proposal(n=1, title="開放附議的提案")
    proposal(Proposal.Status.CHECKING, n=2, title="檢核中的提案")
    proposal(Proposal.Status.NOT_ESTABLISHED, n=3, title="未成案的提案")
    consultation(title="開放中的眾開講")
    consultation(Consultation.Status.DRAFT, slug="draft", title="草稿眾開講")
    consultation(Consultation.Status.REPORTED, slug="done", title="已結束眾開講")
    response = client.get("/participation/feed.atom")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own feed
    titles = {e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")}
    assert titles == {"開放附議的提案", "開放中的眾開講"}
    links = {e.find(f"{ATOM}link").get("href") for e in root.findall(f"{ATOM}entry")}
    assert any(link.endswith(f"/participation/proposals/{open_p.number}/") for link in links)
    body = response.content.decode()
    assert "proposer1@example.tw" not in body and "0912345678" not in body


def test_free_text_in_the_feed_is_masked():
    proposal(content="請聯絡我 0987-654-321 或 me@example.tw")
    (item,) = selectors.open_for_participation()
    assert "0987-654-321" not in item["summary"] and "me@example.tw" not in item["summary"]


def test_open_graph_tags_name_the_page_and_the_emblem(settings):
    p = proposal()
    html = Template("{% load participation_following %}{% og_tags p %}").render(Context({"p": p}))
    assert '<meta property="og:title" content="增設公園遮蔭設施1">' in html
    assert (
        f'<meta property="og:url" content="{settings.SITE_URL}/participation/proposals/{p.number}/">' in html
    )
    assert '<meta property="og:type" content="article">' in html
    assert 'property="og:image" content="http' in html and "emblem" in html
    assert 'property="og:description"' in html
