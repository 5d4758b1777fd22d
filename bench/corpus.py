"""Generate a large content tree in the content format, for the benchmark.

2,000 guides by default, in English and French, spread over companies of 10 guides each (as
100,000 guides in 10,000 companies would be). Most have about ten steps, as real guides do, a
few up to 100, and two named ones exactly 10 and 100. Deterministic: the same seed writes the
same files.

The text is drawn as real text is, so that a search matches what it would on a real site: a
vocabulary of a few thousand words (customer-service words first, then made-up ones), each
drawn with a Zipf-like frequency (the n-th word about 1/n as often as the first), between the
language's short function words; companies have names of their own ("Velorin Telecom"); titles
read as guides do ("How to cancel your plan with Velorin Telecom").
"""

import itertools
import random
import shutil
from pathlib import Path

# As the site is expected to grow: 100,000 guides in 10,000 companies.
GUIDES_PER_COMPANY = 10
# Two guides every benchmark run can name, with known step counts.
TEN_STEPS = ("bench-co-00", "ten-steps")
HUNDRED_STEPS = ("bench-co-00", "hundred-steps")

# The most frequent words, most frequent first.
COMMON = {
    "en": [
        "account",
        "order",
        "payment",
        "refund",
        "subscription",
        "card",
        "delivery",
        "phone",
        "email",
        "password",
        "app",
        "plan",
        "bill",
        "invoice",
        "charge",
        "contract",
        "parcel",
        "ticket",
        "booking",
        "flight",
        "insurance",
        "claim",
        "bank",
        "transfer",
        "loan",
        "meter",
        "energy",
        "internet",
        "router",
        "broadband",
        "mobile",
        "sim",
        "number",
        "address",
        "login",
        "profile",
        "settings",
        "support",
        "agent",
        "chat",
        "complaint",
        "return",
        "exchange",
        "warranty",
        "repair",
        "item",
        "product",
        "store",
        "voucher",
        "gift",
        "coupon",
        "discount",
        "premium",
        "trial",
        "renewal",
        "membership",
        "points",
        "reward",
        "fee",
        "fine",
        "deposit",
        "balance",
        "statement",
        "receipt",
        "tracking",
        "courier",
        "driver",
        "seat",
        "luggage",
        "passport",
        "hotel",
        "room",
        "rental",
        "tenancy",
        "water",
        "gas",
        "electricity",
        "tariff",
        "upgrade",
        "data",
        "roaming",
        "streaming",
        "device",
        "modem",
        "outage",
        "fault",
        "engineer",
        "appointment",
        "prescription",
        "pharmacy",
        "course",
        "exam",
        "licence",
        "permit",
        "tax",
        "pension",
        "benefit",
        "allowance",
        "credit",
        "debit",
        "overdraft",
        "mortgage",
        "cheque",
        "pin",
        "fraud",
        "scam",
        "dispute",
        "chargeback",
        "privacy",
        "consent",
        "newsletter",
        "notification",
        "alert",
        "reminder",
        "deadline",
        "period",
        "policy",
        "exception",
        "form",
        "details",
        "date",
        "amount",
        "delay",
        "review",
        "page",
        "screen",
        "menu",
        "option",
        "button",
        "message",
        "reply",
        "request",
        "confirm",
        "select",
        "open",
        "help",
        "centre",
    ],
    "fr": [
        "compte",
        "commande",
        "paiement",
        "remboursement",
        "abonnement",
        "carte",
        "livraison",
        "téléphone",
        "courriel",
        "identifiant",
        "application",
        "forfait",
        "facture",
        "prélèvement",
        "contrat",
        "colis",
        "billet",
        "réservation",
        "vol",
        "assurance",
        "réclamation",
        "banque",
        "virement",
        "prêt",
        "compteur",
        "énergie",
        "internet",
        "box",
        "mobile",
        "numéro",
        "adresse",
        "connexion",
        "profil",
        "paramètres",
        "conseiller",
        "messagerie",
        "plainte",
        "retour",
        "échange",
        "garantie",
        "réparation",
        "article",
        "produit",
        "magasin",
        "bon",
        "cadeau",
        "réduction",
        "essai",
        "renouvellement",
        "fidélité",
        "points",
        "frais",
        "amende",
        "dépôt",
        "solde",
        "relevé",
        "reçu",
        "suivi",
        "livreur",
        "siège",
        "bagage",
        "passeport",
        "hôtel",
        "chambre",
        "location",
        "bail",
        "eau",
        "gaz",
        "électricité",
        "tarif",
        "données",
        "appareil",
        "panne",
        "technicien",
        "rendez-vous",
        "ordonnance",
        "pharmacie",
        "formation",
        "examen",
        "permis",
        "impôt",
        "retraite",
        "allocation",
        "crédit",
        "découvert",
        "chèque",
        "code",
        "fraude",
        "litige",
        "confidentialité",
        "consentement",
        "lettre",
        "notification",
        "alerte",
        "rappel",
        "délai",
        "période",
        "politique",
        "exception",
        "formulaire",
        "date",
        "montant",
        "retard",
        "avis",
        "page",
        "écran",
        "menu",
        "option",
        "bouton",
        "message",
        "réponse",
        "demande",
        "confirmer",
        "choisir",
        "ouvrir",
        "aide",
    ],
}
FUNCTION_WORDS = {
    "en": [
        "the",
        "your",
        "to",
        "and",
        "of",
        "a",
        "on",
        "in",
        "for",
        "with",
        "it",
        "is",
        "from",
        "at",
    ],
    "fr": [
        "le",
        "la",
        "les",
        "de",
        "du",
        "des",
        "votre",
        "vos",
        "et",
        "à",
        "pour",
        "dans",
        "sur",
        "avec",
        "un",
        "une",
    ],
}
# Made-up words after the common ones, shared by both languages as names of things are.
INVENTED_WORDS = 5000
TITLES = {
    "en": [
        "How to cancel your {word} with {company}",
        "Get a refund from {company}",
        "How to change your {word} at {company}",
        "Contact {company} about a {word}",
        "Close your {company} account",
        "Dispute a {word} charge from {company}",
        "How to complain to {company} about your {word}",
        "Report a {word} problem to {company}",
    ],
    "fr": [
        "Comment annuler votre {word} chez {company}",
        "Se faire rembourser par {company}",
        "Changer de {word} chez {company}",
        "Contacter {company} pour un {word}",
        "Fermer votre compte {company}",
        "Contester un {word} facturé par {company}",
        "Se plaindre à {company} de votre {word}",
        "Signaler un problème de {word} à {company}",
    ],
}
SECTORS = ["", "", "", " Telecom", " Bank", " Air", " Energy", " Mobile", " Insurance", " Rail"]
STEP = {"en": ("Step", "Select"), "fr": ("Étape", "Choisissez")}

_ONSETS = [
    "b",
    "c",
    "d",
    "f",
    "g",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "z",
    "br",
    "cr",
    "dr",
    "gr",
    "pl",
    "st",
    "tr",
    "ch",
    "sh",
]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ou", "ea"]
_CODAS = ["", "", "", "n", "r", "l", "s", "t", "m", "x"]


def _invented(rng, taken, syllables=(2, 3)):
    """Words that are no language's, pronounceable, each once."""
    while True:
        word = "".join(
            rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)
            for _ in range(rng.randint(*syllables))
        )
        if len(word) >= 5 and word not in taken:
            taken.add(word)
            return word


def _vocabulary(seed=7):
    rng = random.Random(seed)
    taken = {w for words in COMMON.values() for w in words}
    invented = [_invented(rng, taken) for _ in range(INVENTED_WORDS)]
    return {language: [*common, *invented] for language, common in COMMON.items()}


VOCABULARY = _vocabulary()


def _zipf_weights(count):
    return list(itertools.accumulate(1 / rank for rank in range(1, count + 1)))


_CUMULATIVE = {language: _zipf_weights(len(words)) for language, words in VOCABULARY.items()}
_COMMON_CUMULATIVE = {language: _zipf_weights(len(words)) for language, words in COMMON.items()}


def draw_words(rng, language, count):
    """Words as often as they come in real text: the first ones very often, most rarely."""
    return rng.choices(VOCABULARY[language], cum_weights=_CUMULATIVE[language], k=count)


def company_names(count, seed=11):
    """count company names, all different."""
    rng = random.Random(seed)
    taken = set(VOCABULARY["en"])
    return [_invented(rng, taken, (2, 2)).capitalize() + rng.choice(SECTORS) for _ in range(count)]


def sentence(rng, language, low=6, high=16):
    length = rng.randint(low, high)
    content = iter(draw_words(rng, language, length))
    function = FUNCTION_WORDS[language]
    words = [rng.choice(function) if rng.random() < 0.35 else next(content) for _ in range(length)]
    return " ".join(words).capitalize() + "."


def step_text(rng, language, number):
    chosen = draw_words(rng, language, 1)[0]
    step, select = STEP[language]
    text = f"{step} {number}: {sentence(rng, language)} {select} **{chosen.title()}**."
    if number % 7 == 0:
        text += f"\n\n    {sentence(rng, language)} See [the help page](https://example.com/help/{number})."
    if number % 11 == 0:
        text += f"\n\n    - {sentence(rng, language, 3, 6)}\n    - {sentence(rng, language, 3, 6)}"
    return text


def step_count(rng):
    """About ten steps (half the guides 7 to 14), one guide in a hundred over 30, at most 100."""
    return min(100, max(3, round(rng.lognormvariate(2.3, 0.5))))


def guide_file(rng, title, steps, language):
    tags = rng.choices(COMMON[language], cum_weights=_COMMON_CUMULATIVE[language], k=2)
    lines = [
        "---",
        f"title: {title}",
        f"summary: {sentence(rng, language, 8, 14)}",
        f"published: 20{rng.randint(19, 24)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        "author: Bench Writer",
        f"tags: [{', '.join(tags)}]",
        "---",
        " ".join(sentence(rng, language) for _ in range(3)),
        "",
    ]
    lines += [f"{n}. {step_text(rng, language, n)}" for n in range(1, steps + 1)]
    closing = "## Still stuck?" if language == "en" else "## Toujours bloqué ?"
    lines += ["", closing, "", sentence(rng, language), ""]
    return "\n".join(lines)


def guide_title(rng, language, template, company):
    word = rng.choices(COMMON[language], cum_weights=_COMMON_CUMULATIVE[language])[0]
    return template.format(word=word, company=company)


def write_corpus(root, guides=2000, seed=2026, include=None):
    """Write the corpus under root (emptied first); copy the folder `include` in too."""
    root = Path(root)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    if include:
        shutil.copytree(include, root, dirs_exist_ok=True)
    rng = random.Random(seed)
    names = company_names(-(-guides // GUIDES_PER_COMPANY))
    written = 0
    for company_index, company in enumerate(names):
        slug = f"bench-co-{company_index:02d}"
        folder = root / slug
        folder.mkdir()
        (folder / "company.md").write_text(
            f"---\nname: {company}\nwebsite: https://example.com\n"
            "country: FR\ntimezone: Europe/Paris\n"
            "contacts:\n  - kind: phone\n    value: '+33 1 40 00 00 00'\n"
            "    hours: Mo-Fr 09:00-18:00; PH off\n"
            "  - kind: help\n    value: https://example.com/help\n---\n"
            f"{sentence(rng, 'en')}\n",
            encoding="utf-8",
        )
        for pair in range(GUIDES_PER_COMPANY // 2):
            name = f"guide-{pair:02d}"
            steps = step_count(rng)
            if (slug, "ten-steps") == TEN_STEPS and pair == 0:
                name, steps = "ten-steps", 10
            if (slug, "hundred-steps") == HUNDRED_STEPS and pair == 1:
                name, steps = "hundred-steps", 100
            template = pair % len(TITLES["en"])
            for language, suffix in (("en", ""), ("fr", ".fr")):
                if written >= guides:
                    break
                title = guide_title(rng, language, TITLES[language][template], company)
                text = guide_file(rng, title, steps, language)
                (folder / f"{name}{suffix}.md").write_text(text, encoding="utf-8")
                written += 1
    return written
