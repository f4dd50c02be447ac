from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "rdec.tracking"
    label = "tracking"
    verbose_name = _("Tracking and control")

    def ready(self) -> None:
        from rdec.tracking import worklist

        worklist.register()  # the home page's work queue (rdec.core.worklist)
        from rdec.core import audit, permissions, registry
        from rdec.tracking import models as m

        audit.track(m.Meeting)
        audit.track(m.LocalRepresentative)
        audit.track(m.Resolution)
        audit.track(m.CouncilSession)
        audit.track(m.Item)
        audit.track(m.ProgressReport)  # the attachment is recorded by its file name
        audit.track(m.CouncilText)

        registry.register_nav(
            _("Control board"),
            "tracking:board",
            order=30,
            group="tracking",
            visible=lambda user: permissions.check(user, "tracking.view_board"),
        )
        registry.register_nav(
            _("My tracked items"),
            "tracking:todo",
            order=31,
            group="tracking",
            visible=lambda user: (
                permissions.check(user, "tracking.view_todo")
                and not permissions.check(user, "tracking.view_board")
            ),
        )
        registry.register_nav(
            _("Tracked items"),
            "tracking:item-list",
            order=32,
            group="tracking",
            visible=lambda user: permissions.check(user, "tracking.view_items"),
        )
        registry.register_nav(
            _("Meetings"),
            "tracking:meeting-list",
            order=33,
            group="tracking",
            visible=lambda user: permissions.check(user, "tracking.view_meeting"),
        )
        registry.register_nav(
            _("Council sessions"),
            "tracking:council-list",
            order=34,
            group="tracking",
            visible=lambda user: permissions.check(user, "tracking.view_council"),
        )
        # the public pages of meetings, for everyone who does not see the staff pages
        registry.register_nav(
            _("Meetings"),
            "tracking:public-meeting-list",
            order=35,
            group="tracking",
            visible=lambda user: not permissions.check(user, "tracking.view_meeting"),
        )
