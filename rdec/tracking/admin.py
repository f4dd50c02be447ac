from django.contrib import admin

from rdec.tracking import models as m


class RepresentativeInline(admin.TabularInline):
    model = m.LocalRepresentative
    extra = 0


@admin.register(m.Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "type",
        "held_at",
        "district",
        "chair_name",
        "minutes_due_on",
        "minutes_published_at",
    ]
    list_filter = ["type", "is_public"]
    search_fields = ["title", "chair_name"]
    inlines = [RepresentativeInline]
    autocomplete_fields = ["agencies"]


@admin.register(m.Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "source", "owner", "level", "deadline", "status", "percent"]
    list_filter = ["source", "level", "status"]
    search_fields = ["number", "title"]
    readonly_fields = ["number", "original_deadline", "last_report_at", "released_at", "created_at"]


@admin.register(m.ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["item", "agency", "reported_on", "percent", "decision", "reviewed_at"]
    list_filter = ["decision"]


@admin.register(m.CouncilSession)
class CouncilSessionAdmin(admin.ModelAdmin):
    list_display = ["term", "number", "opens_on", "closes_on"]


@admin.register(m.Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "subject", "created_at", "read_at", "emailed"]
    list_filter = ["kind"]
