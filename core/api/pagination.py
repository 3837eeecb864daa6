from typing import Any

from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """Page numbers with a client-chosen size, bounded so no request reads a whole table."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paginated: dict[str, Any] = super().get_paginated_response_schema(schema)
        # Every page carries all four keys; `next` and `previous` are null at the ends.
        paginated["required"] = ["count", "next", "previous", "results"]
        return paginated
