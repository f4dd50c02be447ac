"""Pages of 跨域委託研究: topic proposals (with the archive's possible duplicates shown before saving),
projects with their deliverables and GRB deadlines, the public report library, the recommendations
with the responsible agency's adoption form, and the yearly adoption report. Writes go through
services_research; their ValidationErrors go back on the forms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core.forms import apply_errors
from rdec.core.models import Agency
from rdec.core.permissions import check, require, visible_agency_ids
from rdec.programs import forms_research as f
from rdec.programs import selectors_research as sel
from rdec.programs import services_fields
from rdec.programs import services_research as svc
from rdec.programs.models import Report


def _agencies(user):
    ids = visible_agency_ids(user)
    qs = Agency.objects.order_by("sort_order", "code")
    return qs if ids is None else qs.filter(pk__in=ids)


@login_required
def topic_list(request):
    topics = sel.topics_visible_to(request.user)
    return render(request, "programs/research_topic_list.html", {"topics": topics})


@login_required
def topic_create(request):
    require(request.user, "programs.propose_research_topic")
    form = f.TopicForm(request.POST or None, agencies=_agencies(request.user))
    duplicates, status = [], 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            duplicates = svc.duplicate_candidates(
                title=d["title"], text=d["aims"], keywords=d["keywords"], on=timezone.localdate()
            )
            if duplicates and not d["confirm"]:
                status = 200  # shown before saving: the proposer reads them and confirms
            else:
                try:
                    topic = svc.propose_topic(
                        actor=request.user,
                        proposer_kind=d["proposer_kind"],
                        agency=d["agency"],
                        proposer=d["proposer"],
                        title=d["title"],
                        background=d["background"],
                        aims=d["aims"],
                        keywords=d["keywords"],
                        kind=d["kind"],
                    )
                except ValidationError as exc:
                    apply_errors(form, exc)
                    duplicates = []
                else:
                    messages.success(request, _("The topic %(title)s is proposed.") % {"title": topic.title})
                    return redirect("programs:research-topic-list")
    return render(
        request, "programs/research_topic_form.html", {"form": form, "duplicates": duplicates}, status=status
    )


@login_required
def project_list(request):
    require(request.user, "programs.manage_research")
    today = timezone.localdate()
    projects = [(p, sel.grb_deadlines(p, today)) for p in sel.projects_visible_to(request.user)]
    return render(request, "programs/research_project_list.html", {"projects": projects})


_PROJECT_FORMS = {
    "grb": (f.GrbForm, svc.record_grb),
    "deliverable": (f.DeliverableForm, svc.save_deliverable),
}


@login_required
def project_detail(request, pk: int):
    project = get_object_or_404(sel.projects_visible_to(request.user), pk=pk)
    require(request.user, "programs.manage_research", project.lead_agency)
    failed, status = None, 200
    if request.method == "POST":
        kind = request.POST.get("action", "")
        cls, service = _PROJECT_FORMS.get(kind, (None, None))
        if cls is None:
            raise Http404
        form = cls(request.POST, prefix=kind)
        if form.is_valid():
            try:
                service(project, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("programs:research-project-detail", pk=project.pk)
        failed, status = form, 400
    forms = {
        kind: failed if failed is not None and failed.prefix == kind else cls(prefix=kind)
        for kind, (cls, _service) in _PROJECT_FORMS.items()
    }
    today = timezone.localdate()
    context = {
        "project": project,
        "deadlines": sel.grb_deadlines(project, today),
        "deliverables": [(d, d.overdue_on(today)) for d in project.deliverables.all()],
        "forms": forms,
    }
    return render(request, "programs/research_project_detail.html", context, status=status)


@login_required
def project_create(request):
    require(request.user, "programs.manage_research")
    form = f.ProjectForm(request.POST or None, agencies=_agencies(request.user))
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        try:
            tender = services_fields.tender_by_number(request.user, d.pop("tender_number"))
            project = svc.create_project(actor=request.user, tender=tender, **d)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("programs:research-project-detail", pk=project.pk)
    return render(
        request, "programs/research_project_form.html", {"form": form}, status=400 if form.is_bound else 200
    )


@login_required
def report_create(request):
    require(request.user, "programs.manage_research")
    form = f.ReportForm(request.POST or None, agencies=_agencies(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            report = svc.add_report(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("programs:research-report-detail", pk=report.pk)
    return render(
        request, "programs/research_report_form.html", {"form": form}, status=400 if form.is_bound else 200
    )


def report_list(request):
    """The public library: every report listed (a restricted one by its title and reason), the
    public ones found by words in their title, abstracts, keywords and full text."""
    q = request.GET.get("q", "").strip()
    page = Paginator(sel.library(q), 20).get_page(request.GET.get("page"))
    may_manage = check(request.user, "programs.manage_research")
    return render(
        request, "programs/research_report_list.html", {"page": page, "q": q, "may_manage": may_manage}
    )


def report_detail(request, pk: int):
    """The report's page; its managers (the RDEC, the report's agency) add recommendations here."""
    report = get_object_or_404(Report.objects.select_related("agency", "project"), pk=pk)
    may_manage = check(request.user, "programs.manage_research", report.agency)
    form, status = None, 200
    if may_manage:
        form = f.RecommendationForm(
            request.POST or None, agencies=Agency.objects.order_by("sort_order", "code")
        )
        if request.method == "POST":
            status = 400
            if form.is_valid():
                try:
                    svc.add_recommendation(report, actor=request.user, **form.cleaned_data)
                except ValidationError as exc:
                    apply_errors(form, exc)
                else:
                    messages.success(request, _("Saved."))
                    return redirect("programs:research-report-detail", pk=report.pk)
    elif request.method == "POST":
        raise Http404
    shown = report.is_public or may_manage
    recommendations = report.recommendations.select_related("agency", "adoption") if shown else []
    context = {"report": report, "recommendations": recommendations, "form": form, "shown": shown}
    return render(request, "programs/research_report_detail.html", context, status=status)


@login_required
def recommendation_list(request):
    require(request.user, "programs.answer_recommendation")
    today = timezone.localdate()
    rows = [
        (r, sel.follow_up_due(r), sel.recommendation_overdue(r, today))
        for r in sel.recommendations_visible_to(request.user)
    ]
    return render(request, "programs/research_recommendation_list.html", {"rows": rows})


@login_required
def recommendation_answer(request, pk: int):
    recommendation = get_object_or_404(sel.recommendations_visible_to(request.user), pk=pk)
    require(request.user, "programs.answer_recommendation", recommendation)
    form = f.AdoptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.record_adoption(recommendation, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("programs:research-recommendation-list")
    return render(
        request,
        "programs/research_adoption_form.html",
        {"recommendation": recommendation, "form": form, "due": sel.follow_up_due(recommendation)},
        status=400 if form.is_bound else 200,
    )


def adoption_report(request):
    """The yearly report (public): the recommendations of a year's reports, decided and used."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    figures = sel.yearly_report(year, today)
    return render(
        request,
        "programs/research_adoption_report.html",
        {
            "figures": figures,
            "year": year,
            "years": range(today.year, today.year - 6, -1),
            "may_answer": check(request.user, "programs.answer_recommendation"),
        },
    )


urlpatterns = [
    path("research/topics/", topic_list, name="research-topic-list"),
    path("research/topics/new/", topic_create, name="research-topic-create"),
    path("research/projects/", project_list, name="research-project-list"),
    path("research/projects/new/", project_create, name="research-project-create"),
    path("research/reports/new/", report_create, name="research-report-create"),
    path("research/projects/<int:pk>/", project_detail, name="research-project-detail"),
    path("research/reports/", report_list, name="research-report-list"),
    path("research/reports/<int:pk>/", report_detail, name="research-report-detail"),
    path("research/recommendations/", recommendation_list, name="research-recommendation-list"),
    path(
        "research/recommendations/<int:pk>/answer/",
        recommendation_answer,
        name="research-recommendation-answer",
    ),
    path("research/adoption/", adoption_report, name="research-adoption-report"),
]
