"""The city dashboard's API under /api/v1/dashboard/ (issue 22, item 5).

`GET components/`: the components the caller may see (as on /dashboard/, without the layout);
`GET components/{name}/`: one component's value — `{"name", "title", "computed_at", "data"}` —
scoped like the pages (an agency's key or staff get their agency's numbers); a component the caller
may not see answers 404."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from rdec.dashboard import components as dc
from rdec.dashboard import selectors


class ComponentSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    module = serializers.CharField()
    kind = serializers.ChoiceField(choices=list(dc.KINDS))
    refresh_seconds = serializers.IntegerField(min_value=1, max_value=86400)
    url = serializers.CharField(help_text="The page behind the component.")


class ComponentValueSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    computed_at = serializers.DateTimeField()
    data = serializers.JSONField(
        help_text="By kind — number: {value, unit, previous, previous_label, note}; bar/line: "
        "{unit, rows: [{label, value}]}; table: {columns, rows}."
    )


def _describe(component: dc.Component) -> dict:
    return {
        "name": component.name,
        "title": str(component.title),
        "module": component.module,
        "kind": component.kind,
        "refresh_seconds": component.refresh,
        "url": component.url(),
    }


class ComponentViewSet(viewsets.ViewSet):
    lookup_field = "name"
    lookup_value_regex = r"[^/]+"

    @extend_schema(
        responses=ComponentSerializer(many=True), summary="Dashboard components the caller may see"
    )
    def list(self, request):
        return Response(
            ComponentSerializer([_describe(c) for c in dc.visible_to(request.user)], many=True).data
        )

    @extend_schema(
        responses=ComponentValueSerializer,
        summary="One component's value",
        parameters=[
            OpenApiParameter("name", str, OpenApiParameter.PATH, description="e.g. petitions.overdue")
        ],
    )
    def retrieve(self, request, name=None):
        component = selectors.component_for(request.user, name or "")
        value = dc.value_for(component, request.user)
        body = {
            "name": component.name,
            "title": str(component.title),
            "computed_at": value["computed_at"],
            "data": value["data"],
        }
        return Response(ComponentValueSerializer(body).data)
