"""What a poll did, source by source: the watch's report, printed by ``legation watch``."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SourceReport:
    """What one poll did with one source; ``error`` when the source itself failed."""

    source: str
    kind: str
    new: int = 0
    added: int = 0
    duplicates: int = 0
    already: int = 0
    failed: int = 0
    unchanged: bool = False
    error: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and not self.failed

    def line(self) -> str:
        """One line for the terminal: "feed http://host/feed.xml: 3 new, 3 added"."""
        head = f"{self.kind} {self.source}"
        if self.error:
            return f"{head}: error: {self.error}"
        if self.unchanged and not self.new:
            return f"{head}: not modified"
        parts = [f"{self.new} new", f"{self.added} added"]
        if self.duplicates:
            parts.append(f"{self.duplicates} of them duplicates")
        if self.already:
            parts.append(f"{self.already} already stored")
        if self.failed:
            parts.append(f"{self.failed} failed")
        return f"{head}: " + ", ".join(parts)


@dataclass
class PollReport:
    """One poll: each source's report, the alerts fired, and what could not be delivered."""

    sources: list[SourceReport] = field(default_factory=list)
    alerts: list[dict[str, object]] = field(default_factory=list)
    delivery_errors: list[str] = field(default_factory=list)
    recovered: int = 0

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.sources) and not self.delivery_errors
