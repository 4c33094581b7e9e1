"""The service's indicators: one anonymous fact per conversation (facts.py), counted
by dimension (counting.py) and shown with statistical confidentiality
(confidentiality.py)."""
