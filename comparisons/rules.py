"""What a comparison may show: the confidentiality rules, in one place (docs/comparisons.md).

A manager chooses the group, so a determined manager can choose two groups that differ by one
cluster and read that cluster's answer from the difference of their figures (the differencing
attack): with a group of 20 and the same group plus cluster X, a count, a share or (with some
patience) a quartile moves by exactly what X answered. The report's fixed groups do not have
this problem, as nobody chooses them. Three rules close it:

1. **Minimum size** (the report's, ECEI_REPORT_MIN_GROUP_SIZE, 6): a group of fewer other
   clusters is refused, with how many more it needs; a figure that fewer answered is not shown.
2. **Distinct groups only** (differencing_refusal): a group whose membership differs from a
   group already shown for this cluster (the report's four fixed groups as they stand today, and
   every group shown to any of its managers, on the page, a download or the API, ever) by at
   least one and fewer than the minimum clusters (symmetric difference) is refused. Repeating a
   group already shown is allowed: it reveals nothing new.
3. **Distinct figures only** (withheld_figures): the same test per figure, on the clusters that
   answered it: two groups far apart may still differ, among the clusters that answered one
   indicator, by a single cluster (the others did not answer it). Such a figure is withheld.

Why this and not the alternatives the issue names: "publish only if the group keeps 6 after
removing any one member" is the same as a minimum of 7 and stops nothing (groups of 20 and 21
both pass it); calibrated noise or coarse rounding would make the figures differ from the
report's for the same group and weaken the first question a manager asks ("where do we stand?").
Comparing memberships is exact, needs no randomness to reason about, and leaves every figure
that is shown identical to what the report would compute. The memberships compared with are
kept per cluster (models.ShownGroup), not per user, so that two managers of one cluster cannot
share out the attack; they are never shown to anybody.

What it does not stop, and why that is accepted: a cluster's new benchmarking changes the
figures of a group shown before (time differencing) - the same holds for the report's groups
and their re-issue; and combinations of three or more groups, each pair at least 6 apart, can
in theory constrain a value (quartiles and percentile ranks are order statistics, not sums, so
the linear tracker attacks on means do not apply; the attacker's tests in
comparisons/tests/test_attacker.py try the pairwise and the sliding-window strategies).

The secretariat reads every answer in the admin anyway: its comparisons are recorded but not
guarded by rules 2 and 3, and do not count as shown for the cluster.
"""

from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext


def minimum_group_size() -> int:
    return settings.ECEI_REPORT_MIN_GROUP_SIZE


@dataclass(frozen=True)
class Refusal:
    """Why a comparison is not shown, in the reader's language, and how many more clusters it needs."""

    message: str
    needed: int = 0
    code: str = "too_small"


def size_refusal(size: int, minimum: int | None = None) -> Refusal | None:
    """Rule 1: a group of fewer other clusters than the minimum is refused, saying how many more it needs."""
    minimum = minimum_group_size() if minimum is None else minimum
    if size >= minimum:
        return None
    needed = minimum - size
    message = ngettext(
        "This group has %(size)s other cluster. It needs %(needed)s more to be shown: at least %(minimum)s, "
        "so that no cluster's answers can be inferred. Widen a filter.",
        "This group has %(size)s other clusters. It needs %(needed)s more to be shown: at least %(minimum)s, "
        "so that no cluster's answers can be inferred. Widen a filter.",
        size,
    ) % {"size": size, "needed": needed, "minimum": minimum}
    if size == 0:
        message = ngettext(
            "No other cluster matches these filters. A group needs at least %(minimum)s cluster. Widen a filter.",
            "No other cluster matches these filters. A group needs at least %(minimum)s clusters. Widen a filter.",
            minimum,
        ) % {"minimum": minimum}
    return Refusal(message, needed=needed)


def nearest_difference(members: np.ndarray, shown: list[np.ndarray]) -> int | None:
    """The smallest non-zero symmetric difference between the group (a boolean mask over the
    catalogue's members) and the groups already shown; None when none differs."""
    nearest = None
    for other in shown:
        difference = int(np.count_nonzero(members ^ other))
        if difference and (nearest is None or difference < nearest):
            nearest = difference
    return nearest


def differencing_refusal(members: np.ndarray, shown: list[np.ndarray], minimum: int | None = None) -> Refusal | None:
    """Rule 2: refuse a group that differs from one already shown by 1 to minimum - 1 clusters."""
    minimum = minimum_group_size() if minimum is None else minimum
    nearest = nearest_difference(members, shown)
    if nearest is None or nearest >= minimum:
        return None
    message = ngettext(
        "This group differs by only %(n)s cluster from a group already shown for your cluster. Comparing the two "
        "would reveal that cluster's answers, so groups must differ by at least %(minimum)s clusters. "
        "Change the filters more.",
        "This group differs by only %(n)s clusters from a group already shown for your cluster. Comparing the two "
        "would reveal those clusters' answers, so groups must differ by at least %(minimum)s clusters. "
        "Change the filters more.",
        nearest,
    ) % {"n": nearest, "minimum": minimum}
    return Refusal(message, needed=minimum - nearest, code="too_close")


def withheld_figures(
    members: np.ndarray, shown: list[np.ndarray], answered: np.ndarray, minimum: int | None = None
) -> np.ndarray:
    """Rule 3: for each figure (a row of `answered`: which members answered it), whether it is
    withheld because the clusters that answered it in this group and in a group already shown
    differ by 1 to minimum - 1. A boolean per row."""
    minimum = minimum_group_size() if minimum is None else minimum
    withheld = np.zeros(answered.shape[0], dtype=bool)
    if not answered.shape[0]:
        return withheld
    for other in shown:
        difference = members ^ other
        if not difference.any():
            continue
        counts = answered[:, difference].sum(axis=1)
        withheld |= (counts > 0) & (counts < minimum)
    return withheld


WITHHELD_TEXT = gettext_noop(
    "Withheld: the clusters that answered this differ by fewer than %(minimum)s from those of a group already "
    "shown for your cluster."
)


def withheld_text() -> str:
    return _(WITHHELD_TEXT) % {"minimum": minimum_group_size()}
