from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from rdec.core.textsearch import Matches


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class MatchesPagination(Pagination):
    """Pages of a text search read only as far as the page (rdec.core.textsearch.Matches): `count`
    is exact up to COUNT_CAP matches; past it `count` is COUNT_CAP and `count_capped` is true, so a
    long word found in most rows does not confirm every one of them for the total. A plain queryset
    (no search) is paged and counted as by `Pagination`, with `count_capped` false."""

    COUNT_CAP = 1000

    def paginate_queryset(self, queryset, request, view=None):
        self.count_capped = False
        self.matches = isinstance(queryset, Matches)
        if not self.matches:
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        size = self.get_page_size(request)
        try:
            self.number = max(1, int(request.query_params.get(self.page_query_param, 1)))
        except (TypeError, ValueError):
            self.number = 1
        start = (self.number - 1) * size
        ids = queryset.ids(max(start + size, self.COUNT_CAP) + 1)
        self.count_capped = len(ids) > self.COUNT_CAP and len(ids) > start + size
        self.count = min(len(ids), max(self.COUNT_CAP, start + size))
        self.has_next = len(ids) > start + size
        return queryset.rows(ids[start : start + size])

    def get_paginated_response(self, data):
        if not self.matches:
            response = super().get_paginated_response(data)
            response.data["count_capped"] = False
            return response
        url = self.request.build_absolute_uri()
        next_url = replace_query_param(url, self.page_query_param, self.number + 1) if self.has_next else None
        if self.number <= 1:
            previous_url = None
        elif self.number == 2:
            previous_url = remove_query_param(url, self.page_query_param)
        else:
            previous_url = replace_query_param(url, self.page_query_param, self.number - 1)
        return Response(
            {
                "count": self.count,
                "count_capped": self.count_capped,
                "next": next_url,
                "previous": previous_url,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        out = super().get_paginated_response_schema(schema)
        out["properties"]["count_capped"] = {
            "type": "boolean",
            "description": f"more than {self.COUNT_CAP} rows match a search: `count` is {self.COUNT_CAP}",
        }
        out["required"] = [*out.get("required", []), "count_capped"]
        return out
