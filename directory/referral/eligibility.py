"""Who a matrix line applies to: the person's facts and the line's conditions.

A line's `conditions` is a small JSON object (stored in referral_rules.conditions);
every key must hold (AND). The vocabulary is closed so that a typo in a region's
rules file is an error at import time, not a silent "never applies".
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from directory.vocabulary import SECTEURS, Public

# Statuses that mean the person is still at school (spec: "out of school = not
# collegien/lyceen/etudiant/apprenti").
SCHOOL_PUBLICS = frozenset({"collegien", "lyceen", "etudiant", "apprenti"})
# Statuses that imply 16-25 when the age is unknown (a collegien is usually younger).
YOUNG_PUBLICS = frozenset({"lyceen", "etudiant", "apprenti"})
YOUNG_MIN_AGE, YOUNG_MAX_AGE = 16, 25

CONDITION_KEYS = ("public", "handicap", "cadre", "woman", "young", "out_of_school", "age_max", "secteur",
                  "secteur_known")
# Conditions that do not depend on the person's status: they still apply when the
# person declines to say it (disability and executive status take precedence).
STATUS_FREE_KEYS = frozenset({"handicap", "cadre", "woman", "secteur", "secteur_known"})


@dataclass(frozen=True)
class Person:
    """What the bot knows about the person (all optional but the need)."""

    public: str | None = None
    handicap: bool = False
    cadre: bool = False
    age: int | None = None
    secteur: str | None = None
    # Said in the person's own words ("je suis inscrite", "maman de trois enfants"):
    # the assistant never asks for gender.
    woman: bool = False

    @property
    def young(self) -> bool:
        if self.age is not None:
            return YOUNG_MIN_AGE <= self.age <= YOUNG_MAX_AGE
        return self.public in YOUNG_PUBLICS

    @property
    def out_of_school(self) -> bool:
        # A parent writes for a child whose schooling is not known (the age given is
        # often the child's): the 16-25 out-of-school lines are not theirs.
        return self.public is not None and self.public not in SCHOOL_PUBLICS | {"parent"}


def conditions_hold(conditions: Mapping, person: Person) -> bool:
    """True when every condition of a matrix line holds for `person`."""
    for key, expected in conditions.items():
        if key == "public":
            if person.public not in expected:
                return False
        elif key == "handicap":
            if person.handicap != expected:
                return False
        elif key == "cadre":
            if person.cadre != expected:
                return False
        elif key == "woman":
            if person.woman != expected:
                return False
        elif key == "young":
            if person.young != expected:
                return False
        elif key == "out_of_school":
            if person.out_of_school != expected:
                return False
        elif key == "age_max":
            if person.age is not None and person.age > expected:
                return False
        elif key == "secteur":
            # The trade's chamber for a known sector; lines with `secteur_known:
            # false` say what an unknown sector gets.
            if person.secteur not in expected:
                return False
        elif key == "secteur_known":
            if (person.secteur is not None) != expected:
                return False
        else:  # validated at load time; refuse rather than guess
            return False
    return True


def condition_errors(conditions: object) -> list[str]:
    """French messages for an invalid `when` mapping (empty list = valid)."""
    if conditions is None:
        return []
    if not isinstance(conditions, Mapping):
        return ["« when » doit être un dictionnaire de conditions."]
    errors = []
    publics = {member.value for member in Public}
    for key, value in conditions.items():
        if key not in CONDITION_KEYS:
            errors.append(f"condition inconnue « {key} » (possibles : {', '.join(CONDITION_KEYS)}).")
        elif key == "public":
            if not isinstance(value, list) or not value:
                errors.append("« public » doit être une liste non vide de publics.")
            else:
                errors += [f"public inconnu « {item} » (possibles : {', '.join(sorted(publics))})."
                           for item in value if item not in publics]
        elif key == "secteur":
            if not isinstance(value, list) or not value:
                errors.append("« secteur » doit être une liste non vide de secteurs.")
            else:
                errors += [f"secteur inconnu « {item} » (possibles : {', '.join(SECTEURS)})."
                           for item in value if item not in SECTEURS]
        elif key == "age_max":
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                errors.append("« age_max » doit être un nombre entier positif.")
        elif not isinstance(value, bool):
            errors.append(f"« {key} » doit valoir true ou false.")
    return errors
