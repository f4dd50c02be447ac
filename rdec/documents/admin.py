"""The admin: rule versions are edited here (through services.save_rule_version, so the change is
permission-checked, audited and the documents are counted again); the rest is browsable."""

from django.contrib import admin
from django.core.exceptions import ValidationError

from rdec.documents import models as m
from rdec.documents import services


@admin.register(m.RuleVersion)
class RuleVersionAdmin(admin.ModelAdmin):
    list_display = [
        "effective_from",
        "most_urgent_days",
        "urgent_days",
        "ordinary_days",
        "time_limited_cap_days",
        "overdue_threshold_pct",
        "ranking_due_day",
        "site_check_count",
    ]

    def save_model(self, request, obj, form, change):
        try:
            services.save_rule_version(obj, actor=request.user)
        except ValidationError as exc:  # the form validated the same fields; keep the message
            self.message_user(request, "; ".join(exc.messages), level="error")


@admin.register(m.ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["imported_at", "filename", "rows", "created", "updated", "seconds"]


@admin.register(m.ImprovementReport)
class ImprovementReportAdmin(admin.ModelAdmin):
    list_display = ["month", "agency", "overdue_ratio", "received_on"]
    list_filter = ["month"]


@admin.register(m.SiteCheck)
class SiteCheckAdmin(admin.ModelAdmin):
    list_display = ["year", "group", "rank", "agency", "overdue_ratio", "checked_on"]
