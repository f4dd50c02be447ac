from django.contrib import admin

from rdec.strategy.models import (
    ActionPlan,
    CoreValue,
    LightRule,
    QuarterlyReport,
    Reminder,
    ReportingWindow,
    Strategy,
    SubsidyCheckpoint,
    SubsidyCycle,
    SubsidyProject,
    Target,
    TargetChangeRequest,
)


@admin.register(CoreValue)
class CoreValueAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "sort_order"]


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "core_value", "name_confirmed"]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = [
        "year",
        "key",
        "name",
        "unit",
        "baseline",
        "annual_target",
        "direction",
        "value_type",
        "live_source",
    ]


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "strategy", "agency", "active"]
    list_filter = ["strategy", "agency", "active"]
    search_fields = ["code", "name"]
    filter_horizontal = ["co_agencies"]
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["plan", "year", "name", "unit", "annual_target", "direction", "value_type", "live_source"]
    list_filter = ["year", "direction", "value_type"]
    search_fields = ["name", "plan__code", "plan__name"]


@admin.register(ReportingWindow)
class ReportingWindowAdmin(admin.ModelAdmin):
    list_display = ["year", "quarter", "opens_on", "closes_on", "closed_at"]


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(admin.ModelAdmin):
    list_display = ["target", "quarter", "value", "origin", "reported_by", "reported_at"]
    list_filter = ["quarter", "origin"]
    readonly_fields = ["reported_by", "reported_at"]


@admin.register(TargetChangeRequest)
class TargetChangeRequestAdmin(admin.ModelAdmin):
    list_display = ["target", "old_value", "new_value", "status", "requested_by", "decided_by"]
    list_filter = ["status"]


@admin.register(LightRule)
class LightRuleAdmin(admin.ModelAdmin):
    """Traffic-light thresholds, dated (the defaults are not confirmed by the RDEC)."""

    list_display = ["effective_from", "green_from", "yellow_from", "confirmed", "source"]


@admin.register(SubsidyCycle)
class SubsidyCycleAdmin(admin.ModelAdmin):
    """The year's dates (proposals, selection meeting, schedule, monthly report day): editable."""

    list_display = [
        "year",
        "proposals_open_on",
        "proposals_due_on",
        "review_meeting_by",
        "schedule_due_by",
        "report_day",
    ]


class SubsidyCheckpointInline(admin.TabularInline):
    model = SubsidyCheckpoint
    extra = 0


@admin.register(SubsidyProject)
class SubsidyProjectAdmin(admin.ModelAdmin):
    list_display = ["cycle", "agency", "title", "central_subsidy", "city_match", "status"]
    list_filter = ["cycle", "status"]
    inlines = [SubsidyCheckpointInline]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["created_at", "agency", "subject", "emailed_to"]
    readonly_fields = ["key"]
