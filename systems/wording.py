"""The words for a system passing, whole or in part, to another: one wording for the timeline
(`DesignationEvent.describe`), the system page's lineage, the wave page's notes, the notes on
comparison pages and the board paper (all through `systems.lineage`).

Plain strings, no models, so the models can use them. "{on}" stands for the date with its
preposition ("on 1 April 2026", "in June 2019").
"""

from dataclasses import dataclass

# A system that gave up only part of itself and carried on (an acquisition without a split).
PART_TAKEN = "part_taken"
# A system that began by taking in others (as opposed to one that took them in later).
FORMED = "formed"


@dataclass(frozen=True)
class Wording:
    alone: str  # a sentence with no subject: "Merged into"
    after_name: str  # the same after the system's name: "merged into"
    dated_lead: bool = False  # the date follows the lead, not the systems


# What the system that gave (merged, was absorbed, split, lost part) says, by event kind.
GAVE = {
    "merged_into": Wording("Merged into", "merged into"),
    "absorbed_into": Wording("Absorbed into", "was absorbed into"),
    "split_into": Wording("Split {on} between", "split {on} between", dated_lead=True),
    PART_TAKEN: Wording("Part taken by", "had part taken by"),
}

# What the system that received says, by event kind: a system split between several, or
# part of which was acquired, gave "part of" itself.
RECEIVED = {
    FORMED: Wording("Formed {on} from", "was formed {on} from", dated_lead=True),
    "merged_into": Wording("Merged with", "merged with"),
    "absorbed_into": Wording("Absorbed", "absorbed"),
    "split_into": Wording("Took part of", "took part of"),
    "acquired_part_of": Wording("Took part of", "took part of"),
}
