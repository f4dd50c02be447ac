"""Conversations (Pol.is method) with the database: `rdec import_polis`, the services (vote,
statements, moderation, recomputation), the groups API's exact shape, the page, and no personal data."""

from __future__ import annotations

import csv
import gzip
import json
import shutil
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from rdec.core.models import Role
from rdec.core.tests.factories import UserFactory
from rdec.participation import polis, selectors, services
from rdec.participation.models import Conversation, ModerationEntry, Participant, Statement, Vote

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data" / "polis-vtaiwan"


def citizen(n=0, **extra):
    values = {
        "username": f"voter{n}",
        "role": Role.CITIZEN,
        "display_name": f"投票市民{n}",
        "email": f"voter{n}@example.tw",
        "phone": f"09{n:08d}",
        "phone_verified_at": timezone.now(),
        "email_verified_at": timezone.now(),
    }
    values.update(extra)
    return UserFactory(**values)


def officer():
    from rdec.core.models import Agency

    return UserFactory(role=Role.RDEC_OFFICER, agency=Agency.objects.get(code="rdec"))


def write_export(folder: Path, comments: list[list], votes: list[list]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "comments.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "timestamp",
                "datetime",
                "comment-id",
                "author-id",
                "agrees",
                "disagrees",
                "moderated",
                "comment-body",
            ]
        )
        w.writerows(comments)
    with (folder / "votes.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["timestamp", "datetime", "comment-id", "voter-id", "vote"])
        w.writerows(votes)
    return folder


def small_export(folder: Path) -> Path:
    votes, _truth = polis.planted(60, 10, groups=2, seed=1, density=0.9)
    comments = [[1000 + c, "", c, 0, 0, 0, 1, f"意見 {c}"] for c in range(10)]
    comments.append([1010, "", 10, 0, 0, 0, -1, "被隱藏的意見"])
    rows = [[2000 + i, "", s, p[1:], v] for i, (p, s, v) in enumerate(votes)]
    rows.append([1, "", 10, "0", 1])  # a vote on the hidden comment
    rows.append([1, "", 0, "0", -1])  # an earlier vote of voter 0 on comment 0, replaced later
    return write_export(folder, comments, rows)


# --- import ----------------------------------------------------------------------------------------


def test_import_keeps_ids_and_leaves_out_moderated_comments(tmp_path):
    call_command("import_polis", str(small_export(tmp_path / "x")), "--slug", "small", "--title", "小測試")
    c = Conversation.objects.get(slug="small")
    assert c.title == "小測試" and not c.open and c.imported_from
    assert sorted(c.statements.values_list("external_id", flat=True)) == list(range(10))
    assert not c.statements.filter(external_id=10).exists()
    assert set(c.participants.values_list("external_id", flat=True)) == {str(i) for i in range(60)}
    assert not Vote.objects.filter(statement__conversation=c, statement__external_id=10).exists()
    assert c.result["groups"] and c.computed_at is not None


def test_import_the_latest_vote_wins(tmp_path):
    folder = write_export(
        tmp_path / "v",
        [[1, "", 0, 7, 0, 0, 1, "甲"]],
        [[20, "", 0, "7", -1], [10, "", 0, "7", 1]],  # the file's order is not the time order
    )
    call_command("import_polis", str(folder), "--slug", "latest")
    assert Vote.objects.get(statement__conversation__slug="latest").value == -1


def test_import_again_replaces_and_gives_the_same_conversation(tmp_path):
    folder = small_export(tmp_path / "x")
    call_command("import_polis", str(folder), "--slug", "again")
    first = Conversation.objects.get(slug="again")
    groups = selectors.conversation_groups(first)
    call_command("import_polis", str(folder), "--slug", "again")
    again = Conversation.objects.get(slug="again")
    assert again.pk == first.pk
    assert Vote.objects.filter(statement__conversation=again).count() == sum(
        1 for _ in Vote.objects.filter(statement__conversation=again)
    )
    assert again.participants.count() == 60 and again.statements.count() == 10
    assert selectors.conversation_groups(again) == groups


def test_import_refuses_a_platform_conversation_slug(tmp_path):
    Conversation.objects.create(slug="ours", title="平臺上的討論")
    with pytest.raises(CommandError):
        call_command("import_polis", str(small_export(tmp_path / "x")), "--slug", "ours")
    assert not Conversation.objects.get(slug="ours").statements.exists()


def test_import_errors_name_the_line_and_nothing_is_written(tmp_path, capsys):
    folder = write_export(
        tmp_path / "bad",
        [[1, "", 0, 1, 0, 0, 1, "好"], [1, "", "x", 1, 0, 0, 1, "壞"], [1, "", 2, 1, 0, 0, 5, "壞"]],
        [[1, "", 0, "a", 1], [1, "", 0, "b", 2], [1, "", 9, "c", 1]],
    )
    with pytest.raises(CommandError):
        call_command("import_polis", str(folder), "--slug", "bad")
    err = capsys.readouterr().err
    assert "comments.csv" in err and "3" in err and "4" in err  # lines 3 and 4 of comments.csv
    lines = [line for line in err.splitlines() if line.startswith("votes.csv")]
    assert any(" 3" in line for line in lines) and any(" 4" in line for line in lines)
    assert not Conversation.objects.filter(slug="bad").exists()


def test_import_missing_files_and_columns(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    with pytest.raises(CommandError):
        call_command("import_polis", str(tmp_path / "empty"), "--slug", "e")
    assert "comments.csv" in capsys.readouterr().err
    folder = tmp_path / "cols"
    folder.mkdir()
    (folder / "comments.csv").write_text("comment-id,comment-body\n1,好\n", encoding="utf-8")
    (folder / "votes.csv").write_text("comment-id,voter-id\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_polis", str(folder), "--slug", "c")
    err = capsys.readouterr().err
    assert "moderated" in err and "vote" in err
    assert not Conversation.objects.filter(slug__in=["e", "c"]).exists()


def test_import_the_bundled_vtaiwan_export(tmp_path):
    """The real export (gzip-compressed votes read as they are): 119 statements kept of 197, the
    1,921 voters with Pol.is's ids, two groups."""
    folder = tmp_path / "vtaiwan"
    shutil.copytree(DATA, folder)
    call_command("import_polis", str(folder), "--slug", "vtaiwan")
    c = Conversation.objects.get(slug="vtaiwan")
    assert c.statements.count() == 119
    assert c.participants.count() == 1921
    assert len(c.result["groups"]) == 2
    with gzip.open(DATA / "participants-votes.csv.gz", "rt", encoding="utf-8") as f:
        reference = {r["participant"]: r["group-id"] for r in csv.DictReader(f) if r["group-id"]}
    ours = {p: g["id"] for g in selectors.conversation_groups(c)["groups"] for p in g["participants"]}
    ids = sorted(reference)
    assert polis.adjusted_rand([reference[p] for p in ids], [ours.get(p, -1) for p in ids]) >= 0.75


# --- services --------------------------------------------------------------------------------------


@pytest.fixture
def conversation():
    c = services.create_conversation(
        actor=officer(), title="公共自行車", slug="ibike", statements=["甲意見", "乙意見", "丙意見"]
    )
    return c


def test_a_verified_citizen_votes_once_per_statement_and_may_change(
    conversation, django_capture_on_commit_callbacks
):
    voter = citizen(1)
    statement = conversation.statements.first()
    with django_capture_on_commit_callbacks(execute=True):
        services.vote(actor=voter, statement=statement, value=Vote.AGREE)
    services.vote(actor=voter, statement=statement, value=Vote.DISAGREE)
    assert Vote.objects.filter(statement=statement).count() == 1
    assert Vote.objects.get(statement=statement).value == Vote.DISAGREE
    participant = Participant.objects.get(conversation=conversation, user=voter)
    assert participant.external_id.startswith("u") and voter.username not in participant.external_id
    conversation.refresh_from_db()
    assert conversation.computed_at is not None  # recomputed after the commit


def test_unverified_users_and_closed_conversations_cannot_vote(conversation):
    statement = conversation.statements.first()
    with pytest.raises(PermissionDenied):
        services.vote(actor=citizen(2, phone_verified_at=None), statement=statement, value=1)
    conversation.open = False
    conversation.save()
    with pytest.raises(PermissionDenied):
        services.vote(actor=citizen(3), statement=statement, value=1)


def test_vote_value_and_statement_checked(conversation):
    statement = conversation.statements.first()
    voter = citizen(4)
    with pytest.raises(ValidationError):
        services.vote(actor=voter, statement=statement, value=2)
    pending = Statement.objects.create(conversation=conversation, text="待審")
    with pytest.raises(ValidationError):
        services.vote(actor=voter, statement=pending, value=1)


def test_statements_wait_for_moderation_and_hiding_is_logged(conversation):
    author = citizen(5)
    statement = services.add_statement(actor=author, conversation=conversation, text="  我覺得應該多設站  ")
    assert statement.moderated == Statement.Moderation.UNMODERATED and statement.text == "我覺得應該多設站"
    with pytest.raises(ValidationError):
        services.add_statement(actor=author, conversation=conversation, text="我覺得應該多設站")
    with pytest.raises(ValidationError):
        services.add_statement(actor=author, conversation=conversation, text="長" * 281)
    with pytest.raises(PermissionDenied):
        services.moderate_statement(actor=citizen(6), statement=statement, accept=True)
    services.moderate_statement(actor=officer(), statement=statement, accept=False, ground="advertising")
    entry = ModerationEntry.objects.get(conversation=conversation)
    assert entry.target == "statement" and entry.target_id == statement.pk and entry.ground == "advertising"
    with pytest.raises(ValidationError):
        services.moderate_statement(
            actor=UserFactory(username="o2", role=Role.RDEC_OFFICER),
            statement=statement,
            accept=False,
            ground="x",
        )


def test_recompute_leaves_hidden_statements_out(conversation):
    statements = list(conversation.statements.all())
    for n in range(20):
        voter = citizen(10 + n)
        for i, s in enumerate(statements):
            services.vote(actor=voter, statement=s, value=1 if (n + i) % 2 else -1)
    result = services.recompute_conversation(conversation)
    assert result["statements"] == 3 and result["votes"] == 60
    services.moderate_statement(actor=officer(), statement=statements[0], accept=False, ground="threat")
    result = services.recompute_conversation(conversation)
    assert result["statements"] == 2 and result["votes"] == 40
    api = selectors.conversation_groups(conversation)
    ids = {r["statement_id"] for g in api["groups"] for r in g["representative"]}
    assert statements[0].pk not in ids


# --- API -------------------------------------------------------------------------------------------


def imported(tmp_path) -> Conversation:
    call_command("import_polis", str(small_export(tmp_path / "x")), "--slug", "small")
    return Conversation.objects.get(slug="small")


def test_groups_api_shape_exactly(client, tmp_path):
    c = imported(tmp_path)
    response = client.get(f"/api/v1/participation/conversations/{c.slug}/groups/")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"groups", "consensus"}
    assert data["groups"]
    for group in data["groups"]:
        assert set(group) == {"id", "size", "participants", "representative"}
        assert group["size"] == len(group["participants"])
        assert all(isinstance(p, str) for p in group["participants"])
        for rep in group["representative"]:
            assert set(rep) == {"statement_id", "text", "agree_ratio", "direction"}
            assert rep["direction"] in ("agree", "disagree") and 0 <= rep["agree_ratio"] <= 1
    for item in data["consensus"]:
        assert set(item) == {"statement_id", "text", "score"}
    # imported: Pol.is's comment ids and voter ids
    external = set(c.statements.values_list("external_id", flat=True))
    assert {r["statement_id"] for g in data["groups"] for r in g["representative"]} <= external
    assert set().union(*(g["participants"] for g in data["groups"])) <= {str(i) for i in range(60)}


def test_groups_api_unknown_and_uncomputed(client):
    assert client.get("/api/v1/participation/conversations/nothing/groups/").status_code == 404
    Conversation.objects.create(slug="new", title="新")
    assert client.get("/api/v1/participation/conversations/new/groups/").json() == {
        "groups": [],
        "consensus": [],
    }


def test_no_personal_data_in_the_api_or_the_page(client, conversation):
    voters = [citizen(30 + n, display_name=f"王大明{n}") for n in range(16)]
    for n, voter in enumerate(voters):
        for i, s in enumerate(conversation.statements.all()):
            services.vote(actor=voter, statement=s, value=1 if (n + i) % 2 else -1)
    services.recompute_conversation(conversation)
    api = client.get(f"/api/v1/participation/conversations/{conversation.slug}/groups/").content.decode()
    page = client.get(reverse("participation:conversation-detail", args=[conversation.slug])).content.decode()
    for voter in voters:
        for text in (voter.username, voter.email, voter.phone, voter.display_name):
            assert text not in api and text not in page
    ids = set(Participant.objects.filter(conversation=conversation).values_list("external_id", flat=True))
    assert {p for g in json.loads(api)["groups"] for p in g["participants"]} <= ids


# --- pages -----------------------------------------------------------------------------------------


def test_page_shows_map_groups_and_attribution(client, tmp_path):
    c = imported(tmp_path)
    response = client.get(reverse("participation:conversation-detail", args=[c.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="opinion-map"' in html and 'role="img"' in html
    assert html.count('data-testid="opinion-group"') == len(c.result["groups"])
    assert "CC BY 4.0" in html and "Computational Democracy Project" in html
    assert client.get(reverse("participation:conversation-list")).status_code == 200


def test_page_vote_and_add_statement(client, conversation):
    voter = citizen(50)
    client.force_login(voter)
    statement = conversation.statements.first()
    url = reverse("participation:conversation-vote", args=[conversation.slug, statement.pk])
    assert client.post(url, {"vote": "agree"}).status_code == 302
    assert Vote.objects.get(statement=statement).value == 1
    assert client.post(url, {"vote": "maybe"}).status_code == 400
    page = client.get(reverse("participation:conversation-detail", args=[conversation.slug])).content.decode()
    assert 'aria-pressed="true"' in page
    add = reverse("participation:conversation-add-statement", args=[conversation.slug])
    response = client.post(add, {"text": ""})
    assert response.status_code == 400 and "aria-invalid" in response.content.decode()
    assert client.post(add, {"text": "我覺得應該增加夜間服務"}).status_code == 302
    assert conversation.statements.filter(moderated=0).count() == 1


def test_page_refuses_votes_from_unverified(client, conversation):
    client.force_login(citizen(51, email_verified_at=None))
    statement = conversation.statements.first()
    url = reverse("participation:conversation-vote", args=[conversation.slug, statement.pk])
    assert client.post(url, {"vote": "agree"}).status_code == 403
    assert not Vote.objects.exists()


def test_moderator_accepts_from_the_page(client, conversation):
    pending = services.add_statement(actor=citizen(52), conversation=conversation, text="待審意見")
    client.force_login(officer())
    page = client.get(reverse("participation:conversation-detail", args=[conversation.slug])).content.decode()
    assert "待審意見" in page
    url = reverse("participation:conversation-moderate", args=[conversation.slug, pending.pk])
    assert client.post(url, {"decision": "accept"}).status_code == 302
    pending.refresh_from_db()
    assert pending.moderated == Statement.Moderation.ACCEPTED
