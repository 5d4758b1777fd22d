"""How words become search terms, the same way for the text indexed and the query typed.

Accents are folded ("echanger" finds « échanger »), French elisions are cut ("l'application"
is "application"), and each word is reduced to its stem by the Snowball stemmer of the text's
language ("annulations" and "annuler" are both "annul", "cancelling" is "cancel").
"""

import re
import threading
import unicodedata

import Stemmer

STEMMER_LANGUAGES = {"en": "english", "fr": "french"}
# Longest query the search reads; longer ones are refused (a 400), not cut silently.
MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 12

# l'application, d'un, qu'il, jusqu'à, lorsqu'on: the elided article or pronoun carries
# nothing to search for.
_ELISION = re.compile(r"\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

_local = threading.local()  # a Stemmer object is not safe to share between threads


def _stemmer(language):
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if language not in stemmers:
        stemmers[language] = Stemmer.Stemmer(STEMMER_LANGUAGES.get(language, "english"))
    return stemmers[language]


def fold(text):
    """Lower case, accents removed, elisions cut: what both engines see of a text."""
    text = _ELISION.sub(" ", text)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text):
    return _WORD.findall(fold(text))


def stems(text, language):
    return _stemmer(language).stemWords(words(text))


def stemmed_text(text, language):
    """The text as the SQLite index stores it: one stem per word."""
    return " ".join(stems(text, language))


def normalise_query(text):
    """A reader's query as one line of folded words: how searches that found nothing are
    counted together ("Amazôn  Return" and "amazon return" are one)."""
    return " ".join(words(text))[:MAX_QUERY_CHARS]
