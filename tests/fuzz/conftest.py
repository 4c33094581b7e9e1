"""Hypothesis profiles: `make test` runs a bounded number of random inputs per
property (HYPOTHESIS_PROFILE unset: "ci"); `make bench` runs the same properties
much longer ("long")."""
import os

from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=150, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=5000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
