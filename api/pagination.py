from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """50 rows a page, as the public list; up to 500 with ?page_size=."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
