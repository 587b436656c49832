"""The control-total rule, once, as pure functions over Decimal (£ thousands).

A system's control total, plan and outturn for a financial year are the sums over the
organisations that were its members at the start of that year (1 April), each weighted by its
apportionment share. Surplus is positive, deficit negative. A system met its control total when
its outturn is at least its control total, and beat its plan when its outturn is above its plan.

Sustainability funding (STF, PSF, CSF, FRF) is earned per organisation that accepted its
control total: the part linked to the system total is earned if the *system* met its control
total, the rest if the *organisation* met its own. `finance.queries.with_control_totals` is the
database twin of `system_totals`; a property test holds them equal.
"""

from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)


@dataclass(frozen=True)
class MemberFigures:
    share: Decimal
    control_total: Decimal
    plan: Decimal
    outturn: Decimal
    accepted: bool = True
    funding_available: Decimal = ZERO
    funding_linked_share: Decimal = ZERO  # of the organisation's funding, 0 to 1


@dataclass(frozen=True)
class SystemFigures:
    control_total: Decimal
    plan: Decimal
    outturn: Decimal
    funding_linked: Decimal
    funding_earned: Decimal
    members: int

    @property
    def variance(self) -> Decimal:
        """Outturn against control total: positive is better than the control total."""
        return self.outturn - self.control_total

    @property
    def met_control_total(self) -> bool:
        return self.outturn >= self.control_total

    @property
    def beat_plan(self) -> bool:
        return self.outturn > self.plan


def contribution(member: MemberFigures) -> Decimal:
    """What one member adds to its system's control total."""
    return member.share * member.control_total


def system_totals(members: list[MemberFigures]) -> SystemFigures:
    """A system's figures for a year from its members' on 1 April: each member's figures
    weighted by its share, and the sustainability funding its members earned."""
    control_total = sum((contribution(m) for m in members), ZERO)
    plan = sum((m.share * m.plan for m in members), ZERO)
    outturn = sum((m.share * m.outturn for m in members), ZERO)
    system_met = outturn >= control_total
    linked = ZERO
    earned = ZERO
    for m in members:
        if not m.accepted:
            continue
        funding = m.share * m.funding_available
        linked_part = funding * m.funding_linked_share
        own_part = funding - linked_part
        linked += linked_part
        if system_met:
            earned += linked_part
        if m.outturn >= m.control_total:
            earned += own_part
    return SystemFigures(control_total, plan, outturn, linked, earned, len(members))
