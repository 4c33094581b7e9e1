"""A small text classifier shared by the NLU components that train their own model
(bot/nlu/distress_classifier.py, bot/nlu/long_message_resolver.py): character and
word n-grams (TF-IDF) of the folded text beside averaged spaCy word vectors, and a
logistic regression weighing the classes equally. Seconds to train, a millisecond
to score a sentence."""
from __future__ import annotations

import pickle
import re
from typing import Any, Dict, List, Optional

import numpy as np

from bot.nlu.cues import folded

SPACY_DOC = "text_spacy_doc"  # set by SpacyNLP on every message
# A sentence of at least this many characters is scored on its own.
MIN_SENTENCE_CHARS = 12
# Sentences inside a message typed without full stops: commas and line breaks.
CLAUSE_BREAK = re.compile(r"[\n;!?]+|(?<=[a-zé]),\s+(?=(?:et |mais |du coup |alors |sauf que |en plus ))")


def units(text: str, doc: Any = None) -> List[str]:
    """The whole message, then each sentence long enough to mean something alone."""
    parts = [span.text for span in doc.sents] if doc is not None and doc.has_annotation("SENT_START") \
        else re.split(r"(?<=[.!?])\s+", text)
    pieces = [piece for part in parts for piece in CLAUSE_BREAK.split(part)]
    sentences = [piece.strip() for piece in pieces if len(piece.strip()) >= MIN_SENTENCE_CHARS]
    return [text] + (sentences if len(sentences) > 1 else [])




def sentences(text: str, doc: Any = None) -> List[str]:
    """The sentences of a message (SpacyNLP's analysis when there is one)."""
    units_found = units(text, doc)
    return units_found[1:] if len(units_found) > 1 else [text]


def save(storage: Any, resource: Any, filename: str, content: Dict[str, Any]) -> None:
    """Pickles `content` (models and settings) into the Rasa model's storage."""
    with storage.write_to(resource) as directory:
        with (directory / filename).open("wb") as handle:
            pickle.dump(content, handle)


def load_saved(storage: Any, resource: Any, filename: str, spacy_model: str) -> Optional[Dict[str, Any]]:
    """What `save` wrote, its TextModel given spaCy again; None if never trained."""
    try:
        with storage.read_from(resource) as directory:
            with (directory / filename).open("rb") as handle:
                content = pickle.load(handle)
    except (ValueError, FileNotFoundError):
        return None
    content["model"]._nlp = load_spacy(spacy_model)
    return content


def load_spacy(model_name: str) -> Any:
    """The tokenizer and word vectors only: averaged vectors need no parser or tagger
    (the sentences come from SpacyNLP's own analysis of the message)."""
    import spacy

    return spacy.load(model_name, exclude=["tok2vec", "morphologizer", "parser", "senter",
                                           "attribute_ruler", "lemmatizer", "ner"])


class TextModel:
    def __init__(self, nlp: Any, c: float = 4.0, seed: int = 42) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True,
                                     max_features=60000)
        self.words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), min_df=1, sublinear_tf=True,
                                     token_pattern=r"(?u)\b\w+\b")
        self.classifier = LogisticRegression(C=c, class_weight="balanced", max_iter=3000, random_state=seed)
        self._nlp = nlp

    @property
    def classes(self) -> List[Any]:
        return list(self.classifier.classes_)

    def _vectors(self, texts: List[str]) -> np.ndarray:
        rows = []
        for doc in self._nlp.pipe(texts, batch_size=256) if self._nlp is not None else []:
            vector = doc.vector
            norm = np.linalg.norm(vector)
            rows.append(vector / norm if norm else vector)
        return np.asarray(rows, dtype=np.float32) if rows else np.zeros((len(texts), 0), dtype=np.float32)

    def _features(self, texts: List[str], fit: bool = False) -> Any:
        from scipy.sparse import csr_matrix, hstack

        folded_texts = [folded(text) for text in texts]
        if fit:
            char_part = self.chars.fit_transform(folded_texts)
            word_part = self.words.fit_transform(folded_texts)
        else:
            char_part = self.chars.transform(folded_texts)
            word_part = self.words.transform(folded_texts)
        return hstack([char_part, word_part, csr_matrix(self._vectors(texts))]).tocsr()

    def fit(self, texts: List[str], labels: List[Any]) -> "TextModel":
        self.classifier.fit(self._features(texts, fit=True), labels)
        return self

    def probabilities(self, texts: List[str]) -> np.ndarray:
        """One row per text, one column per class (`classes`)."""
        return self.classifier.predict_proba(self._features(texts))

    def scores(self, texts: List[str]) -> np.ndarray:
        """Binary models: the probability of class 1 for each text."""
        return self.probabilities(texts)[:, self.classes.index(1)]

    def __getstate__(self) -> Dict[str, Any]:
        state = dict(self.__dict__)
        state["_nlp"] = None  # spaCy's model is loaded again, not pickled
        return state
