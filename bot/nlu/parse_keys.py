"""Keys the NLU components add to a message's parse, read by the actions (kept here,
apart from the components, so that the action server does not load Rasa's engine)."""

# The distress classifier's score on a story whose need stays: the help numbers
# come first, then the orientation goes on (bot/nlu/distress_classifier.py).
DISTRESS_DOUBT = "distress_doubt"
