"""Strategy use cases: one function each — atomic, permission-checked, audited."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core import audit
from rdec.core.dates import quarter_label, roc_date
from rdec.core.permissions import require
from rdec.strategy import live, selectors
from rdec.strategy.models import (
    LightRule,
    QuarterlyReport,
    ReportingWindow,
    SubsidyCheckpoint,
    SubsidyCycle,
    SubsidyMonth,
    SubsidyProject,
    SubsidyPublication,
    Target,
    TargetChangeRequest,
)


def _actor(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _decimal(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: [_("Enter a number.")]}) from None
    if not number.is_finite():
        raise ValidationError({field: [_("Enter a number.")]})
    if number < 0:
        raise ValidationError({field: [_("The value cannot be negative.")]})
    if abs(number) >= Decimal("1e12"):
        raise ValidationError({field: [_("The number is too large.")]})
    return number


# --- reporting windows -----------------------------------------------------------------------------------


def _check_window_dates(opens_on, closes_on) -> None:
    if opens_on is None or closes_on is None:
        raise ValidationError({"opens_on": [_("Give the opening and closing dates.")]})
    if closes_on < opens_on:
        raise ValidationError({"closes_on": [_("The closing date cannot be before the opening date.")]})


@transaction.atomic
def open_window(
    *, actor, year: int, quarter: int, opens_on: datetime.date, closes_on: datetime.date
) -> ReportingWindow:
    """開放填報: the window in which agencies report the quarter's values."""
    require(actor, "strategy.manage_windows")
    errors = {}
    if quarter not in (1, 2, 3, 4):
        errors["quarter"] = [_("The quarter must be 1, 2, 3 or 4.")]
    if not 2000 <= int(year) <= 2100:
        errors["year"] = [_("Give the year in the Western calendar, e.g. 2026.")]
    if errors:
        raise ValidationError(errors)
    _check_window_dates(opens_on, closes_on)
    if ReportingWindow.objects.filter(year=year, quarter=quarter).exists():
        raise ValidationError(
            {
                "quarter": [
                    _("A reporting window for %(period)s already exists.")
                    % {"period": quarter_label(year, quarter)}
                ]
            }
        )
    window = ReportingWindow.objects.create(
        year=year, quarter=quarter, opens_on=opens_on, closes_on=closes_on, opened_by=_actor(actor)
    )
    audit.record("strategy.window_opened", window, opens_on=opens_on, closes_on=closes_on)
    return window


@transaction.atomic
def extend_window(window: ReportingWindow, *, actor, closes_on: datetime.date) -> ReportingWindow:
    """展延: move the closing date of a window that is not closed yet."""
    require(actor, "strategy.manage_windows", window)
    window = ReportingWindow.objects.select_for_update().get(pk=window.pk)
    if window.is_closed:
        raise ValidationError({"closes_on": [_("A closed reporting window cannot be extended.")]})
    _check_window_dates(window.opens_on, closes_on)
    before = window.closes_on
    window.closes_on = closes_on
    window.save(update_fields=["closes_on"])
    audit.record("strategy.window_extended", window, before=before, after=closes_on)
    return window


@transaction.atomic
def close_window(window: ReportingWindow, *, actor) -> ReportingWindow:
    """截止: no more reports. Targets fed by a live source get the source's value for the quarter."""
    require(actor, "strategy.manage_windows", window)
    window = ReportingWindow.objects.select_for_update().get(pk=window.pk)
    if window.is_closed:
        raise ValidationError({"window": [_("This reporting window is already closed.")]})
    stored = _store_live_values(window, actor)
    window.closed_at = timezone.now()
    window.closed_by = _actor(actor)
    window.save(update_fields=["closed_at", "closed_by"])
    audit.record("strategy.window_closed", window, live_values=stored)
    return window


def _store_live_values(window: ReportingWindow, actor) -> int:
    stored = 0
    for target in Target.objects.filter(year=window.year, plan__active=True).exclude(live_source=""):
        value = live.live_value(target.live_source, window.year, window.quarter)
        if value is None:
            continue
        report = QuarterlyReport.objects.filter(target=target, quarter=window.quarter).first()
        if report is None:
            report = QuarterlyReport(target=target, quarter=window.quarter, window=window)
        report.value = value
        report.origin = QuarterlyReport.Origin.LIVE
        report.reported_at = timezone.now()
        report.save()
        stored += 1
    return stored


# --- quarterly reports -----------------------------------------------------------------------------------


@transaction.atomic
def submit_report(
    target: Target, *, actor, window: ReportingWindow, value=None, narrative: str = ""
) -> QuarterlyReport:
    """填報: the target's value for the window's quarter and the narrative (辦理情形). Submitting
    again while the window is open replaces the value (the audit trail keeps the earlier one).

    A target fed by a live source takes the source's value; the agency adds the narrative."""
    require(actor, "strategy.report", target)
    window = ReportingWindow.objects.select_for_update().get(pk=window.pk)
    refusal = selectors.window_refusal(window)
    if refusal:
        raise ValidationError({"window": [refusal]})
    if target.year != window.year:
        raise ValidationError(
            {"target": [_("This target is for %(year)s, not for the window's year.") % {"year": target.year}]}
        )
    if not target.plan.active:
        raise ValidationError({"target": [_("This action plan is no longer tracked.")]})
    if target.live_source:
        number = live.live_value(target.live_source, window.year, window.quarter)
        if number is None:
            raise ValidationError({"value": [_("The live count for this target is not available now.")]})
        origin = QuarterlyReport.Origin.LIVE
    else:
        if value is None or value == "":
            raise ValidationError({"value": [_("Enter the quarter's value.")]})
        number = _decimal(value, "value")
        origin = QuarterlyReport.Origin.TYPED
    narrative = (narrative or "").strip()
    if not narrative:
        raise ValidationError({"narrative": [_("Describe the progress of the quarter (辦理情形).")]})
    report = QuarterlyReport.objects.filter(target=target, quarter=window.quarter).first()
    if report is None:
        report = QuarterlyReport(target=target, quarter=window.quarter)
    report.window = window
    report.value = number
    report.narrative = narrative
    report.origin = origin
    report.reported_by = _actor(actor)
    report.reported_at = timezone.now()
    report.save()
    audit.record("strategy.reported", target, quarter=window.quarter, value=number)
    return report


# --- target changes --------------------------------------------------------------------------------------


@transaction.atomic
def request_target_change(
    target: Target, *, actor, new_value, justification: str = "", response_strategy: str = ""
) -> TargetChangeRequest:
    """Ask to change the annual target. Loosening it waits for the RDEC and needs both the analysis
    of why it cannot be met and the response strategy; tightening it is applied at once."""
    require(actor, "strategy.request_target_change", target)
    target = Target.objects.select_for_update().select_related("plan").get(pk=target.pk)
    number = _decimal(new_value, "new_value")
    if number == target.annual_target:
        raise ValidationError({"new_value": [_("The proposed target is the same as the current one.")]})
    if target.change_requests.filter(status=TargetChangeRequest.Status.PENDING).exists():
        raise ValidationError({"new_value": [_("A change of this target is already waiting for the RDEC.")]})
    change = TargetChangeRequest(
        target=target,
        old_value=target.annual_target,
        new_value=number,
        justification=(justification or "").strip(),
        response_strategy=(response_strategy or "").strip(),
        requested_by=_actor(actor),
    )
    if change.is_loosening:
        errors = {}
        if not change.justification:
            errors["justification"] = [_("Explain why the target cannot be met.")]
        if not change.response_strategy:
            errors["response_strategy"] = [_("Give the response strategy (因應對策).")]
        if errors:
            raise ValidationError(errors)
        change.save()
        audit.record("strategy.target_change_requested", target, old=change.old_value, new=number)
        return change
    change.status = TargetChangeRequest.Status.APPROVED
    change.decided_at = timezone.now()
    change.decision_comment = _("Raised target: applied without review.")
    change.save()
    target.annual_target = number
    target.save(update_fields=["annual_target"])
    audit.record("strategy.target_raised", target, old=change.old_value, new=number)
    return change


@transaction.atomic
def decide_target_change(
    change: TargetChangeRequest, *, actor, approve: bool, comment: str = ""
) -> TargetChangeRequest:
    """The RDEC approves (the annual target changes) or rejects a pending request, with a comment."""
    require(actor, "strategy.decide_target_change", change)
    change = TargetChangeRequest.objects.select_for_update().select_related("target").get(pk=change.pk)
    if change.status != TargetChangeRequest.Status.PENDING:
        raise ValidationError({"approve": [_("This request has already been decided.")]})
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError({"comment": [_("Say why the request is rejected.")]})
    change.status = TargetChangeRequest.Status.APPROVED if approve else TargetChangeRequest.Status.REJECTED
    change.decided_by = _actor(actor)
    change.decided_at = timezone.now()
    change.decision_comment = comment
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    if approve:
        target = change.target
        target.annual_target = change.new_value
        target.save(update_fields=["annual_target"])
    audit.record(
        "strategy.target_change_decided",
        change.target,
        approved=approve,
        old=change.old_value,
        new=change.new_value,
    )
    return change


# --- settings ----------------------------------------------------------------------------------------------


@transaction.atomic
def set_light_rule(
    *,
    actor,
    effective_from: datetime.date,
    green_from,
    yellow_from,
    source: str,
    confirmed: bool = False,
    notes: str = "",
) -> LightRule:
    """Traffic-light thresholds from a date, with their source (a rule for the same date is
    replaced; the lights are computed when shown, so every quarter follows the version in force on
    its last day)."""
    require(actor, "strategy.manage_plans")
    if not (source or "").strip():
        raise ValidationError({"source": [_("Cite the source of these rules.")]})
    green, yellow = _decimal(green_from, "green_from"), _decimal(yellow_from, "yellow_from")
    if yellow > green:
        raise ValidationError({"yellow_from": [_("The yellow threshold cannot be above the green one.")]})
    rule, _created = LightRule.objects.update_or_create(
        effective_from=effective_from,
        defaults={
            "green_from": green,
            "yellow_from": yellow,
            "source": source.strip(),
            "confirmed": confirmed,
            "notes": notes,
        },
    )
    return rule


# --- subsidy projects (一般性補助款基本設施補助計畫) --------------------------------------------------------


def _nonneg(value, field: str, *, maximum=None) -> Decimal:
    number = _decimal(value, field)
    if maximum is not None and number > maximum:
        raise ValidationError({field: [_("The value cannot be above %(max)s.") % {"max": maximum}]})
    return number


@transaction.atomic
def open_subsidy_cycle(*, actor, year: int, **dates) -> SubsidyCycle:
    """A year's cycle with the seed's dates (proposals from late November, selection by the end of
    January, schedule by the end of March, reports by the 7th), any of them overridden."""
    require(actor, "strategy.manage_subsidies")
    if SubsidyCycle.objects.filter(year=year).exists():
        raise ValidationError({"year": [_("The subsidy cycle of %(year)s already exists.") % {"year": year}]})
    values = SubsidyCycle.default_dates(int(year))
    values.update({k: v for k, v in dates.items() if v is not None})
    cycle = SubsidyCycle.objects.create(year=year, **values)
    audit.record("strategy.subsidy_cycle_opened", cycle)
    return cycle


@transaction.atomic
def propose_subsidy_project(
    cycle: SubsidyCycle,
    *,
    actor,
    agency,
    title: str,
    central_subsidy,
    city_match=0,
    description: str = "",
) -> SubsidyProject:
    """提案: an agency proposes a project, from the opening date until the selection meeting."""
    require(actor, "strategy.propose_subsidy", agency)
    cycle = SubsidyCycle.objects.get(pk=cycle.pk)
    today = timezone.localdate()
    if today < cycle.proposals_open_on:
        raise ValidationError(
            {
                "title": [
                    _("Proposals for %(year)s open on %(date)s.")
                    % {"year": cycle.year, "date": roc_date(cycle.proposals_open_on)}
                ]
            }
        )
    if cycle.review_meeting_on is not None:
        raise ValidationError({"title": [_("The selection meeting has been held; proposals are closed.")]})
    if not (title or "").strip():
        raise ValidationError({"title": [_("Give the project a title.")]})
    project = SubsidyProject.objects.create(
        cycle=cycle,
        agency=agency,
        title=title.strip(),
        description=(description or "").strip(),
        central_subsidy=_nonneg(central_subsidy, "central_subsidy"),
        city_match=_nonneg(city_match or 0, "city_match"),
        proposed_by=_actor(actor),
    )
    audit.record("strategy.subsidy_proposed", project, late=today > cycle.proposals_due_on)
    return project


@transaction.atomic
def decide_subsidy_project(
    project: SubsidyProject, *, actor, selected: bool, comment: str = "", held_on=None
):
    """選案: the selection meeting selects the project or not (the meeting date is recorded on the
    cycle the first time)."""
    require(actor, "strategy.manage_subsidies", project)
    project = SubsidyProject.objects.select_for_update().select_related("cycle").get(pk=project.pk)
    if project.months.exclude(reported_at=None).exists():
        raise ValidationError({"selected": [_("A project with monthly reports cannot be reviewed again.")]})
    cycle = project.cycle
    if cycle.review_meeting_on is None:
        cycle.review_meeting_on = held_on or timezone.localdate()
        cycle.save(update_fields=["review_meeting_on"])
    project.status = SubsidyProject.Status.SELECTED if selected else SubsidyProject.Status.NOT_SELECTED
    project.review_comment = (comment or "").strip()
    project.reviewed_by = _actor(actor)
    project.reviewed_at = timezone.now()
    project.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at"])
    audit.record("strategy.subsidy_decided", project, selected=selected)
    return project


@transaction.atomic
def set_subsidy_schedule(
    project: SubsidyProject,
    *,
    actor,
    checkpoints: list[tuple[str, datetime.date]],
    months: list[tuple[int, object, object]],
) -> SubsidyProject:
    """查核點與預算進度: the checkpoints and the monthly plan (cumulative % and spending), due by the
    end of March. Setting it again replaces the plan; months already reported keep their reports."""
    require(actor, "strategy.edit_subsidy", project)
    project = SubsidyProject.objects.select_for_update().select_related("cycle").get(pk=project.pk)
    if project.status != SubsidyProject.Status.SELECTED:
        raise ValidationError({"months": [_("Only a selected project gets a schedule.")]})
    if not checkpoints:
        raise ValidationError({"checkpoints": [_("Give at least one checkpoint.")]})
    if not months:
        raise ValidationError({"months": [_("Give the monthly plan.")]})
    plan = {}
    last_progress, last_spend = Decimal(0), Decimal(0)
    for month, progress, spend in sorted(months, key=lambda m: int(m[0])):
        month = int(month)
        if not 1 <= month <= 12 or month in plan:
            raise ValidationError({"months": [_("Each month 1–12 may appear once.")]})
        progress = _nonneg(progress, "months", maximum=Decimal(100))
        spend = _nonneg(spend, "months")
        if progress < last_progress or spend < last_spend:
            raise ValidationError(
                {"months": [_("Planned progress and spending are cumulative: they cannot go down.")]}
            )
        last_progress, last_spend = progress, spend
        plan[month] = (progress, spend)
    project.checkpoints.filter(done_on__isnull=True).delete()
    for name, planned_on in checkpoints:
        if not (name or "").strip() or planned_on is None:
            raise ValidationError({"checkpoints": [_("Each checkpoint needs a name and a date.")]})
        SubsidyCheckpoint.objects.create(project=project, name=name.strip(), planned_on=planned_on)
    project.months.filter(reported_at__isnull=True).exclude(month__in=plan).delete()
    for month, (progress, spend) in plan.items():
        SubsidyMonth.objects.update_or_create(
            project=project, month=month, defaults={"planned_progress": progress, "planned_spend": spend}
        )
    project.schedule_set_at = timezone.now()
    project.save(update_fields=["schedule_set_at"])
    audit.record(
        "strategy.subsidy_scheduled", project, late=timezone.localdate() > project.cycle.schedule_due_by
    )
    return project


@transaction.atomic
def report_subsidy_month(
    project: SubsidyProject,
    *,
    actor,
    month: int,
    actual_progress,
    actual_spend,
    delay_reason: str = "",
    countermeasure: str = "",
    checkpoints_done: dict[int, datetime.date] | None = None,
) -> SubsidyMonth:
    """每月填報 (by the 7th of the next month): cumulative actual progress and spending; behind the
    plan, the reason (落後原因) and the countermeasure (因應對策) are required."""
    require(actor, "strategy.edit_subsidy", project)
    project = SubsidyProject.objects.select_related("cycle").get(pk=project.pk)
    if project.status != SubsidyProject.Status.SELECTED:
        raise ValidationError({"month": [_("Only a selected project is reported.")]})
    row = SubsidyMonth.objects.select_for_update().filter(project=project, month=month).first()
    if row is None:
        raise ValidationError({"month": [_("This month has no planned values: set the schedule first.")]})
    today = timezone.localdate()
    if (project.cycle.year, month) > (today.year, today.month):
        raise ValidationError({"month": [_("A month cannot be reported before it begins.")]})
    progress = _nonneg(actual_progress, "actual_progress", maximum=Decimal(100))
    spend = _nonneg(actual_spend, "actual_spend")
    delay_reason, countermeasure = (delay_reason or "").strip(), (countermeasure or "").strip()
    if progress < row.planned_progress:
        errors = {}
        if not delay_reason:
            errors["delay_reason"] = [_("The project is behind its plan: give the reason (落後原因).")]
        if not countermeasure:
            errors["countermeasure"] = [
                _("The project is behind its plan: give the countermeasure (因應對策).")
            ]
        if errors:
            raise ValidationError(errors)
    row.actual_progress, row.actual_spend = progress, spend
    row.delay_reason, row.countermeasure = delay_reason, countermeasure
    row.reported_by, row.reported_at = _actor(actor), timezone.now()
    row.save()
    for checkpoint_id, done_on in (checkpoints_done or {}).items():
        project.checkpoints.filter(pk=checkpoint_id).update(done_on=done_on)
    audit.record("strategy.subsidy_reported", project, month=month, late=row.is_late)
    return row


@transaction.atomic
def publish_subsidy_quarter(cycle: SubsidyCycle, *, actor, quarter: int) -> SubsidyPublication:
    """Publish a quarter's performance on the public page."""
    require(actor, "strategy.manage_subsidies", cycle)
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": [_("The quarter must be 1, 2, 3 or 4.")]})
    publication, created = SubsidyPublication.objects.get_or_create(
        cycle=cycle, quarter=quarter, defaults={"published_by": _actor(actor)}
    )
    if not created:
        raise ValidationError({"quarter": [_("This quarter is already published.")]})
    audit.record("strategy.subsidy_published", cycle, quarter=quarter)
    return publication
