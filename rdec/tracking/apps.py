from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "rdec.tracking"
    label = "tracking"
    verbose_name = _("Tracking and control")

    def ready(self) -> None:
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
            visible=lambda user: permissions.check(user, "tracking.view_board"),
        )
        registry.register_nav(
            _("My tracked items"),
            "tracking:todo",
            order=31,
            visible=lambda user: (
                permissions.check(user, "tracking.view_todo")
                and not permissions.check(user, "tracking.view_board")
            ),
        )
        registry.register_nav(_("Meetings"), "tracking:public-meeting-list", order=33)
