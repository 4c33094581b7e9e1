"""Remote handoff to a human counsellor: opening hours (hours.py), the staff
accounts and console (accounts.py, console.py), `python -m bot.handoff`."""
