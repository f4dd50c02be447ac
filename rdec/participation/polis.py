"""Opinion groups by the Pol.is method, on numpy/scikit-learn arrays (no Django here).

The steps follow Pol.is's math (compdemocracy/polis, `math/src/polismath/math/*.clj`; research
§3), written anew for this platform:

1. **Vote matrix**: participants × statements, agree = 1, disagree = −1, pass = 0, unseen = NaN.
   Statements hidden by moderation are not columns (the caller leaves them out).
2. **Who is clustered** ("in the conversation"): a participant who voted on at least
   min(7, number of statements); when fewer than 15 qualify, the heaviest voters are added up to 15.
3. **PCA** with the unseen cells filled by the column mean: after centring, a filled cell is 0,
   so the centred matrix keeps only the votes cast (each minus its statement's mean). Two components
   (exact SVD; Pol.is iterates to the same eigenvectors), signs fixed so the largest loading is
   positive — the map does not mirror between runs.
4. **Sparsity-aware projection**: the centred row times the components, scaled by
   sqrt(n_statements / max(n_votes, 1)); a participant who voted on few statements is not pulled
   towards the centre merely for not having voted (`project`).
5. **Base clusters**: k-means with k = min(100, distinct points) on the clustered participants'
   points.
6. **Groups**: weighted k-means (weights: members) on the base-cluster centres for every k from 2 to
   min(5, 2 + base clusters // 12); k is chosen by the silhouette of the base clusters (each
   weighted by its members). A new k replaces the previous one only after it has won
   `K_BUFFER` recomputations in a row (Pol.is's group-k buffer), so groups do not flicker.
7. **Representative statements** per group: smoothed agree rate pa = (na+1)/(ns+2), its ratio to
   the rest's, a one-proportion test (pat) and a two-proportion test against the rest (rat); a
   statement qualifies when both exceed 1.2816 (90 % one-sided) in its direction, ranked by
   ra·rat·pa·pat; at most 5, the best "agree" statement first, at least one per group.
8. **Group-informed consensus**: Π over groups of (na+1)/(ns+2); listed when every group leans to
   agree (each group's smoothed agree rate above one half).

Everything is deterministic for a given seed (k-means is seeded; ties are broken by index).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

SEED = 20150630  # the day the vTaiwan UberX conversation opened
BASE_K = 100
MAX_GROUPS = 5
MIN_VOTES = 7
MIN_IN_CONV = 15
K_BUFFER = 4  # a new number of groups must win this many recomputations in a row
Z_90 = 1.2816  # one-sided 90 %
MAX_REPRESENTATIVE = 5
MAX_CONSENSUS = 10
RESULT_VERSION = 1


@dataclass
class VoteMatrix:
    participants: list  # opaque participant keys (external ids)
    statements: list  # statement keys
    values: np.ndarray  # float, shape (participants, statements); NaN = not seen

    @property
    def n_votes(self) -> int:
        return int(np.count_nonzero(~np.isnan(self.values)))


def vote_matrix(
    votes: Iterable[tuple[object, object, int]],
    *,
    participants: Sequence | None = None,
    statements: Sequence | None = None,
) -> VoteMatrix:
    """The matrix of (participant, statement, value) triples; the last triple of a pair wins (a
    changed vote). Votes on a statement not in `statements` (when given) are left out: that is how
    moderated-out statements disappear."""
    votes = list(votes)
    if statements is None:
        statements = sorted({s for _p, s, _v in votes})
    if participants is None:
        participants = sorted({p for p, _s, _v in votes})
    p_index = {p: i for i, p in enumerate(participants)}
    s_index = {s: j for j, s in enumerate(statements)}
    values = np.full((len(participants), len(statements)), np.nan)
    if votes:
        rows, cols, vals = [], [], []
        for p, s, v in votes:
            j = s_index.get(s)
            i = p_index.get(p)
            if i is None or j is None:
                continue
            rows.append(i)
            cols.append(j)
            vals.append(v)
        if rows:
            values[np.asarray(rows), np.asarray(cols)] = np.asarray(vals, dtype=float)
    return VoteMatrix(list(participants), list(statements), values)


def in_conversation(n_votes: np.ndarray, n_statements: int) -> np.ndarray:
    """Boolean mask of the participants clustered: at least min(7, n_statements) votes; the
    heaviest voters fill up to 15 when fewer qualify (never someone without a vote)."""
    need = min(MIN_VOTES, n_statements)
    mask = (n_votes >= need) & (n_votes > 0)
    if mask.sum() < MIN_IN_CONV:
        order = np.lexsort((np.arange(len(n_votes)), -n_votes))  # most votes first, then index
        for i in order:
            if mask.sum() >= MIN_IN_CONV or n_votes[i] == 0:
                break
            mask[i] = True
    return mask


def centred(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(centred matrix, column means, voted mask): the column-mean fill centred, i.e. each vote minus
    its statement's mean over the votes cast, and 0 where nobody voted."""
    voted = ~np.isnan(values)
    counts = voted.sum(axis=0)
    sums = np.where(voted, values, 0.0).sum(axis=0)
    means = np.divide(sums, counts, out=np.zeros(values.shape[1]), where=counts > 0)
    return np.where(voted, values - means, 0.0), means, voted


def principal_components(matrix: np.ndarray, n: int = 2) -> np.ndarray:
    """The first `n` principal axes (rows) of an already centred matrix, each signed so that its
    largest loading is positive. Missing axes (a rank-deficient matrix) are zero rows."""
    comps = np.zeros((n, matrix.shape[1]))
    if matrix.size == 0 or not np.any(matrix):
        return comps
    # the eigenvectors of the statements' covariance are the right singular vectors of the matrix;
    # a statements × statements eigenproblem is far cheaper than the SVD of participants × statements
    eigenvalues, eigenvectors = np.linalg.eigh(matrix.T @ matrix)
    order = np.argsort(-eigenvalues, kind="stable")
    for k in range(min(n, len(order))):
        if eigenvalues[order[k]] <= 1e-12:
            break
        axis = eigenvectors[:, order[k]]
        if axis[np.argmax(np.abs(axis))] < 0:
            axis = -axis
        comps[k] = axis
    return comps


def project(centred_values: np.ndarray, voted: np.ndarray, components: np.ndarray) -> np.ndarray:
    """Sparsity-aware projection: (centred row · components) × sqrt(n_statements / max(n_votes, 1)).

    The unseen cells are 0 in the centred matrix, so the dot product only sums the votes cast; the
    factor undoes the shrinking a participant with few votes would otherwise get (a participant
    who voted on a quarter of the statements, all like one side, lands where that side's full
    voters land, not half-way to the centre)."""
    n_statements = centred_values.shape[1]
    n_votes = voted.sum(axis=1)
    scale = np.sqrt(n_statements / np.maximum(n_votes, 1))
    return (centred_values @ components.T) * scale[:, None]


def _kmeans(points: np.ndarray, k: int, *, weights=None, seed: int, n_init: int):
    from sklearn.cluster import KMeans

    model = KMeans(n_clusters=k, n_init=n_init, random_state=seed, max_iter=300)
    model.fit(points, sample_weight=weights)
    return model.labels_, model.cluster_centers_


def _weighted_silhouette(points: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> float:
    """Silhouette of the base clusters, each weighted by its members (so it approximates the
    silhouette over participants). Distances are between base-cluster centres."""
    from sklearn.metrics import silhouette_samples

    if len(set(labels.tolist())) < 2 or len(set(labels.tolist())) >= len(points):
        return -1.0
    scores = silhouette_samples(points, labels)
    return float(np.average(scores, weights=weights))


def base_clusters(points: np.ndarray, *, seed: int = SEED, k: int = BASE_K) -> tuple[np.ndarray, np.ndarray]:
    """(labels per point, centres): k-means with k = min(k, number of distinct points)."""
    distinct = len(np.unique(np.round(points, 12), axis=0))
    k = max(1, min(k, distinct))
    if k == 1:
        return np.zeros(len(points), dtype=int), points.mean(axis=0, keepdims=True)
    labels, centres = _kmeans(points, k, seed=seed, n_init=5)
    # drop empty clusters (possible with duplicate points) and renumber
    used = np.unique(labels)
    remap = {old: new for new, old in enumerate(used)}
    return np.array([remap[x] for x in labels]), centres[used]


def choose_groups(
    centres: np.ndarray, weights: np.ndarray, *, seed: int = SEED
) -> tuple[dict[int, np.ndarray], dict[int, float]]:
    """For each candidate k, the group of each base cluster, and the silhouettes."""
    n_base = len(centres)
    max_k = min(MAX_GROUPS, 2 + n_base // 12, n_base - 1)
    labellings, silhouettes = {}, {}
    for k in range(2, max_k + 1):
        labels, _centres = _kmeans(centres, k, weights=weights, seed=seed, n_init=10)
        labellings[k] = labels
        silhouettes[k] = _weighted_silhouette(centres, labels, weights)
    return labellings, silhouettes


def smooth_k(best: int, previous: dict | None) -> tuple[int, int, int]:
    """(k to use, candidate, streak): keep the previous k until another has won K_BUFFER runs."""
    if not previous or not previous.get("k"):
        return best, best, K_BUFFER
    current = int(previous["k"])
    if best == current:
        return current, best, K_BUFFER
    streak = int(previous.get("k_streak", 0)) + 1 if previous.get("k_candidate") == best else 1
    if streak >= K_BUFFER:
        return best, best, streak
    return current, best, streak


def prop_test(successes: np.ndarray, n: np.ndarray) -> np.ndarray:
    """One-proportion z against one half, with +1 smoothing (Pol.is's prop-test)."""
    return 2.0 * np.sqrt(n + 1.0) * ((successes + 1.0) / (n + 1.0) - 0.5)


def two_prop_test(succ_in, n_in, succ_out, n_out) -> np.ndarray:
    """Two-proportion z of a group against the rest, with +1 smoothing on every count."""
    s1, n1, s2, n2 = succ_in + 1.0, n_in + 1.0, succ_out + 1.0, n_out + 1.0
    p1, p2 = s1 / n1, s2 / n2
    pooled = (s1 + s2) / (n1 + n2)
    denom = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return np.divide(p1 - p2, denom, out=np.zeros_like(p1), where=denom > 0)


def counts(values: np.ndarray, members: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(agrees, disagrees, votes seen incl. passes) per statement among the rows in `members`."""
    sub = values[members]
    return (
        (sub == 1).sum(axis=0).astype(float),
        (sub == -1).sum(axis=0).astype(float),
        (~np.isnan(sub)).sum(axis=0).astype(float),
    )


def representative(values: np.ndarray, group_rows: list[np.ndarray]) -> list[list[dict]]:
    """For each group, its representative statements (column indexes), best first."""
    totals = counts(values, np.concatenate(group_rows)) if group_rows else None
    out = []
    for rows in group_rows:
        na, nd, ns = counts(values, rows)
        na_o, nd_o, ns_o = totals[0] - na, totals[1] - nd, totals[2] - ns
        pa, pd = (na + 1) / (ns + 2), (nd + 1) / (ns + 2)
        ra = pa / ((na_o + 1) / (ns_o + 2))
        rd = pd / ((nd_o + 1) / (ns_o + 2))
        pat, pdt = prop_test(na, ns), prop_test(nd, ns)
        rat, rdt = two_prop_test(na, ns, na_o, ns_o), two_prop_test(nd, ns, nd_o, ns_o)
        agree_metric = ra * rat * pa * pat
        disagree_metric = rd * rdt * pd * pdt
        chosen = []
        for j in range(values.shape[1]):
            if ns[j] == 0:
                continue
            agree = rat[j] >= rdt[j]
            if agree and rat[j] > Z_90 and pat[j] > Z_90:
                chosen.append((float(agree_metric[j]), j, "agree"))
            elif not agree and rdt[j] > Z_90 and pdt[j] > Z_90:
                chosen.append((float(disagree_metric[j]), j, "disagree"))
        chosen.sort(key=lambda item: (-item[0], item[1]))
        chosen = chosen[:MAX_REPRESENTATIVE]
        agrees = [item for item in chosen if item[2] == "agree"]
        if agrees and chosen[0] is not agrees[0]:
            chosen.remove(agrees[0])
            chosen.insert(0, agrees[0])
        if not chosen and np.any(ns > 0):
            seen = np.where(ns > 0)[0]
            j = int(seen[np.lexsort((seen, -agree_metric[seen]))[0]])
            chosen = [(float(agree_metric[j]), j, "agree")]
        out.append(
            [
                {
                    "column": j,
                    "direction": direction,
                    "agree_ratio": round(float(na[j] / ns[j]), 4),
                    "disagree_ratio": round(float(nd[j] / ns[j]), 4),
                    "votes": int(ns[j]),
                    "metric": round(metric, 6),
                }
                for metric, j, direction in chosen
            ]
        )
    return out


def consensus(values: np.ndarray, group_rows: list[np.ndarray]) -> list[dict]:
    """Group-informed consensus: Π_g (na_g+1)/(ns_g+2), listed when each group leans to agree."""
    if not group_rows:
        return []
    score = np.ones(values.shape[1])
    leaning = np.ones(values.shape[1], dtype=bool)
    for rows in group_rows:
        na, _nd, ns = counts(values, rows)
        pa = (na + 1) / (ns + 2)
        score *= pa
        leaning &= pa > 0.5
    order = np.lexsort((np.arange(values.shape[1]), -score))
    return [{"column": int(j), "score": round(float(score[j]), 4)} for j in order if leaning[j]][
        :MAX_CONSENSUS
    ]


def compute(matrix: VoteMatrix, *, seed: int = SEED, previous: dict | None = None) -> dict:
    """The whole computation. Returns a JSON-ready dict: points [[participant, x, y, group|None]],
    groups [{id, size, participants, centre, representative}], consensus, and the figures; the
    statements are referred to by their keys in `matrix.statements`.

    BLAS and OpenMP run on one thread: the matrices are small, and a web server or worker process
    sharing its cores with others is many times slower with a thread per core fighting for them."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return _compute(matrix, seed=seed, previous=previous)


def _compute(matrix: VoteMatrix, *, seed: int, previous: dict | None) -> dict:
    values = matrix.values
    n_p, n_s = values.shape
    n_votes = (~np.isnan(values)).sum(axis=1) if n_p else np.zeros(0, dtype=int)
    result: dict = {
        "version": RESULT_VERSION,
        "seed": seed,
        "participants": int(np.count_nonzero(n_votes)),
        "statements": n_s,
        "votes": int(n_votes.sum()),
        "in_conversation": 0,
        "k": 0,
        "k_candidate": 0,
        "k_streak": 0,
        "silhouettes": {},
        "points": [],
        "groups": [],
        "consensus": [],
    }
    if n_p == 0 or n_s == 0 or result["votes"] == 0:
        return result
    centred_values, _means, voted = centred(values)
    components = principal_components(centred_values)
    points = project(centred_values, voted, components)
    in_conv = in_conversation(n_votes, n_s)
    result["in_conversation"] = int(in_conv.sum())
    clustered = np.where(in_conv)[0]
    group_of = np.full(n_p, -1)
    group_rows: list[np.ndarray] = []
    if len(clustered) >= 3:
        base_labels, base_centres = base_clusters(points[clustered], seed=seed)
        weights = np.bincount(base_labels, minlength=len(base_centres)).astype(float)
        labellings, silhouettes = choose_groups(base_centres, weights, seed=seed)
        result["silhouettes"] = {str(k): round(v, 4) for k, v in silhouettes.items()}
        if labellings:
            best = max(silhouettes, key=lambda k: (silhouettes[k], -k))
            k, candidate, streak = smooth_k(best, previous)
            if k not in labellings:  # the previous k is no longer possible
                k, candidate, streak = best, best, K_BUFFER
            result.update(k=k, k_candidate=candidate, k_streak=streak)
            member_group = labellings[k][base_labels]
            # groups numbered by size (largest first), ties by their lowest member
            sizes = np.bincount(member_group, minlength=k)
            first = [int(np.min(np.where(member_group == g)[0])) for g in range(k)]
            order = sorted(range(k), key=lambda g: (-sizes[g], first[g]))
            renumber = {old: new for new, old in enumerate(order)}
            group_of[clustered] = [renumber[g] for g in member_group]
            group_rows = [np.where(group_of == g)[0] for g in range(k)]
    reps = representative(values, group_rows) if group_rows else []
    ids = matrix.participants
    result["points"] = [
        [ids[i], round(float(points[i, 0]), 4), round(float(points[i, 1]), 4),
         int(group_of[i]) if group_of[i] >= 0 else None]
        for i in range(n_p) if n_votes[i] > 0
    ]  # fmt: skip
    for g, rows in enumerate(group_rows):
        result["groups"].append(
            {
                "id": g,
                "size": len(rows),
                "participants": [ids[i] for i in rows],
                "centre": [round(float(x), 4) for x in points[rows].mean(axis=0)],
                "representative": [
                    {
                        **{k: v for k, v in rep.items() if k != "column"},
                        "statement": matrix.statements[rep["column"]],
                    }
                    for rep in reps[g]
                ],
            }
        )
    rows_for_consensus = group_rows or [clustered]
    result["consensus"] = [
        {"statement": matrix.statements[c["column"]], "score": c["score"]}
        for c in consensus(values, rows_for_consensus)
    ]
    return result


def adjusted_rand(a: Sequence, b: Sequence) -> float:
    from sklearn.metrics import adjusted_rand_score

    return float(adjusted_rand_score(list(a), list(b)))


def planted(
    n_participants: int,
    n_statements: int,
    *,
    groups: int = 3,
    density: float = 0.375,
    noise: float = 0.15,
    seed: int = 1,
    consensus_statements: int = 2,
) -> tuple[list[tuple[str, int, int]], list[int]]:
    """Synthetic votes with planted opinion groups (tests and the benchmark): each group has an
    opinion (agree/disagree) on every statement; a participant votes on a random `density` share
    of the statements, with their group's opinion except with probability `noise` (then pass or the
    opposite). The first `consensus_statements` statements are agreed by every group.
    Returns (votes as (participant id, statement id, value), the planted group of each participant)."""
    rng = np.random.default_rng(seed)
    opinion = rng.choice([-1, 1], size=(groups, n_statements))
    opinion[:, :consensus_statements] = 1
    truth = (np.arange(n_participants) * groups) // n_participants
    votes = []
    for i in range(n_participants):
        seen = rng.random(n_statements) < density
        flip = rng.random(n_statements)
        for j in np.where(seen)[0]:
            value = int(opinion[truth[i], j])
            if flip[j] < noise / 2:
                value = 0
            elif flip[j] < noise:
                value = -value
            votes.append((f"p{i}", j, value))
    return votes, truth.tolist()


def scale_factor(n_statements: int, n_votes: int) -> float:
    return math.sqrt(n_statements / max(n_votes, 1))
