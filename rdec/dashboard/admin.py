from django.contrib import admin

from rdec.dashboard.models import Layout


@admin.register(Layout)
class LayoutAdmin(admin.ModelAdmin):
    list_display = ["user", "updated_at"]
    readonly_fields = ["updated_at"]
