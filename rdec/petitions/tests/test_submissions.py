"""Queued intake (POST /api/v1/submissions/): checked and stored at once, filed as a case by the
background job — the same case, history, audit and deadlines as POST /cases/ makes."""

from __future__ import annotations

import datetime
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from rdec.core import context, workdays
from rdec.core.models import AuditEntry
from rdec.core.services import create_api_key
from rdec.petitions import services, submissions, tracking
from rdec.petitions.models import Case, Category, Submission
from rdec.petitions.tests.test_api import NEW, PHONE

pytestmark = pytest.mark.django_db
URL = "/api/v1/submissions/"


@pytest.fixture
def partner():
    _key, raw = create_api_key(name="partner", agency=None, actor=None)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    return api


def test_a_submission_is_accepted_then_filed_as_a_case_by_the_job(
    partner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = partner.post(URL, NEW, format="json")
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "pending" and body["case"] is None and len(body["tracking_code"]) == 8
    # in-process (no broker) the job ran at commit: the case exists, routed and due on the calendar
    status = partner.get(f"{URL}{body['token']}/").json()
    assert status["status"] == "filed"
    case = Case.objects.get(number=status["case"])
    assert case.agency.code == "construction" and case.district.code == "66000060"
    assert case.channel == "open311" and case.petitioner_phone == PHONE
    received = timezone.localdate(Submission.objects.get().received_at)
    assert case.due_date == workdays.add_working_days(received, 3)
    assert [e.verb for e in case.events.order_by("id")] == ["received", "assigned"]
    assert set(AuditEntry.objects.filter(target_id=str(case.pk)).values_list("verb", flat=True)) >= {
        "",
        "petition.received",
        "petition.assigned",
    }
    # the code given at submission opens the public tracking page of the case
    assert tracking.hash_code(case.number, body["tracking_code"]) == case.tracking_code_hash
    # the petitioner's data now lives in the case only
    stored = Submission.objects.get()
    assert stored.payload == {} and stored.tracking_code == ""


def test_a_burst_is_filed_in_batches_with_distinct_numbers(partner, personas):
    for i in range(7):
        assert partner.post(URL, {**NEW, "subject": f"坑洞 {i}"}, format="json").status_code == 202
    assert Case.objects.count() == 0  # nothing filed until the job runs (callbacks not run here)
    assert services.file_submissions(actor=None, batch=3) == 7
    numbers = list(Case.objects.values_list("number", flat=True))
    assert len(set(numbers)) == 7
    assert not Submission.objects.filter(status="pending").exists()
    assert services.file_submissions(actor=personas.officer) == 0


def test_a_retry_with_the_same_idempotency_key_returns_the_first_submission(partner):
    first = partner.post(URL, NEW, format="json", headers={"Idempotency-Key": "batch-1"})
    again = partner.post(URL, NEW, format="json", headers={"Idempotency-Key": "batch-1"})
    assert (first.status_code, again.status_code) == (202, 200)
    assert first.json()["token"] == again.json()["token"] and again.json()["tracking_code"] is None
    assert Submission.objects.count() == 1


@pytest.mark.parametrize("change", [{"category": "road"}, {"subject": ""}, {"lat": 200}, {"district": "1"}])
def test_bad_input_is_refused_at_once_and_nothing_is_queued(partner, change):
    response = partner.post(URL, {**NEW, **change}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(change)
    assert not Submission.objects.exists()


def test_a_submission_whose_category_was_withdrawn_meanwhile_fails_with_the_reason(partner):
    token = partner.post(URL, NEW, format="json").json()["token"]
    Category.objects.filter(code="pothole").update(active=False)
    assert services.file_submissions(actor=None) == 0
    body = partner.get(f"{URL}{token}/").json()
    assert body["status"] == "failed" and "category" in body["errors"] and body["case"] is None
    assert Submission.objects.get().payload == {}


def test_only_the_submitter_and_rdec_see_a_submission(partner, personas):
    token = partner.post(URL, NEW, format="json").json()["token"]
    other = APIClient()
    other.force_authenticate(personas.staff)
    assert other.get(f"{URL}{token}/").status_code == 404
    other.force_authenticate(personas.officer)
    assert other.get(f"{URL}{token}/").status_code == 200
    assert APIClient().post(URL, NEW, format="json").status_code == 401


def test_only_the_background_job_or_rdec_runs_the_filing(personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.file_submissions(actor=personas.staff)


def test_a_case_filed_from_the_queue_keeps_the_submission_time_for_its_deadline(partner):
    token = partner.post(URL, NEW, format="json").json()["token"]
    friday = datetime.datetime(2026, 11, 27, 16, 0, tzinfo=ZoneInfo("Asia/Taipei"))
    Submission.objects.filter(token=token).update(received_at=friday)
    services.file_submissions(actor=None)
    case = Case.objects.get()
    assert case.received_at == friday
    assert case.due_date == workdays.add_working_days(friday.date(), 3)


def test_the_direct_answer_to_a_system_matches_the_ordinary_one(partner, personas):
    """A valid submission with an API key is answered by the intake's middleware, before the rest
    of the request cycle; the answer is the one a signed-in caller gets through the ordinary way,
    field for field and header for header."""
    direct = partner.post(URL, NEW, format="json")
    signed_in = APIClient()
    signed_in.force_authenticate(personas.agent)
    ordinary = signed_in.post(URL, NEW, format="json")
    assert direct.status_code == ordinary.status_code == 202
    assert dict(direct.headers) == dict(ordinary.headers)
    assert direct["Content-Type"] == "application/json" and direct["X-Frame-Options"] == "DENY"
    assert direct["Content-Length"] == str(len(direct.content))
    a, b = direct.json(), ordinary.json()
    assert (
        set(a) == set(b) == {"token", "status", "case", "received_at", "filed_at", "errors", "tracking_code"}
    )
    assert a["received_at"].endswith("+08:00") and b["received_at"].endswith("+08:00")
    assert {k: a[k] for k in ("status", "case", "filed_at", "errors")} == {
        k: b[k] for k in ("status", "case", "filed_at", "errors")
    }
    stored = Submission.objects.get(token=a["token"])
    assert stored.payload["channel"] == "open311" and stored.actor.role == "system"
    assert stored.ip_address == "127.0.0.1"
    assert context.current().user is None  # the caller is not left behind for the next request


def test_the_intake_middleware_leaves_the_host_check_and_https_to_django(partner, settings):
    settings.ALLOWED_HOSTS = ["rdec.taichung.gov.tw"]
    partner.raise_request_exception = False  # Django answers a host not allowed with 400
    assert partner.post(URL, NEW, format="json").status_code == 400  # this host is not allowed
    assert partner.post(URL, NEW, format="json", HTTP_HOST="rdec.taichung.gov.tw").status_code == 202
    settings.SECURE_SSL_REDIRECT = True
    behind_https = APIClient()  # a new client: SecurityMiddleware reads its settings when made
    behind_https.credentials(**partner._credentials)
    response = behind_https.post(URL, NEW, format="json", HTTP_HOST="rdec.taichung.gov.tw")
    assert response.status_code == 301 and response["Location"].startswith("https://")
    assert Submission.objects.count() == 1


def test_a_submission_with_a_query_string_takes_the_ordinary_way(partner):
    response = partner.post(f"{URL}?format=json", NEW, format="json")
    assert response.status_code == 202 and response["Allow"] == "POST, OPTIONS"
    assert Submission.objects.count() == 1


def test_a_submission_naming_its_district_is_accepted_and_filed_there(
    partner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = partner.post(URL, {**NEW, "lat": None, "lon": None, "district": "66000060"}, format="json")
    assert response.status_code == 202
    status = partner.get(f"{URL}{response.json()['token']}/").json()
    assert Case.objects.get(number=status["case"]).district.code == "66000060"


@pytest.mark.parametrize(
    "body", ['{"category": "pothole"', "[1, 2]", '"text"'], ids=["broken JSON", "a list", "a string"]
)
def test_a_body_that_is_not_a_json_object_gets_the_ordinary_error(partner, body):
    response = partner.post(URL, body, content_type="application/json")
    assert response.status_code == 400 and response.json()
    assert not Submission.objects.exists()


def test_a_revoked_key_cannot_submit_even_right_after_a_submission(partner):
    assert partner.post(URL, NEW, format="json").status_code == 202
    from rdec.core.models import APIKey
    from rdec.core.services import revoke_api_key

    revoke_api_key(prefix=APIKey.objects.get(name="partner").prefix, actor=None)
    assert partner.post(URL, NEW, format="json").status_code == 401
    assert Submission.objects.count() == 1


def _pending_submission(i: int, key: str | None = None) -> Submission:
    return Submission(
        token=f"token-{i}",
        idempotency_key=key,
        payload={"subject": f"坑洞 {i}"},
        tracking_code="ABCDEFGH",
        received_at=timezone.now(),
    )


def test_a_batch_of_submissions_is_one_insert_safe_to_repeat():
    """The group commit tries a batch once more on a new connection when the first try may or may
    not have been committed: the second try finds the rows it already stored by their tokens."""
    batch = [_pending_submission(i) for i in range(3)] + [_pending_submission(3, key="api:1:k")]
    assert submissions.insert(batch) == [True, True, True, True]
    ids = [s.pk for s in batch]
    again = [_pending_submission(i) for i in range(3)] + [_pending_submission(3, key="api:1:k")]
    assert submissions.insert(again) == [True, True, True, True]
    assert [s.pk for s in again] == ids and Submission.objects.count() == 4
    # a different submission with a key another one holds is not stored
    other = _pending_submission(9, key="api:1:k")
    assert submissions.insert([other]) == [False] and other.pk is None


def test_tracking_codes_use_the_whole_alphabet_evenly():
    """Each letter of a code comes from five random bits: the alphabet must have 32 letters."""
    assert len(tracking.CODE_ALPHABET) == 32 == len(set(tracking.CODE_ALPHABET))
    codes = [services._new_tracking_code() for _ in range(2000)]
    assert all(len(c) == 8 and set(c) <= set(tracking.CODE_ALPHABET) for c in codes)
    counts = Counter("".join(codes))
    assert set(counts) == set(tracking.CODE_ALPHABET)
    assert max(counts.values()) < 2 * min(counts.values())  # 500 expected each; far from skewed


def test_the_direct_answer_is_byte_for_byte_the_serializers(partner):
    from rest_framework.renderers import JSONRenderer

    from rdec.petitions.api import intake
    from rdec.petitions.api.serializers import SubmissionCreatedSerializer

    token = partner.post(URL, NEW, format="json").json()["token"]
    submission = Submission.objects.get(token=token)
    submission.tracking_code = "ABCDEFGH"
    for zone in ("Asia/Taipei", "UTC"):
        with timezone.override(zone):
            expected = JSONRenderer().render(SubmissionCreatedSerializer(submission).data)
            assert intake.created_body(submission) == expected


TEXTS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "  ", " 坑洞 ", "a\x00b", "\ud800", "路燈\n", "x" * 201, "ok@example.com", "no@"]),
)
VALUES = st.one_of(
    TEXTS,
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.integers(), max_size=2),
)
FIELDS = [
    "category",
    "subject",
    "description",
    "channel",
    "address",
    "lat",
    "lon",
    "district",
    "petitioner_name",
    "petitioner_phone",
    "petitioner_email",
    "confidential",
    "unknown",
]


@st.composite
def bodies(draw):
    body = dict(NEW)  # mostly valid, so that many examples are accepted
    for name in draw(st.lists(st.sampled_from(FIELDS), max_size=4, unique=True)):
        if draw(st.booleans()):
            body.pop(name, None)
        else:
            body[name] = draw(
                st.one_of(
                    VALUES,
                    st.sampled_from(["pothole", "light-out", "open311", "phone", 24.1, 120.6, True, False]),
                )
            )
    return body


@given(bodies())
@settings(max_examples=400, deadline=None)
def test_the_direct_checks_accept_only_what_the_serializer_accepts_with_the_same_data(body):
    """The direct answer's checks (api/intake.case_input) never let through what
    CaseCreateSerializer refuses, and keep exactly what it keeps; anything they do not accept
    goes the ordinary way, where the serializer answers."""
    from rdec.petitions.api import intake
    from rdec.petitions.api.serializers import CaseCreateSerializer

    fast = intake.case_input(body)
    serializer = CaseCreateSerializer(data=body)
    if fast is not None:
        assert serializer.is_valid(), serializer.errors
        assert fast == dict(serializer.validated_data)


def test_the_direct_checks_accept_the_usual_submissions():
    from rdec.petitions.api import intake

    assert intake.case_input(NEW) is not None
    kept = intake.case_input({**NEW, "subject": "  坑洞  ", "petitioner_email": "a@example.com"})
    assert kept["subject"] == "坑洞" and kept["petitioner_email"] == "a@example.com"
    assert intake.case_input({**NEW, "lat": None, "lon": None})["lat"] is None


def test_filing_calls_its_pause_after_each_batch(partner):
    for i in range(5):
        partner.post(URL, {**NEW, "subject": f"坑洞 {i}"}, format="json")
    pauses = []
    assert services.file_submissions(actor=None, batch=2, pause=pauses.append) == 5
    assert len(pauses) == 3 and all(p >= 0 for p in pauses)


class FakeClock:
    def __init__(self):
        self.now, self.slept = 100.0, []

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


@pytest.mark.parametrize(
    ("arrivals_per_second", "rate", "duty", "pause"),
    [
        (600, 100, 25, 0.6),  # a burst: a 0.2 s batch is followed by 0.6 s of rest (25 % duty)
        (600, 100, 10, 1.8),
        (50, 100, 25, None),  # the 1999 centre's pace: no rest
        (600, 0, 25, None),  # pacing turned off
        (100_000, 100, 1, 5.0),  # never more than five seconds at a time
    ],
)
def test_the_filing_rests_while_submissions_arrive_in_a_burst(
    monkeypatch, settings, arrivals_per_second, rate, duty, pause
):
    from rdec.petitions.tasks import FilingPace

    settings.RDEC_FILING_YIELD_RATE, settings.RDEC_FILING_YIELD_DUTY_PERCENT = rate, duty
    clock, latest = FakeClock(), [1000]
    monkeypatch.setattr(FilingPace, "latest_id", staticmethod(lambda: latest[0]))
    pace = FilingPace()
    pace.clock, pace.sleep, pace.last_at = (lambda: clock.now), clock.sleep, clock.now
    clock.now += 0.2  # a batch took 0.2 s, while submissions kept arriving
    latest[0] += int(arrivals_per_second * 0.2)
    pace(0.2)
    assert clock.slept == ([] if pause is None else [pytest.approx(pause)])
