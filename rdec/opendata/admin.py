from django.contrib import admin

from rdec.opendata.models import Dataset, QualityCheck, Resource, ResourceVersion


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
