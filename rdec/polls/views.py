"""Pages of 民意調查: the list of polls, and a poll's page (status, disclosure, per-question results
with margins and subgroups, response rates; for the RDEC the import, targets, weighting, disclosure
and publish forms). Writes go through services; their errors go back on the forms (HTTP 400)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from rdec.core.forms import apply_errors
from rdec.core.permissions import check, require
from rdec.core.tabular import ImportFailed
from rdec.polls import forms as f
from rdec.polls import selectors, services
from rdec.polls.importing import filter_text
from rdec.polls.models import DISCLOSURE_FIELDS

SUBGROUP_VARIABLES = ("sex", "age_band", "district", "education")
MAX_UPLOAD = 20 * 1024 * 1024


def survey_list(request):
    manage = check(request.user, "polls.manage_polls")
    form = None
    status = 200
    if manage:
        form = f.SurveyCreateForm(request.POST or None)
        if request.method == "POST":
            if form.is_valid():
                try:
                    survey = services.create_survey(actor=request.user, **form.cleaned_data)
                except ValidationError as exc:
                    apply_errors(form, exc)
                else:
                    return redirect("polls:survey-detail", pk=survey.pk)
            status = 400
    elif request.method == "POST":
        require(request.user, "polls.manage_polls")
    surveys = selectors.surveys_visible_to(request.user)
    return render(request, "polls/survey_list.html", {"surveys": surveys, "form": form}, status=status)


def _read_upload(form):
    upload = form.cleaned_data["file"]
    if upload.size > MAX_UPLOAD:
        raise ImportFailed([_("The file is larger than 20 MB.")])
    return upload.read(), upload.name


def _handle(request, survey, action):
    """One RDEC action; returns the bound form with errors, or None when done."""
    if action == "import":
        form = f.FileForm(request.POST, request.FILES, prefix="import")
        if form.is_valid():
            try:
                data, name = _read_upload(form)
                result = services.import_responses(survey.slug, data, name, actor=request.user)
            except ImportFailed as exc:
                for message in exc.errors[:50]:
                    form.add_error("file", message)
            else:
                messages.success(
                    request,
                    _("%(cases)s cases imported, %(completes)s complete interviews.")
                    % {"cases": result.cases, "completes": result.completes},
                )
                return None
        return form
    if action == "targets":
        form = f.FileForm(request.POST, request.FILES, prefix="targets")
        if form.is_valid():
            try:
                data, name = _read_upload(form)
                services.load_targets(survey, data, name, actor=request.user)
            except ImportFailed as exc:
                for message in exc.errors[:50]:
                    form.add_error("file", message)
            else:
                messages.success(request, _("Targets loaded."))
                return None
        return form
    if action == "weight":
        form = f.WeightForm(request.POST, prefix="weight")
        if form.is_valid():
            data = form.cleaned_data
            trim = None
            if data.get("trim_low") is not None or data.get("trim_high") is not None:
                trim = (data.get("trim_low"), data.get("trim_high"))
            try:
                run = services.weight_survey(
                    survey, actor=request.user, tol=data["tol"], max_iter=data["max_iter"], trim=trim
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Weighted: design effect %(deff)s, effective sample size %(neff)s.")
                    % {"deff": f"{run.deff:.3f}", "neff": f"{run.n_eff:.1f}"},
                )
                return None
        return form
    if action == "disclosure":
        form = f.DisclosureForm(request.POST, instance=survey, prefix="disclosure")
        if form.is_valid():
            try:
                services.update_survey(
                    survey, actor=request.user, **{k: form.cleaned_data[k] for k in form.Meta.fields}
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return None
        return form
    if action == "question":
        form = f.QuestionForm(request.POST, survey=survey, prefix="question")
        if form.is_valid():
            data = form.cleaned_data
            question = survey.questions.get(code=data["question"])
            try:
                services.update_question(
                    question,
                    actor=request.user,
                    wording=data["wording"],
                    filter_question=data["filter_question"],
                    filter_codes=data["filter_codes"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return None
        return form
    if action == "report":
        form = f.FileForm(prefix="report")
        try:
            services.mark_reported(survey, actor=request.user)
        except ValidationError as exc:
            form.publish_errors = [" ".join(v) for v in exc.message_dict.values()]
            return form
        messages.success(request, _("Saved."))
        return None
    if action == "revoke_key":
        form = f.FileForm(prefix="key")
        try:
            services.revoke_contractor_key(survey, actor=request.user)
        except ValidationError as exc:
            form.publish_errors = [" ".join(v) for v in exc.message_dict.values()]
            return form
        messages.success(request, _("The contractor's API key is revoked."))
        return None
    if action in ("publish", "republish"):
        form = f.DisclosureForm(instance=survey, prefix="disclosure")
        try:
            services.publish_survey(survey, actor=request.user)
        except ValidationError as exc:
            form = f.DisclosureForm(instance=survey, prefix="disclosure", data=None)
            form.publish_errors = [
                _("%(item)s: fill in this disclosure item before publishing.")
                % {"item": DISCLOSURE_FIELDS[k]}
                if k in DISCLOSURE_FIELDS
                else " ".join(v)
                for k, v in exc.message_dict.items()
            ]
            return form
        messages.success(
            request,
            _("Published. Its microdata and frequency tables are being sent to the open data catalog."),
        )
        return None
    raise Http404


def _waves_table(comparison: dict) -> dict | None:
    """The 「與前次調查比較」 block of a question: its % in each wave (columns), and per option the change
    since the previous wave with the test's verdict; None when no earlier wave asked it."""
    waves = comparison["waves"]
    if len(waves) < 2:
        return None
    previous = waves[-2]
    by_wave = [{o["code"]: o for o in w["options"]} for w in waves]
    rows = []
    for option in waves[-1]["options"]:
        change = by_wave[-2].get(option["code"], {})
        rows.append(
            {
                "label": option["label"],
                "code": option["code"],
                "pcts": [w.get(option["code"], {}).get("weighted_pct") for w in by_wave],
                "difference": change.get("difference"),
                "z": change.get("z"),
                "significant": change.get("significant"),
            }
        )
    return {"waves": waves, "previous": previous, "rows": rows}


def survey_detail(request, pk: int):
    survey = selectors.get_survey_for_user(request.user, pk)
    manage = check(request.user, "polls.manage_polls", survey)
    failed, status, new_key = None, 200, None
    if request.method == "POST":
        require(request.user, "polls.manage_polls", survey)
        action = request.POST.get("action", "")
        if action == "issue_key":
            # the key is shown on this response only (never kept, never in a redirect or message)
            try:
                key, raw = services.issue_contractor_key(survey, actor=request.user)
            except ValidationError as exc:
                failed = f.FileForm(prefix="key")
                failed.publish_errors = [" ".join(v) for v in exc.message_dict.values()]
            else:
                new_key = {"prefix": key.prefix, "raw": raw}
        else:
            failed = _handle(request, survey, action)
            if failed is None:
                return redirect("polls:survey-detail", pk=survey.pk)
        if failed is not None:
            failed.action = action
            status = 400
        survey.refresh_from_db()

    def form_for(action, factory):
        if failed is not None and getattr(failed, "action", "") == action:
            return failed
        return factory()

    forms = {}
    if manage:
        forms = {
            "import": form_for("import", lambda: f.FileForm(prefix="import")),
            "targets": form_for("targets", lambda: f.FileForm(prefix="targets")),
            "weight": form_for("weight", lambda: f.WeightForm(prefix="weight")),
            "question": form_for("question", lambda: f.QuestionForm(survey=survey, prefix="question")),
            "disclosure": form_for(
                "disclosure", lambda: f.DisclosureForm(instance=survey, prefix="disclosure")
            ),
        }
    publish_errors = getattr(failed, "publish_errors", []) if failed is not None else []
    key_errors = publish_errors if failed is not None and failed.action in ("issue_key", "revoke_key") else []
    if key_errors:
        publish_errors = []
    by = request.GET.get("by", "")
    if by not in SUBGROUP_VARIABLES:
        by = ""
    completes = list(survey.cases.filter(outcome="I").order_by("pk"))
    results = []
    has_waves = bool(selectors.earlier_waves(survey, request.user))
    cache = {survey.pk: completes}
    for question in survey.questions.all():
        result = selectors.question_results(survey, question, cases=completes)
        if has_waves:
            result["waves"] = _waves_table(
                selectors.wave_comparison(survey, question, user=request.user, completes=cache)
            )
        if by:
            groups = {}
            for case in completes:
                groups.setdefault(case.value(by) or "—", []).append(case)
            result["subgroups"] = [
                {"category": k, **selectors.question_results(survey, question, cases=v)}
                for k, v in sorted(groups.items())
            ]
            result["test"] = selectors.crosstab_test(question, by, completes)
        results.append(result)
    has_cases = survey.cases.exists()
    rates_form = f.RatesForm(request.GET if {"e", "weighted"} & set(request.GET) else None)
    rates_choice = {}
    if rates_form.is_bound:
        if rates_form.is_valid():
            data = rates_form.cleaned_data
            rates_choice = {"e": data["e"], "weighted": data["weighted"]}
        else:
            status = 400
    context = {
        "survey": survey,
        "manage": manage,
        "forms": forms,
        "publish_errors": publish_errors,
        "disclosure": [(label, getattr(survey, name)) for name, label in DISCLOSURE_FIELDS.items()],
        "missing": [DISCLOSURE_FIELDS[name] for name in survey.missing_disclosure()],
        "results": results,
        "by": by,
        "subgroup_variables": SUBGROUP_VARIABLES,
        "rates": selectors.response_rates(survey, **rates_choice) if has_cases else None,
        "counts": selectors.disposition_counts(survey) if has_cases else None,
        "rates_form": rates_form,
        "rates_choice": rates_choice,
        "run": selectors.latest_run(survey),
        "targets": list(survey.targets.all()),
        "small_base": selectors.SMALL_BASE,
        "design": selectors.design(survey) if manage else None,
        "questions": [
            {
                "code": q.code,
                "wording": q.wording,
                "version": q.version,
                "base": filter_text(q.filter_question, q.filter_codes) if q.filter_question else "",
            }
            for q in survey.questions.all()
        ]
        if manage
        else [],
        "dataset": survey.dataset if survey.dataset_id and survey.dataset.is_active else None,
        "new_key": new_key,
        "key_errors": key_errors,
        "contractor_key": survey.contractor_key if manage else None,
    }
    return render(request, "polls/survey_detail.html", context, status=status)


def survey_report(request, pk: int):
    """The poll's report in the Taiwanese skeleton (研究發現摘要 … 問卷) with its charts; whoever may see
    the poll may read it (a published poll: everyone; the others: the RDEC)."""
    from rdec.polls.charts import attach_charts
    from rdec.polls.report import build_report

    survey = selectors.get_survey_for_user(request.user, pk)
    report = attach_charts(build_report(survey))
    return render(request, "polls/report.html", {"survey": survey, "report": report})


def survey_report_file(request, pk: int, fmt: str):
    """The report as a PDF, .xlsx or .ods (`/polls/<id>/report.pdf`)."""
    from rdec.polls import report_files
    from rdec.polls.report import build_report

    if fmt not in report_files.MIME:
        raise Http404
    survey = selectors.get_survey_for_user(request.user, pk)
    data = report_files.build(build_report(survey), fmt)
    response = HttpResponse(data, content_type=report_files.MIME[fmt])
    response["Content-Disposition"] = f'attachment; filename="poll-{survey.slug}-report.{fmt}"'
    return response


app_name = "polls"
urlpatterns = [
    path("", survey_list, name="survey-list"),
    path("<int:pk>/", survey_detail, name="survey-detail"),
    path("<int:pk>/report/", survey_report, name="survey-report"),
    path("<int:pk>/report.<str:fmt>", survey_report_file, name="survey-report-file"),
]
