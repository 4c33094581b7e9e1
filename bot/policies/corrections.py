"""CorrectionPolicy: outside the referral form, in a conversation that has a need, a
message that says what the form reads (a status, an age, a commune, a disability…)
goes to the form, even when the classifier read it as a misunderstanding, a yes or a
no: "euh non, Rennes" after a referral corrects it and refers again. Out of scope
keeps its own answer ("combien je vais toucher au chômage" is no correction), and
before any need a misunderstanding keeps its own (the two likeliest needs).

Inside the form, actions/validate_referral_form.py reads every answer in context;
this covers the turns after the form (corrections) and before it. Distress, erasure
and the counsellor's turns are never taken: their own rules answer them. Nothing to
train: it only reads the tracker.

config.yml:
    policies:
      - name: bot.policies.corrections.CorrectionPolicy
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.core.constants import POLICY_PRIORITY, RULE_POLICY_PRIORITY
from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

FORM = "referral_form"
# What the referral form reads from a message.
FORM_ENTITIES = frozenset({"public", "age", "commune", "commune_insee", "handicap", "cadre", "woman"})
# Read as a misunderstanding, a yes, a no or a plain answer: a correction all the same.
CORRECTION_INTENTS = frozenset({"nlu_fallback", "inform", "deny", "affirm"})


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT], is_trainable=False
)
class CorrectionPolicy(Policy):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # Above RulePolicy (its fallback rules answer the same turns at confidence
        # 1.0), below HandoffPolicy (a counsellor's conversation stays silent).
        return {POLICY_PRIORITY: RULE_POLICY_PRIORITY + 1}

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain,
              **kwargs: Any) -> Resource:
        with self._model_storage.write_to(self._resource):
            pass
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        if is_a_correction(tracker):
            probabilities[domain.index_for_action(FORM)] = 1.0
        return self._prediction(probabilities)


def is_a_correction(tracker: DialogueStateTracker) -> bool:
    if tracker.latest_action_name != ACTION_LISTEN_NAME or tracker.active_loop_name:
        return False
    message = tracker.latest_message
    if message is None or message.text is None or message.text.startswith("/"):
        return False  # no text: a story step or the console; "/…": a button's own intent
    if message.intent.get("name") not in CORRECTION_INTENTS or tracker.get_slot("need") is None:
        return False
    return any(entity.get("entity") in FORM_ENTITIES for entity in message.entities)
