"""提點子 services: submission, 檢核, 附議 (exact counts, one support per account, flags), closing on
the office calendar, assignment to a tracked item, meetings, 展期 and the response."""

from __future__ import annotations

import datetime
import io
import zoneinfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from rdec.core import workdays
from rdec.core.models import Role
from rdec.core.tests.factories import UserFactory, agency
from rdec.participation import selectors
from rdec.participation.models import (
    Endorsement,
    Follow,
    ModerationEntry,
    Notice,
    Proposal,
    ProposalRule,
)
from rdec.participation.services import proposals as services

pytestmark = pytest.mark.django_db

TAIPEI = zoneinfo.ZoneInfo("Asia/Taipei")
MONDAY = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=TAIPEI)  # a working day


def citizen(username: str, *, joined_days_ago: int = 30, **kw):
    now = timezone.now()
    return UserFactory(
        username=username,
        role=Role.CITIZEN,
        email=kw.pop("email", f"{username}@example.tw"),
        phone=kw.pop("phone", "0912345678"),
        phone_verified_at=now,
        email_verified_at=now,
        date_joined=now - datetime.timedelta(days=joined_days_ago),
        **kw,
    )


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(MONDAY, tick=False)
    return time_machine


@pytest.fixture
def rule(clock):
    """A dated rule version with a small threshold (the shipped 5,000 stays for earlier days)."""
    return ProposalRule.objects.create(
        effective_from=datetime.date(2026, 1, 1),
        source="test",
        check_working_days=5,
        endorse_days=30,
        threshold=3,
        response_months=2,
        burst_window_minutes=10,
        burst_same_network=2,
        new_account_minutes=30,
    )


@pytest.fixture
def people(personas, clock):
    personas.proposer = citizen("proposer", display_name="愛台中")
    personas.supporters = [citizen(f"s{i}") for i in range(5)]
    return personas


def submit(user, **kw):
    kw.setdefault("title", "增設公園遮蔭設施")
    kw.setdefault("content", "夏季公園缺乏遮蔭，建議增設遮陽棚與樹木。")
    kw.setdefault("benefits", "提升市民休憩品質。")
    return services.submit_proposal(actor=user, **kw)


def open_for_support(people, **kw):
    proposal = submit(people.proposer, **kw)
    return services.check_proposal(proposal, actor=people.officer, accept=True)


# --- submission -----------------------------------------------------------------------------------------


def test_a_verified_citizen_submits_and_gets_a_number_check_due_and_the_rules_threshold(people, rule):
    proposal = submit(people.proposer, suggested_agencies=[agency("construction")])
    second = submit(people.proposer, title="另一個點子")
    assert proposal.number == "115-0001"
    assert second.number == "115-0002"
    assert proposal.status == Proposal.Status.CHECKING
    assert proposal.check_due == workdays.add_working_days(datetime.date(2026, 3, 2), 5)
    assert proposal.check_due == datetime.date(2026, 3, 9)
    assert proposal.threshold == 3
    assert proposal.display_name == "愛台中"
    assert "遮蔭設施" in proposal.search_text and "遮陽棚" in proposal.search_text
    assert list(proposal.events.values_list("kind", flat=True)) == ["submitted"]
    assert [a.code for a in proposal.suggested_agencies.all()] == ["construction"]


def test_an_account_without_verified_phone_and_email_cannot_propose_and_is_told_to_verify(people, rule):
    with pytest.raises(PermissionDenied) as refused:
        submit(people.citizen)
    assert "驗證" in str(refused.value)
    with pytest.raises(PermissionDenied):
        submit(people.staff)
    assert not Proposal.objects.exists()


def test_missing_or_too_long_fields_are_refused_field_by_field(people, rule):
    with pytest.raises(ValidationError) as refused:
        submit(people.proposer, title="長" * 121, content=" ", benefits="")
    assert set(refused.value.message_dict) == {"title", "content", "benefits"}
    assert not Proposal.objects.exists()


def test_attachments_are_checked_by_content_and_photos_lose_their_metadata(people, rule):
    from PIL import Image

    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    Image.new("RGB", (20, 20), "red").save(buffer, "JPEG", exif=exif.tobytes())
    photo = SimpleUploadedFile("現場.jpg", buffer.getvalue(), content_type="image/jpeg")
    proposal = submit(people.proposer, attachments=[photo])
    stored = proposal.attachments.get()
    assert stored.name == "現場.jpg"
    with stored.file.open("rb") as f:
        assert b"CameraMaker" not in f.read()
    program = SimpleUploadedFile("說明.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        submit(people.proposer, attachments=[program])
    assert "attachments" in refused.value.message_dict


# --- 檢核 ----------------------------------------------------------------------------------------------


def test_accepting_opens_support_for_the_rules_calendar_days(people, rule):
    proposal = open_for_support(people)
    assert proposal.status == Proposal.Status.ENDORSING
    assert proposal.endorse_from == datetime.date(2026, 3, 2)
    assert proposal.endorse_until == datetime.date(2026, 4, 1)  # + 30 calendar days
    assert proposal.checked_by == people.officer


def test_refusing_needs_a_ground_and_a_reason_shown_to_the_proposer_and_logs_the_moderation(
    people, rule, django_capture_on_commit_callbacks
):
    proposal = submit(people.proposer)
    with pytest.raises(ValidationError) as refused:
        services.check_proposal(proposal, actor=people.officer, accept=False, ground="", reason="")
    assert set(refused.value.message_dict) == {"ground", "reason"}
    with django_capture_on_commit_callbacks(execute=True):
        services.check_proposal(
            proposal, actor=people.officer, accept=False, ground="not_city", reason="屬中央權責。"
        )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REJECTED
    assert proposal.rejection_reason == "屬中央權責。"
    entry = ModerationEntry.objects.get()
    assert (entry.target, entry.target_id, entry.ground) == ("proposal", proposal.pk, "not_city")
    notice = Notice.objects.get(proposal=proposal, recipient=people.proposer, subject__contains="115-0001")
    assert "屬中央權責。" in notice.body
    assert mail.outbox[-1].to == ["proposer@example.tw"]


def test_only_the_rdec_checks_and_only_once(people, rule):
    proposal = submit(people.proposer)
    for user in (people.citizen, people.staff, people.supervisor):
        with pytest.raises(PermissionDenied):
            services.check_proposal(proposal, actor=user, accept=True)
    services.check_proposal(proposal, actor=people.admin, accept=True)
    with pytest.raises(services.ProposalTransitionError):
        services.check_proposal(proposal, actor=people.officer, accept=True)


# --- 附議 -----------------------------------------------------------------------------------------------


def test_each_support_counts_exactly_once_and_a_second_is_refused_by_the_service(people, rule):
    proposal = open_for_support(people)
    services.endorse_proposal(proposal, actor=people.supporters[0], ip_address="198.51.100.7")
    with pytest.raises(services.AlreadyEndorsed):
        services.endorse_proposal(proposal, actor=people.supporters[0], ip_address="198.51.100.7")
    services.endorse_proposal(proposal, actor=people.supporters[1], ip_address="203.0.113.9")
    proposal.refresh_from_db()
    assert proposal.endorsement_count == 2
    assert Endorsement.objects.filter(proposal=proposal).count() == 2
    assert issubclass(services.AlreadyEndorsed, ValidationError)


def test_the_database_refuses_a_second_support_by_the_same_account(people, rule):
    proposal = open_for_support(people)
    Endorsement.objects.create(proposal=proposal, citizen=people.supporters[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        Endorsement.objects.create(proposal=proposal, citizen=people.supporters[0])


def test_the_proposer_cannot_support_their_own_proposal(people, rule):
    proposal = open_for_support(people)
    with pytest.raises(ValidationError) as refused:
        services.endorse_proposal(proposal, actor=people.proposer)
    assert "自己" in str(refused.value)
    assert not Endorsement.objects.exists()


def test_unverified_accounts_and_staff_cannot_support(people, rule):
    proposal = open_for_support(people)
    for user in (people.citizen, people.staff, people.officer):
        with pytest.raises(PermissionDenied):
            services.endorse_proposal(proposal, actor=user)
    proposal.refresh_from_db()
    assert proposal.endorsement_count == 0


def test_reaching_the_threshold_establishes_at_once_and_tells_the_supporters(
    people, rule, django_capture_on_commit_callbacks
):
    proposal = open_for_support(people)
    follower = citizen("follower")
    Follow.objects.create(user=follower, proposal=proposal)
    with django_capture_on_commit_callbacks(execute=True):
        for i, supporter in enumerate(people.supporters[:3]):
            services.endorse_proposal(proposal, actor=supporter, ip_address=f"10.{i}.0.1")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ESTABLISHED
    assert proposal.established_at == timezone.now()
    assert proposal.endorsement_count == 3
    told = set(
        Notice.objects.filter(
            proposal=proposal, subject__contains=proposal.number, body__contains="成案"
        ).values_list("recipient__username", flat=True)
    )
    assert told == {"proposer", "s0", "s1", "s2", "follower"}
    with pytest.raises(ValidationError):  # closed once established
        services.endorse_proposal(proposal, actor=people.supporters[3])
    proposal.refresh_from_db()
    assert proposal.endorsement_count == 3


def test_a_burst_from_one_network_is_flagged_counted_and_shown_as_under_review(people, rule):
    rule.threshold = 100
    rule.save()
    proposal = open_for_support(people)
    for supporter, ip in zip(
        people.supporters[:4], ["203.0.113.5", "203.0.113.77", "203.0.113.200", "203.0.113.9"], strict=True
    ):
        services.endorse_proposal(proposal, actor=supporter, ip_address=ip)
    services.endorse_proposal(proposal, actor=people.supporters[4], ip_address="198.51.100.1")
    proposal.refresh_from_db()
    assert proposal.endorsement_count == 5  # flagged supports count
    reviews = list(Endorsement.objects.order_by("pk").values_list("review", flat=True))
    assert reviews == ["", "", "pending", "pending", ""]
    assert selectors.under_review_count(proposal) == 2
    assert selectors.with_under_review(Proposal.objects.filter(pk=proposal.pk)).get().under_review_count == 2
    networks = set(Endorsement.objects.values_list("network", flat=True))
    assert len(networks) == 2 and all(len(n) == 64 for n in networks)
    assert not any("203.0.113" in n for n in networks)  # a keyed hash, never the address


def test_the_network_is_the_24_or_48_prefix_hashed_with_the_secret_key(settings):
    assert services.network_key("203.0.113.5") == services.network_key("203.0.113.250")
    assert services.network_key("203.0.113.5") != services.network_key("203.0.114.5")
    assert services.network_key("2001:db8:1:aaaa::1") == services.network_key("2001:db8:1:bbbb::2")
    assert services.network_key("2001:db8:1::1") != services.network_key("2001:db8:2::1")
    assert services.network_key("::ffff:203.0.113.5") == services.network_key("203.0.113.9")
    assert services.network_key("") == services.network_key("not an address") == ""
    before = services.network_key("203.0.113.5")
    settings.SECRET_KEY = "another-secret-key-0123456789-0123456789-0123456789"
    assert services.network_key("203.0.113.5") != before


def test_a_support_from_an_account_made_minutes_before_is_flagged(people, rule):
    proposal = open_for_support(people)
    newcomer = citizen("newcomer", joined_days_ago=0)
    endorsement = services.endorse_proposal(proposal, actor=newcomer, ip_address="192.0.2.1")
    assert endorsement.review == Endorsement.Review.PENDING
    assert "30" in endorsement.flag_reason


def test_the_rdec_keeps_or_voids_a_flagged_support_and_voiding_takes_it_off_the_count(people, rule):
    rule.threshold = 100
    rule.save()
    proposal = open_for_support(people)
    a = services.endorse_proposal(proposal, actor=citizen("new1", joined_days_ago=0))
    b = services.endorse_proposal(proposal, actor=citizen("new2", joined_days_ago=0))
    with pytest.raises(PermissionDenied):
        services.review_endorsement(a, actor=people.staff, keep=False)
    services.review_endorsement(a, actor=people.officer, keep=True)
    services.review_endorsement(b, actor=people.officer, keep=False, note="同一人多帳號")
    proposal.refresh_from_db()
    assert proposal.endorsement_count == 1
    assert selectors.under_review_count(proposal) == 0
    with pytest.raises(services.ProposalTransitionError):
        services.review_endorsement(b, actor=people.officer, keep=False)
    proposal.refresh_from_db()
    assert proposal.endorsement_count == 1  # voided once, counted down once


def test_voiding_below_the_threshold_reopens_an_established_proposal_while_its_period_lasts(people, rule):
    proposal = open_for_support(people)
    services.endorse_proposal(proposal, actor=people.supporters[0])
    services.endorse_proposal(proposal, actor=people.supporters[1])
    flagged = services.endorse_proposal(proposal, actor=citizen("new1", joined_days_ago=0))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ESTABLISHED
    services.review_endorsement(flagged, actor=people.officer, keep=False)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.endorsement_count, proposal.established_at) == ("endorsing", 2, None)


# --- closing on the office calendar ----------------------------------------------------------------------


def test_short_of_the_threshold_becomes_not_established_the_day_after_the_last_day(
    people, rule, clock, django_capture_on_commit_callbacks
):
    proposal = open_for_support(people)
    services.endorse_proposal(proposal, actor=people.supporters[0])
    last_day = proposal.endorse_until
    clock.move_to(datetime.datetime.combine(last_day, datetime.time(23, 50), TAIPEI), tick=False)
    assert services.close_due_endorsements() == {"established": 0, "not_established": 0}
    services.endorse_proposal(proposal, actor=people.supporters[1])  # the last day still counts
    clock.move_to(
        datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time(0, 5), TAIPEI)
    )
    with pytest.raises(ValidationError):
        services.endorse_proposal(proposal, actor=people.supporters[2])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.close_due_endorsements() == {"established": 0, "not_established": 1}
    assert services.close_due_endorsements() == {"established": 0, "not_established": 0}  # idempotent
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.NOT_ESTABLISHED
    assert proposal.endorsement_count == 2
    assert proposal.events.filter(kind="not_established").count() == 1
    assert Notice.objects.filter(proposal=proposal, body__contains="未成案").count() == 3


def test_closing_establishes_a_proposal_at_its_threshold_that_was_not_established_yet(people, rule):
    proposal = open_for_support(people)
    # e.g. a support kept after review: at the threshold without the at-once step
    Proposal.objects.filter(pk=proposal.pk).update(endorsement_count=3)
    result = services.close_due_endorsements(today=proposal.endorse_until + datetime.timedelta(days=1))
    proposal.refresh_from_db()
    assert result == {"established": 1, "not_established": 0}
    assert proposal.status == Proposal.Status.ESTABLISHED


# --- 成案 → tracked item → response -----------------------------------------------------------------------


def established(people):
    proposal = open_for_support(people)
    for supporter in people.supporters[:3]:
        services.endorse_proposal(proposal, actor=supporter)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ESTABLISHED
    return proposal


def test_the_whole_lifecycle_from_checking_to_the_response_with_its_tracked_item(
    people, rule, django_capture_on_commit_callbacks
):
    from rdec.tracking.models import Item, ProgressReport

    proposal = established(people)
    with pytest.raises(PermissionDenied):
        services.assign_proposal(proposal, actor=people.staff, lead_agency=agency("construction"))
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_proposal(
            proposal,
            actor=people.officer,
            lead_agency=agency("construction"),
            co_agencies=[agency("environment"), agency("construction")],
        )
    proposal.refresh_from_db()
    # established Monday 2026-03-02 + 2 months = Saturday 2026-05-02 → the next working day, Monday 05-04
    assert proposal.response_due == datetime.date(2026, 5, 4)
    item = Item.objects.get(pk=proposal.tracked_item_id)
    assert (item.source, item.owner.code, item.deadline) == (
        "proposal",
        "construction",
        proposal.response_due,
    )
    assert [a.code for a in item.co_agencies.all()] == ["environment"]
    assert [a.code for a in proposal.co_agencies.all()] == ["environment"]
    assert proposal.number in item.title and proposal.number in item.description
    assert Notice.objects.filter(proposal=proposal, recipient=people.staff).exists()  # the agency is told

    with pytest.raises(PermissionDenied):
        services.record_proposal_meeting(
            proposal, actor=people.other_staff, held_on=datetime.date(2026, 3, 2), record="x"
        )
    services.record_proposal_meeting(
        proposal, actor=people.staff, held_on=datetime.date(2026, 3, 2), record="說明規劃。", place="建設局"
    )
    with pytest.raises(ValidationError) as refused:
        services.extend_proposal_response(
            proposal, actor=people.staff, new_due=datetime.date(2026, 5, 1), reason="需跨局處協調"
        )
    assert "new_due" in refused.value.message_dict
    services.extend_proposal_response(
        proposal, actor=people.staff, new_due=datetime.date(2026, 7, 4), reason="需跨局處協調"
    )
    proposal.refresh_from_db()
    assert proposal.response_due == datetime.date(2026, 7, 6)  # Saturday → Monday
    assert proposal.events.get(kind="extended").public
    assert ProgressReport.objects.filter(item=item, text__contains="需跨局處協調").exists()

    with pytest.raises(PermissionDenied):  # the RDEC assigns; the agency answers
        services.respond_to_proposal(proposal, actor=people.officer, summary="s", points=[("p", "r")])
    with pytest.raises(ValidationError) as refused:
        services.respond_to_proposal(proposal, actor=people.staff, summary="", points=[])
    assert set(refused.value.message_dict) == {"summary", "points"}
    services.respond_to_proposal(
        proposal,
        actor=people.supervisor,
        summary="將於年度預算增設遮陽設施。",
        points=[("增設遮陽棚", "115 年下半年施作。"), ("種植樹木", "併入植樹計畫。")],
    )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.RESPONDED
    assert proposal.responded_at == timezone.now()
    assert selectors.proposal_response(proposal)["points"][1] == {
        "point": "種植樹木",
        "response": "併入植樹計畫。",
    }
    report = ProgressReport.objects.filter(item=item).latest("id")
    assert (report.percent, report.propose_release) == (100, True)
    kinds = list(proposal.events.filter(public=True).values_list("kind", flat=True))
    assert kinds == ["submitted", "opened", "established", "assigned", "meeting", "extended", "responded"]


def test_a_response_due_date_on_a_working_day_stays(people, rule, clock):
    # established Tuesday 2026-03-03 + 2 months = Sunday 05-03 → Monday 05-04;
    # established Wednesday 03-04 → Monday 05-04 (working) stays
    assert services.response_due_for(datetime.date(2026, 3, 3), 2) == datetime.date(2026, 5, 4)
    assert services.response_due_for(datetime.date(2026, 3, 4), 2) == datetime.date(2026, 5, 4)
    assert services.response_due_for(datetime.date(2026, 2, 9), 2) == datetime.date(2026, 4, 9)
    assert services.add_months(datetime.date(2026, 12, 31), 2) == datetime.date(2027, 2, 28)


def test_a_step_before_assignment_is_refused(people, rule):
    proposal = established(people)
    with pytest.raises(PermissionDenied):  # no lead agency yet: nobody's to answer
        services.respond_to_proposal(proposal, actor=people.staff, summary="s", points=[("p", "r")])
    with pytest.raises(services.ProposalTransitionError):
        services.record_proposal_meeting(
            proposal, actor=people.officer, held_on=datetime.date(2026, 3, 2), record="x"
        )


def test_notices_go_one_e_mail_per_person_and_never_to_the_log(people, rule, caplog):
    proposal = established(people)
    mail.outbox.clear()
    with caplog.at_level("DEBUG"):
        sent = services.notify_proposal(proposal, "主旨", "內容")
    assert sent == 4  # the proposer and three supporters
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["proposer@example.tw", "s0@example.tw", "s1@example.tw", "s2@example.tw"]
    )
    assert "@example.tw" not in caplog.text and "0912345678" not in caplog.text


# --- similar proposals -----------------------------------------------------------------------------------


def test_similar_earlier_proposals_are_the_public_ones_most_alike(people, rule):
    shade = open_for_support(people, title="公園增設遮蔭", content="公園夏天太熱，請增設遮陽棚。")
    open_for_support(people, title="增加公車班次", content="通勤時段公車班次不足。")
    submit(people.proposer, title="公園遮陽棚不足", content="公園需要遮陽棚")  # still being checked
    found = selectors.similar_proposals("公園遮陽棚太少，夏天很熱")
    assert [p.pk for p in found] == [shade.pk]
    assert 0 < found[0].similarity <= 1
    assert selectors.similar_proposals("") == []
