"""The action server finds every custom action the domain names (the trained model
calls them by these names), one module per action."""
from rasa_sdk.executor import ActionExecutor


def test_every_domain_action_is_registered(domain):
    executor = ActionExecutor()
    executor.register_package("actions")
    declared = {a if isinstance(a, str) else next(iter(a)) for a in domain["actions"]}
    custom = {name for name in declared if name.startswith(("action_", "validate_"))}
    assert custom and custom <= set(executor.actions)
