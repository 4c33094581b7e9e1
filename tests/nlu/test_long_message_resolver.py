"""The second look at long stories that fell back: it picks between DIET's two
likeliest needs, and only for a long message that fell back."""
from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.long_message_resolver import LongMessageResolver

VAE = ["je veux faire valider mon expérience par un diplôme", "vae aide-soignante après dix ans",
       "faire reconnaître mes années de métier sans retourner à l'école", "valider mes acquis de l'expérience",
       "un diplôme grâce à mon expérience de cuisinier", "la vae pour devenir éducateur", "vae cap petite enfance",
       "obtenir le bts par la validation des acquis", "j'ai 15 ans de métier et pas de diplôme, je veux le valider"]
FINANCING = ["qui peut payer ma formation", "financer ma formation avec le cpf", "combien coûte la formation et qui paie",
             "une aide pour payer mon stage de formation", "transitions pro peut financer ma reconversion ?",
             "mon employeur doit-il financer ma formation", "le cpf couvre-t-il le permis",
             "france travail finance-t-il les formations", "prise en charge des frais de formation"]
STORY = ("Je travaille comme aide à domicile depuis douze ans, d'abord chez des particuliers puis dans une "
         "association. J'aime ce métier et je connais bien les personnes âgées. Ma collègue m'a parlé de "
         "formations payées par le CPF mais je ne sais pas si c'est pour moi. En fait je voudrais surtout "
         "que mon expérience soit reconnue par un vrai diplôme d'auxiliaire de vie.")


@pytest.fixture(scope="module")
def resolver(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    resource = Resource("LongMessageResolver")
    context = ExecutionContext(GraphSchema({}), "test")
    config = LongMessageResolver.get_default_config()
    LongMessageResolver.create(config, storage, resource, context).train(TrainingData(training_examples=[
        *(Message(data={"text": t, "intent": "vae"}) for t in VAE),
        *(Message(data={"text": t, "intent": "financement_formation"}) for t in FINANCING)]))
    return LongMessageResolver.load(config, storage, resource, context)


def fallback(text, first="financement_formation", second="vae"):
    return Message(data={"text": text, "intent": {"name": "nlu_fallback", "confidence": 0.5},
                         "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.5},
                                            {"name": first, "confidence": 0.45},
                                            {"name": second, "confidence": 0.40}]})


def test_a_long_story_that_fell_back_gets_the_need_it_asks_for(resolver):
    [message] = resolver.process([fallback(STORY)])
    assert message.get("intent") == {"name": "vae", "confidence": 0.4}
    assert [r["name"] for r in message.get("intent_ranking")] == ["financement_formation", "vae"]


def test_a_short_message_keeps_its_fallback(resolver):
    [message] = resolver.process([fallback("vae ou cpf ?")])
    assert message.get("intent")["name"] == "nlu_fallback"


def test_only_diets_two_likeliest_needs_can_be_chosen(resolver):
    [message] = resolver.process([fallback(STORY, "financement_formation", "distress")])
    assert message.get("intent")["name"] == "nlu_fallback"


def test_a_message_that_did_not_fall_back_is_left_alone(resolver):
    message = Message(data={"text": STORY, "intent": {"name": "financement_formation", "confidence": 0.9},
                            "intent_ranking": [{"name": "financement_formation", "confidence": 0.9},
                                               {"name": "vae", "confidence": 0.1}]})
    [message] = resolver.process([message])
    assert message.get("intent")["name"] == "financement_formation"
