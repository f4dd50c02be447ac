"""眾開講 pages: the public list, the consultation page (comments and replies, the comment form for
verified citizens), the moderation rules and log, the response report (page, PDF, .odt); the
agency's and the RDEC's management pages (open, edit, publish, moderate, write the report).

Closing is computed on read (services.close_due_consultations) before each page reads. Bad forms
answer 400 with the field errors; commenters' phone and e-mail are never read for a page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core import attachments
from rdec.core.models import Agency
from rdec.core.permissions import check, is_oversight, visible_agency_ids
from rdec.core.verification import is_verified_citizen
from rdec.participation import selectors, services
from rdec.participation.forms_consultations import (
    CommentForm,
    ConsultationFilterForm,
    ConsultationForm,
    DocumentForm,
    HideCommentForm,
    ReplyForm,
    ReportForm,
    ThemeForm,
)
from rdec.participation.models import Comment, Consultation, HidingGround, ResponseTheme

PAGE_SIZE = 20


def _close_due() -> None:
    services.close_due_consultations()


def _agencies_for(user):
    """The agencies the user may open a consultation for (first-level and second-level agencies
    and district offices; the RDEC any)."""
    qs = Agency.objects.exclude(level__in=[Agency.Level.CITY, Agency.Level.GROUP])
    ids = visible_agency_ids(user)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.order_by("sort_order", "code")


# --- public pages ------------------------------------------------------------------------------------


def consultation_list(request):
    _close_due()
    agencies = Agency.objects.filter(
        pk__in=Consultation.objects.exclude(status=Consultation.Status.DRAFT).values("agency")
    ).order_by("sort_order", "code")
    form = ConsultationFilterForm(request.GET or None, agencies=agencies)
    status = 200
    f = {"q": "", "status": "", "agency": ""}
    if form.is_bound:
        if form.is_valid():
            f = form.cleaned_data
        else:
            status = 400
    qs = selectors.public_consultations(q=f["q"], status=f["status"], agency=f["agency"])
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "may_manage": check(request.user, "participation.manage_consultation"),
        "today": timezone.localdate(),
    }
    return render(request, "participation/consultation_list.html", context, status=status)


def _detail_context(request, c: Consultation, *, comment_form=None, reply_form=None, reply_to=None) -> dict:
    questions = selectors.consultation_questions(c)
    user = request.user
    may_comment = check(user, "participation.comment_consultation", c)
    return {
        "c": c,
        "questions": questions,
        "documents": list(c.documents.all()),
        "threads": selectors.comment_threads(c),
        "comment_count": selectors.visible_comment_count(c),
        "log_count": c.moderation_log.count(),
        "may_comment": may_comment,
        "is_verified": is_verified_citizen(user),
        "may_manage": check(user, "participation.manage_consultation", c),
        "comment_form": comment_form
        or CommentForm(questions=questions, initial={"display_name": services.default_display_name(user)}),
        "reply_form": reply_form,
        "reply_to": reply_to,
        "today": timezone.localdate(),
        "themes": selectors.report_themes(c) if c.status == Consultation.Status.REPORTED else [],
    }


def consultation_detail(request, slug: str):
    _close_due()
    c = selectors.get_consultation_for_user(request.user, slug)
    status = 200
    comment_form = reply_form = reply_to = None
    if request.method == "POST":
        if not check(request.user, "participation.comment_consultation", c):
            raise PermissionDenied(_("Commenting needs a citizen account with a verified phone and e-mail."))
        questions = selectors.consultation_questions(c)
        if "parent" in request.POST:
            reply_form = ReplyForm(request.POST)
            form = reply_form
            reply_to = request.POST.get("parent")
        else:
            comment_form = CommentForm(request.POST, questions=questions)
            form = comment_form
        if form.is_valid():
            data = form.cleaned_data
            parent = None
            if "parent" in data:
                parent = Comment.objects.filter(pk=data["parent"], consultation=c).first()
                if parent is None:
                    raise Http404
            try:
                comment = services.post_comment(
                    c,
                    actor=request.user,
                    body=data["body"],
                    question=data.get("question"),
                    parent=parent,
                    display_name=data.get("display_name", ""),
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("Thank you: your comment is published."))
                return redirect(
                    reverse("participation:consultation-detail", args=[c.slug]) + f"#comment-{comment.pk}"
                )
        status = 400
    context = _detail_context(request, c, comment_form=comment_form, reply_form=reply_form, reply_to=reply_to)
    return render(request, "participation/consultation_detail.html", context, status=status)


def consultation_document(request, slug: str, pk: int):
    c = selectors.get_consultation_for_user(request.user, slug)
    doc = get_object_or_404(c.documents, pk=pk)
    if not doc.file:
        raise Http404
    ext = doc.file.name.rsplit(".", 1)[-1]
    kind = next((k for k in attachments.KINDS.values() if k.ext == ext), None)
    return attachments.download_response(
        doc.file.open("rb"), f"{doc.title}.{ext}", kind.content_type if kind else None
    )


def moderation_rules(request):
    return render(request, "participation/consultation_rules.html", {"grounds": HidingGround.choices})


def consultation_moderation_log(request, slug: str):
    c = selectors.get_consultation_for_user(request.user, slug)
    return render(
        request,
        "participation/consultation_moderation_log.html",
        {"c": c, "log": selectors.moderation_log(c)},
    )


def consultation_report(request, slug: str):
    _close_due()
    c = selectors.get_consultation_for_user(request.user, slug)
    if c.status != Consultation.Status.REPORTED:
        raise Http404
    from rdec.participation import consultation_report as files

    return render(
        request,
        "participation/consultation_report.html",
        {"c": c, "report": files.report_of(c), "themes": selectors.report_themes(c)},
    )


def consultation_report_file(request, slug: str, fmt: str):
    if fmt not in ("pdf", "odt"):
        raise Http404
    c = selectors.get_consultation_for_user(request.user, slug)
    if c.status != Consultation.Status.REPORTED:
        raise Http404
    from rdec.participation import consultation_report as files

    stored = c.report_pdf if fmt == "pdf" else c.report_odt
    if stored:
        handle = stored.open("rb")
    else:  # made again if the stored file is missing
        import io

        handle = io.BytesIO(files.build(c, fmt))
    return attachments.download_response(handle, f"{c.title}-回應報告.{fmt}", files.MIME[fmt])


# --- management ----------------------------------------------------------------------------------------


@login_required
def consultation_manage(request):
    if not check(request.user, "participation.manage_consultation"):
        raise PermissionDenied
    _close_due()
    qs = selectors.consultations_managed_by(request.user)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "participation/consultation_manage.html",
        {
            "page": page,
            "may_open": check(request.user, "participation.open_consultation"),
            "today": timezone.localdate(),
        },
    )


def _consultation_values(data: dict) -> dict:
    return {
        k: data[k]
        for k in (
            "title",
            "background",
            "questions",
            "stage",
            "agency",
            "opens_on",
            "closes_on",
            "topic_source",
        )
    }


@login_required
def consultation_create(request):
    if not check(request.user, "participation.open_consultation"):
        raise PermissionDenied
    agencies = _agencies_for(request.user)
    status = 200
    if request.method == "POST":
        form = ConsultationForm(request.POST, agencies=agencies)
        doc_form = DocumentForm(request.POST, request.FILES, prefix="doc")
        doc_given = any(request.POST.get(f"doc-{k}") for k in ("document_title", "document_url")) or bool(
            request.FILES.get("doc-document_file")
        )
        if form.is_valid() and (not doc_given or doc_form.is_valid()):
            documents = []
            if doc_given:
                d = doc_form.cleaned_data
                documents = [
                    {"title": d["document_title"], "file": d["document_file"], "url": d["document_url"]}
                ]
            try:
                c = services.create_consultation(
                    actor=request.user, documents=documents, **_consultation_values(form.cleaned_data)
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
                if doc_given:
                    doc_form.add_service_errors(exc)
            else:
                messages.success(request, _("The consultation is saved as a draft: check it and publish it."))
                return redirect("participation:consultation-edit", slug=c.slug)
        status = 400
    else:
        initial = {"agency": request.user.agency_id, "topic_source": request.GET.get("topic", "")[:200]}
        form = ConsultationForm(initial=initial, agencies=agencies)
        doc_form = DocumentForm(prefix="doc")
    # the RDEC picks topics from the petitions analytics
    candidates = selectors.topic_candidates(request.user) if is_oversight(request.user) else None
    return render(
        request,
        "participation/consultation_form.html",
        {"form": form, "doc_form": doc_form, "candidates": candidates, "creating": True},
        status=status,
    )


def _managed(request, slug: str) -> Consultation:
    _close_due()
    c = selectors.get_consultation_for_user(request.user, slug)
    if not check(request.user, "participation.manage_consultation", c):
        raise PermissionDenied
    return c


@login_required
def consultation_edit(request, slug: str):
    c = _managed(request, slug)
    agencies = _agencies_for(request.user)
    status = 200
    form = ConsultationForm(
        initial={**_consultation_values({**c.__dict__, "agency": c.agency})}, agencies=agencies
    )
    doc_form = DocumentForm(prefix="doc")
    editable = c.status in (Consultation.Status.DRAFT, Consultation.Status.OPEN)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action == "publish":
                services.publish_consultation(c, actor=request.user)
                messages.success(request, _("The consultation is published."))
                return redirect("participation:consultation-detail", slug=c.slug)
            if action == "document":
                doc_form = DocumentForm(request.POST, request.FILES, prefix="doc")
                if doc_form.is_valid():
                    d = doc_form.cleaned_data
                    try:
                        services.add_consultation_document(
                            c,
                            actor=request.user,
                            title=d["document_title"],
                            file=d["document_file"],
                            url=d["document_url"],
                        )
                    except ValidationError as exc:
                        doc_form.add_service_errors(exc)
                    else:
                        messages.success(request, _("The document is added."))
                        return redirect("participation:consultation-edit", slug=c.slug)
                status = 400
            elif action == "remove-document":
                doc = get_object_or_404(c.documents, pk=request.POST.get("document") or 0)
                services.remove_consultation_document(doc, actor=request.user)
                return redirect("participation:consultation-edit", slug=c.slug)
            else:
                form = ConsultationForm(request.POST, agencies=agencies)
                if form.is_valid():
                    try:
                        services.update_consultation(
                            c, actor=request.user, **_consultation_values(form.cleaned_data)
                        )
                    except ValidationError as exc:
                        form.add_service_errors(exc)
                    else:
                        messages.success(request, _("The changes are saved."))
                        return redirect("participation:consultation-edit", slug=c.slug)
                status = 400
        except ValidationError as exc:
            form.add_service_errors(exc)
            status = 400
    return render(
        request,
        "participation/consultation_form.html",
        {"form": form, "doc_form": doc_form, "c": c, "editable": editable, "documents": c.documents.all()},
        status=status,
    )


@login_required
def consultation_moderate(request, slug: str):
    c = _managed(request, slug)
    status = 200
    form = None
    if request.method == "POST":
        form = HideCommentForm(request.POST)
        if form.is_valid():
            comment = get_object_or_404(Comment, pk=form.cleaned_data["comment"], consultation=c)
            try:
                services.hide_comment(
                    comment,
                    actor=request.user,
                    ground=form.cleaned_data["ground"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("The comment is hidden and the moderation log records it."))
                return redirect("participation:consultation-moderate", slug=c.slug)
        status = 400
    threads = selectors.comment_threads(c, reveal_hidden=True)
    return render(
        request,
        "participation/consultation_moderate.html",
        {
            "c": c,
            "threads": threads,
            "form": form,
            "grounds": HidingGround.choices,
            "log": selectors.moderation_log(c),
        },
        status=status,
    )


@login_required
def consultation_report_edit(request, slug: str):
    c = _managed(request, slug)
    if c.status not in (Consultation.Status.CLOSED, Consultation.Status.REPORTED):
        messages.info(request, _("The response report is written after the consultation closes."))
        return redirect("participation:consultation-edit", slug=c.slug)
    comments = selectors.comment_threads(c)
    flat = []
    for t in comments:
        if not t.hidden:
            flat.append(t)
        flat.extend(r for r in t.reply_list if not r.hidden)
    status = 200
    report_form = ReportForm(initial={"summary": c.report_summary, "policy_changes": c.policy_changes})
    theme_form = ThemeForm(comments=flat)
    if request.method == "POST" and c.status == Consultation.Status.CLOSED:
        action = request.POST.get("action", "")
        try:
            if action == "theme":
                theme_form = ThemeForm(request.POST, comments=flat)
                if theme_form.is_valid():
                    d = theme_form.cleaned_data
                    try:
                        services.save_response_theme(
                            c,
                            actor=request.user,
                            title=d["title"],
                            decision=d["decision"],
                            reason=d["reason"],
                            comment_ids=d["comments"],
                        )
                    except ValidationError as exc:
                        theme_form.add_service_errors(exc)
                    else:
                        messages.success(request, _("The theme is added."))
                        return redirect("participation:consultation-report-edit", slug=c.slug)
                status = 400
            elif action == "delete-theme":
                theme = get_object_or_404(ResponseTheme, pk=request.POST.get("theme") or 0, consultation=c)
                services.delete_response_theme(theme, actor=request.user)
                return redirect("participation:consultation-report-edit", slug=c.slug)
            elif action in ("save", "publish"):
                report_form = ReportForm(request.POST)
                if report_form.is_valid():
                    d = report_form.cleaned_data
                    try:
                        services.save_consultation_report(
                            c, actor=request.user, summary=d["summary"], policy_changes=d["policy_changes"]
                        )
                        if action == "publish":
                            services.publish_consultation_report(c, actor=request.user)
                    except ValidationError as exc:
                        report_form.add_service_errors(exc)
                    else:
                        if action == "publish":
                            messages.success(request, _("The response report is published."))
                            return redirect("participation:consultation-report", slug=c.slug)
                        messages.success(request, _("The changes are saved."))
                        return redirect("participation:consultation-report-edit", slug=c.slug)
                status = 400
            else:
                status = 400
        except ValidationError as exc:
            report_form.add_service_errors(exc)
            status = 400
    return render(
        request,
        "participation/consultation_report_form.html",
        {
            "c": c,
            "report_form": report_form,
            "theme_form": theme_form,
            "themes": selectors.report_themes(c),
            "editable": c.status == Consultation.Status.CLOSED,
        },
        status=status,
    )


urlpatterns = [
    path("consultations/", consultation_list, name="consultation-list"),
    path("consultations/manage/", consultation_manage, name="consultation-manage"),
    path("consultations/new/", consultation_create, name="consultation-create"),
    path("moderation-rules/", moderation_rules, name="moderation-rules"),
    path("consultations/<slug:slug>/", consultation_detail, name="consultation-detail"),
    path("consultations/<slug:slug>/edit/", consultation_edit, name="consultation-edit"),
    path("consultations/<slug:slug>/moderate/", consultation_moderate, name="consultation-moderate"),
    path(
        "consultations/<slug:slug>/moderation-log/",
        consultation_moderation_log,
        name="consultation-moderation-log",
    ),
    path(
        "consultations/<slug:slug>/documents/<int:pk>/", consultation_document, name="consultation-document"
    ),
    path("consultations/<slug:slug>/report/", consultation_report, name="consultation-report"),
    path("consultations/<slug:slug>/report/edit/", consultation_report_edit, name="consultation-report-edit"),
    path(
        "consultations/<slug:slug>/report.<str:fmt>",
        consultation_report_file,
        name="consultation-report-file",
    ),
]
