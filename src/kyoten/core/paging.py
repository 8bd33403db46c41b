"""One page of a list for the pages: every list a page shows is cut into pages here.

`page_of(request, items)` reads `?page=` (a bad or too large number shows the nearest page) and
returns Django's `Page`, with `query` set to the request's other parameters so that
`core/_pager.html` keeps filters when it links to the previous and next page. The page counts
its rows with one `COUNT` and reads only the rows it shows, so a page's queries and time do not
grow with the table.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator

PAGE_SIZE = 50


def page_of(request, items, *, per_page: int = PAGE_SIZE, param: str = "page") -> Page:
    page = Paginator(items, per_page).get_page(request.GET.get(param))
    rest = request.GET.copy()
    rest.pop(param, None)
    page.query = rest.urlencode()
    page.param = param
    return page
