"""眾開講 pages and API through HTTP: who may open which page, 400 on bad forms, the whole way from a
draft to the published report (page, PDF, .odt), filters and Chinese search, the moderation log, and
no commenter's phone or e-mail on any page or in the API."""

from __future__ import annotations

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse

from rdec.participation import services
from rdec.participation.models import Consultation, HidingGround
from rdec.participation.tests.consultation_factories import (
    DAY,
    NOON,
    PHONES,
    consultation_values,
    open_consultation,
    verified_citizen,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOON, tick=False)
    return time_machine


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def url(name, *args):
    return reverse(f"participation:{name}", args=args)


@pytest.mark.parametrize(
    ("who", "name", "status"),
    [
        (None, "consultation-list", 200),
        (None, "moderation-rules", 200),
        ("citizen", "consultation-list", 200),
        ("citizen", "consultation-manage", 403),
        ("agent", "consultation-manage", 403),
        ("staff", "consultation-manage", 200),
        ("officer", "consultation-manage", 200),
        ("staff", "consultation-create", 200),
        ("supervisor", "consultation-create", 200),
        ("officer", "consultation-create", 200),
        ("citizen", "consultation-create", 403),
    ],
)
def test_page_access(personas, who, name, status):
    user = getattr(personas, who) if who else None
    assert client_for(user).get(url(name)).status_code == status


def test_a_draft_is_seen_only_by_its_managers(personas):
    c = services.create_consultation(actor=personas.staff, **consultation_values())
    detail = url("consultation-detail", c.slug)
    assert client_for().get(detail).status_code == 404
    assert client_for(personas.other_staff).get(detail).status_code == 404
    assert client_for(personas.staff).get(detail).status_code == 200
    assert client_for(personas.officer).get(detail).status_code == 200
    assert client_for(personas.other_staff).get(url("consultation-edit", c.slug)).status_code == 404
    assert c.title not in client_for().get(url("consultation-list")).content.decode()


def test_bad_create_form_answers_400_with_field_errors(personas):
    response = client_for(personas.staff).post(
        url("consultation-create"),
        {"title": "公園遊戲場改善", "stage": "before", "opens_on": "2026-10-05", "closes_on": "2026-10-06"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "form-errors" in html
    assert "14" in html  # the least period


def test_create_publish_comment_moderate_and_report(personas, frozen):
    staff = client_for(personas.staff)
    response = staff.post(
        url("consultation-create"),
        {
            "title": "公園遊戲場改善",
            "agency": personas.staff.agency_id,
            "stage": "during",
            "background": "本市將改善 30 處公園遊戲場，導入共融設計。",
            "questions": "您最常去的公園是哪一座？\n希望增加哪些遊具？",
            "opens_on": "115/10/05",
            "closes_on": "2026-10-26",
            "topic_source": "熱點：北屯區・公園綠地",
            "doc-document_title": "共融遊戲場設計準則",
            "doc-document_url": "https://example.gov.tw/guide",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    c = Consultation.objects.get(title="公園遊戲場改善")
    assert c.status == "draft" and c.documents.count() == 1 and c.topic_source.startswith("熱點")
    assert staff.post(url("consultation-edit", c.slug), {"action": "publish"}).status_code == 302
    c.refresh_from_db()
    assert c.status == "open"

    page = client_for().get(url("consultation-detail", c.slug)).content.decode()
    assert "115年10月5日" in page and "115年10月26日" in page  # ROC dates
    assert "comment-explanation" in page and 'data-testid="comment-form"' not in page

    citizen = verified_citizen(1)
    as_citizen = client_for(citizen)
    assert as_citizen.post(url("consultation-detail", c.slug), {"body": ""}).status_code == 400
    response = as_citizen.post(
        url("consultation-detail", c.slug),
        {"body": "希望大里區多設沙坑", "question": "2", "display_name": "大里爸爸"},
    )
    assert response.status_code == 302
    comment = c.comments.get()
    other = verified_citizen(2)
    assert (
        client_for(other)
        .post(url("consultation-detail", c.slug), {"body": "同意", "parent": comment.pk})
        .status_code
        == 302
    )
    assert (
        client_for(personas.citizen).post(url("consultation-detail", c.slug), {"body": "x"}).status_code
        == 403
    )

    ad = services.post_comment(c, actor=other, body="團購遊具請洽")
    moderate = url("consultation-moderate", c.slug)
    assert (
        client_for(personas.other_staff)
        .post(moderate, {"comment": ad.pk, "ground": "advertising"})
        .status_code
        == 403
    )
    assert staff.post(moderate, {"comment": ad.pk, "ground": ""}).status_code == 400
    assert staff.post(moderate, {"comment": ad.pk, "ground": "advertising"}).status_code == 302
    log = client_for().get(url("consultation-moderation-log", c.slug)).content.decode()
    assert "#3" in log and str(HidingGround.ADVERTISING.label) in log and "團購" not in log
    assert "團購" not in client_for().get(url("consultation-detail", c.slug)).content.decode()

    frozen.move_to(NOON + datetime.timedelta(days=22), tick=False)
    staff = client_for(personas.staff)  # signed in again: the session would have expired
    report_edit = url("consultation-report-edit", c.slug)
    assert client_for(personas.other_staff).get(report_edit).status_code == 403
    assert staff.get(report_edit).status_code == 200
    c.refresh_from_db()
    assert c.status == "closed"
    assert staff.post(report_edit, {"action": "theme", "title": "", "decision": "x"}).status_code == 400
    themes = [
        ("沙坑與遊具", "adopted", "第一期納入 12 處沙坑", [comment.pk]),
        ("遮蔭", "partly", "植栽遮蔭優先，遮陽棚逐步設置", []),
        ("夜間開放", "not_adopted", "安全考量維持現行時間", []),
    ]
    for title, decision, reason, ids in themes:
        data = {"action": "theme", "title": title, "decision": decision, "reason": reason, "comments": ids}
        assert staff.post(report_edit, data).status_code == 302
    assert (
        staff.post(report_edit, {"action": "publish", "summary": "", "policy_changes": ""}).status_code == 400
    )
    response = staff.post(
        report_edit,
        {
            "action": "publish",
            "summary": "共收到 2 則有效意見。",
            "policy_changes": "設計準則加入沙坑與遮蔭。",
        },
    )
    assert response.status_code == 302
    report = client_for().get(url("consultation-report", c.slug)).content.decode()
    for word in ("採納", "部分採納", "不採納", "沙坑與遊具", "設計準則加入沙坑與遮蔭"):
        assert word in report
    pdf = client_for().get(url("consultation-report-file", c.slug, "pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(pdf.streaming_content))
    for word in ("公園遊戲場改善", "部分採納", "不採納", "第一期納入 12 處沙坑", "#1"):
        assert word in text
    odt = client_for().get(url("consultation-report-file", c.slug, "odt"))
    assert odt.status_code == 200
    content = odt_text(b"".join(odt.streaming_content))
    for word in ("公園遊戲場改善", "採納", "部分採納", "不採納", "設計準則加入沙坑與遮蔭", "#1"):
        assert word in content
    assert client_for().get(url("consultation-report-file", c.slug, "docx")).status_code == 404


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def odt_text(data: bytes) -> str:
    from odf import teletype
    from odf.opendocument import load

    doc = load(io.BytesIO(data))
    return teletype.extractText(doc.text)


def test_the_pdf_embeds_the_cjk_font(personas, frozen):
    c = _reported(personas, frozen)
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(c.report_pdf.open("rb").read()))
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Noto-Sans-CJK" in name for name in fonts)
    assert "商圈站點" in pdf_text(c.report_pdf.open("rb").read())


def _reported(personas, frozen) -> Consultation:
    c = open_consultation(personas.staff)
    comment = services.post_comment(c, actor=verified_citizen(1), body="逢甲商圈增設站點")
    frozen.move_to(NOON + datetime.timedelta(days=15), tick=False)
    services.close_due_consultations()
    c.refresh_from_db()
    services.save_response_theme(
        c,
        actor=personas.staff,
        title="商圈站點",
        decision="adopted",
        reason="列入第二期",
        comment_ids=[comment.pk],
    )
    services.save_consultation_report(c, actor=personas.staff, summary="摘要", policy_changes="新增站點")
    return services.publish_consultation_report(c, actor=personas.staff)


def test_list_filters_and_searches_chinese_words(personas):
    open_consultation(personas.staff)
    open_consultation(
        personas.officer, title="公園遊戲場改善", background="共融遊戲場", agency=personas.other_staff.agency
    )
    client = client_for()
    html = client.get(url("consultation-list"), {"q": "遊戲場"}).content.decode()
    assert "公園遊戲場改善" in html and "iBike" not in html
    html = client.get(url("consultation-list"), {"agency": "construction"}).content.decode()
    assert "iBike" in html and "公園遊戲場改善" not in html
    html = client.get(url("consultation-list"), {"status": "reported"}).content.decode()
    assert "iBike" not in html
    assert client.get(url("consultation-list"), {"status": "bogus"}).status_code == 400


def test_rdec_sees_topic_candidates_from_the_analytics(personas, monkeypatch):
    from rdec.participation import selectors

    monkeypatch.setattr(
        selectors,
        "topic_candidates",
        lambda user, today=None: {
            "rising": [{"text": "上升詞：路燈", "detail": "12 件"}],
            "hotspots": [{"text": "熱點：北屯區・路燈", "detail": "8 件"}],
            "subjects": [{"text": "本季熱門議題：路燈故障", "detail": "30 件"}],
        },
    )
    html = client_for(personas.officer).get(url("consultation-create")).content.decode()
    assert "topic-candidates" in html and "上升詞：路燈" in html
    html = (
        client_for(personas.officer)
        .get(url("consultation-create"), {"topic": "上升詞：路燈"})
        .content.decode()
    )
    assert 'value="上升詞：路燈"' in html
    assert (
        "topic-candidates" not in client_for(personas.staff).get(url("consultation-create")).content.decode()
    )


def test_topic_candidates_call_the_analytics(personas):
    """On an empty database the analytics answer with empty lists (never an error)."""
    from rdec.participation import selectors

    found = selectors.topic_candidates(personas.officer, today=DAY)
    assert set(found) == {"rising", "hotspots", "subjects"}
    assert selectors.topic_candidates(personas.citizen) == {"rising": [], "hotspots": [], "subjects": []}


def test_no_commenter_phone_or_email_on_any_page_or_the_api(personas, frozen):
    c = _reported(personas, frozen)
    open_c = open_consultation(
        personas.staff,
        title="公園遊戲場改善",
        opens_on=DAY + datetime.timedelta(days=15),
        closes_on=DAY + datetime.timedelta(days=30),
    )
    commenters = [verified_citizen(n) for n in (2, 3)]
    for n, who in enumerate(commenters):
        top = services.post_comment(open_c, actor=who, body=f"意見{n}")
        services.post_comment(open_c, actor=personas_citizen_or(who, commenters), body="回覆", parent=top)
    services.hide_comment(top, actor=personas.staff, ground=HidingGround.UNCLEAR)
    secrets = (
        [u.email for u in commenters] + [u.phone for u in commenters] + ["commenter1@example.tw", PHONES[1]]
    )
    secrets += [u.username for u in commenters]
    pages = [
        url("consultation-list"),
        url("consultation-detail", c.slug),
        url("consultation-detail", open_c.slug),
        url("consultation-moderation-log", open_c.slug),
        url("consultation-report", c.slug),
        "/api/v1/participation/consultations/",
        f"/api/v1/participation/consultations/{c.slug}/",
    ]
    for who in (None, commenters[0], personas.staff, personas.officer):
        client = client_for(who)
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, page
            body = response.content.decode()
            for secret in secrets:
                if who is commenters[0] and secret in (commenters[0].username,):
                    continue  # the header names the signed-in user to themself
                assert secret not in body, (page, secret)
    for page in (url("consultation-moderate", open_c.slug), url("consultation-report-edit", c.slug)):
        body = client_for(personas.staff).get(page).content.decode()
        for secret in secrets:
            assert secret not in body, (page, secret)
    for fmt in ("pdf", "odt"):
        data = b"".join(client_for().get(url("consultation-report-file", c.slug, fmt)).streaming_content)
        text = pdf_text(data) if fmt == "pdf" else odt_text(data)
        assert "commenter1" not in text and PHONES[1] not in text


def personas_citizen_or(who, commenters):
    return commenters[1] if who is commenters[0] else commenters[0]


def test_api_lists_public_fields_only(personas, frozen):
    c = _reported(personas, frozen)
    services.create_consultation(actor=personas.staff, **consultation_values(title="草稿不公開"))
    response = client_for().get("/api/v1/participation/consultations/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["slug"] for r in rows] == [c.slug]
    row = rows[0]
    assert set(row) == {
        "slug",
        "title",
        "status",
        "stage",
        "agency",
        "agency_name",
        "opens_on",
        "closes_on",
        "report_due",
        "questions",
        "comment_count",
        "url",
        "report",
    }
    assert row["status"] == "reported" and row["agency"] == "construction" and row["comment_count"] == 1
    assert [t["decision"] for t in row["report"]["themes"]] == ["adopted"]
    assert row["report"]["themes"][0]["comments"] == [1]
    assert row["report"]["pdf"].endswith("/report.pdf")
    detail = client_for().get(f"/api/v1/participation/consultations/{c.slug}/").json()
    assert detail["questions"] == ["您希望在哪些地點新設站點？", "現有站點有哪些需要調整？"]
    assert client_for().get("/api/v1/participation/consultations/", {"status": "draft"}).status_code == 400
    assert (
        client_for().get("/api/v1/participation/consultations/", {"status": "open"}).json()["results"] == []
    )
    draft = Consultation.objects.get(title="草稿不公開")
    assert client_for().get(f"/api/v1/participation/consultations/{draft.slug}/").status_code == 404
