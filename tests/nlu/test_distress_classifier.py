"""The distress classifier: trained on the training data, saved in the model, loaded
again; it scores each sentence, so danger told in one sentence of a long story wins
over the story."""
from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.distress_classifier import DistressClassifier
from bot.nlu.parse_keys import DISTRESS_DOUBT
from bot.nlu.text_model import units

DANGER = [
    "mon beau-père me frappe quand il a bu", "il me tape dessus tous les soirs", "je me fais cogner par mon frère",
    "ma mère me gifle et m'insulte", "des élèves me tabassent à la sortie", "on me rackette au collège",
    "je veux mourir", "j'ai envie d'en finir", "je pense à me tuer", "je me scarifie les bras",
    "je me coupe pour ne plus rien sentir", "mon copain me menace avec un couteau",
    "mon mari m'enferme à la maison", "je dors dehors depuis trois nuits", "je n'ai rien mangé depuis deux jours",
    "on veut me marier de force au pays", "mon oncle me touche quand on est seuls",
    "ils font tourner des photos de moi nue", "mon chef me harcèle sexuellement", "je suis harcelée tous les jours",
]
NEEDS = [
    "je cherche une formation de cariste", "je veux faire une vae d'aide-soignante", "quel métier après un bac pro",
    "comment financer mon permis avec le cpf", "je veux créer mon entreprise de plomberie",
    "je cherche un emploi de vendeuse à Lyon", "je voudrais un bilan de compétences",
    "mon fils ne va plus au lycée depuis mars", "je veux partir travailler au Canada",
    "une alternance en BTS commerce", "je veux reprendre un travail après dix ans à la maison",
    "quelles études pour devenir infirmière", "je veux changer de métier à 40 ans", "bonjour", "merci beaucoup",
    "c'est quoi le salaire d'un électricien", "je suis au chômage et je cherche du travail",
    "je veux faire un CAP cuisine", "où trouver une mission locale", "je veux devenir éducatrice spécialisée",
]


def message(text: str, intent: str | None = None) -> Message:
    data = {"text": text}
    if intent:
        data["intent"] = intent
    return Message(data=data)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    resource = Resource("DistressClassifier")
    context = ExecutionContext(GraphSchema({}), "test")
    config = {**DistressClassifier.get_default_config(), "threshold": 0.5}
    component = DistressClassifier.create(config, storage, resource, context)
    examples = [message(t, "distress") for t in DANGER] + [message(t, "formation") for t in NEEDS]
    component.train(TrainingData(training_examples=examples))
    return DistressClassifier.load(config, storage, resource, context)


def parsed(text: str, intent: str = "orientation_scolaire", confidence: float = 0.6) -> Message:
    """As DIET leaves it: by default not sure of the need."""
    return Message(data={"text": text, "intent": {"name": intent, "confidence": confidence},
                         "intent_ranking": [{"name": intent, "confidence": confidence}]})


def test_units_are_the_message_then_its_sentences():
    story = "Je suis en terminale. Je ne sais pas quoi faire. Mon beau-père me frappe."
    assert units(story) == [story, "Je suis en terminale.", "Je ne sais pas quoi faire.", "Mon beau-père me frappe."]
    assert units("je veux une formation") == ["je veux une formation"]


def test_a_loaded_model_reads_danger_and_leaves_needs(trained):
    danger, need = trained.process([parsed("mon beau-pere me cogne tous les soirs quand il rentre"),
                                    parsed("je cherche une formation de vendeuse dans le centre de Lyon")])
    assert danger.get("intent")["name"] == "distress"
    assert [r["name"] for r in danger.get("intent_ranking")] == ["distress", "orientation_scolaire"]
    assert need.get("intent")["name"] == "orientation_scolaire"


def test_a_need_diet_is_sure_of_stays_and_carries_the_doubt(trained):
    """The numbers come first (the form), then the orientation: the score is kept in
    the parse. Sure of something that is not a need, the danger still wins."""
    story = "je cherche une formation mais le soir mon beau-pere me cogne quand il a bu"
    sure, unsure, greeting = trained.process([parsed(story, "formation", 0.93), parsed(story, "formation", 0.7),
                                              parsed(story, "greet", 0.95)])
    assert sure.get("intent") == {"name": "formation", "confidence": 0.93}
    assert sure.get(DISTRESS_DOUBT) >= trained._threshold
    assert DISTRESS_DOUBT in sure.as_dict(only_output_properties=True)
    assert unsure.get("intent")["name"] == "distress" and unsure.get(DISTRESS_DOUBT) is None
    assert greeting.get("intent")["name"] == "distress"
    [calm] = trained.process([parsed("je cherche une formation de vendeuse dans le centre de Lyon", "formation", 0.93)])
    assert calm.get(DISTRESS_DOUBT) is None


def test_one_sentence_of_danger_in_a_long_story_is_enough(trained):
    story = ("Bonjour, je suis en première et je voudrais faire un BTS plus tard. Mes notes sont moyennes "
             "en maths. Je ne sais pas quelle école choisir. Le soir mon beau-père me frappe quand il a bu.")
    whole_only = trained._model.scores([story])[0]
    assert trained.score(parsed(story)) > whole_only
    [result] = trained.process([parsed(story)])
    assert result.get("intent")["name"] == "distress"


def test_a_short_answer_is_left_to_diet_and_the_lexicon(trained):
    [answer] = trained.process([parsed("mon beau-pere me cogne")])
    assert answer.get("intent")["name"] == "orientation_scolaire"
    assert trained.score(parsed("mon beau-pere me cogne")) >= trained._threshold


def test_the_threshold_is_chosen_by_cross_validation_when_not_set(tmp_path):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("DistressClassifier")
    context = ExecutionContext(GraphSchema({}), "test")
    component = DistressClassifier.create(DistressClassifier.get_default_config(), storage, resource, context)
    examples = [message(t, "distress") for t in DANGER] + [message(t, "vae") for t in NEEDS]
    component.train(TrainingData(training_examples=examples))
    loaded = DistressClassifier.load(DistressClassifier.get_default_config(), storage, resource, context)
    assert 0.0 < loaded._threshold < 1.0


def test_without_a_trained_model_the_message_is_left_alone(tmp_path):
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    loaded = DistressClassifier.load(DistressClassifier.get_default_config(), storage,
                                     Resource("absent"), context)
    [result] = loaded.process([parsed("mon beau-pere me cogne")])
    assert result.get("intent")["name"] == "orientation_scolaire"


def with_entities(text, entities, intent="distress"):
    message = parsed(text, intent)
    message.set("intent_ranking", [{"name": "distress", "confidence": 0.6}, {"name": "inform", "confidence": 0.3}])
    message.set("entities", entities)
    return message


def test_a_bare_answer_read_as_distress_is_an_answer(trained):
    commune = with_entities("à Quimperlé", [{"entity": "commune", "start": 2, "end": 11, "value": "Quimperlé"}])
    status = with_entities("je suis au chômage", [{"entity": "public", "start": 11, "end": 18,
                                                   "value": "demandeur_emploi"}])
    danger = with_entities("on me frappe à Quimperlé", [{"entity": "commune", "start": 15, "end": 24,
                                                         "value": "Quimperlé"}])
    commune, status, danger = trained.process([commune, status, danger])
    assert commune.get("intent")["name"] == "inform" and status.get("intent")["name"] == "inform"
    assert [r["name"] for r in commune.get("intent_ranking")] == ["inform"]
    assert danger.get("intent")["name"] == "distress"
