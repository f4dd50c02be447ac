from django.contrib import admin

from rdec.analytics.models import Report, ReportRule, RouterModel, RoutingRule


@admin.register(ReportRule)
class ReportRuleAdmin(admin.ModelAdmin):
    list_display = [
        "effective_from",
        "rise_pct",
        "min_count",
        "drop_points",
        "fdr_pct",
        "repeat_min",
        "source",
    ]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["effective_from", "auto_route_min_pct", "confirmed", "source"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["start", "end", "period", "agency", "district", "status", "progress", "requested_at"]
    list_filter = ["status", "period"]
    readonly_fields = [f.name for f in Report._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(RouterModel)
class RouterModelAdmin(admin.ModelAdmin):
    list_display = ["trained_at", "trained_on", "agency_top1", "agency_top3", "category_top1", "active"]
    readonly_fields = [f.name for f in RouterModel._meta.fields if f.name != "active"]

    def has_add_permission(self, request):
        return False
