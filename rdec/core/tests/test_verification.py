"""Citizen accounts: self-registration and the phone (SMS) and e-mail one-time codes that verify them."""

from __future__ import annotations

import datetime
import logging
import re

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from rdec.core import verification
from rdec.core.models import AuditEntry, OneTimeCode, Role, User
from rdec.core.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hant"}


class RecordingSms:
    """A test SMS sender (settings.RDEC_SMS_SENDER) keeping what it was asked to send."""

    sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        RecordingSms.sent.append((phone, text))


@pytest.fixture(autouse=True)
def sms(settings):
    settings.RDEC_SMS_SENDER = f"{__name__}.RecordingSms"
    RecordingSms.sent = []
    cache.clear()
    return RecordingSms.sent


def last_code(text: str) -> str:
    return re.search(r"\b(\d{6})\b", text).group(1)


def citizen(**kw) -> User:
    kw.setdefault("phone", "0912345678")
    kw.setdefault("email", "mei@example.tw")
    return UserFactory(role=Role.CITIZEN, **kw)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


# --- the mobile number ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "0912345678",
        "0912-345-678",
        "0912 345 678",
        "+886 912 345 678",
        "+886-912-345-678",
        "０９１２３４５６７８",
    ],
)
def test_it_accepts_a_taiwanese_mobile_in_its_usual_forms(raw):
    assert verification.normalize_mobile(raw) == "0912345678"


@pytest.mark.parametrize("raw", ["", "04-2228-9111", "091234567", "09123456789", "1912345678", "mobile"])
def test_it_refuses_what_is_not_a_taiwanese_mobile(raw):
    with pytest.raises(ValidationError):
        verification.normalize_mobile(raw)


@given(st.from_regex(r"09[0-9]{8}", fullmatch=True))
def test_every_09_number_of_ten_digits_is_a_mobile(number):
    assert verification.normalize_mobile(f"{number[:4]}-{number[4:7]}-{number[7:]}") == number


# --- registration --------------------------------------------------------------------------------------


def test_a_person_registers_a_citizen_account_unverified():
    user = verification.register_citizen(
        username="mei",
        password="a-long-secret-phrase",
        display_name="小草莓",
        email="mei@example.tw",
        phone="0912-345-678",
        ip_address="203.0.113.5",
    )
    assert user.role == Role.CITIZEN and user.phone == "0912345678" and user.display_name == "小草莓"
    assert user.check_password("a-long-secret-phrase")
    assert not verification.is_verified_citizen(user)
    assert AuditEntry.objects.filter(verb="account.registered").exists()


def test_registration_refuses_weak_passwords_bad_phones_and_taken_names():
    citizen(username="taken")
    with pytest.raises(ValidationError) as exc:
        verification.register_citizen(
            username="taken", password="123456789012", display_name="", email="nope", phone="04-2228-9111"
        )
    assert set(exc.value.message_dict) == {"username", "password", "display_name", "email", "phone"}


def test_registration_is_limited_per_network_address():
    for n in range(verification.REGISTRATIONS_PER_IP_HOUR):
        verification.register_citizen(
            username=f"u{n}",
            password="a-long-secret-phrase",
            display_name="x",
            email=f"u{n}@example.tw",
            phone="0912345678",
            ip_address="198.51.100.7",
        )
    with pytest.raises(verification.CodeThrottled):
        verification.register_citizen(
            username="one-more",
            password="a-long-secret-phrase",
            display_name="x",
            email="m@example.tw",
            phone="0912345678",
            ip_address="198.51.100.7",
        )


# --- the phone code ----------------------------------------------------------------------------------


def test_the_sms_code_verifies_the_phone(sms, clock):
    user = citizen()
    verification.send_phone_code(actor=user, ip_address="203.0.113.5")
    ((phone, text),) = sms
    assert phone == "0912345678"
    verification.confirm_phone_code(actor=user, code=last_code(text))
    user.refresh_from_db()
    assert user.phone_verified_at == START
    assert AuditEntry.objects.filter(verb="account.phone_verified").exists()


def test_only_a_hash_of_the_code_is_stored(sms):
    user = citizen()
    otc = verification.send_phone_code(actor=user)
    code = last_code(sms[0][1])
    otc.refresh_from_db()
    assert code not in otc.code_hash and len(otc.code_hash) == 64


def test_a_code_expires_after_ten_minutes(sms, clock):
    user = citizen()
    verification.send_phone_code(actor=user)
    clock.shift(datetime.timedelta(minutes=10, seconds=1))
    with pytest.raises(ValidationError, match="過期|expired"):
        verification.confirm_phone_code(actor=user, code=last_code(sms[0][1]))
    user.refresh_from_db()
    assert user.phone_verified_at is None


def test_a_code_is_refused_after_five_wrong_tries_even_the_right_one_then(sms):
    user = citizen()
    verification.send_phone_code(actor=user)
    right = last_code(sms[0][1])
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(verification.MAX_ATTEMPTS):
        with pytest.raises(ValidationError):
            verification.confirm_phone_code(actor=user, code=wrong)
    assert OneTimeCode.objects.get(user=user).attempts == verification.MAX_ATTEMPTS
    with pytest.raises(ValidationError):
        verification.confirm_phone_code(actor=user, code=right)
    user.refresh_from_db()
    assert user.phone_verified_at is None


def test_a_new_code_is_refused_within_sixty_seconds_then_replaces_the_old_one(sms, clock):
    user = citizen()
    verification.send_phone_code(actor=user)
    clock.shift(datetime.timedelta(seconds=30))
    with pytest.raises(verification.CodeThrottled):
        verification.send_phone_code(actor=user)
    clock.shift(datetime.timedelta(seconds=31))
    verification.send_phone_code(actor=user)
    first, second = last_code(sms[0][1]), last_code(sms[1][1])
    if first != second:
        with pytest.raises(ValidationError):
            verification.confirm_phone_code(actor=user, code=first)
    verification.confirm_phone_code(actor=user, code=second)


def test_at_most_five_codes_an_hour_per_account(sms, clock):
    user = citizen()
    for _ in range(verification.CODES_PER_HOUR):
        verification.send_phone_code(actor=user)
        clock.shift(datetime.timedelta(seconds=61))
    with pytest.raises(verification.CodeThrottled):
        verification.send_phone_code(actor=user)
    clock.shift(datetime.timedelta(hours=1))
    verification.send_phone_code(actor=user)


def test_codes_are_limited_per_network_address(sms, clock):
    for n in range(verification.SENDS_PER_IP_HOUR):
        verification.send_phone_code(actor=citizen(phone=f"09000000{n:02d}"), ip_address="192.0.2.1")
    with pytest.raises(verification.CodeThrottled):
        verification.send_phone_code(actor=citizen(phone="0911111111"), ip_address="192.0.2.1")
    verification.send_phone_code(actor=citizen(phone="0922222222"), ip_address="192.0.2.2")


def test_a_phone_verified_on_one_account_cannot_verify_another(sms):
    citizen(phone="0933333333", phone_verified_at=timezone.now())
    with pytest.raises(ValidationError, match="另一個帳號|another account"):
        verification.send_phone_code(actor=citizen(phone="0933-333-333"))


def test_a_code_sent_to_the_old_number_does_not_verify_a_new_one(sms):
    user = citizen()
    verification.send_phone_code(actor=user)
    verification.change_contact(actor=user, email=user.email, phone="0987654321")
    with pytest.raises(ValidationError):
        verification.confirm_phone_code(actor=user, code=last_code(sms[0][1]))


def test_agency_staff_do_not_verify_here(personas):
    with pytest.raises(ValidationError):
        verification.send_phone_code(actor=personas.staff)


# --- the e-mail code -----------------------------------------------------------------------------------


def test_the_email_code_verifies_the_email(clock):
    user = citizen()
    verification.send_email_code(actor=user)
    (message,) = mail.outbox
    assert message.to == ["mei@example.tw"]
    verification.confirm_email_code(actor=user, code=last_code(message.body))
    user.refresh_from_db()
    assert user.email_verified_at == START
    assert verification.is_verified_citizen(user) is False  # the phone is not verified yet


def test_both_verified_make_a_verified_citizen(sms):
    user = citizen()
    verification.send_phone_code(actor=user)
    verification.confirm_phone_code(actor=user, code=last_code(sms[0][1]))
    verification.send_email_code(actor=user)
    verification.confirm_email_code(actor=user, code=last_code(mail.outbox[0].body))
    user.refresh_from_db()
    assert verification.is_verified_citizen(user)


# --- changing clears ----------------------------------------------------------------------------------


def test_changing_the_phone_or_email_clears_its_verification_however_saved():
    now = timezone.now()
    user = citizen(phone_verified_at=now, email_verified_at=now)
    verification.change_contact(actor=user, email="mei@example.tw", phone="0912-345-678")  # the same
    user.refresh_from_db()
    assert user.phone_verified_at and user.email_verified_at
    verification.change_contact(actor=user, email="new@example.tw", phone="0912345678")
    user.refresh_from_db()
    assert user.phone_verified_at and user.email_verified_at is None
    user.phone = "0900000000"
    user.save()  # any save (the admin's too)
    user.refresh_from_db()
    assert user.phone_verified_at is None


# --- nothing in logs ----------------------------------------------------------------------------------


def test_no_code_phone_or_email_is_logged(settings, caplog):
    settings.RDEC_SMS_SENDER = "rdec.core.sms.LoggingSmsSender"
    caplog.set_level(logging.DEBUG)
    user = citizen(phone="0955123456", email="secret.person@example.tw")
    verification.send_phone_code(actor=user)
    verification.send_email_code(actor=user)
    code = last_code(mail.outbox[0].body)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "SMS to 0955-***-456" in logged
    for secret in ("0955123456", "secret.person@example.tw", code):
        assert secret not in logged
    entries = " ".join(str(e.changes) for e in AuditEntry.objects.all())
    assert "0955123456" not in entries and "secret.person" not in entries


def test_the_demo_console_sms_shows_the_code_with_the_number_masked(capsys):
    from rdec.core.sms import ConsoleSmsSender

    ConsoleSmsSender().send("0912345678", "驗證碼：123456")
    out = capsys.readouterr().out
    assert "0912-***-678" in out and "123456" in out and "0912345678" not in out


# --- pages ----------------------------------------------------------------------------------------------


def test_the_register_page_makes_an_account_and_signs_in(client):
    page = client.get(reverse("core:account-register"), **ZH)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="privacy-notice"' in body and "一三五" in body
    response = client.post(
        reverse("core:account-register") + "?next=/participation/",
        {
            "username": "newbie",
            "display_name": "路人甲",
            "email": "newbie@example.tw",
            "phone": "0912 000 111",
            "password1": "a-long-secret-phrase",
            "password2": "a-long-secret-phrase",
            "next": "/participation/",
        },
        **ZH,
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:account-verify") + "?next=%2Fparticipation%2F"
    user = User.objects.get(username="newbie")
    assert int(client.session["_auth_user_id"]) == user.pk


def test_the_register_page_answers_400_with_field_errors_in_chinese(client):
    response = client.post(
        reverse("core:account-register"),
        {
            "username": "x",
            "display_name": "x",
            "email": "x",
            "phone": "123",
            "password1": "a",
            "password2": "a",
        },
        **ZH,
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "09 開頭" in body or "09開頭" in body
    assert not User.objects.filter(username="x").exists()


def test_the_verify_page_sends_and_confirms_both_codes(client, sms):
    user = citizen()
    client.force_login(user)
    url = reverse("core:account-verify")
    assert client.get(url, **ZH).status_code == 200
    assert client.post(url, {"action": "send-phone"}, **ZH).status_code == 302
    page = client.get(url, **ZH).content.decode()
    assert "0912-***-678" in page and "0912345678" not in page
    wrong = client.post(
        url,
        {"action": "confirm-phone", "phone-code": "000000" if last_code(sms[0][1]) != "000000" else "111111"},
        **ZH,
    )
    assert wrong.status_code == 400
    assert (
        client.post(url, {"action": "confirm-phone", "phone-code": last_code(sms[0][1])}, **ZH).status_code
        == 302
    )
    client.post(url, {"action": "send-email"}, **ZH)
    client.post(url, {"action": "confirm-email", "email-code": last_code(mail.outbox[0].body)}, **ZH)
    user.refresh_from_db()
    assert verification.is_verified_citizen(user)
    assert 'data-testid="verified-complete"' in client.get(url, **ZH).content.decode()


def test_the_verify_page_answers_429_to_a_resend_too_soon(client):
    client.force_login(citizen())
    url = reverse("core:account-verify")
    client.post(url, {"action": "send-phone"})
    assert client.post(url, {"action": "send-phone"}, **ZH).status_code == 429


def test_the_contact_page_needs_the_password_and_clears_verification(client):
    now = timezone.now()
    user = citizen(phone_verified_at=now, email_verified_at=now)
    client.force_login(user)
    url = reverse("core:account-contact")
    bad = client.post(url, {"email": "mei@example.tw", "phone": "0987654321", "password": "wrong"}, **ZH)
    assert bad.status_code == 400
    ok = client.post(url, {"email": "mei@example.tw", "phone": "0987654321", "password": PASSWORD}, **ZH)
    assert ok.status_code == 302
    user.refresh_from_db()
    assert user.phone == "0987654321" and user.phone_verified_at is None and user.email_verified_at


def test_the_verify_page_needs_a_login(client):
    response = client.get(reverse("core:account-verify"))
    assert response.status_code == 302 and reverse("core:login") in response["Location"]


def test_the_demo_citizens_are_verified():
    from rdec.core.demo import ensure_demo_accounts

    ensure_demo_accounts()
    ensure_demo_accounts()  # a second run changes nothing
    for username in ("citizen", "citizen2"):
        user = User.objects.get(username=username)
        assert verification.is_verified_citizen(user), username
    assert User.objects.get(username="citizen").phone == "0912345678"
