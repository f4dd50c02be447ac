"""The polls' component of the city picture (rdec.dashboard.components): the latest published poll
— its title, fieldwork and completed interviews."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rdec.core.permissions import check
from rdec.dashboard import components as dc


def latest(user) -> dict:
    from rdec.core.dates import roc_date
    from rdec.polls.models import Survey

    survey = (
        Survey.objects.filter(status=Survey.Status.PUBLISHED, published_at__isnull=False)
        .order_by("-published_at", "-pk")
        .first()
    )
    if survey is None:
        return {"columns": [], "rows": []}
    fieldwork = " – ".join(roc_date(d) for d in (survey.field_start, survey.field_end) if d)
    return {
        "columns": [_("Poll"), _("Fieldwork"), _("Completed interviews")],
        "rows": [[survey.title, fieldwork, survey.cases.filter(outcome="I").count()]],
    }


dc.register(
    "polls.latest",
    gettext_lazy("Latest published poll"),
    module="polls",
    visible=lambda user: check(user, "dashboard.view_dashboard"),  # published polls are public
    data=latest,
    kind=dc.TABLE,
    url_name="polls:survey-list",
    refresh=3600,
    order=10,
)
