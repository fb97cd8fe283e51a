"""Pages of long lists."""

from django.core.paginator import Paginator


class TwoEndedPaginator(Paginator):
    """A Paginator that reads a page past the middle from the end, in reverse order, then turns
    it round: the last page costs what the first does.

    For the last of 2,007 pages of the public list (an OFFSET of 100,300) PostgreSQL sorted the
    whole table rather than walk an index that far; from the other end the OFFSET is 0. The
    object list must be a queryset with a total order (ties broken by the primary key), so that
    reversing it gives the same rows.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if bottom <= self.count - top:
            return self._get_page(self.object_list[bottom:top], number, self)
        rows = list(self.object_list.reverse()[self.count - top : self.count - bottom])
        rows.reverse()
        return self._get_page(rows, number, self)
