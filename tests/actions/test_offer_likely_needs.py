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


def test_help_numbers_come_first_when_distress_is_one_of_the_two_likeliest(domain, tracker_for):
    tracker = tracker_for(text="je vais tout arrêter", intent="nlu_fallback", intent_ranking=[
        {"name": "nlu_fallback", "confidence": 0.5}, {"name": "decrochage", "confidence": 0.46},
        {"name": "distress", "confidence": 0.41}, {"name": "reconversion", "confidence": 0.1}])
    _, [help_numbers, offer] = run(tracker, domain)
    assert help_numbers["response"] == "utter_distress_in_doubt"
    assert "3114" in domain["responses"]["utter_distress_in_doubt"][0]["text"]
    assert [b["payload"] for b in offer["buttons"]] == ["/decrochage", "/reconversion", "/ask_capabilities"]


def test_no_help_numbers_when_distress_is_only_third(domain, tracker_for):
    tracker = tracker_for(text="formation ou vae", intent="nlu_fallback", intent_ranking=[
        {"name": "formation", "confidence": 0.45}, {"name": "vae", "confidence": 0.4},
        {"name": "distress", "confidence": 0.1}])
    _, [offer] = run(tracker, domain)
    assert offer["response"] == "utter_offer_likely_needs"
