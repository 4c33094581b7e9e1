"""Bare answers read in the context of their question (bot/nlu/answers.py)."""
from __future__ import annotations

import pytest

from bot.nlu.answers import age_answer, commune_text, core, is_refusal, public_answer


@pytest.mark.parametrize("text, age", [
    ("36", 36), ("j'en ai 36", 36), ("36 ans", 36), ("trente-six", 36), ("trente six ans", 36),
    ("bientôt 18", 18), ("dix-sept ans", 17), ("quatre-vingt-dix", 90), ("45 balais", 45), ("19 !", 19),
])
def test_a_bare_age(text, age):
    assert age_answer(text) == age


@pytest.mark.parametrize("text", [
    "29200", "en 3e", "10h", "j'ai 2 enfants", "36 ans et je vis à Brest depuis dix ans", "1500 €",
    "entre 20 et 30", "bof", "", "5",
])
def test_no_bare_age(text):
    assert age_answer(text) is None


@pytest.mark.parametrize("text, public", [
    ("lycée", "lyceen"), ("euh bah le lycée !", "lyceen"), ("la fac", "etudiant"), ("au chômage", "demandeur_emploi"),
    ("au chômdu", "demandeur_emploi"), ("je suis en recherche d emploi", "demandeur_emploi"), ("rien", "sans_activite"),
    ("en CDI", "salarie"), ("je bosse", "salarie"), ("intérimaire", "salarie"), ("mère au foyer", "sans_activite"),
    ("à la retraite", "sans_activite"), ("à mon compte", "independant"), ("auto-entrepreneur", "independant"),
    ("en alternance", "apprenti"), ("en 3eme", "collegien"), ("pour ma fille", "parent"),
])
def test_a_status_in_a_word_or_two(text, public):
    assert public_answer(text) == public


@pytest.mark.parametrize("text", ["je cherche un travail dans le bâtiment", "oui", "pourquoi ?", "Brest", ""])
def test_no_status_in_a_word(text):
    assert public_answer(text) is None


@pytest.mark.parametrize("text", [
    "je préfère ne pas le dire", "je prefere pas", "jprefere pas dire", "ça vous regarde pas", "c'est perso",
    "c est privé", "je veux pas le dire", "j'ai pas envie de répondre", "pas envie de le dire", "je ne souhaite pas répondre",
    "non merci", "joker", "je le dirai pas", "sans réponse", "passons",
])
def test_a_refusal_in_any_words(text):
    assert is_refusal(text)


@pytest.mark.parametrize("text", ["je préfère travailler le matin", "je veux une formation", "Rennes", "36",
                                  "je dis que c'est bien", "oui"])
def test_no_refusal(text):
    assert not is_refusal(text)


def test_filler_words_are_removed_from_the_core():
    assert core("euh moi c'est au lycée, merci !") == "lycee"


def test_only_a_short_answer_is_looked_up_as_a_commune():
    assert commune_text("  à coté de quimper ") == "à coté de quimper"
    assert commune_text("je vous ai dit que je ne sais pas où aller") is None


@pytest.mark.parametrize("before, own", [
    ("je suis ", True), ("je suis une ", True), ("je bosse comme ", True), ("en tant que ", True),
    ("bonjour je suis actuellement ", True), ("je voudrais devenir ", False), ("j'étais ", False), ("", False),
])
def test_a_job_is_one_s_own_after_these_words(before, own):
    from bot.nlu.answers import says_own_job

    assert says_own_job(before) is own


@pytest.mark.parametrize("text, asking", [
    ("je suis salariée, en fait je voudrais plutôt un bilan", True), ("je cherche une formation", True),
    ("c'est possible de faire une VAE ?", True), ("Je suis employée, caissière dans un hypermarché", False),
    ("au chômage depuis deux ans", False),
])
def test_an_answer_that_asks_for_something(text, asking):
    from bot.nlu.answers import asks_for_something

    assert asks_for_something(text) is asking
