from django.contrib import admin

from rdec.opendata.models import (
    Dataset,
    Feedback,
    PortalSync,
    QualityCheck,
    QualitySnapshot,
    Resource,
    ResourceVersion,
    ResponseRule,
)


class ResourceInline(admin.TabularInline):
    model = Resource
    extra = 0
    fields = ["number", "description", "format", "encoding", "url", "file", "size", "state"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    """Read-only: datasets are published and edited through the pages and the API (the services)."""

    list_display = [
        "identifier",
        "title",
        "agency",
        "category",
        "update_frequency",
        "state",
        "metadata_modified",
    ]
    list_filter = ["state", "category", "agency"]
    search_fields = ["identifier", "name", "title"]
    inlines = [ResourceInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ResourceVersion)
class ResourceVersionAdmin(admin.ModelAdmin):
    list_display = ["resource", "number", "format", "encoding", "size", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(QualityCheck)
class QualityCheckAdmin(admin.ModelAdmin):
    list_display = ["resource", "badge", "encoding", "rows", "checked_at"]
    list_filter = ["badge"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ResponseRule)
class ResponseRuleAdmin(admin.ModelAdmin):
    """The dated, editable response deadline of comments and data requests."""

    list_display = ["effective_from", "response_days", "remind_days_before", "confirmed", "source"]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "agency", "created_at", "due_on", "moderation", "answered_at"]
    list_filter = ["kind", "moderation"]
    search_fields = ["title", "body"]
    raw_id_fields = ["dataset", "author", "answered_by", "moderated_by"]

    def has_add_permission(self, request):
        return False


@admin.register(PortalSync)
class PortalSyncAdmin(admin.ModelAdmin):
    list_display = ["dataset", "status", "portal_id", "attempts", "last_attempt_at", "synced_at"]
    list_filter = ["status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(QualitySnapshot)
class QualitySnapshotAdmin(admin.ModelAdmin):
    list_display = ["agency", "day", "gold", "silver", "bronze", "none", "overdue"]
    list_filter = ["day"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
