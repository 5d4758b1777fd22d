"""Generate a large content tree in the content format, for the benchmark.

2,000 guides by default, in English and French, of 5 to 100 steps, spread over companies of
50 guides each. Deterministic: the same seed writes the same files.
"""

import random
import shutil
from pathlib import Path

WORDS = [
    "account",
    "billing",
    "refund",
    "cancel",
    "subscription",
    "order",
    "payment",
    "invoice",
    "support",
    "agent",
    "request",
    "confirm",
    "select",
    "open",
    "settings",
    "help",
    "centre",
    "message",
    "reply",
    "e-mail",
    "phone",
    "chat",
    "menu",
    "option",
    "button",
    "screen",
    "page",
    "form",
    "details",
    "receipt",
    "date",
    "amount",
    "card",
    "bank",
    "delay",
    "review",
    "policy",
    "exception",
    "period",
    "renewal",
    "trial",
    "plan",
    "premium",
    "member",
    "store",
    "app",
]
GUIDES_PER_COMPANY = 50
# Two guides every benchmark run can name, with known step counts.
TEN_STEPS = ("bench-co-00", "ten-steps")
HUNDRED_STEPS = ("bench-co-00", "hundred-steps")


def sentence(rng, low=6, high=16):
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def step_text(rng, number):
    text = f"Step {number}: {sentence(rng)} Select **{rng.choice(WORDS).title()}**."
    if number % 7 == 0:
        text += f"\n\n    {sentence(rng)} See [the help page](https://example.com/help/{number})."
    if number % 11 == 0:
        text += f"\n\n    - {sentence(rng, 3, 6)}\n    - {sentence(rng, 3, 6)}"
    return text


def guide_file(rng, title, steps, language):
    lines = [
        "---",
        f"title: {title}",
        f"summary: {sentence(rng, 8, 14)}",
        f"published: 20{rng.randint(19, 24)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        "author: Bench Writer",
        f"tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]",
        "---",
        " ".join(sentence(rng) for _ in range(3)),
        "",
    ]
    lines += [f"{n}. {step_text(rng, n)}" for n in range(1, steps + 1)]
    closing = "## Still stuck?" if language == "en" else "## Toujours bloqué ?"
    lines += ["", closing, "", sentence(rng), ""]
    return "\n".join(lines)


def write_corpus(root, guides=2000, seed=2026, include=None):
    """Write the corpus under root (emptied first); copy the folder `include` in too."""
    root = Path(root)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    if include:
        shutil.copytree(include, root, dirs_exist_ok=True)
    rng = random.Random(seed)
    written = 0
    company_index = 0
    while written < guides:
        slug = f"bench-co-{company_index:02d}"
        folder = root / slug
        folder.mkdir()
        (folder / "company.md").write_text(
            f"---\nname: Bench Company {company_index}\nwebsite: https://example.com\n"
            "country: FR\ntimezone: Europe/Paris\n"
            "contacts:\n  - kind: phone\n    value: '+33 1 40 00 00 00'\n"
            "    hours: Mo-Fr 09:00-18:00; PH off\n"
            "  - kind: help\n    value: https://example.com/help\n---\n"
            f"{sentence(rng)}\n",
            encoding="utf-8",
        )
        for pair in range(GUIDES_PER_COMPANY // 2):
            name = f"guide-{pair:02d}"
            steps = rng.randint(5, 100)
            if (slug, "ten-steps") == TEN_STEPS and pair == 0:
                name, steps = "ten-steps", 10
            if (slug, "hundred-steps") == HUNDRED_STEPS and pair == 1:
                name, steps = "hundred-steps", 100
            for language, suffix in (("en", ""), ("fr", ".fr")):
                if written >= guides:
                    break
                title = f"{'How to' if language == 'en' else 'Comment'} {sentence(rng, 3, 6)}"
                text = guide_file(rng, title.rstrip("."), steps, language)
                (folder / f"{name}{suffix}.md").write_text(text, encoding="utf-8")
                written += 1
        company_index += 1
    return written
