"""The catalog pages: search with facets, the dataset page, and the agency's publish and edit forms.

Views read through selectors and write through services; a ValidationError from a service is shown
on the form with status 400, PermissionDenied becomes the 403 page."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rdec.core.permissions import check
from rdec.opendata import forms, quality, selectors, services, vocab
from rdec.opendata.models import Resource
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
        dataset.resources.filter(state=Resource.State.ACTIVE).prefetch_related("versions", "quality_checks")
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
                    header, rows = quality.preview(stream, encoding=encoding)
            except OSError:
                continue
            if header:
                previews.append({"resource": resource, "header": header, "rows": rows})
    context = {
        "dataset": dataset,
        "resources": resources,
        "category_label": vocab.Category(dataset.category).label
        if dataset.category in vocab.Category.values
        else "",
        "declared_fields": dataset.declared_fields,
        "previews": previews,
        "timeliness": update_status(dataset, resources),
        "may_edit": check(request.user, "opendata.edit_dataset", dataset),
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


def resource_download(request, pk: int):
    resource = selectors.get_resource_for_user(request.user, str(pk))
    if not resource.file and not resource.url:
        raise Http404
    services.record_download(resource, actor=request.user)
    if not resource.file:
        return HttpResponseRedirect(resource.url)
    filename = f"{resource.resource_id}.{resource.format.lower() or 'bin'}"
    response = FileResponse(resource.file.open("rb"), as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
