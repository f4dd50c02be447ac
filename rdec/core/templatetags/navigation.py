"""The header's navigation and the breadcrumbs (rdec.core.registry).

`{% capture name %}...{% endcapture %}` keeps what it renders in the context (base.html keeps the
page's title block, shown in <title> and as the breadcrumbs' last crumb).

`{% breadcrumbs %}` renders the trail 首頁 › menu › entry › current page; a template whose page
sits below an entry its URL does not start with names the entry, and may add one level between:
`{% block breadcrumbs %}{% breadcrumbs under="petitions:inbox" %}{% endblock %}`,
`{% breadcrumbs under="tracking:item-list" parent_label=item.number parent_url=item_url %}`.
"""

from __future__ import annotations

from django import template

from rdec.core.registry import Crumb, breadcrumbs_for

register = template.Library()


class CaptureNode(template.Node):
    child_nodelists = ("nodelist",)  # a {% block %} inside stays overridable by child templates

    def __init__(self, nodelist, name: str):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        context[self.name] = self.nodelist.render(context).strip()
        return ""


@register.tag
def capture(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% capture name %}...{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[1])


@register.inclusion_tag("core/_breadcrumbs.html", takes_context=True)
def breadcrumbs(context, under: str = "", parent_label: str = "", parent_url: str = "", current: str = ""):
    request = context.get("request")
    user = getattr(request, "user", None)
    path = getattr(request, "path", "")
    trail = breadcrumbs_for(user, path, under=under) if request is not None else []
    if not trail:
        return {"crumbs": [], "current": ""}
    if parent_label:
        trail.append(Crumb(str(parent_label), parent_url))
    if trail[-1].url == path:  # on the menu entry's own page: the entry is the current page
        return {"crumbs": trail[:-1], "current": trail[-1].label}
    return {"crumbs": trail, "current": current or context.get("page_title", "")}
