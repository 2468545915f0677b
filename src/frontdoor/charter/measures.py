"""Charter measures: the share of contacts that met a standard, and whether the target holds.

Pure functions over counts and waits; `insight` feeds them from contacts and surveys.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Measure:
    """What a measure standard needs: the threshold (wait) or metric (share) and its targets."""

    id: str
    measure: str  # "wait" | "share"
    target_share: float
    within_seconds: float | None = None
    metric: str | None = None
    channel_targets: Mapping[str, float] = field(default_factory=dict)

    @classmethod
    def from_config(cls, standard: Any) -> Measure:
        """From the council configuration's measure standard."""
        return cls(
            id=standard.id,
            measure=standard.measure,
            target_share=float(standard.target_share),
            within_seconds=standard.within_seconds,
            metric=standard.metric,
            channel_targets=dict(standard.channel_targets or {}),
        )

    def target_for(self, channel: str | None = None) -> float:
        """The share to reach on `channel` (its own target if it has one, else the standard's)."""
        if channel is not None and channel in self.channel_targets:
            return self.channel_targets[channel]
        return self.target_share


@dataclass(frozen=True)
class MeasureResult:
    share_met: float | None  # None when nothing was counted
    count: int
    met: int
    target_share: float
    holds: bool


def share_result(*, met: int, count: int, target_share: float) -> MeasureResult:
    """`met` of `count` against `target_share`; with nothing counted the standard does not hold."""
    if met < 0 or count < 0 or met > count:
        raise ValueError(f"met ({met}) must be between 0 and count ({count})")
    share = met / count if count else None
    return MeasureResult(
        share_met=share,
        count=count,
        met=met,
        target_share=target_share,
        holds=share is not None and share >= target_share,
    )


def wait_measure(
    standard: Measure, waits_in_seconds: Iterable[float | None], *, channel: str | None = None
) -> MeasureResult:
    """Share of waits within the threshold; None (abandoned, never answered) counts as not met."""
    if standard.measure != "wait" or standard.within_seconds is None:
        raise ValueError(f"{standard.id} is not a wait measure")
    limit = standard.within_seconds
    count = met = 0
    for wait in waits_in_seconds:
        count += 1
        if wait is not None and wait <= limit:
            met += 1
    return share_result(met=met, count=count, target_share=standard.target_for(channel))


def share_measure(
    standard: Measure, *, met: int, count: int, channel: str | None = None
) -> MeasureResult:
    """A rate (first-contact resolution, satisfaction): `met` of `count` against the target."""
    if standard.measure != "share":
        raise ValueError(f"{standard.id} is not a share measure")
    return share_result(met=met, count=count, target_share=standard.target_for(channel))


def share_measure_by_channel(
    standard: Measure, counts: Mapping[str, tuple[int, int]]
) -> dict[str, MeasureResult]:
    """Per channel (met, count) against each channel's target."""
    return {
        channel: share_measure(standard, met=met, count=count, channel=channel)
        for channel, (met, count) in counts.items()
    }
