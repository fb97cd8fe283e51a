from rest_framework.pagination import PageNumberPagination

from directory.selectors import public_list_version
from ecei_site.paging import SeekPaginator


class Pages(PageNumberPagination):
    """50 rows a page, as the public list; up to 500 with ?page_size=."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class PublicClusterPages(Pages):
    """The public list's pages, any of them at the cost of the first (ecei_site.paging.SeekPaginator)."""

    def django_paginator_class(self, queryset, page_size):
        return SeekPaginator(queryset, page_size, version=public_list_version)
