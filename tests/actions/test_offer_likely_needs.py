from rasa_sdk.executor import CollectingDispatcher

from actions.offer_likely_needs import ActionOfferLikelyNeeds


def run(tracker, domain):
    dispatcher = CollectingDispatcher()
    events = ActionOfferLikelyNeeds().run(dispatcher, tracker, domain)
    return events, dispatcher.messages


def test_offers_the_two_likeliest_needs_then_something_else(domain, tracker_fallback_formation_vae):
    events, messages = run(tracker_fallback_formation_vae, domain)

    assert events == []
    [message] = messages
    assert message["response"] == "utter_offer_likely_needs"
    assert [b["payload"] for b in message["buttons"]] == ["/formation", "/vae", "/ask_capabilities"]
    assert message["buttons"][0]["title"] == "Trouver une formation"
    assert message["buttons"][-1]["title"] == "Autre chose"


def test_without_any_need_in_the_ranking_offers_the_most_frequent(domain, tracker_for):
    tracker = tracker_for(text="azerty", intent="nlu_fallback",
                          intent_ranking=[{"name": "nlu_fallback", "confidence": 0.7}, {"name": "greet", "confidence": 0.2}])
    _, [message] = run(tracker, domain)
    assert [b["payload"] for b in message["buttons"]] == ["/orientation_scolaire", "/recherche_emploi", "/ask_capabilities"]
