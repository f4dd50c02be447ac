from django.contrib import admin

from rdec.petitions.models import Category, DeadlineRule, DutyContact, ReplyTemplate


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "parent",
        "default_agency",
        "working_days",
        "urgent",
        "ack_hours",
        "deadline_rule",
        "source",
        "active",
    ]
    list_filter = ["parent", "urgent", "active", "source"]
    search_fields = ["code", "name"]


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    """The dated, editable deadline rules (legal ceiling, reminder window)."""

    list_display = ["effective_from", "ceiling_calendar_days", "reminder_working_days", "source"]


@admin.register(DutyContact)
class DutyContactAdmin(admin.ModelAdmin):
    list_display = ["agency", "name", "phone", "email", "hours", "primary", "active"]
    list_filter = ["active"]


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "category"]
