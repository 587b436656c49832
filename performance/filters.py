from systems.period_filters import period_system_filter


class LeagueFilter(period_system_filter("Status at the start")):
    """Filters over a league table's systems, as they stood on the first day of its period.

    The figures are summed after filtering, so the choice of systems with figures or all of
    them is read by the view (`shows_all`).
    """
