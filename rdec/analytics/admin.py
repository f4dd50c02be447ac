from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from rdec.analytics.models import Report, ReportRule, RouterModel, RoutingRule
from rdec.core.permissions import require


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
    """Versions of the case router: each retraining's held-out figures beside those of the model in
    use when it was judged, the gate's decision, and the actions to retrain and to promote."""

    list_display = [
        "version",
        "trained_at",
        "status",
        "top1",
        "active_top1",
        "precision",
        "active_precision",
        "decision",
        "promoted_by",
    ]
    list_filter = ["status"]
    readonly_fields = ["figures_side_by_side", *[f.name for f in RouterModel._meta.fields]]
    actions = ["retrain_now", "put_in_use"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @staticmethod
    def _pct(value) -> str:
        return "—" if value is None else f"{value * 100:.1f}%"

    @admin.display(description=_("agency top-1"))
    def top1(self, obj):
        return self._pct(obj.agency_top1)

    @admin.display(description=_("in use: agency top-1"))
    def active_top1(self, obj):
        return self._pct(obj.compared_top1)

    @admin.display(description=_("precision at coverage"))
    def precision(self, obj):
        return self._pct(obj.precision_at_coverage)

    @admin.display(description=_("in use: precision at coverage"))
    def active_precision(self, obj):
        return self._pct(obj.compared_precision)

    @admin.display(description=_("held-out figures"))
    def figures_side_by_side(self, obj):
        rows = [
            (_("agency top-1"), obj.agency_top1, obj.compared_top1),
            (_("agency top-3"), obj.agency_top3, obj.compared_top3),
            (_("precision at coverage"), obj.precision_at_coverage, obj.compared_precision),
        ]
        return format_html(
            "<table><thead><tr><th></th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("This version"),
            _("Model in use when judged"),
            format_html_join(
                "",
                "<tr><th>{}</th><td>{}</td><td>{}</td></tr>",
                ((n, self._pct(a), self._pct(b)) for n, a, b in rows),
            ),
        )

    @admin.action(description=_("Retrain the case router now (a new candidate, put in use if not worse)"))
    def retrain_now(self, request, queryset):
        from rdec.analytics import tasks
        from rdec.core.tasks import enqueue_on_commit

        require(request.user, "analytics.train_router")
        enqueue_on_commit(tasks.retrain_router)
        self.message_user(request, _("Retraining started; the new version appears here when it is done."))

    @admin.action(description=_("Put the selected version in use"))
    def put_in_use(self, request, queryset):
        from rdec.analytics import router_versions

        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one version."), messages.ERROR)
            return
        model = router_versions.promote_by_hand(queryset.get(), actor=request.user)
        self.message_user(request, _("Version %(v)s is now in use.") % {"v": model.version})
