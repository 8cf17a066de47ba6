"""A paginator whose count stops at a cap, for lists that can hold a large share
of a million tickets.

Django's Paginator counts every row to number the pages; for the work queue of a
busy team that is a scan of hundreds of thousands of index entries on every
page view, to print a total nobody pages through. Counting at most `cap + 1`
rows bounds that cost; past the cap the list says "more than N" and offers the
first N rows' pages (a search or a filter narrows it down).
"""
from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    cap = COUNT_CAP

    @cached_property
    def _counted(self) -> tuple[int, bool]:
        # Unordered: which rows are counted does not matter, and the list's own
        # ORDER BY would make the database sort them all first.
        found = self.object_list.order_by()[: self.cap + 1].count()
        return min(found, self.cap), found > self.cap

    @property
    def count(self) -> int:
        return self._counted[0]

    @property
    def capped(self) -> bool:
        """Whether the list holds more rows than `count` says."""
        return self._counted[1]
