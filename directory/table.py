"""The columns of the public list: which are shown, and the links that sort by them."""

from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext, gettext_lazy

from directory.filters import PublicClusterFilter

ARIA_SORT = {False: "ascending", True: "descending"}
SORT_HINTS = {False: gettext_lazy("sort by %(column)s ascending"), True: gettext_lazy("sort by %(column)s descending")}


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    sort_url: str
    # "ascending"/"descending" on the sorted column (for aria-sort), else "".
    aria_sort: str
    # What a click on the header will do, said to screen readers and in the tooltip.
    sort_hint: str


def _sort_url(params: QueryDict, sort: str) -> str:
    """The current URL's filters with a new sort; paging restarts at page 1."""
    query = params.copy()
    query.pop("page", None)
    query["sort"] = sort
    return "?" + query.urlencode()


def list_columns(filterset: PublicClusterFilter, params: QueryDict) -> list[Column]:
    """The columns of the original listing: a filtered-by column is left out."""
    titles = [("name", gettext("Name"))]
    if not filterset.selected_country:
        titles.append(("country", gettext("Country")))
    if not filterset.selected_portfolio:
        titles.append(("portfolio", gettext("Comparative portfolio")))
    titles += [("www", "www"), ("valid_until", gettext("Label valid until"))]

    current = filterset.current_sort
    columns = []
    for key, title in titles:
        is_sorted = current.lstrip("-") == key
        descending = current.startswith("-")
        # A click on the sorted column reverses it; on another column it sorts ascending.
        next_descending = is_sorted and not descending
        columns.append(
            Column(
                key=key,
                title=title,
                sort_url=_sort_url(params, f"-{key}" if next_descending else key),
                aria_sort=ARIA_SORT[descending] if is_sorted else "",
                sort_hint=SORT_HINTS[next_descending] % {"column": title},
            )
        )
    return columns
