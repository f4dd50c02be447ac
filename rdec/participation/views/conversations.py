"""Conversations (Pol.is method) pages: the list, the conversation page with the opinion map (a
server-rendered SVG: participants as points, each group with its colour, marker shape and letter, a
legend and a text summary, so colour is never the only cue), each group's representative statements,
the consensus statements, the statements with agree / disagree / pass buttons for verified citizens,
the form to add a statement (moderated), the moderation queue for moderators and the public moderation
log. Bad forms answer 400 with the field errors. Participants appear only as points: no names."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rdec.participation import selectors, services
from rdec.participation.models import HidingGround, Statement, Vote

VOTE_VALUES = {"agree": Vote.AGREE, "pass": Vote.PASS, "disagree": Vote.DISAGREE}


def conversation_list(request):
    conversations = list(selectors.conversations_list())
    return render(request, "participation/conversation_list.html", {"conversations": conversations})


def _detail(request, conversation, *, status=200, statement_errors=None, statement_text=""):
    page = selectors.conversation_page(conversation, request.user)
    return render(
        request,
        "participation/conversation_detail.html",
        {
            "c": conversation,
            "page": page,
            "grounds": HidingGround.choices,
            "statement_errors": statement_errors or {},
            "statement_text": statement_text,
        },
        status=status,
    )


def conversation_detail(request, slug):
    return _detail(request, selectors.get_conversation(slug))


@require_POST
def conversation_vote(request, slug, pk):
    conversation = selectors.get_conversation(slug)
    statement = get_object_or_404(Statement, pk=pk, conversation=conversation)
    value = VOTE_VALUES.get(request.POST.get("vote", ""))
    if value is None:
        messages.error(request, _("Choose agree, disagree or pass."))
        return _detail(request, conversation, status=400)
    try:
        services.vote(actor=request.user, statement=statement, value=value)
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for message in errors:
                messages.error(request, message)
        return _detail(request, conversation, status=400)
    messages.success(request, _("Your vote is recorded. You can change it while the conversation is open."))
    return redirect(reverse("participation:conversation-detail", args=[slug]) + f"#statement-{statement.pk}")


@require_POST
def conversation_add_statement(request, slug):
    conversation = selectors.get_conversation(slug)
    text = request.POST.get("text", "")
    try:
        statement = services.add_statement(actor=request.user, conversation=conversation, text=text)
    except ValidationError as exc:
        return _detail(
            request, conversation, status=400, statement_errors=exc.message_dict, statement_text=text
        )
    if statement.moderated == Statement.Moderation.ACCEPTED:
        messages.success(request, _("The statement is open for votes."))
    else:
        messages.success(
            request, _("Thank you. Your statement is open for votes once a moderator accepts it.")
        )
    return redirect(reverse("participation:conversation-detail", args=[slug]) + "#add-statement")


@require_POST
def conversation_moderate(request, slug, pk):
    conversation = selectors.get_conversation(slug)
    statement = get_object_or_404(Statement, pk=pk, conversation=conversation)
    accept = request.POST.get("decision") == "accept"
    try:
        services.moderate_statement(
            actor=request.user,
            statement=statement,
            accept=accept,
            ground=request.POST.get("ground", ""),
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for message in errors:
                messages.error(request, message)
        return _detail(request, conversation, status=400)
    messages.success(request, _("The statement is accepted.") if accept else _("The statement is hidden."))
    return redirect(reverse("participation:conversation-detail", args=[slug]) + "#moderation")


urlpatterns = [
    path("conversations/", conversation_list, name="conversation-list"),
    path("conversations/<slug:slug>/", conversation_detail, name="conversation-detail"),
    path(
        "conversations/<slug:slug>/statements/", conversation_add_statement, name="conversation-add-statement"
    ),
    path("conversations/<slug:slug>/statements/<int:pk>/vote/", conversation_vote, name="conversation-vote"),
    path(
        "conversations/<slug:slug>/statements/<int:pk>/moderate/",
        conversation_moderate,
        name="conversation-moderate",
    ),
]
