"""Import a Pol.is export (`comments.csv`, `votes.csv`, optionally `summary.csv`) as a conversation.

Behind `rdec import_polis DIR --slug SLUG [--title ...]` and the demo's vTaiwan conversation. Every
row is checked first; errors name the file and the line (the header is line 1) and nothing is written.
The write is one transaction: the conversation, its participants (Pol.is's voter ids kept as
`external_id`), its statements (the comment ids kept as `external_id`; comments moderated out,
`moderated = -1`, are left out with their votes) and the votes (a voter's last vote on a comment wins,
by timestamp when there is one, else by file order). Importing again into the same slug replaces the
earlier import (the same files give the same conversation); a slug used by a conversation that was not
imported is refused. A file may also be gzip-compressed (`votes.csv.gz`).
"""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from rdec.core.tabular import ImportFailed

MAX_ERRORS = 50
COMMENT_COLUMNS = ("comment-id", "moderated", "comment-body")
VOTE_COLUMNS = ("comment-id", "voter-id", "vote")
POLIS_ATTRIBUTION = (
    "Data was gathered using the Polis software (compdemocracy.org/polis) and is sub-licensed under CC BY 4.0 "
    "with Attribution to The Computational Democracy Project. The data and more information about how the "
    "data was collected can be found at https://compdemocracy.org/Polis/ and "
    "https://github.com/compdemocracy/openData."
)


@dataclass
class ImportResult:
    conversation: object
    statements: int = 0
    hidden: int = 0
    participants: int = 0
    votes: int = 0
    replaced: bool = False
    warnings: list[str] = field(default_factory=list)


def _open(directory: Path, name: str):
    """The text of DIR/name or DIR/name.gz, or None."""
    plain, packed = directory / name, directory / f"{name}.gz"
    if plain.is_file():
        return plain.open(encoding="utf-8-sig", newline="")
    if packed.is_file():
        return io.TextIOWrapper(gzip.open(packed, "rb"), encoding="utf-8-sig", newline="")
    return None


def _int(value: str, allowed=None):
    try:
        number = int((value or "").strip())
    except ValueError:
        return None
    if allowed is not None and number not in allowed:
        return None
    return number


def read_export(directory: str | Path) -> dict:
    """The checked rows of an export: {comments: [...], votes: [...], summary: {...}}; raises ImportFailed."""
    directory = Path(directory)
    errors: list[str] = []
    if not directory.is_dir():
        raise ImportFailed([_("%(dir)s is not a folder.") % {"dir": directory}])
    comments_file, votes_file = _open(directory, "comments.csv"), _open(directory, "votes.csv")
    for name, handle in (("comments.csv", comments_file), ("votes.csv", votes_file)):
        if handle is None:
            errors.append(_("%(file)s is missing in %(dir)s.") % {"file": name, "dir": directory})
    if errors:
        for handle in (comments_file, votes_file):
            if handle is not None:
                handle.close()
        raise ImportFailed(errors)

    comments: dict[int, dict] = {}
    with comments_file:
        reader = csv.DictReader(comments_file)
        missing = [c for c in COMMENT_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            errors.append(
                _("comments.csv: the column(s) %(columns)s are missing.") % {"columns": ", ".join(missing)}
            )
        else:
            for line, row in enumerate(reader, start=2):
                cid = _int(row["comment-id"])
                moderated = _int(row["moderated"], {-1, 0, 1})
                text = (row.get("comment-body") or "").strip()
                if cid is None or cid < 0:
                    errors.append(
                        _("comments.csv line %(line)s: comment-id must be a whole number.") % {"line": line}
                    )
                elif cid in comments:
                    errors.append(
                        _("comments.csv line %(line)s: comment-id %(id)s appears twice.")
                        % {"line": line, "id": cid}
                    )
                if moderated is None:
                    errors.append(
                        _("comments.csv line %(line)s: moderated must be -1, 0 or 1.") % {"line": line}
                    )
                if not text and moderated != -1:
                    errors.append(_("comments.csv line %(line)s: comment-body is empty.") % {"line": line})
                if cid is not None and cid >= 0 and cid not in comments:
                    author = (row.get("author-id") or "").strip()
                    comments[cid] = {"id": cid, "moderated": moderated, "text": text, "author": author}
                if len(errors) >= MAX_ERRORS:
                    break

    votes: list[tuple[int, int, str, int]] = []  # (timestamp, line, voter, comment, value)
    with votes_file:
        reader = csv.DictReader(votes_file)
        missing = [c for c in VOTE_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            errors.append(
                _("votes.csv: the column(s) %(columns)s are missing.") % {"columns": ", ".join(missing)}
            )
        else:
            timed = "timestamp" in (reader.fieldnames or [])
            for line, row in enumerate(reader, start=2):
                if len(errors) >= MAX_ERRORS:
                    break
                cid = _int(row["comment-id"])
                voter = (row["voter-id"] or "").strip()
                value = _int(row["vote"], {-1, 0, 1})
                stamp = _int(row["timestamp"]) if timed else 0
                bad = False
                if cid is None:
                    errors.append(
                        _("votes.csv line %(line)s: comment-id must be a whole number.") % {"line": line}
                    )
                    bad = True
                elif comments and cid not in comments:
                    errors.append(
                        _("votes.csv line %(line)s: comment %(id)s is not in comments.csv.")
                        % {"line": line, "id": cid}
                    )
                    bad = True
                if not voter or len(voter) > 40:
                    errors.append(
                        _("votes.csv line %(line)s: voter-id must be given (at most 40 characters).")
                        % {"line": line}
                    )
                    bad = True
                if value is None:
                    errors.append(_("votes.csv line %(line)s: vote must be 1, 0 or -1.") % {"line": line})
                    bad = True
                if timed and stamp is None:
                    errors.append(
                        _("votes.csv line %(line)s: timestamp must be a whole number.") % {"line": line}
                    )
                    bad = True
                if not bad:
                    votes.append((stamp, line, voter, cid, value))
    if errors:
        if len(errors) >= MAX_ERRORS:
            errors.append(_("(stopped after %(count)s errors)") % {"count": MAX_ERRORS})
        raise ImportFailed(errors)

    summary: dict[str, str] = {}
    summary_file = _open(directory, "summary.csv")
    if summary_file is not None:
        with summary_file:
            for row in csv.reader(summary_file):
                if len(row) >= 2:
                    summary[row[0].strip()] = row[1].strip()
    return {"comments": comments, "votes": votes, "summary": summary}


def import_polis(
    directory: str | Path,
    *,
    slug: str,
    title: str | None = None,
    attribution: str | None = None,
    compute: bool = True,
) -> ImportResult:
    from django.core.validators import validate_slug

    from rdec.participation.models import Conversation, Participant, Statement, Vote

    try:
        validate_slug(slug)
    except Exception as exc:
        raise ImportFailed([_("--slug may contain only letters, digits, hyphens and underscores.")]) from exc
    data = read_export(directory)
    summary = data["summary"]
    comments, votes = data["comments"], data["votes"]
    kept = {cid: c for cid, c in comments.items() if c["moderated"] != -1}
    latest: dict[tuple[str, int], tuple[int, int, int]] = {}
    for stamp, line, voter, cid, value in votes:
        key = (voter, cid)
        if key not in latest or (stamp, line) >= latest[key][:2]:
            latest[key] = (stamp, line, value)
    voters = sorted({voter for voter, _cid in latest}, key=lambda v: (len(v), v))
    authors = {c["author"] for c in kept.values() if c["author"]}
    everyone = voters + sorted(authors - set(voters), key=lambda v: (len(v), v))

    with transaction.atomic():
        existing = Conversation.objects.select_for_update().filter(slug=slug).first()
        replaced = existing is not None
        if existing is not None and not existing.imported_from:
            raise ImportFailed(
                [
                    _("A conversation with the short name %(slug)s already exists and was not imported.")
                    % {"slug": slug}
                ]
            )
        if existing is not None:
            existing.participants.all().delete()  # votes go with them
            existing.statements.all().delete()
            conversation = existing
        else:
            conversation = Conversation(slug=slug)
        conversation.title = (title or summary.get("topic") or slug)[:200]
        conversation.description = summary.get("conversation-description", "")
        conversation.imported_from = (summary.get("url") or "Pol.is export")[:200]
        conversation.attribution = attribution if attribution is not None else POLIS_ATTRIBUTION
        conversation.open = False  # a finished Pol.is conversation: read, not voted on here
        conversation.result, conversation.computed_at, conversation.votes_at_compute = {}, None, 0
        conversation.save()
        participants = Participant.objects.bulk_create(
            [Participant(conversation=conversation, external_id=ext) for ext in everyone], batch_size=2000
        )
        participant_of = {p.external_id: p for p in participants}
        statements = Statement.objects.bulk_create(
            [
                Statement(
                    conversation=conversation,
                    external_id=cid,
                    text=c["text"],
                    author=participant_of.get(c["author"]),
                    moderated=c["moderated"],
                )
                for cid, c in sorted(kept.items())
            ],
            batch_size=1000,
        )
        statement_of = {s.external_id: s for s in statements}
        rows = [
            Vote(statement=statement_of[cid], participant=participant_of[voter], value=value)
            for (voter, cid), (_stamp, _line, value) in latest.items()
            if cid in statement_of
        ]
        Vote.objects.bulk_create(rows, batch_size=5000)
        result = ImportResult(
            conversation=conversation,
            statements=len(statements),
            hidden=len(comments) - len(kept),
            participants=len(participants),
            votes=len(rows),
            replaced=replaced,
        )
        if compute:
            from rdec.participation.services.conversations import recompute_conversation

            recompute_conversation(conversation)
    return result
