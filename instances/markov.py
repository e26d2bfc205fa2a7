"""A seeded continuous-time Markov chain over a few levels, read at the events' arrival times.

Both the network status ``omega`` (a bandwidth factor: Markov-modulated bandwidth, the
Gilbert-Elliott model of a congested channel) and the cloud load ``theta`` (a slowdown factor)
are such chains. The chain stays in level ``s`` for an exponential time of mean
``mean_sojourn_ms[s]``; it then jumps to one of the other levels, uniformly. It starts at time 0
in a level drawn from its stationary distribution (the share of time spent in each level in the
long run), so the process is stationary: an event at time 0 is as likely to meet a busy spell as
any later one. Events arriving together see the same level; events far apart see independent
ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Jumps drawn at once by ``MarkovLevels.sample``; a path needing more (times spanning more than
# about this many mean sojourns) is drawn event to event from the transition matrices instead,
# so memory does not grow with the time span.
MAX_JUMP_BLOCK = 1 << 20


@dataclass(frozen=True)
class MarkovLevels:
    """Levels and mean sojourn times of the chain.

    Attributes
    ----------
    levels : tuple of float
        The value of each state (level 0 is the nominal one).
    mean_sojourn_ms : tuple of float
        Mean time spent in each state per visit, > 0.
    """

    levels: tuple[float, ...] = (1.0,)
    mean_sojourn_ms: tuple[float, ...] = (1.0,)

    def __post_init__(self):
        if len(self.levels) != len(self.mean_sojourn_ms) or not self.levels:
            raise ValueError("levels and mean_sojourn_ms need the same, non-zero length")
        if min(self.mean_sojourn_ms) <= 0 or min(self.levels) <= 0:
            raise ValueError("levels and mean sojourn times must be > 0")

    @property
    def constant(self) -> bool:
        return len(self.levels) == 1

    def stationary(self) -> np.ndarray:
        """Long-run share of time in each level (proportional to the mean sojourn)."""
        weights = np.asarray(self.mean_sojourn_ms, dtype=np.float64)
        return weights / weights.sum()

    def sample(self, times: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """The level at each of the sorted ``times`` (ms), one path per call.

        The first state is drawn from :meth:`stationary`; the time left in it is exponential with
        its mean sojourn (memoryless), like every later sojourn. Vectorised: jumps are drawn in
        blocks (exponential sojourns, the next state a uniform step to another state) until the
        path covers the last time.
        """
        times = np.asarray(times, dtype=np.float64)
        levels = np.asarray(self.levels, dtype=np.float64)
        if self.constant or len(times) == 0:
            return np.full(len(times), levels[0])
        count = len(levels)
        means = np.asarray(self.mean_sojourn_ms, dtype=np.float64)
        horizon = float(times[-1])
        if horizon / means.min() > MAX_JUMP_BLOCK:
            return levels[self._sample_by_transitions(times, rng)]
        block = int(horizon / means.min()) + 16
        states = np.zeros(0, dtype=np.int64)
        ends = np.zeros(0)
        state, clock = int(rng.choice(count, p=self.stationary())), 0.0
        while clock <= horizon:
            steps = rng.integers(1, count, size=block) if count > 2 else np.ones(block, np.int64)
            block_states = (state + np.concatenate([[0], np.cumsum(steps[:-1])])) % count
            block_ends = clock + np.cumsum(rng.standard_exponential(block) * means[block_states])
            states = np.concatenate([states, block_states])
            ends = np.concatenate([ends, block_ends])
            state, clock = int((block_states[-1] + steps[-1]) % count), float(block_ends[-1])
        # the state holding at time t is the first whose end lies beyond t
        return levels[states[np.searchsorted(ends, times, side="right")]]

    def transition_matrices(self, gaps: np.ndarray) -> np.ndarray:
        """``P(t)[s, r]``, the chance of level ``r`` a time ``t`` after level ``s``, for each
        of ``gaps`` (shape ``(len(gaps), levels, levels)``).

        The chain is reversible (its stationary share is proportional to the mean sojourn), so
        its rate matrix is symmetric up to a diagonal scaling and ``exp(Q t)`` comes from one
        symmetric eigen-decomposition.
        """
        count = len(self.levels)
        rates = 1.0 / np.asarray(self.mean_sojourn_ms, dtype=np.float64)
        rate_matrix = np.outer(rates, np.ones(count)) / (count - 1)
        np.fill_diagonal(rate_matrix, -rates)
        root = np.sqrt(self.stationary())
        symmetric = root[:, None] * rate_matrix / root[None, :]
        values, vectors = np.linalg.eigh((symmetric + symmetric.T) / 2)
        decay = np.exp(np.minimum(values, 0.0)[None, :] * np.asarray(gaps)[:, None])
        middle = np.einsum("ik,gk,jk->gij", vectors, decay, vectors)
        matrices = middle / root[None, :, None] * root[None, None, :]
        matrices = np.clip(matrices, 0.0, None)
        return matrices / matrices.sum(axis=2, keepdims=True)

    def _sample_by_transitions(self, times: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """The level index at each time, drawn event to event from ``P(gap)``: exact in
        distribution, with memory and time in the number of times rather than of jumps (used
        when the times span more jumps than a block holds)."""
        gaps = np.diff(np.concatenate([[0.0], times]))
        states = np.empty(len(times), dtype=np.int64)
        state = int(rng.choice(len(self.levels), p=self.stationary()))  # as sample starts
        draws = rng.random(len(times))
        for start in range(0, len(times), 65536):  # bounded memory for the matrices
            matrices = np.cumsum(self.transition_matrices(gaps[start:start + 65536]), axis=2)
            for offset, cumulative in enumerate(matrices):
                row = cumulative[state]
                state = min(int(np.searchsorted(row, draws[start + offset] * row[-1],
                                                side="right")), len(row) - 1)
                states[start + offset] = state
        return states
