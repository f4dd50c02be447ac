"""The admin: rule versions are edited here (through services.save_rule_version, so the change is
permission-checked and audited); tenders and progress are browsable."""

from django.contrib import admin
from django.core.exceptions import ValidationError

from rdec.tenders import models as m
from rdec.tenders import services


@admin.register(m.RuleVersion)
class RuleVersionAdmin(admin.ModelAdmin):
    list_display = [
        "effective_from",
        "behind_pct",
        "serious_large_works_pct",
        "serious_other_pct",
        "serious_other_min_days",
        "performance_threshold_pct",
        "entry_due_day",
    ]

    def save_model(self, request, obj, form, change):
        try:
            services.save_rule_version(obj, actor=request.user)
        except ValidationError as exc:  # the form validated the same fields; keep the message
            self.message_user(request, "; ".join(exc.messages), level="error")


class ChangeOrderInline(admin.TabularInline):
    model = m.ChangeOrder
    extra = 0


class ExtensionInline(admin.TabularInline):
    model = m.Extension
    extra = 0


@admin.register(m.Tender)
class TenderAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "agency", "type", "contract_amount", "status"]
    list_filter = ["type", "status"]
    search_fields = ["number", "name", "contractor"]
    autocomplete_fields = ["agency"]
    inlines = [ChangeOrderInline, ExtensionInline]


@admin.register(m.MonthlyProgress)
class MonthlyProgressAdmin(admin.ModelAdmin):
    list_display = ["tender", "month", "planned_pct", "actual_pct", "is_late", "entered_at"]
    list_filter = ["is_late"]
    search_fields = ["tender__number", "tender__name"]
    raw_id_fields = ["tender", "entered_by"]


@admin.register(m.Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["agency", "month", "kind", "tenders", "sent_at"]
    list_filter = ["kind"]


@admin.register(m.InspectionRule)
class InspectionRuleAdmin(admin.ModelAdmin):
    list_display = [
        "effective_from",
        "grade_a_min",
        "grade_b_min",
        "coverage_pct",
        "yearly_target",
        "improvement_days",
    ]

    def save_model(self, request, obj, form, change):
        try:
            services.save_inspection_rule(obj, actor=request.user)
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), level="error")


@admin.register(m.Deficiency)
class DeficiencyAdmin(admin.ModelAdmin):
    list_display = ["code", "description", "points", "category", "party", "is_active"]
    list_filter = ["category", "party", "is_active"]
    search_fields = ["code", "description"]


@admin.register(m.Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["tender", "inspected_on", "score", "grade"]
    list_filter = ["grade"]
    raw_id_fields = ["tender"]
    readonly_fields = ["grade"]
