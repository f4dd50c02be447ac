"""The petition pages: citizen form, tracking, rating, inbox, case page and actions, console, knowledge base."""

from __future__ import annotations

import io
import re
import time
import uuid

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from PIL import Image

from rdec.petitions import services
from rdec.petitions.forms import make_form_timestamp
from rdec.petitions.models import Attachment, Case, Category, DutyContact, Reply
from rdec.petitions.tracking import case_from_tracking_token, rating_token, tracking_token

pytestmark = pytest.mark.django_db

NAME, PHONE, EMAIL = "王大明", "0912345678", "daming@example.tw"
INTERNAL = "內部註記：請勿對外"


@pytest.fixture(autouse=True)
def _clear_cache(settings):
    cache.clear()
    settings.MEDIA_ROOT = settings.MEDIA_ROOT  # set per test below when needed
    yield
    cache.clear()


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def file_case(actor=None, category="pothole", **kwargs):
    defaults = {
        "channel": Case.Channel.WEB,
        "category": Category.objects.get(code=category),
        "subject": "中港路坑洞",
        "description": "機車道上有一個大坑洞，很危險。",
        "address": "西屯區臺灣大道三段99號",
        "petitioner_name": NAME,
        "petitioner_phone": PHONE,
        "petitioner_email": EMAIL,
    }
    defaults.update(kwargs)
    return services.file_case(actor=actor, **defaults)


def form_data(**overrides):
    data = {
        "submission_token": uuid.uuid4().hex,
        "started": make_form_timestamp(time.time() - 30),
        "website": "",
        "category_group": "road",
        "category": "pothole",
        "subject": "文心路坑洞",
        "description": "文心路與市政路口有坑洞。",
        "address": "西屯區文心路二段1號",
        "district": "",
        "lat": "",
        "lon": "",
        "petitioner_name": NAME,
        "petitioner_phone": "0912-345-678",
        "petitioner_email": EMAIL,
    }
    data.update(overrides)
    return data


def login(client, user):
    client.force_login(user)
    return client


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # Make
    gps = {1: "N", 2: (24.0, 9.0, 41.4), 3: "E", 4: (120.0, 38.0, 48.8)}
    exif[0x8825] = gps  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    data = out.getvalue()
    with Image.open(io.BytesIO(data)) as check:
        assert check.getexif().get_ifd(0x8825), "the test image must carry GPS EXIF"
    return data


# --- 1. the citizen form --------------------------------------------------------------------------------


def test_citizen_form_renders_for_anyone(client):
    response = client.get(reverse("petitions:file"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="submission_token"' in body and 'name="website"' in body
    assert "optgroup" in body  # categories in two levels


def test_signed_in_citizen_gets_a_prefilled_form_and_a_list_of_own_cases(client, personas):
    personas.citizen.display_name, personas.citizen.email = "黃小明", "xm@example.tw"
    personas.citizen.save()
    login(client, personas.citizen)
    body = client.get(reverse("petitions:file")).content.decode()
    assert 'value="黃小明"' in body and 'value="xm@example.tw"' in body
    mine, _code = file_case(actor=personas.citizen, subject="我的案件")
    other, _code = file_case(subject="別人的案件")
    page = client.get(reverse("petitions:mine")).content.decode()
    assert mine.number in page and other.number not in page


def test_a_double_submission_creates_one_case(client):
    data = form_data()
    first = client.post(reverse("petitions:file"), data)
    second = client.post(reverse("petitions:file"), data)
    assert first.status_code == second.status_code == 302
    assert Case.objects.count() == 1
    done = client.get(reverse("petitions:file-done"))
    case = Case.objects.get()
    body = done.content.decode()
    assert case.number in body
    code = re.search(r'data-testid="tracking-code">([A-Z0-9]{8})<', body).group(1)
    assert client.post(reverse("petitions:track"), {"number": case.number, "code": code}).status_code == 200
    # the signed link on the page (its signature carries the second it was made) opens this case
    prefix = reverse("petitions:track-link", args=["TOKEN"]).split("TOKEN")[0]
    token = re.search(re.escape(prefix) + r'([^/"]+)/', body).group(1)
    assert case_from_tracking_token(token) == case


def test_a_too_fast_submission_is_refused(client):
    with translation.override("en"):  # pages follow the URL prefix: /en/ for the English message
        response = client.post(reverse("petitions:file"), form_data(started=make_form_timestamp(time.time())))
    assert response.status_code == 400
    assert Case.objects.count() == 0
    assert "too quickly" in response.content.decode()


def test_the_honeypot_and_an_old_or_forged_timestamp_are_refused(client):
    for data in (
        form_data(website="http://spam.example"),
        form_data(started=make_form_timestamp(time.time() - 3 * 3600)),
        form_data(started="forged"),
    ):
        assert client.post(reverse("petitions:file"), data).status_code == 400
    assert Case.objects.count() == 0


def test_too_many_submissions_from_one_address_are_refused(client, settings):
    settings.RDEC_PETITION_FORM_RATE_LIMIT = 2
    codes = [client.post(reverse("petitions:file"), form_data()).status_code for _i in range(3)]
    assert codes == [302, 302, 429]


def test_validation_errors_are_400_next_to_the_fields_and_keep_what_was_typed(client):
    response = client.post(
        reverse("petitions:file"), form_data(category="", subject="", petitioner_email="not-an-email")
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) >= {"category", "subject", "petitioner_email"}
    body = response.content.decode()
    assert "文心路與市政路口有坑洞。" in body and 'value="西屯區文心路二段1號"' in body
    assert Case.objects.count() == 0


def test_errors_are_in_the_language_of_the_page(client):
    zh = client.post(reverse("petitions:file"), form_data(subject="")).content.decode()
    en = client.post("/en" + reverse("petitions:file"), form_data(subject="")).content.decode()
    assert "This field is required." in en
    assert "此欄位為必填。" in zh  # the platform's wording (its catalogue overrides Django's)


def test_attachments_keep_no_exif_location(client, media):
    upload = SimpleUploadedFile("photo.jpg", jpeg_with_gps(), content_type="image/jpeg")
    pdf = SimpleUploadedFile(
        "map.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", content_type="application/pdf"
    )
    response = client.post(reverse("petitions:file"), {**form_data(), "attachments": [upload, pdf]})
    assert response.status_code == 302
    stored = {a.content_type: a for a in Attachment.objects.all()}
    assert set(stored) == {"image/jpeg", "application/pdf"}
    with Image.open(stored["image/jpeg"].file.path) as image:
        exif = image.getexif()
        assert not exif.get_ifd(0x8825)
        assert 0x010F not in exif
        assert "exif" not in image.info
    assert stored["application/pdf"].file.read().startswith(b"%PDF-1.4")


def test_an_attachment_that_is_not_an_image_or_pdf_is_refused_and_no_case_is_made(client, media):
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not really a jpeg", content_type="image/jpeg")
    response = client.post(reverse("petitions:file"), {**form_data(), "attachments": [fake]})
    assert response.status_code == 400
    assert "attachments" in response.context["form"].errors
    assert Case.objects.count() == 0


def test_more_than_five_attachments_are_refused(client, media):
    files = [SimpleUploadedFile(f"{i}.pdf", b"%PDF-1.4\n", content_type="application/pdf") for i in range(6)]
    response = client.post(reverse("petitions:file"), {**form_data(), "attachments": files})
    assert response.status_code == 400
    assert "attachments" in response.context["form"].errors


# --- 2. tracking and 3. rating ----------------------------------------------------------------------------


@pytest.fixture
def replied_case(personas):
    case, code = file_case()
    services.start_case(case, actor=personas.staff)
    reply = services.save_reply(case, actor=personas.staff, body="已派員修補完成。", internal_note=INTERNAL)
    services.approve_reply(reply, actor=personas.supervisor)
    case.refresh_from_db()
    return case, code


def test_tracking_shows_public_data_only(client, replied_case):
    case, code = replied_case
    for response in (
        client.post(reverse("petitions:track"), {"number": case.number, "code": code.lower()}),
        client.get(reverse("petitions:track-link", args=[tracking_token(case)])),
    ):
        body = response.content.decode()
        assert response.status_code == 200
        assert case.number in body and "已派員修補完成。" in body and case.agency.name in body
        for secret in (INTERNAL, NAME, PHONE, "0912-345-678", EMAIL, "臺灣大道三段99號", "王○明"):
            assert secret not in body


def test_a_wrong_code_and_an_unknown_number_get_the_same_answer(client, replied_case):
    case, _code = replied_case
    wrong = client.post(reverse("petitions:track"), {"number": case.number, "code": "WRONG123"})
    unknown = client.post(reverse("petitions:track"), {"number": "999-9999999", "code": "WRONG123"})
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()
    assert client.get(reverse("petitions:track-link", args=["forged"])).status_code == 404


def test_rating_through_the_link(client, replied_case):
    case, _code = replied_case
    url = reverse("petitions:rate", args=[rating_token(case)])
    assert client.get(url).status_code == 200
    assert client.post(url, {"score": "4", "comment": "很快"}).status_code == 200
    assert case.ratings.get().score == 4
    again = client.post(url, {"score": "5"})
    assert again.status_code == 400
    assert client.get(reverse("petitions:rate", args=["bad"])).status_code == 404


# --- 4. the inbox -----------------------------------------------------------------------------------------


def test_inbox_is_for_agencies_and_rdec(client, personas):
    assert client.get(reverse("petitions:inbox")).status_code == 302
    for user, status in (
        (personas.citizen, 403),
        (personas.agent, 403),
        (personas.staff, 200),
        (personas.officer, 200),
    ):
        assert login(client, user).get(reverse("petitions:inbox")).status_code == status


def test_inbox_masks_personal_data_for_non_handlers(client, personas):
    file_case()
    officer = login(client, personas.officer).get(reverse("petitions:inbox")).content.decode()
    assert "王○明" in officer and "0912-***-678" in officer and NAME not in officer
    handler = login(client, personas.staff).get(reverse("petitions:inbox")).content.decode()
    assert NAME in handler and PHONE in handler


def test_inbox_shows_only_own_agency_and_urgency_with_a_text_label(client, personas):
    mine, _c = file_case(subject="建設局的案件")
    other, _c = file_case(category="road-oil", subject="環保局的案件")
    body = login(client, personas.staff).get(reverse("petitions:inbox")).content.decode()
    assert mine.number in body and other.number not in body
    assert re.search(r'class="tag tag-(ok|soon|due|overdue)">[^<]+・', body)


def test_inbox_filters(client, personas):
    a, _c = file_case(subject="甲案")
    b, _c = file_case(category="light-out", subject="乙案")
    login(client, personas.staff)
    body = client.get(reverse("petitions:inbox"), {"category": "light"}).content.decode()
    assert b.number in body and a.number not in body
    body = client.get(reverse("petitions:inbox"), {"q": "甲案"}).content.decode()
    assert a.number in body and b.number not in body


def test_inbox_query_count_does_not_grow_with_the_cases(client, personas):
    login(client, personas.staff)
    file_case()
    client.get(reverse("petitions:inbox"))  # warm the per-process caches
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("petitions:inbox"))
    for _i in range(6):
        file_case()
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("petitions:inbox"))
    assert len(many) == len(few)


def test_inbox_query_count_is_fixed(client, personas, django_assert_num_queries):
    login(client, personas.supervisor)
    for _i in range(3):
        file_case()
    client.get(reverse("petitions:inbox"))
    # session, user, the filter choices (categories, districts), agency tree, co-agency cases, count,
    # the page of cases, the user's agency (header), the handlers for bulk assignment (the deadline
    # rules are read once per process)
    with django_assert_num_queries(10):
        client.get(reverse("petitions:inbox"))


def test_bulk_assignment_by_the_supervisor(client, personas):
    cases = [file_case()[0] for _i in range(3)]
    login(client, personas.supervisor)
    response = client.post(
        reverse("petitions:inbox-assign"), {"cases": [c.pk for c in cases[:2]], "handler": personas.staff.pk}
    )
    assert response.status_code == 302
    assert [Case.objects.get(pk=c.pk).handler_id for c in cases] == [personas.staff.pk] * 2 + [None]


def test_bulk_assignment_is_refused_to_staff(client, personas):
    case, _c = file_case()
    login(client, personas.staff)
    response = client.post(
        reverse("petitions:inbox-assign"), {"cases": [case.pk], "handler": personas.staff.pk}
    )
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).handler_id is None


# --- 5. the case page and its actions ----------------------------------------------------------------------


def test_case_page_for_whom_it_should(client, personas):
    case, _c = file_case(actor=personas.citizen)
    url = reverse("petitions:case", args=[case.number])
    assert client.get(url).status_code == 302
    assert login(client, personas.staff).get(url).status_code == 200
    assert login(client, personas.officer).get(url).status_code == 200
    assert login(client, personas.other_staff).get(url).status_code == 404
    citizen = login(client, personas.citizen).get(url)
    assert citizen.status_code == 200
    assert 'data-testid="public-case"' in citizen.content.decode()


def test_case_page_shows_personal_data_and_internal_notes_to_handlers_only(client, personas):
    case, _c = file_case()
    services.save_reply(case, actor=personas.staff, body="回覆草稿", internal_note=INTERNAL)
    url = reverse("petitions:case", args=[case.number])
    handler = login(client, personas.staff).get(url).content.decode()
    assert NAME in handler and INTERNAL in handler
    officer = login(client, personas.officer).get(url).content.decode()
    assert NAME not in officer and "王○明" in officer and INTERNAL not in officer


def test_an_action_not_allowed_is_403_and_a_refused_transition_is_400(client, personas):
    case, _c = file_case()
    login(client, personas.staff)
    assert client.post(reverse("petitions:case-close", args=[case.number])).status_code == 403
    login(client, personas.supervisor)
    response = client.post(reverse("petitions:case-close", args=[case.number]))
    assert response.status_code == 400
    assert "無法執行此步驟" in response.content.decode()


def test_a_bad_action_form_is_400_with_field_errors(client, personas):
    case, _c = file_case()
    login(client, personas.staff)
    response = client.post(
        reverse("petitions:case-transfer", args=[case.number]), {"agency": "", "reason": ""}
    )
    assert response.status_code == 400
    assert set(response.context["forms"]["transfer"].errors) == {"agency", "reason"}


def test_other_agency_staff_cannot_act_on_a_case(client, personas):
    case, _c = file_case()
    login(client, personas.other_staff)
    assert client.post(reverse("petitions:case-start", args=[case.number])).status_code == 404


def test_transfer_merge_extension_and_withdraw_through_the_pages(client, personas):
    case, _c = file_case()
    dup, _c = file_case()
    login(client, personas.staff)
    r = client.post(
        reverse("petitions:case-extension", args=[case.number]), {"working_days": "3", "reason": "需會勘"}
    )
    assert r.status_code == 302
    login(client, personas.supervisor)
    ext = case.extensions.get()
    r = client.post(
        reverse("petitions:case-extension-decide", args=[case.number, ext.pk]), {"decision": "approve"}
    )
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.is_extended
    r = client.post(reverse("petitions:case-merge", args=[dup.number]), {"into": case.number})
    assert r.status_code == 302
    assert Case.objects.get(pk=dup.pk).status == Case.Status.MERGED
    from rdec.core.models import Agency

    env = Agency.objects.get(code="environment")
    r = client.post(
        reverse("petitions:case-transfer", args=[case.number]), {"agency": env.pk, "reason": "屬環保局"}
    )
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.agency == env
    assert login(client, personas.staff).get(reverse("petitions:case", args=[case.number])).status_code == 404
    page = (
        login(client, personas.other_staff)
        .get(reverse("petitions:case", args=[case.number]))
        .content.decode()
    )
    assert "建設局" in page  # tenure history keeps the earlier holder
    r = client.post(reverse("petitions:case-withdraw", args=[case.number]), {"reason": "陳情人撤回"})
    assert r.status_code == 302
    assert Case.objects.get(pk=case.pk).status == Case.Status.WITHDRAWN


def test_the_full_agency_path_through_the_pages(client, personas):
    case, _c = file_case()
    case_url = reverse("petitions:case", args=[case.number])
    login(client, personas.staff)
    assert client.post(reverse("petitions:case-start", args=[case.number])).status_code == 302
    r = client.post(
        reverse("petitions:case-reply", args=[case.number]),
        {"body": "已修補。", "internal_note": INTERNAL, "submit": "submit"},
    )
    assert r.status_code == 302
    login(client, personas.supervisor)
    reply = case.replies.get()
    page = client.get(case_url).content.decode()
    assert reverse("petitions:case-reply-decide", args=[case.number, reply.pk]) in page
    r = client.post(
        reverse("petitions:case-reply-decide", args=[case.number, reply.pk]), {"decision": "approve"}
    )
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.REPLIED

    client.logout()
    r = client.post(reverse("petitions:rate", args=[rating_token(case)]), {"score": "1", "comment": "沒修好"})
    assert r.status_code == 200

    login(client, personas.supervisor)
    assert "reopen-form" in client.get(case_url).content.decode()
    r = client.post(reverse("petitions:case-reopen", args=[case.number]), {"reason": "市民不滿意"})
    assert r.status_code == 302
    login(client, personas.staff)
    r = client.post(
        reverse("petitions:case-reply", args=[case.number]), {"body": "已重新修補。", "submit": "submit"}
    )
    assert r.status_code == 302
    login(client, personas.supervisor)
    second = case.replies.get(status=Reply.Status.SUBMITTED)
    client.post(
        reverse("petitions:case-reply-decide", args=[case.number, second.pk]), {"decision": "approve"}
    )
    r = client.post(reverse("petitions:case-close", args=[case.number]), {"note": "完成"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    verbs = list(case.events.values_list("verb", flat=True))
    for verb in ("started", "reply_submitted", "replied", "rated", "reopened", "closed"):
        assert verb in verbs


# --- 6. the 1999 console ----------------------------------------------------------------------------------


def test_console_is_for_agents_and_rdec(client, personas):
    for user, status in (
        (personas.agent, 200),
        (personas.officer, 200),
        (personas.staff, 403),
        (personas.citizen, 403),
    ):
        assert login(client, user).get(reverse("petitions:console")).status_code == status
    body = login(client, personas.agent).get(reverse("petitions:console")).content.decode()
    assert re.search(r'name="petitioner_phone"[^>]*autofocus', body) or re.search(
        r"autofocus[^>]*name=\"petitioner_phone\"", body
    )


def test_console_files_an_urgent_case_and_shows_the_duty_contact(client, personas):
    from rdec.core.models import Agency

    DutyContact.objects.create(
        agency=Agency.objects.get(code="construction"), name="值班工程司", phone="04-22289111"
    )
    login(client, personas.agent)
    data = {
        "submission_token": uuid.uuid4().hex,
        "petitioner_phone": "0922-333-444",
        "petitioner_name": "林先生",
        "category": "tree-fallen",
        "subject": "路樹倒塌",
        "description": "路樹倒塌擋住車道",
        "address": "北屯區崇德路",
        "channel": "phone",
    }
    assert client.post(reverse("petitions:console"), data).status_code == 302
    assert client.post(reverse("petitions:console"), data).status_code == 302
    case = Case.objects.get()
    assert case.channel == "phone" and case.urgent
    body = client.get(reverse("petitions:console")).content.decode()
    assert case.number in body and "值班工程司" in body and "04-22289111" in body
    caller = client.post(
        reverse("petitions:console-caller"), {"petitioner_phone": "0922333444"}
    ).content.decode()
    assert case.number in caller


def test_the_console_sends_the_callers_phone_and_words_in_a_body_never_a_url(client, personas):
    """Access logs keep URLs: the caller lookup and the route hints are POSTs (issue 13, item 7)."""
    client.force_login(personas.agent)
    console = client.get(reverse("petitions:console")).content.decode()
    assert f'hx-post="{reverse("petitions:console-caller")}"' in console
    assert "hx-get" not in console.split('id="console-form"')[1].split("</form>")[0]
    assert (
        client.get(reverse("petitions:console-caller"), {"petitioner_phone": "0922333444"}).status_code == 405
    )


def test_console_knowledge_base_search(client, personas):
    services.create_article(
        actor=personas.staff,
        question="路燈不亮怎麼報修？",
        answer="請提供路燈編號。",
        agency=personas.staff.agency,
    )
    login(client, personas.agent)
    body = client.get(reverse("petitions:console-kb"), {"q": "路燈"}, HTTP_HX_REQUEST="true").content.decode()
    assert "路燈不亮怎麼報修？" in body
    assert "<html" not in body


# --- 7. the knowledge base and duty contacts ----------------------------------------------------------------


def test_knowledge_base_create_edit_review(client, personas):
    login(client, personas.staff)
    assert client.get(reverse("petitions:kb")).status_code == 200
    r = client.post(
        reverse("petitions:kb-create"),
        {
            "question": "坑洞多久修？",
            "answer": "三個工作天內。",
            "agency": personas.staff.agency_id,
            "tags": "坑洞",
        },
    )
    assert r.status_code == 302
    article = personas.staff.agency.articles.get()
    r = client.post(
        reverse("petitions:kb-edit", args=[article.pk]), {"question": "坑洞多久修？", "answer": "三天。"}
    )
    assert r.status_code == 302
    assert client.post(reverse("petitions:kb-review", args=[article.pk])).status_code == 302
    page = client.get(reverse("petitions:kb-article", args=[article.pk])).content.decode()
    assert "三天。" in page and "三個工作天內。" in page  # the earlier version is kept
    assert client.post(reverse("petitions:kb-create"), {"question": "", "answer": ""}).status_code == 400
    login(client, personas.other_staff)
    assert client.get(reverse("petitions:kb-edit", args=[article.pk])).status_code == 403
    assert login(client, personas.citizen).get(reverse("petitions:kb")).status_code == 403


def test_duty_contacts_for_staff_and_agents(client, personas):
    from rdec.core.models import Agency

    DutyContact.objects.create(
        agency=Agency.objects.get(code="construction"), name="值班人員", phone="04-1234"
    )
    assert "值班人員" in login(client, personas.agent).get(reverse("petitions:contacts")).content.decode()
    assert login(client, personas.staff).get(reverse("petitions:contacts")).status_code == 200
    assert login(client, personas.citizen).get(reverse("petitions:contacts")).status_code == 403


# --- duty contacts maintained by each agency ---------------------------------------------------------


def test_an_agency_keeps_its_own_duty_contacts(client, personas):
    from rdec.core.models import Agency
    from rdec.petitions.models import DutyContact

    construction = Agency.objects.get(code="construction")
    login(client, personas.supervisor)
    response = client.post(
        reverse("petitions:contact-create"),
        {
            "agency": construction.pk,
            "name": "值班 林技士",
            "phone": "04-22289111",
            "hours": "24小時",
            "primary": "on",
            "active": "on",
        },
    )
    assert response.status_code == 302
    contact = DutyContact.objects.get(name="值班 林技士")
    assert contact.agency == construction
    # another agency's staff can neither choose 建設局 nor edit its contact
    login(client, personas.other_staff)
    assert client.get(reverse("petitions:contact-edit", args=[contact.pk])).status_code == 403
    bad = client.post(
        reverse("petitions:contact-create"), {"agency": construction.pk, "name": "x", "phone": "1"}
    )
    assert bad.status_code == 400
    # a citizen may not manage contacts at all
    login(client, personas.citizen)
    assert client.get(reverse("petitions:contact-create")).status_code == 403


def test_a_duty_contact_needs_a_callable_phone(client, personas):
    login(client, personas.staff)
    from rdec.core.models import Agency

    response = client.post(
        reverse("petitions:contact-create"),
        {"agency": Agency.objects.get(code="construction").pk, "name": "值班", "phone": "12"},
    )
    assert response.status_code == 400
    assert "phone" in response.context["form"].errors


def test_rdec_puts_a_case_under_control_from_its_page_with_the_form_prefilled(client, personas):
    case, _code = file_case()
    login(client, personas.officer)
    page = client.get(reverse("petitions:case", args=[case.number])).content.decode()
    link = re.search(r'href="([^"]+)" data-testid="track-as-item"', page).group(1).replace("&amp;", "&")
    form = client.get(link).content.decode()
    assert f'value="{case.number}"' in form and f'value="{case.subject}"' in form
    assert re.search(r'<option value="petition" selected>', form)


def test_a_call_agent_sees_the_case_but_no_control_link(client, personas):
    case, _code = file_case()
    login(client, personas.agent)  # 1999 agents cannot put items under control
    page = client.get(reverse("petitions:case", args=[case.number]))
    assert page.status_code == 200 and b"track-as-item" not in page.content
