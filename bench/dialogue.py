"""`python -m bench.dialogue`: do whole conversations end with the right referral?

Plays the held-out conversations of bench/data/dialogue/ (written apart, never used
by training or by the test stories) through the real REST channel, against a Rasa
server and an action server started for the run, as a person would: the scripted
messages first, in their order whatever the bot asks, then the person's answer to
each question the bot asks (a first answer, then a second wording), a click on a
button when the person would click it. Prints the share of conversations ending
with a referral, the share whose first structure is an acceptable network near the
person (60 km, or the network's remote service where it has no structure that
near, or the structure competent for the person's département where the network is
organised so), the median number of questions before the referral, the questions asked
three times, and the failures by class. No text of the set is ever printed.

    python -m bench.dialogue [--set set_a,set_b] [--only a012,b100] [--tag sms] [--model models/current.tar.gz]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import urllib.request
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.local_servers import ROOT, run_servers

DATA_DIR = ROOT / "bench" / "data" / "dialogue"
MODEL = ROOT / "models" / "current.tar.gz"
NEAR_KM = 60.0
MAX_MESSAGES = 14  # the person gives up after this many messages
TOKEN = "jeton-du-banc"
SLOTS = ("public", "age", "commune")
DISTRESS_NUMBERS = ("3114", "119", "3919", "3018", "115", "112")
TARGETS = {"ended_with_referral": 1.0, "right_referral": 0.95, "asked_thrice": 0}


@dataclass
class Questions:
    """The bot's question texts, read from the domain (the REST channel sends text
    only): which slot a reply asks for."""
    asks: dict[str, str]  # text -> slot
    need_said_back: str  # the text before the need's label
    out_of_scope: str

    @classmethod
    def from_domain(cls) -> "Questions":
        responses: dict = {}
        for path in sorted((ROOT / "domain").glob("*.yml")):
            responses.update((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {})
        asks = {responses[f"utter_ask_{slot}"][0]["text"]: slot for slot in SLOTS + ("need",)}
        said_back = responses["utter_need_understood"][0]["text"].split("{")[0]
        return cls(asks, said_back, responses["utter_out_of_scope"][0]["text"])

    def asked(self, replies: list[dict]) -> str | None:
        """The slot the last question of these replies asks for."""
        slot = None
        for reply in replies:
            slot = self.asks.get(reply.get("text", ""), slot)
        return slot

    def said_back_need(self, replies: list[dict], labels: dict[str, str]) -> str | None:
        for reply in replies:
            text = reply.get("text", "")
            if text.startswith(self.need_said_back):
                label = text[len(self.need_said_back):].strip(" »«.")
                return labels.get(label, "?")
        return None


@dataclass
class Played:
    conversation: dict
    referral: dict | None = None
    slots: dict = field(default_factory=dict)
    asks: Counter = field(default_factory=Counter)
    questions_before_referral: int | None = None
    said_distress: bool = False
    said_out_of_scope: bool = False
    referred_after_distress: bool = False
    need_corrected: bool = False
    commune_corrected: bool = False
    messages: int = 0
    path: list[str] = field(default_factory=list)  # intents and actions, never texts


class Player:
    def __init__(self, rasa_url: str, questions: Questions) -> None:
        from directory.vocabulary import Need

        self.url = rasa_url
        self.questions = questions
        self.labels = {need.label: need.value for need in Need}

    def say(self, sender: str, message: str, region: str | None) -> list[dict]:
        body = {"sender": sender, "message": message, "metadata": {"region": region} if region else {}}
        request = urllib.request.Request(f"{self.url}/webhooks/rest/webhook", data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read())

    def tracker(self, sender: str) -> dict:
        request = urllib.request.Request(f"{self.url}/conversations/{sender}/tracker?token={TOKEN}")
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def play(self, conversation: dict) -> Played:
        played = Played(conversation)
        expect = conversation["expect"]
        sender = uuid.uuid4().hex
        region = conversation.get("region_code")
        pending = list(conversation.get("turns") or [])
        answers = conversation.get("answers") or {}
        rephrased = False
        replies: list[dict] = []
        questions = 0
        while played.messages < MAX_MESSAGES:
            message = None
            said_back = self.questions.said_back_need(replies, self.labels)
            own_commune = _commune_button(replies, expect.get("commune_insee"))
            if (said_back and expect.get("need") and said_back != expect["need"] and not played.need_corrected
                    and not _has_referral(replies)):
                # A person who reads a need that is not theirs taps "Ce n'est pas ma question"…
                message = _button_payload(replies, "Ce n'est pas ma question") or "ce n'est pas ma question"
                played.need_corrected = True
                pending.insert(0, conversation.get("rephrase") or "")  # …then says it again
            elif own_commune and not played.commune_corrected and _said_back_commune(replies):
                # "J'ai compris : Montreuil (Seine-Saint-Denis)" for someone of another
                # Montreuil: they tap theirs among the buttons.
                message, played.commune_corrected = own_commune, True
            elif pending:
                message = pending.pop(0)
            else:
                message = self.react(replies, conversation, played, answers)
                if message is None and not rephrased and played.referral is None and expect.get("need"):
                    message, rephrased = conversation.get("rephrase"), True
            if not message:
                break
            if isinstance(message, dict):  # {button: title}
                message = _button_payload(replies, message["button"]) or message["button"]
            replies = self.say(sender, message, region)
            played.messages += 1
            asked = self.questions.asked(replies)
            if asked:
                played.asks[asked] += 1
                questions += 1
            if any(n in r.get("text", "") for r in replies for n in DISTRESS_NUMBERS):
                played.said_distress = True
            if any(r.get("text") == self.questions.out_of_scope for r in replies):
                played.said_out_of_scope = True
            for reply in replies:
                custom = reply.get("custom")
                if isinstance(custom, dict) and custom.get("type") == "referral":
                    played.referral = custom
                    played.referred_after_distress |= played.said_distress
                    if played.questions_before_referral is None:
                        played.questions_before_referral = questions
        tracker = self.tracker(sender)
        played.slots = tracker.get("slots") or {}
        played.path = _path(tracker.get("events") or [])
        return played

    def react(self, replies: list[dict], conversation: dict, played: Played, answers: dict):
        """What the person says to the bot's last replies, once their script is done."""
        expect = conversation["expect"]
        for reply in replies:
            for button in reply.get("buttons") or []:
                payload = button.get("payload", "")
                # Homonymous communes: the person taps their own.
                if expect.get("commune_insee") and f'"commune_insee": "{expect["commune_insee"]}"' in payload:
                    return payload
                # The two likeliest needs offered: the person taps theirs.
                if expect.get("need") and payload == f"/{expect['need']}":
                    return payload
        slot = self.questions.asked(replies)
        if slot is None or slot == "need":
            return conversation.get("rephrase") if slot == "need" else None
        said = answers.get(slot) or []
        if not said:
            return None
        return said[min(played.asks[slot] - 1, len(said) - 1)]


def _path(events: list[dict]) -> list[str]:
    """The conversation as intents (with the entity types found) and bot actions."""
    path = []
    for event in events:
        if event.get("event") == "user":
            data = event.get("parse_data") or {}
            types = sorted({e.get("entity") for e in data.get("entities") or []})
            path.append(f"[{(data.get('intent') or {}).get('name')}{'+' + ','.join(types) if types else ''}]")
        elif event.get("event") == "action" and event.get("name") not in ("action_listen", "action_extract_slots",
                                                                          "action_session_start"):
            path.append(event["name"])
        elif event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action"):
            path.append(event["metadata"]["utter_action"])
    return path


def _commune_button(replies: list[dict], insee: str | None) -> str | None:
    if not insee:
        return None
    for reply in replies:
        for button in reply.get("buttons") or []:
            if f'"commune_insee": "{insee}"' in button.get("payload", ""):
                return button["payload"]
    return None


def _said_back_commune(replies: list[dict]) -> bool:
    return any(r.get("text", "").startswith("J'ai compris : ") for r in replies)


def _has_referral(replies: list[dict]) -> bool:
    return any(isinstance(r.get("custom"), dict) and r["custom"].get("type") == "referral" for r in replies)


def _button_payload(replies: list[dict], title: str) -> str | None:
    for reply in reversed(replies):
        for button in reply.get("buttons") or []:
            if button.get("title") == title:
                return button.get("payload")
    return None


# ---------------------------------------------------------------- judging
class Judge:
    """Whether a referral is right for the person the conversation describes."""

    def __init__(self, session_factory) -> None:
        from directory.models import Commune, Structure

        with session_factory() as session:
            self.communes = {c.insee_code: (c.latitude, c.longitude, c.region_code)
                             for c in session.query(Commune)}
            self.departments = {c.insee_code: c.department_code for c in session.query(Commune)}
            # A network organised by département (Transitions Pro): its seat is the
            # right place for the whole area it serves, however far.
            self.serving = {str(s.id): s.served_department_code for s in session.query(Structure)
                            if s.served_department_code}
            self.structures = {str(s.id): (s.network_code, s.latitude, s.longitude)
                               for s in session.query(Structure)}
        self.by_network: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for network, lat, lon in self.structures.values():
            if lat is not None and lon is not None:
                self.by_network[network].append((lat, lon))

    def nearest_km(self, network: str, insee: str) -> float | None:
        from directory.referral.geo import haversine_km

        lat, lon, _ = self.communes.get(insee, (None, None, None))
        if lat is None:
            return None
        return min((haversine_km(lat, lon, a, b) for a, b in self.by_network.get(network, [])), default=None)

    def failure(self, played: Played) -> str | None:
        """None when the conversation went right, else its failure class."""
        expect = played.conversation["expect"]
        outcome = expect.get("outcome")
        if outcome == "distress":
            if not played.said_distress:
                return "distress:not_recognised"
            return "distress:referred_after" if played.referred_after_distress else None
        if outcome == "out_of_scope":
            return "out_of_scope:referred" if played.referral is not None else None
        if played.asks and max(played.asks.values()) >= 3:
            return f"asked_thrice:{max(played.asks, key=played.asks.get)}"
        if played.referral is None:
            if not played.slots.get("need"):
                return "no_referral:need_unknown"
            waiting = [slot for slot in SLOTS if played.slots.get(slot) is None]
            return "no_referral:missing_" + "+".join(waiting) if waiting else "no_referral:other"
        if played.referral.get("need") != expect["need"]:
            return "wrong_need"
        first = (played.referral.get("structures") or [None])[0]
        if first is None:
            return "no_structure"
        if first["network"] not in expect["networks"]:
            public = played.slots.get("public")
            if (public or None) != (expect.get("public") or None) and not (
                    public == "non_precise" and expect.get("public") is None):
                return f"wrong_network:public_misread:{expect.get('public') or '-'}→{public or '-'}"
            return "wrong_network"
        insee = expect.get("commune_insee")
        if insee is None:
            return None
        if first["id"].startswith("remote:"):
            nearest = self.nearest_km(first["network"], insee)
            return "remote_while_structure_near" if nearest is not None and nearest <= NEAR_KM else None
        if self.serving.get(first["id"]) and self.serving[first["id"]] == self.departments.get(insee):
            return None
        _, lat, lon = self.structures.get(first["id"], (None, None, None))
        from directory.referral.geo import haversine_km

        c_lat, c_lon, _ = self.communes.get(insee, (None, None, None))
        if lat is None or c_lat is None:
            return None
        if haversine_km(c_lat, c_lon, lat, lon) > NEAR_KM:
            if played.slots.get("commune_insee") != insee:
                return "wrong_commune"
            return f"too_far:{first['network']}"
        return None


# ---------------------------------------------------------------- running
def load_conversations(only: set[str] | None = None, tag: str | None = None,
                       sets: set[str] | None = None) -> list[dict]:
    conversations = []
    for path in sorted(DATA_DIR.glob("*.yml")):
        if sets and path.stem not in sets:
            continue
        conversations.extend((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("conversations") or [])
    return [c for c in conversations
            if (not only or c["id"] in only) and (not tag or tag in (c.get("tags") or []))]


def report(results: list[tuple[Played, str | None]]) -> dict:
    referral = [(p, f) for p, f in results if not p.conversation["expect"].get("outcome")]
    other = [(p, f) for p, f in results if p.conversation["expect"].get("outcome")]
    questions = [p.questions_before_referral for p, _ in referral if p.questions_before_referral is not None]
    figures = {
        "conversations": len(referral),
        "ended_with_referral": sum(p.referral is not None for p, _ in referral) / max(1, len(referral)),
        "right_referral": sum(f is None for _, f in referral) / max(1, len(referral)),
        "questions_median": statistics.median(questions) if questions else None,
        "asked_thrice": sum(bool(p.asks) and max(p.asks.values()) >= 3 for p, _ in referral),
        "need_corrected": sum(p.need_corrected for p, _ in referral),
        "safety_conversations": len(other),
        "safety_right": sum(f is None for _, f in other) / max(1, len(other)),
    }
    failures = Counter(f for _, f in results if f)
    by_tag: dict[str, list[bool]] = defaultdict(list)
    for played, failure in referral:
        for tag in played.conversation.get("tags") or []:
            by_tag[tag].append(failure is None)
    communes = Counter()
    for played, failure in referral:
        if failure == "wrong_commune":
            communes[(played.conversation["expect"].get("commune_insee"), str(played.slots.get("commune_insee")))] += 1
    confusions = Counter()
    for played, failure in referral:
        if failure and failure.startswith(("wrong_need", "wrong_network")):
            expect = played.conversation["expect"]
            first = (played.referral.get("structures") or [{}])[0].get("network")
            confusions[(failure, expect["need"], str(expect.get("public")), str(played.slots.get("public")),
                        str(first))] += 1
    return {"figures": figures, "failures": failures, "by_tag": by_tag, "confusions": confusions,
            "communes": communes}


def print_report(result: dict) -> None:
    figures = result["figures"]
    rows = [
        ("conversations à orienter", f"{figures['conversations']}"),
        ("terminées par une orientation (cible 100 %)", f"{figures['ended_with_referral']:.1%}"),
        (f"bonne orientation, à moins de {NEAR_KM:.0f} km (cible ≥ 95 %)", f"{figures['right_referral']:.1%}"),
        ("questions avant l'orientation (médiane)", f"{figures['questions_median']}"),
        ("conversations avec une question posée 3 fois (cible 0)", f"{figures['asked_thrice']}"),
        ("besoin corrigé par « Ce n'est pas ma question »", f"{figures['need_corrected']}"),
        ("conversations de détresse ou hors sujet", f"{figures['safety_conversations']}"),
        ("… traitées comme il faut", f"{figures['safety_right']:.1%}"),
    ]
    width = max(len(label) for label, _ in rows) + 2
    for label, value in rows:
        print(f"{label:<{width}}{value:>10}")
    print("\néchecs par classe :")
    for failure, count in result["failures"].most_common():
        print(f"  {failure:<45}{count:>5}")
    print("\nbonnes orientations par étiquette :")
    for tag, outcomes in sorted(result["by_tag"].items(), key=lambda item: sum(item[1]) / len(item[1])):
        print(f"  {tag:<25}{sum(outcomes):>4}/{len(outcomes):<4} {sum(outcomes) / len(outcomes):.0%}")
    if result.get("communes"):
        print("\nmauvaise commune (code INSEE attendu → compris) :")
        for (expected, got), count in result["communes"].most_common():
            print(f"  {expected} → {got}  {count}")
    if result["confusions"]:
        print("\nmauvais besoin ou réseau (classe, besoin attendu, public attendu → compris, 1er réseau) :")
        for (failure, need, public, got, first), count in result["confusions"].most_common(25):
            print(f"  {failure:<28} {need:<24} {public:>16} → {got:<16} {first:<20} {count}")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench.dialogue", description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="identifiants séparés par des virgules")
    parser.add_argument("--tag", help="seulement les conversations de cette étiquette")
    parser.add_argument("--set", dest="sets", help="seulement ces fichiers de bench/data/dialogue (set_a,set_b…)")
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--json", type=Path, help="écrit aussi les chiffres dans ce fichier")
    parser.add_argument("--paths", action="store_true",
                        help="imprime le chemin (intentions, actions ; jamais de texte) des échecs")
    args = parser.parse_args(argv)
    from directory.db import make_engine, make_session_factory

    conversations = load_conversations(set(args.only.split(",")) if args.only else None, args.tag,
                                       set(args.sets.split(",")) if args.sets else None)
    if not conversations:
        sys.exit("Aucune conversation à jouer (bench/data/dialogue/).")
    engine = make_engine()
    judge = Judge(make_session_factory(engine))
    with tempfile.TemporaryDirectory(prefix="bench-dialogue-") as tmp:
        env = {"DIRECTORY_DATABASE_URL": str(engine.url),
               "CONVERSATIONS_DATABASE_URL": f"sqlite:///{Path(tmp) / 'conversations.sqlite'}",
               "SPRO_CALLBACKS_DATABASE_URL": f"sqlite:///{Path(tmp) / 'callbacks.sqlite'}",
               "SPRO_CALLBACK_KEY_FILE": str(Path(tmp) / "callback.key"),
               "SPRO_STAFF_DATABASE_URL": f"sqlite:///{Path(tmp) / 'staff.sqlite'}"}
        with run_servers(Path(tmp), args.model, env, rasa_args=("--enable-api", "--auth-token", TOKEN)) as servers:
            player = Player(servers.rasa_url, Questions.from_domain())
            results = []
            for conversation in conversations:
                played = player.play(conversation)
                results.append((played, judge.failure(played)))
    result = report(results)
    print_report(result)
    if args.paths:
        print("\nchemins des échecs (intentions et entités comprises, actions du bot) :")
        for played, failure in results:
            if failure:
                print(f"  {played.conversation['id']} {failure}: {' '.join(played.path)}")
    if args.json:
        args.json.write_text(json.dumps({**result["figures"], "failures": dict(result["failures"])}, indent=2))
    return result


if __name__ == "__main__":
    main()
