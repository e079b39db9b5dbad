"""Opinion groups of a topic from the votes on its comments (the Polis method).

What it does, in plain words
----------------------------
Every participant who voted on at least ``min_votes`` comments is a row of a table whose
columns are the comments: agree 1, disagree -1, pass 0. A comment a person has not seen
counts as the average of those who voted on it (so not voting is neither agreement nor
disagreement). Principal component analysis (PCA) finds the directions in which the votes
differ most; people who vote alike land near each other. As in Polis, a person's position
is stretched by sqrt(comments / their votes): someone who voted on a tenth of the comments
is not pulled to the middle merely for having voted little (on planted groups where people
voted on 3 % to 57 % of the comments, the adjusted Rand index against the planted groups
was 0.96-0.99 with it, 0.47-0.91 without).

The map shows the first two directions; the groups are found in the first four
(``dimensions``). k groups differ in at most k - 1 directions: in two only, as Polis and
red-dwarf do, planted sets of four or five groups merged into three (adjusted Rand index
0.69-0.91; in four: 0.98-1.0; tests/analysis/test_groups.py and benchmark A2). k-means cuts
the people into k groups, k from 2 to 5: the k whose groups are best separated by the
silhouette measure, never one that leaves a person alone (k-means++ with several starts and
a fixed seed, so the same votes always give the same groups, in any process; ties of
silhouette go to the smaller k).

For each group the module lists the comments that set it apart (its *representative*
comments: the group agrees, or disagrees, clearly more often than everyone else, judged
with Polis's representativeness and its 90 % significance tests), the *consensus*
comments (every group agrees, or every group disagrees) and the *divisive* ones (the groups
differ most, weighted by how many people stand on each side).

What the groups are not
-----------------------
A group is people who voted alike on these comments, not an organisation, a party, a
district or a demographic, and not a majority: participation is voluntary and
self-selected, so a group's size says nothing about the municipality's population. The
map shows only the two strongest directions of difference (``explained`` tells how much of
the variation they hold); two people far apart in a third direction can sit side by side,
and so can two groups. When there are too few participants (fewer than
``min_participants``) or the positions hold no more group structure than a structureless
cloud of the same shape would (``silhouette`` less than 0.05 above
``silhouette_reference``), the result says so (``k`` is None, ``reason`` tells why) instead
of inventing groups. Random votes score about the reference (within 0.02).

Speed
-----
The votes stay a sparse matrix (float32). The principal components come from the
comments x comments covariance, accumulated over blocks of participants (only a block is
ever dense), and ARPACK's Lanczos method (``eigsh``, from a fixed start) for its largest
eigenvalues; each eigenvector's largest component is made positive, so the map does not
flip between runs. k-means (NumPy, one thread) and the silhouette run on the
four-dimensional points: k is chosen on a fixed-seed sample of 5,000 people when there are
more, the silhouette on a sample of 2,000. Neither scikit-learn nor a second BLAS thread is
used: the result does not depend on the machine's number of cores. 10,000 people x 1,000
comments (3,000,000 votes) take a few seconds and about 300 MiB (benchmark A1).

Layout
------
``model`` the votes read and the result given (with its JSON form), ``matrix`` the vote
matrix and its principal components, ``clustering`` k-means and the silhouettes,
``statements`` representative, consensus and divisive comments, ``pipeline`` ``analyse``
and ``group_counts``. Everything a caller needs is imported here. Votes with a known
structure for tests, benchmarks and the demo: ``eraati.analysis.planted``.
"""

from __future__ import annotations

from eraati.analysis.groups.model import (
    DIMENSIONS,
    REASON_NO_STRUCTURE,
    REASON_TOO_FEW,
    Group,
    Result,
    Statement,
    Votes,
)
from eraati.analysis.groups.pipeline import (
    MIN_PARTICIPANTS,
    SILHOUETTE_MARGIN,
    GroupCounts,
    Progress,
    analyse,
    group_counts,
)

__all__ = [
    "DIMENSIONS",
    "MIN_PARTICIPANTS",
    "REASON_NO_STRUCTURE",
    "REASON_TOO_FEW",
    "SILHOUETTE_MARGIN",
    "Group",
    "GroupCounts",
    "Progress",
    "Result",
    "Statement",
    "Votes",
    "analyse",
    "group_counts",
]
