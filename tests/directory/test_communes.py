"""Commune resolution against the real directory built from the shared open data."""
from __future__ import annotations

import pytest

from directory.communes import CommuneResolver, Resolution, load_resolver
from directory.communes.normalize import normalize, strip_article


@pytest.fixture(scope="module")
def resolver(directory_session_factory) -> CommuneResolver:
    return load_resolver(directory_session_factory)


# (what a person types, expected INSEE code of the single commune found)
FOUND = [
    # case, accents, hyphens
    ("Rennes", "35238"), ("rennes", "35238"), ("RENNES", "35238"), ("  rennes ", "35238"),
    ("Lucé", "28218"), ("luce", "28218"), ("LUCE", "28218"), ("Chartres", "28085"), ("chartres", "28085"),
    ("Orléans", "45234"), ("orleans", "45234"), ("ORLEANS", "45234"), ("Châteauroux", "36044"),
    ("chateauroux", "36044"), ("Chateaudun", "28088"), ("Bourges", "18033"), ("Blois", "41018"),
    ("Tours", "37261"), ("tours", "37261"), ("Dreux", "28134"), ("Vierzon", "18279"), ("Montargis", "45208"),
    ("Issoudun", "36088"), ("Mainvilliers", "28229"), ("Luisant", "28220"), ("Nantes", "44109"),
    ("Toulouse", "31555"), ("Strasbourg", "67482"), ("Montpellier", "34172"), ("Lille", "59350"),
    ("Besançon", "25056"), ("besancon", "25056"), ("Nîmes", "30189"), ("nimes", "30189"),
    ("Évreux", "27229"), ("evreux", "27229"), ("Angoulême", "16015"), ("angouleme", "16015"),
    ("Aix-en-Provence", "13001"), ("aix en provence", "13001"), ("Aix en Provence", "13001"),
    ("Bourg-en-Bresse", "01053"), ("bourg en bresse", "01053"), ("Fleury-les-Aubrais", "45147"),
    ("fleury les aubrais", "45147"), ("joue les tours", "37122"), ("Joué-lès-Tours", "37122"),
    ("Clermont-Ferrand", "63113"), ("clermont ferrand", "63113"), ("Boulogne-Billancourt", "92012"),
    ("boulogne billancourt", "92012"), ("Vitry-sur-Seine", "94081"), ("vitry sur seine", "94081"),
    # Saint / Sainte abbreviations
    ("Saint-Brieuc", "22278"), ("st brieuc", "22278"), ("St-Brieuc", "22278"), ("ST BRIEUC", "22278"),
    ("saint brieuc", "22278"), ("Saint-Malo", "35288"), ("st malo", "35288"), ("st-malo", "35288"),
    ("Saint-Étienne", "42218"), ("saint etienne", "42218"), ("st etienne", "42218"), ("St Étienne", "42218"),
    ("Sainte-Maxime", "83115"), ("ste maxime", "83115"), ("Ste-Maxime", "83115"),
    ("Saint-Jean-de-Braye", "45284"), ("st jean de braye", "45284"), ("st jean de la ruelle", "45285"),
    ("Saint-Pierre-des-Corps", "37233"), ("st pierre des corps", "37233"), ("Saint-Herblain", "44162"),
    ("st herblain", "44162"), ("Sainte-Foy-lès-Lyon", "69202"), ("ste foy les lyon", "69202"),
    # articles optional
    ("Le Mans", "72181"), ("le mans", "72181"), ("LE MANS", "72181"), ("mans", "72181"), ("Mans", "72181"),
    ("Le Havre", "76351"), ("havre", "76351"), ("le havre", "76351"), ("L'Isle-Adam", "95313"),
    ("l isle adam", "95313"), ("isle adam", "95313"), ("Les Sables-d'Olonne", "85194"),
    ("sables d olonne", "85194"), ("les sables d'olonne", "85194"), ("Le Puy-en-Velay", "43157"),
    ("puy en velay", "43157"),
    # plain Paris / Lyon / Marseille and their arrondissements
    ("Paris", "75056"), ("paris", "75056"), ("Lyon", "69123"), ("Marseille", "13055"),
    ("Paris 15e", "75115"), ("paris 15", "75115"), ("paris 15eme", "75115"), ("Paris 15ème arrondissement", "75115"),
    ("paris 15 eme", "75115"), ("Paris 1er", "75101"), ("paris 20", "75120"), ("paris 16", "75116"),
    ("lyon 3eme", "69383"), ("Lyon 3e", "69383"), ("lyon 9", "69389"), ("marseille 13", "13213"),
    ("Marseille 1er arrondissement", "13201"), ("marseille 8eme", "13208"),
    # postcodes
    ("35000", "35238"), ("28000", "28085"), ("28110", "28218"), ("45000", "45234"), ("37000", "37261"),
    ("75015", "75115"), ("75116", "75116"), ("69009", "69389"), ("13001", "13201"), ("22000", "22278"),
    ("sur le 35000", "35238"), ("à 28000", "28085"),
    # INSEE codes
    ("35238", "35238"), ("2A004", "2A004"), ("2a004", "2A004"), ("2B033", "2B033"), ("35288", "35288"),
    # a code that is both a postcode and an INSEE code is read as the postcode people type
    ("97411", "97415"),
    ("28085", "28085"),
    # homonyms told apart by a département or postcode
    ("saint denis 974", "97411"), ("Saint-Denis (93)", "93066"), ("saint denis reunion", "97411"),
    ("saint-denis la réunion", "97411"), ("st denis 93200", "93066"), ("rennes 35000", "35238"),
    ("35000 rennes", "35238"), ("valence 26", "26362"), ("valence drome", "26362"),
    # Cedex and leading words
    ("Rennes Cedex 9", "35238"), ("RENNES CEDEX", "35238"), ("à Rennes", "35238"), ("j'habite à Lucé", "28218"),
    # close misspellings (RapidFuzz)
    ("rennnes", "35238"), ("renes", "35238"), ("st etiene", "42218"), ("sant brieuc", "22278"),
    ("chartre", "28085"), ("monpelier", "34172"), ("strasbour", "67482"), ("tolouse", "31555"),
    ("marseile", "13055"), ("lile", "59350"), ("orleanss", "45234"), ("chateauroo", "36044"),
    ("bourge", "18033"), ("hartres", "28085"), ("rennnes 35", "35238"), ("saint brieux", "22278"),
    ("paris 19e arrodissement", "75119"), ("saint sorlinde vienne", "38459"),
]


@pytest.mark.parametrize(("text", "insee"), FOUND)
def test_found(resolver, text, insee):
    resolution = resolver.resolve(text)
    assert resolution.status == "found", (text, resolution)
    assert resolution.commune.insee_code == insee
    assert resolution.candidates == [resolution.commune]


def test_table_is_large_enough():
    assert len(FOUND) >= 100


@pytest.mark.parametrize(
    ("text", "first", "departments"),
    [
        ("Saint-Denis", "97411", {"974", "93", "11", "30"}),
        ("saint denis", "97411", {"974", "93", "11", "30"}),
        ("st denis", "97411", {"974", "93", "11", "30"}),
        ("valence", "26362", {"26", "82", "16"}),
        ("la rochelle", "17300", {"17", "70"}),
        ("saint dennis", "97411", {"974", "93"}),
    ],
)
def test_ambiguous_names_give_candidates_with_department(resolver, text, first, departments):
    resolution = resolver.resolve(text)
    assert resolution.status == "ambiguous"
    assert resolution.commune is None
    assert resolution.candidates[0].insee_code == first
    assert departments <= {c.department_code for c in resolution.candidates}
    assert all(c.department_name for c in resolution.candidates)
    populations_first = [c.insee_code for c in resolution.candidates]
    assert len(populations_first) == len(set(populations_first))


def test_exact_tiny_homonym_does_not_hide_the_city(resolver):
    # "chatres" is exactly Châtres (3 villages) and one letter from Chartres: all are
    # offered, the city first, so the bot can ask.
    resolution = resolver.resolve("chatres")
    assert resolution.status == "ambiguous"
    assert resolution.candidates[0].name == "Chartres"
    assert {c.name for c in resolution.candidates[1:]} == {"Châtres"}


def test_shared_postcode_is_ambiguous_biggest_first(resolver):
    resolution = resolver.resolve("28300")  # Mainvilliers and its neighbours
    assert resolution.status == "ambiguous"
    assert resolution.candidates[0].insee_code == "28229"
    assert all("28300" in c.postcodes for c in resolution.candidates)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "xqzwv", "qsdfghjklm", "azertyuiop", "28", "sur le 28", "974", "2a", "99999", "00000",
     "12", "je ne sais pas", "bordo", "?!"],
)
def test_not_found(resolver, text):
    resolution = resolver.resolve(text)
    assert resolution == Resolution("not_found")


def test_resolution_is_deterministic(resolver):
    for text in ("chatres", "saint denis", "sant brieuc", "28300"):
        assert resolver.resolve(text) == resolver.resolve(text)


def test_load_resolver_is_cached_per_factory(directory_session_factory, resolver):
    assert load_resolver(directory_session_factory) is resolver
    assert len(resolver) == 35014


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Saint-Brieuc", "saint brieuc"), ("ST-BRIEUC", "saint brieuc"), ("Ste Maxime", "sainte maxime"),
        ("L'Isle-Adam", "l isle adam"), ("Œuilly", "oeuilly"), ("Paris 15ème Arrondissement", "paris 15"),
        ("Marseille 1er", "marseille 1"), ("Rennes CEDEX 9", "rennes"), ("Le  Mans", "le mans"),
    ],
)
def test_normalize(text, key):
    assert normalize(text) == key


def test_strip_article():
    assert strip_article("le mans") == "mans"
    assert strip_article("l isle adam") == "isle adam"
    assert strip_article("la") == "la"
    assert strip_article("lens") == "lens"


# (sentence, [(mention text, expected INSEE code or None when ambiguous)])
SENTENCES = [
    ("j'habite à Lucé", [("Lucé", "28218")]),
    ("je suis vers saint brieuc", [("saint brieuc", "22278")]),
    ("sur le 35000", [("35000", "35238")]),
    ("moi c'est le mans", [("le mans", "72181")]),
    ("j'habite Rennes depuis 3 ans", [("Rennes", "35238")]),
    ("Rennes", [("Rennes", "35238")]),
    ("st brieuc", [("st brieuc", "22278")]),
    ("j'habite au Mans", [("Mans", "72181")]),
    ("j'habite à Orange", [("Orange", "84087")]),
    ("j'habite à tours", [("tours", "37261")]),
    ("je m'appelle Marie et j'habite à Tours", [("Tours", "37261")]),
    ("je cherche un travail à Chartres ou à Dreux", [("Chartres", "28085"), ("Dreux", "28134")]),
    ("j'habite Paris 15e", [("Paris 15e", "75115")]),
    ("je vis à paris 15", [("paris 15", "75115")]),
    ("Bonjour, je suis à Lyon 3eme", [("Lyon 3eme", "69383")]),
    ("j'habite saint denis 974", [("saint denis 974", "97411")]),
    ("je suis vers st etiene", [("st etiene", "42218")]),
    ("je vis a sant brieuc", [("sant brieuc", "22278")]),
    ("j'habite a rennnes", [("rennnes", "35238")]),
    ("mon code postal c'est 28000", [("28000", "28085")]),
    ("je suis près de Chartres", [("Chartres", "28085")]),
    ("formation de boulanger à côté de Vierzon l'an prochain", [("Vierzon", "18279")]),
    ("j'habite dans un petit village près de Bourges", [("Bourges", "18033")]),
    ("je suis de Saint-Malo", [("Saint-Malo", "35288")]),
    ("a cote de chatres", [("chatres", None)]),
    ("je vis à La Rochelle", [("La Rochelle", None)]),
    ("je suis né à Saint-Denis", [("Saint-Denis", None)]),
    # A French word typed lower case is still a town when it is a town this size.
    ("je suis sur rennes", [("rennes", "35238")]),
    ("j'habite a vitre", [("vitre", "35360")]),
    ("je bosse à L'Hôtellerie", [("L'Hôtellerie", "14334")]),
]

NO_COMMUNE = [
    "je veux faire un bac pro", "j'ai 16 ans", "je suis en 3e", "bac+2", "je cherche une formation",
    "Je voudrais une formation", "j'ai un bac+2 et je cherche une alternance",
    "je suis à la recherche d'un emploi", "j'ai mangé une orange", "je suis de passage", "c'est en vie",
    "on va au bar", "je vais faire un stage dans le commerce", "je voudrais devenir aide-soignant à domicile",
    "j'ai 35000 euros de dettes", "je gagne 25000", "je viens de finir mes études", "j'habite à la Réunion",
    "Marie voudrait changer de métier", "je travaille dans le bois", "je suis au chômage depuis 2 ans",
    "", "oui", "merci beaucoup",
    # Everyday words after "à", "dans", "au" that are also (or are one letter from)
    # small communes: Santes, Mairé, Bréau, Les Ventes, La Fère, L'Hôtellerie, Tavaux…
    "je veux me reconvertir dans l'aide à la personne", "je veux travailler dans la santé",
    "je suis dans la galère", "je travaille au bureau", "je suis à la caisse d'un supermarché",
    "je travaille à la mairie", "dans la vente depuis 10 ans", "je vis à la ferme",
    "je veux bosser dans l'hôtellerie", "je suis à la maison avec les enfants",
    "j'ai un rendez-vous à la mission locale", "je travaille dans les travaux publics",
    "je cherche dans les routes et les ponts", "je suis à la crèche avec ma fille",
    # One letter from a town of 10,000+, but typed with the word's own accents.
    "je veux travailler dans les métaux", "je suis dans le bâtiment",
    # One letter from Le Port (La Réunion), whose name is an everyday word itself.
    "mon copain m'a mise à la porte", "je travaille au port",
]


@pytest.mark.parametrize(("sentence", "expected"), SENTENCES)
def test_find_in_text(resolver, sentence, expected):
    mentions = resolver.find_in_text(sentence)
    assert [m.text for m in mentions] == [text for text, _ in expected]
    for mention, (text, insee) in zip(mentions, expected):
        assert sentence[mention.start : mention.end] == text
        if insee is None:
            assert mention.resolution.status == "ambiguous"
        else:
            assert mention.resolution.status == "found"
            assert mention.resolution.commune.insee_code == insee


def test_find_in_text_chatres_offers_chartres_first(resolver):
    (mention,) = resolver.find_in_text("a cote de chatres")
    assert mention.resolution.candidates[0].name == "Chartres"


@pytest.mark.parametrize("sentence", NO_COMMUNE)
def test_find_in_text_ignores_sentences_without_commune(resolver, sentence):
    assert resolver.find_in_text(sentence) == []


def test_enough_sentences():
    assert len(SENTENCES) + len(NO_COMMUNE) >= 25


STORED_INDEX_SAMPLES = ["Rennes", "st brieuc", "35000", "saint denis 974", "chatres", "Montreuil", "hartres",
                        "le mans", "75011", "Paris", "Zorglubville", "sant brieuc", "la rochelle", "2A004"]


def test_the_import_stores_the_index_read_at_start_up(directory_session_factory):
    """What processes load (the stored index) resolves exactly as a resolver built
    from the communes table."""
    from directory.communes.resolver import _stored

    with directory_session_factory() as session:
        stored, built = _stored(session), CommuneResolver.from_session(session)
    assert stored is not None and len(stored) == len(built) > 34000
    for text in STORED_INDEX_SAMPLES:
        a, b = stored.resolve(text), built.resolve(text)
        assert (a.status, [c.insee_code for c in a.candidates]) == (b.status, [c.insee_code for c in b.candidates]), text
        assert a.candidates == b.candidates, text


def test_a_database_without_the_index_still_resolves(tmp_path, shared_data_dir):
    """A database imported before the index existed: built from the table."""
    from sqlalchemy import delete

    from directory.communes.resolver import forget_resolver
    from directory.db import make_engine, make_session_factory
    from directory.importing import run_import
    from directory.migrations import upgrade
    from directory.models import CommuneIndex

    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    upgrade(engine)
    factory = make_session_factory(engine)
    run_import(factory, shared_data_dir)
    with factory.begin() as session:
        session.execute(delete(CommuneIndex))
    forget_resolver(factory)
    assert load_resolver(factory).resolve("Lucé").commune.insee_code == "28218"
    engine.dispose()


@pytest.mark.parametrize("text, insee", [
    ("Charleville", "08105"), ("Chalon", "71076"), ("Cherbourg", "50129"),
])
def test_a_town_called_by_the_first_part_of_its_name(resolver, text, insee):
    """"Chalon": a village of that exact name, and Chalon-sur-Saône (45,000); the
    settling picks the town, said back to the person."""
    from directory.communes.homonyms import settle

    assert settle(resolver.resolve(text)).commune.insee_code == insee


def test_short_names_of_towns_of_equal_size_stay_ambiguous(resolver):
    from directory.communes.homonyms import settle

    resolution = settle(resolver.resolve("Boulogne"))
    assert resolution.status == "ambiguous"
    assert {c.insee_code for c in resolution.candidates} >= {"92012", "62160"}
    assert settle(resolver.resolve("Boulogne"), "32").commune.insee_code == "62160"  # Hauts-de-France


def test_saint_alone_is_no_short_name(resolver):
    assert resolver.resolve("Sainte").status == "not_found" or len(resolver.resolve("Sainte").candidates) < 5


def test_the_toussaint_holidays_are_no_commune(resolver):
    assert [m.text for m in resolver.find_in_text("J'ai arrêté à la Toussaint, je vis à Montpellier")] == ["Montpellier"]


def test_a_name_typed_without_its_article_is_every_commune_of_that_name(resolver):
    """"Lamentin": Lamentin (Guadeloupe) and Le Lamentin (Martinique); the site's
    region chooses."""
    from directory.communes.homonyms import settle

    assert settle(resolver.resolve("Lamentin"), "02").commune.insee_code == "97213"
    assert settle(resolver.resolve("Lamentin"), "01").commune.insee_code == "97115"
    assert resolver.resolve("Le Lamentin").commune.insee_code == "97213"


def test_a_short_name_in_the_site_region(resolver):
    from directory.communes.homonyms import settle

    assert settle(resolver.resolve("Nogent"), "24").commune.insee_code == "28280"  # Nogent-le-Rotrou
    assert settle(resolver.resolve("Nogent")).status == "ambiguous"


@pytest.mark.parametrize("sentence", ["j'habite à Pontarlier, près de la Suisse", "je vis en Bretagne à Vannes"])
def test_a_country_or_a_region_is_no_village(resolver, sentence):
    assert all(m.text.lower() not in ("suisse", "bretagne") for m in resolver.find_in_text(sentence))
