from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.admin import APIKeyModelAdmin

from rdec.core.models import Agency, APIKey, AuditEntry, CalendarDay, District, User, Village


@admin.register(APIKey)
class APIKeyAdmin(APIKeyModelAdmin):
    """Keys are made with `rdec create_api_key` (the key is shown once, there); here they are seen,
    with their scopes, and revoked."""

    list_display = [
        "prefix",
        "name",
        "user",
        "agency",
        "oversight",
        "read_only",
        "created",
        "expiry_date",
        "revoked",
    ]
    list_filter = ["oversight", "read_only", "revoked"]
    list_select_related = ["user__agency"]

    @admin.display(description=_("agency"))
    def agency(self, obj):
        return obj.user.agency

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        return (
            "prefix",
            "name",
            "user",
            "oversight",
            "read_only",
            *(("revoked", "expiry_date") if obj and obj.revoked else ()),
        )


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "short_name",
        "name",
        "level",
        "parent",
        "evaluation_group",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["level", "evaluation_group"]
    search_fields = ["code", "name", "short_name", "oid"]
    raw_id_fields = ["parent"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "city_name"]
    exclude = ["geometry"]
    readonly_fields = ["code"]


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "district"]
    list_filter = ["district"]
    exclude = ["geometry"]
    readonly_fields = ["code", "district"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_holiday", "description"]
    list_filter = ["is_holiday"]
    date_hierarchy = "date"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "role", "agency", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Role and agency"), {"fields": ("display_name", "role", "agency", "phone")}),
    )


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the trail is never edited or deleted."""

    list_display = ["at", "actor_label", "ip_address", "action", "verb", "target_type", "target_repr"]
    list_filter = ["action", "target_type"]
    search_fields = ["target_id", "actor_label", "verb"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
