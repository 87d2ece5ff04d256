"""dlt paginators per vendor pagination style, built for a request about to be sent.

A resumed request already carries its cursor (query, body or next URL), so reference
paginators start as they are; page-number paginators start at the page the request names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dlt.sources.helpers.rest_client.paginators import BasePaginator


def single_page(_: dict[str, Any]) -> BasePaginator:
    from dlt.sources.helpers.rest_client.paginators import SinglePagePaginator

    return SinglePagePaginator()


def has_more_cursor(_: dict[str, Any]) -> BasePaginator:
    """Anthropic and OpenAI: `{data, has_more, next_page}`, sent back as `?page=`."""
    from dlt.sources.helpers.rest_client.paginators import JSONResponseCursorPaginator

    return JSONResponseCursorPaginator(
        cursor_path="next_page", cursor_param="page", has_more_path="has_more"
    )


def link_header(_: dict[str, Any]) -> BasePaginator:
    """GitHub: `Link: <...>; rel="next"` until no next link remains."""
    from dlt.sources.helpers.rest_client.paginators import HeaderLinkPaginator

    return HeaderLinkPaginator()


def body_token(_: dict[str, Any]) -> BasePaginator:
    """Jira `search/jql`: `nextPageToken` in the response, sent back in the POST body."""
    from dlt.sources.helpers.rest_client.paginators import JSONResponseCursorPaginator

    return JSONResponseCursorPaginator(
        cursor_path="nextPageToken", cursor_body_path="nextPageToken"
    )


def body_page_number(request: dict[str, Any]) -> BasePaginator:
    """Cursor `filtered-usage-events`: `page` in the POST body, `pagination.hasNextPage`."""
    from dlt.sources.helpers.rest_client.paginators import PageNumberPaginator

    return PageNumberPaginator(
        base_page=1,
        page=int((request.get("json") or {}).get("page", 1)),
        page_body_path="page",
        total_path=None,
        has_more_path="pagination.hasNextPage",
        stop_after_empty_page=False,
    )


def query_page_total_count(request: dict[str, Any]) -> BasePaginator:
    """Cursor AI Code Tracking: `?page=&pageSize=`, `{items, totalCount, page, pageSize}`."""
    from dlt.sources.helpers.rest_client.paginators import PageNumberPaginator

    class TotalCountPaginator(PageNumberPaginator):
        # The response counts items, not pages: stop once page x pageSize covers totalCount.
        def update_state(self, response: Any, data: Any = None) -> None:
            super().update_state(response, data)
            body = response.json()
            total, size = body.get("totalCount"), body.get("pageSize")
            if isinstance(total, int) and isinstance(size, int) and size > 0:
                served = (self.current_value - 1) * size
                self._has_next_page = self._has_next_page and served < total

    return TotalCountPaginator(
        base_page=1,
        page=int((request.get("params") or {}).get("page", 1)),
        page_param="page",
        total_path=None,
        stop_after_empty_page=True,
    )
