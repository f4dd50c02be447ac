"""The catalog pages: search with facets, the dataset page, and the agency's publish and edit forms.

Views read through selectors and write through services; a ValidationError from a service is shown
on the form with status 400, PermissionDenied becomes the 403 page."""

from __future__ import annotations

import datetime
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rdec.core import attachments
from rdec.core.dates import roc_date
from rdec.core.permissions import check
from rdec.opendata import charts, dcat, exports, forms, portal, quality, selectors, services, vocab
from rdec.opendata.api import dictize
from rdec.opendata.models import Dataset, Feedback, PortalSync, Resource
from rdec.opendata.timeliness import update_status

PAGE_SIZE = 20
MAX_PREVIEWS = 3
REQUIRED = (
    "title",
    "description",
    "category",
    "field_description",
    "update_frequency",
    "contact_name",
    "contact_phone",
    "contact_email",
)
# A resource's fields as the publish form names them.
RESOURCE_ON_DATASET_FORM = {
    "description": "resource_description",
    "url": "resource_url",
    "encoding": "resource_encoding",
    "file": "resource_file",
}


def _apply_errors(form, exc: ValidationError, mapping: dict | None = None) -> list[str]:
    """Put a service's errors on the form's fields; return the ones no field shows."""
    leftover: list[str] = []
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    for field, errors in exc.error_dict.items():
        name = (mapping or {}).get(field, field)
        messages_ = [m for e in errors for m in e.messages]
        if name in form.fields:
            for message in messages_:
                form.add_error(name, message)
        else:
            leftover.extend(messages_)
    return leftover


def dataset_list(request):
    q = request.GET.get("q", "").strip()[:100]
    chosen = {
        "agency": request.GET.getlist("agency"),
        "category": request.GET.getlist("category"),
        "format": request.GET.getlist("format"),
        "badge": request.GET.getlist("badge"),
        "frequency": request.GET.getlist("frequency"),
    }
    qs = selectors.search_datasets(
        request.user,
        q=q,
        agencies=chosen["agency"],
        categories=chosen["category"],
        formats=chosen["format"],
        badges=chosen["badge"],
        frequencies=chosen["frequency"],
    ).select_related("agency")
    facets = selectors.facets(qs)
    page = Paginator(qs.order_by("-metadata_modified", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "q": q,
        "page": page,
        "chosen": chosen,
        "facets": [
            ("agency", _("Providing agency"), facets["organization"]),
            ("category", _("Service category"), facets["groups"]),
            ("format", _("File format"), facets["res_format"]),
            ("badge", _("Quality badge"), facets["badge"]),
            ("frequency", _("Update frequency"), facets["update_frequency"]),
        ],
        "may_publish": check(request.user, "opendata.publish"),
    }
    return render(request, "opendata/dataset_list.html", context)


def dataset_detail(request, name: str):
    dataset = selectors.get_dataset_for_user(request.user, name)
    services.record_view(dataset, actor=request.user)
    resources = list(
        dataset.resources.filter(state=Resource.State.ACTIVE).prefetch_related(
            "versions", dictize.latest_checks()
        )
    )
    for resource in resources:
        checks = resource.quality_checks.all()
        resource.latest_check = checks[0] if checks else None
    previews = []
    for resource in resources:
        if resource.file and resource.format in quality.TABULAR and len(previews) < MAX_PREVIEWS:
            encoding = resource.latest_check.encoding if resource.latest_check else ""
            try:
                with resource.file.open("rb") as stream:
                    header, rows = quality.preview(stream, encoding=encoding, rows=charts.ROWS)
            except OSError:
                continue
            if header:
                visual = charts.analyse(header, rows)
                title = _("%(value)s by district") % {"value": visual.bar_label or _("rows")}
                previews.append(
                    {
                        "resource": resource,
                        "header": header,
                        "rows": rows[:10],
                        "visual": visual,
                        "bars": charts.bar_svg(visual.bars, title),
                        "bar_title": title,
                        "points_id": f"od-points-{len(previews) + 1}",
                    }
                )
    context = {
        "dataset": dataset,
        "resources": resources,
        "category_label": vocab.Category(dataset.category).label
        if dataset.category in vocab.Category.values
        else "",
        "declared_fields": dataset.declared_fields,
        "previews": previews,
        "has_map": any(p["visual"].points for p in previews),
        "timeliness": update_status(dataset, resources),
        "may_edit": check(request.user, "opendata.edit_dataset", dataset),
        "schema_org": dcat.schema_org(request, dataset, resources) if dataset.is_active else "",
        "portal_enabled": portal.enabled(),
        "portal_sync": PortalSync.objects.filter(dataset=dataset).first()
        if check(request.user, "opendata.view_portal_sync", dataset)
        else None,
        "may_sync": portal.enabled() and check(request.user, "opendata.sync_portal", dataset),
        "comment_form": forms.CommentForm()
        if check(request.user, "opendata.submit_feedback", dataset)
        else None,
        **_feedback_context(request, dataset),
    }
    return render(request, "opendata/dataset_detail.html", context)


@login_required
def dataset_create(request):
    if not check(request.user, "opendata.publish"):
        raise PermissionDenied
    form = forms.DatasetForm(request.POST or None, request.FILES or None, user=request.user)
    page_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        metadata = {k: d[k] for k in forms.METADATA_FIELDS if k in d}
        required = {k: metadata.pop(k, "") for k in REQUIRED}
        optional = {k: v for k, v in metadata.items() if v not in (None, "")}
        stage = "dataset"
        try:
            with transaction.atomic():
                dataset = services.publish_dataset(
                    actor=request.user, agency=d["agency"], tags=d["tags"], **required, **optional
                )
                if d.get("resource_file") or d.get("resource_url"):
                    stage = "resource"
                    services.add_resource(
                        dataset,
                        actor=request.user,
                        description=d["resource_description"],
                        upload=d.get("resource_file"),
                        url=d.get("resource_url") or "",
                        encoding=d.get("resource_encoding") or "UTF-8",
                    )
        except ValidationError as exc:
            page_errors = _apply_errors(form, exc, RESOURCE_ON_DATASET_FORM if stage == "resource" else None)
        else:
            messages.success(
                request, _("The dataset %(identifier)s is published.") % {"identifier": dataset.identifier}
            )
            return redirect("opendata:dataset-detail", name=dataset.name)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "opendata/dataset_form.html",
        {"form": form, "page_errors": page_errors, "dataset": None},
        status=status,
    )


@login_required
def dataset_edit(request, name: str):
    dataset = selectors.get_dataset_for_user(request.user, name)
    if not check(request.user, "opendata.edit_dataset", dataset):
        raise PermissionDenied
    form = forms.DatasetForm(request.POST or None, instance=dataset, user=request.user, editing=True)
    page_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        changes = {k: d[k] for k in forms.METADATA_FIELDS if k in d}
        for key in ("temporal_from", "temporal_to", "number_of_data"):
            changes[key] = changes.get(key) or None
        try:
            services.update_dataset(dataset, actor=request.user, tags=d["tags"], **changes)
        except ValidationError as exc:
            page_errors = _apply_errors(form, exc)
        else:
            messages.success(request, _("The dataset is saved."))
            return redirect("opendata:dataset-detail", name=dataset.name)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "opendata/dataset_form.html",
        {"form": form, "page_errors": page_errors, "dataset": dataset},
        status=status,
    )


@login_required
@require_POST
def dataset_delete(request, name: str):
    """Withdraw a dataset (下架); it stays visible to its editors, marked as withdrawn."""
    dataset = selectors.get_dataset_for_user(request.user, name)
    services.delete_dataset(dataset, actor=request.user)
    messages.success(
        request, _("The dataset %(identifier)s is withdrawn.") % {"identifier": dataset.identifier}
    )
    return redirect("opendata:dataset-list")


@login_required
def resource_create(request, name: str):
    dataset = selectors.get_dataset_for_user(request.user, name)
    if not check(request.user, "opendata.add_resource", dataset):
        raise PermissionDenied
    form = forms.ResourceForm(request.POST or None, request.FILES or None)
    page_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.add_resource(
                dataset,
                actor=request.user,
                description=d["description"],
                upload=d.get("file"),
                url=d.get("url") or "",
                format=d.get("format") or "",
                encoding=d["encoding"],
                field_description=d.get("field_description") or "",
                schema=d.get("schema"),
            )
        except ValidationError as exc:
            page_errors = _apply_errors(form, exc)
        else:
            messages.success(request, _("The resource is added."))
            return redirect("opendata:dataset-detail", name=dataset.name)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "opendata/resource_form.html",
        {"form": form, "page_errors": page_errors, "dataset": dataset},
        status=status,
    )


@login_required
def resource_edit(request, pk: int):
    """Change a resource; a new file or link is kept as a new version with its date."""
    resource = selectors.get_resource_for_user(request.user, str(pk))
    if not check(request.user, "opendata.update_resource", resource):
        raise PermissionDenied
    initial = {
        "description": resource.description,
        "url": resource.url,
        "format": resource.format,
        "encoding": resource.encoding,
        "field_description": resource.field_description,
        "schema": json.dumps(resource.schema, ensure_ascii=False) if resource.schema else "",
    }
    form = forms.ResourceForm(request.POST or None, request.FILES or None, initial=initial)
    page_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        changes = {
            "description": d["description"],
            "format": d.get("format") or resource.format,
            "encoding": d["encoding"],
            "field_description": d.get("field_description") or "",
            "schema": d.get("schema"),
        }
        if not d.get("file") and d.get("url"):
            changes["url"] = d["url"]
        try:
            services.update_resource(resource, actor=request.user, upload=d.get("file"), **changes)
        except ValidationError as exc:
            page_errors = _apply_errors(form, exc)
        else:
            messages.success(request, _("The resource is saved."))
            return redirect("opendata:dataset-detail", name=resource.dataset.name)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "opendata/resource_form.html",
        {"form": form, "page_errors": page_errors, "dataset": resource.dataset, "resource": resource},
        status=status,
    )


@login_required
@require_POST
def resource_check(request, pk: int):
    """Rerun the quality check of one resource (the dataset's editors)."""
    resource = selectors.get_resource_for_user(request.user, str(pk))
    result = services.check_resource_quality(resource, actor=request.user)
    messages.success(request, _("Quality checked: %(badge)s.") % {"badge": result.get_badge_display()})
    return redirect("opendata:dataset-detail", name=resource.dataset.name)


@login_required
@require_POST
def dataset_sync(request, name: str):
    """Send the dataset to the national portal now."""
    dataset = selectors.get_dataset_for_user(request.user, name)
    try:
        services.sync_to_portal(dataset, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        sync = PortalSync.objects.get(dataset=dataset)
        messages.success(
            request, _("Sent to the national portal: %(status)s.") % {"status": sync.get_status_display()}
        )
    return redirect("opendata:dataset-detail", name=dataset.name)


@login_required
def portal_status(request):
    """RDEC's view of every dataset's copy on the national portal, failures first."""
    if not check(request.user, "opendata.view_portal_overview"):
        raise PermissionDenied
    syncs = selectors.portal_syncs(request.user)
    counts = dict.fromkeys(PortalSync.Status.values, 0)
    for status in syncs.values_list("status", flat=True):
        counts[status] += 1
    page = Paginator(syncs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "counts": [(PortalSync.Status(k).label, k, v) for k, v in counts.items()],
        "enabled": portal.enabled(),
        "endpoint": portal.endpoint(),
    }
    return render(request, "opendata/portal_status.html", context)


def resource_download(request, pk: int):
    resource = selectors.get_resource_for_user(request.user, str(pk))
    if not resource.file and not resource.url:
        raise Http404
    services.record_download(resource, actor=request.user)
    if not resource.file:
        return HttpResponseRedirect(resource.url)
    filename = f"{resource.resource_id}.{resource.format.lower() or 'bin'}"
    return attachments.download_response(resource.file.open("rb"), filename)


# --- DCAT, full-catalog downloads and the daily change list ------------------------------------------


def _catalog_title() -> str:
    return getattr(settings, "RDEC_OPENDATA_CATALOG_TITLE", "") or _("Open data catalog")


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _rdf_response(graph, fmt: str) -> HttpResponse:
    if fmt == "ttl":
        return HttpResponse(graph.serialize(format="turtle"), content_type="text/turtle; charset=utf-8")
    context = {
        "dcat": str(dcat.DCAT),
        "dct": str(dcat.DCTERMS),
        "foaf": str(dcat.FOAF),
        "vcard": str(dcat.VCARD),
        "hydra": str(dcat.HYDRA),
        "spdx": str(dcat.SPDX),
        "cnt": str(dcat.CNT),
        "xsd": "http://www.w3.org/2001/XMLSchema#",
    }
    body = graph.serialize(format="json-ld", context=context, auto_compact=True)
    return HttpResponse(body, content_type="application/ld+json; charset=utf-8")


def catalog_rdf(request, fmt: str):
    """The catalog as DCAT-AP, 100 datasets a page (`?page=`), optionally only those changed since a
    date (`?modified_since=YYYY-MM-DD`)."""
    qs = selectors.published_datasets()
    since = request.GET.get("modified_since", "").strip()
    if since:
        try:
            day = datetime.date.fromisoformat(since[:10])
        except ValueError:
            return HttpResponse(
                _("modified_since: write a date as YYYY-MM-DD."), status=400, content_type="text/plain"
            )
        qs = qs.filter(metadata_modified__gte=exports.day_bounds(day)[0])
    total = qs.count()
    last = max(1, -(-total // dcat.PAGE_SIZE))
    page = min(_page_number(request), last)
    rows = list(
        exports.catalog_queryset(qs)
        .prefetch_related("tags")
        .order_by("identifier")[(page - 1) * dcat.PAGE_SIZE : page * dcat.PAGE_SIZE]
    )
    graph = dcat.catalog_graph(request, rows, page=page, total=total, title=_catalog_title())
    return _rdf_response(graph, fmt)


def dataset_rdf(request, key: str, fmt: str):
    dataset = selectors.get_dataset_for_user(request.user, key)
    if not dataset.is_active:
        raise Http404
    return _rdf_response(dcat.dataset_graph(request, dataset), fmt)


def catalog_download(request, fmt: str):
    """全部資料集清單: every published dataset in the national portal's columns (CSV or JSON)."""
    datasets = exports.catalog_queryset(selectors.published_datasets())
    rows = [exports.row(request, d) for d in datasets]
    today = timezone.localdate().isoformat()
    return _table_response(rows, exports.COLUMNS, fmt, f"opendata-catalog-{today}")


def changes_download(request, fmt: str):
    """異動清單: the datasets added, changed or withdrawn on a day (`?date=`, default yesterday)."""
    raw = request.GET.get("date", "").strip()
    try:
        day = datetime.date.fromisoformat(raw) if raw else timezone.localdate() - datetime.timedelta(days=1)
    except ValueError:
        return HttpResponse(_("date: write a date as YYYY-MM-DD."), status=400, content_type="text/plain")
    # Withdrawn datasets are listed (identifier and metadata, not their files) as the portal lists 下架.
    datasets = exports.catalog_queryset(exports.changes_on(Dataset.objects.all(), day))
    rows = [{exports.CHANGE_COLUMN: exports.change_kind(d, day), **exports.row(request, d)} for d in datasets]
    columns = [exports.CHANGE_COLUMN, *exports.COLUMNS]
    return _table_response(rows, columns, fmt, f"異動清單-{day.isoformat()}")


def _table_response(rows: list[dict], columns: list[str], fmt: str, filename: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(rows, columns), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            json.dumps(rows, ensure_ascii=False), content_type="application/json; charset=utf-8"
        )
    response["Content-Disposition"] = content_disposition_header(False, f"{filename}.{fmt}")
    return response


RDF_FORMATS = {"ttl", "jsonld"}
TABLE_FORMATS = {"csv", "json"}


def catalog_rdf_or_404(request, fmt: str):
    if fmt not in RDF_FORMATS:
        raise Http404
    return catalog_rdf(request, fmt)


def dataset_rdf_or_404(request, key: str, fmt: str):
    if fmt not in RDF_FORMATS:
        raise Http404
    return dataset_rdf(request, key, fmt)


def catalog_download_or_404(request, fmt: str):
    if fmt not in TABLE_FORMATS:
        raise Http404
    return catalog_download(request, fmt)


def changes_download_or_404(request, fmt: str):
    if fmt not in TABLE_FORMATS:
        raise Http404
    return changes_download(request, fmt)


# --- users' voice: comments and data requests -------------------------------------------------------


def _feedback_context(request, dataset=None) -> dict:
    items = selectors.feedback_visible_to(request.user).exclude(moderation=Feedback.Moderation.HIDDEN)
    if dataset is not None:
        items = items.filter(dataset=dataset, kind=Feedback.Kind.COMMENT)
    return {"comments": list(items.order_by("-created_at")[:50])}


@login_required
@require_POST
def dataset_comment(request, name: str):
    dataset = selectors.get_dataset_for_user(request.user, name)
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        try:
            item = services.submit_feedback(
                actor=request.user, kind=Feedback.Kind.COMMENT, dataset=dataset, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Thank you. The agency is to answer by %(due)s; the comment is shown once reviewed.")
                % {"due": roc_date(item.due_on)},
            )
            return redirect("opendata:feedback-detail", pk=item.pk)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("opendata:dataset-detail", name=dataset.name)


def request_list(request):
    """資料需求: the data requests the user may see, open ones first."""
    items = selectors.feedback_visible_to(request.user).filter(kind=Feedback.Kind.REQUEST)
    items = items.exclude(moderation=Feedback.Moderation.HIDDEN).order_by(
        F("answered_at").asc(nulls_first=True), "-created_at"
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "opendata/request_list.html", {"page": page})


@login_required
def request_create(request):
    if not check(request.user, "opendata.submit_feedback"):
        raise PermissionDenied
    form = forms.DataRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.submit_feedback(
                actor=request.user, kind=Feedback.Kind.REQUEST, **form.cleaned_data
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Thank you. The agency is to answer by %(due)s; the request is shown once reviewed.")
                % {"due": roc_date(item.due_on)},
            )
            return redirect("opendata:feedback-detail", pk=item.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "opendata/request_form.html", {"form": form}, status=status)


def feedback_detail(request, pk: int):
    item = selectors.get_feedback_for_user(request.user, pk)
    may_answer = check(request.user, "opendata.answer_feedback", item)
    may_moderate = check(request.user, "opendata.moderate_feedback", item)
    answer_form = forms.AnswerForm(initial={"answer": item.answer}) if may_answer else None
    moderation_form = forms.ModerationForm() if may_moderate else None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "answer" and may_answer:
                answer_form = forms.AnswerForm(request.POST)
                if answer_form.is_valid():
                    services.answer_feedback(
                        item, actor=request.user, answer=answer_form.cleaned_data["answer"]
                    )
                    messages.success(request, _("The answer is saved."))
                    return redirect("opendata:feedback-detail", pk=item.pk)
            elif action == "moderate" and may_moderate:
                moderation_form = forms.ModerationForm(request.POST)
                if moderation_form.is_valid():
                    services.moderate_feedback(item, actor=request.user, **moderation_form.cleaned_data)
                    messages.success(request, _("The review is saved."))
                    return redirect("opendata:feedback-detail", pk=item.pk)
            else:
                raise PermissionDenied
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    status = 400 if request.method == "POST" else 200
    context = {
        "item": item,
        "answer_form": answer_form,
        "moderation_form": moderation_form,
        "today": timezone.localdate(),
    }
    return render(request, "opendata/feedback_detail.html", context, status=status)


@login_required
def feedback_inbox(request):
    """What waits for the user: RDEC reviews; an agency answers, earliest deadline first."""
    if not (check(request.user, "opendata.moderate_feedback") or request.user.is_agency_member):
        raise PermissionDenied
    due = "overdue" if request.GET.get("due") == "overdue" else ""
    items = selectors.feedback_to_handle(request.user, due=due)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "today": timezone.localdate(), "due": due, "query": f"due={due}" if due else ""}
    return render(request, "opendata/feedback_inbox.html", context)


def feedback_stats(request):
    """Response times of the agencies to comments and data requests (public)."""
    from rdec.opendata import feedback as voice

    items = (
        Feedback.objects.select_related("agency")
        .exclude(moderation=Feedback.Moderation.HIDDEN)
        .order_by("pk")
    )
    kind = request.GET.get("kind", "")
    if kind in Feedback.Kind.values:
        items = items.filter(kind=kind)
    total, agencies = voice.response_stats(items)
    context = {
        "total": total,
        "agencies": agencies,
        "kind": kind,
        "rule": voice.rule_on(timezone.localdate()),
    }
    return render(request, "opendata/feedback_stats.html", context)


# --- quality dashboard ----------------------------------------------------------------------------------


def quality_dashboard(request):
    """品質儀表板: each agency's datasets by badge, the share of gold and its trend (daily snapshots
    of the nightly run), and how many are overdue for an update."""
    try:
        days = min(366, max(7, int(request.GET.get("days", "30"))))
    except ValueError:
        days = 30
    rows = selectors.quality_dashboard(days)
    totals = {k: sum(r[k] for r in rows) for k in ("gold", "silver", "bronze", "none", "total")}
    totals["gold_pct"] = round(100 * totals["gold"] / totals["total"], 1) if totals["total"] else None
    return render(request, "opendata/quality_dashboard.html", {"rows": rows, "totals": totals, "days": days})
