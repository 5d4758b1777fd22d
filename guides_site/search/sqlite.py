"""SQLite FTS5: guides in one FTS5 table of stemmed text (rowid = the guide's id), company
names in one with the trigram tokenizer, for names typed wrong."""

from django.db import connection

from . import text
from .index import CANDIDATES, COMPANY_SIMILARITY, GuideTable, Hit, close_names, trigrams

# bm25 weights of the columns title, company, summary, tags, body: a word in the title or the
# company's name counts most, then summary and tags, then the steps.
WEIGHTS = "20.0, 5.0, 4.0, 4.0, 0.5, 0.0"  # and the language column, which does not rank
TEXT_COLUMNS = "title company summary tags body"
# The columns of each tier of a search, best first.
TIERS = ("title company", "title company summary tags", TEXT_COLUMNS)
_PUBLISHED = "g.status = 'published' AND g.language = %s"


def _stems(query):
    return text._stemmer(query.language).stemWords(query.terms)


def _title_hits(query):
    """How many of the query's words the title has: bm25 weighs a word by its rarity, which
    in a small corpus can sink a word found in the title below one found in the steps."""
    stems = _stems(query)
    patterns = [f"% {stem} %" for stem in stems]
    if query.prefix:
        patterns[-1] = f"% {stems[-1]}%"
    sql = " + ".join(["((' ' || f.title || ' ') LIKE %s)"] * len(patterns))
    return f"({sql})", patterns


def _match(query, *, columns=None, word=None):
    """The FTS5 query of the stems (or of the one at index word); with columns, of those
    columns of the guides in the query's language only (the index's language column)."""
    stems = _stems(query)
    # Stems are letters and digits only, so quoting them is all FTS5 needs.
    quoted = [f'"{stem}"' for stem in stems]
    if query.prefix:
        quoted[-1] += "*"
    if word is not None:
        quoted = [quoted[word]]
    words = (" OR " if query.any_term else " ").join(quoted)
    if not columns:
        return words
    # The words are looked for in text columns only: "en" or a typed "e" would otherwise
    # match every English guide's language column.
    return f'language : "{query.language}" AND {{{columns}}} : ({words})'


class SQLiteEngine(GuideTable):
    def write(self, guide_ids, documents):
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM search_guide WHERE rowid = %s", [(i,) for i in guide_ids]
            )
            cursor.executemany(
                "INSERT INTO search_guide (rowid, title, company, summary, tags, body, language) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [
                    (
                        d.guide_id,
                        *(
                            text.stemmed_text(part, d.language)
                            for part in (d.title, d.company, d.summary, d.tags, d.body)
                        ),
                        d.language,
                    )
                    for d in documents
                ],
            )

    def write_company_names(self, company_ids, rows):
        with connection.cursor() as cursor:
            if company_ids is None:
                cursor.execute("DELETE FROM search_company_name")
            else:
                cursor.executemany(
                    "DELETE FROM search_company_name WHERE rowid = %s",
                    [(i,) for i in company_ids],
                )
            cursor.executemany(
                "INSERT INTO search_company_name (rowid, name) VALUES (%s, %s)", rows
            )

    def search(self, query, offset, limit, company_ids):
        if not query.terms:  # a company's guides, the most read first
            where = f"g.company_id IN ({', '.join(['%s'] * len(company_ids))})"
            sql = f"FROM guides_guide g WHERE {_PUBLISHED} AND {where}"
            params = [query.language, *company_ids]
            select = f"SELECT g.id, 0.0, count(*) OVER () {sql} ORDER BY g.view_count DESC, g.title"
            capped = False
        elif company_ids is not None:
            # A few companies' guides (a misspelt name): those guides are read one by one,
            # each looked up in the index (CROSS JOIN keeps that order), not every match.
            where = f"g.company_id IN ({', '.join(['%s'] * len(company_ids))})"
            hits, hit_params = _title_hits(query)
            sql = (
                "FROM guides_guide g CROSS JOIN search_guide f ON f.rowid = g.id "
                f"WHERE {_PUBLISHED} AND {where} AND search_guide MATCH %s"
            )
            params = [query.language, *company_ids, _match(query, columns=TEXT_COLUMNS)]
            select = (
                "SELECT id, r, count(*) OVER () FROM ("  # noqa: S608 (constant fragments only)
                f"SELECT g.id AS id, bm25(search_guide, {WEIGHTS}) AS r, {hits} AS h {sql}"
                ") ORDER BY h DESC, r, id"
            )
            params = [*hit_params, *params]
            capped = False
        else:
            # The candidates are found by FTS5 in index order, each part LIMITed before
            # anything is ranked, and ordered by part, words in the title, then the most read:
            # bm25 costs about 0.1 ms per match, so ranking the 10,000 guides a common word is
            # in took a second, and no search here reads or ranks more guides as the site
            # grows. Every word wanted: three parts, best first, every word in the title or
            # company name, then in those, the summary or the tags, then anywhere. Any word
            # (the widened search): a part per word, a guide scored by the rarity of the
            # words it has (1 / how many guides have each), as bm25 would.
            hits, hit_params = _title_hits(query)
            if query.any_term:
                parts = [
                    _match(query, columns=TEXT_COLUMNS, word=n) for n in range(len(query.terms))
                ]
                score = (
                    "c AS MATERIALIZED (SELECT t.id, -sum(1.0 / n.n) AS score FROM t "
                    "JOIN (SELECT part, count(*) AS n FROM t GROUP BY part) n "
                    "ON n.part = t.part GROUP BY t.id)"
                )
            else:
                parts = [_match(query, columns=columns) for columns in TIERS]
                score = "c AS MATERIALIZED (SELECT id, min(part) AS score FROM t GROUP BY id)"
            # Drafts are in the index too: each match is checked against its guide (by its
            # key, CROSS JOIN keeping the index first) before the LIMIT counts it.
            found = " UNION ALL ".join(
                f"SELECT * FROM (SELECT f.rowid AS id, {part} AS part FROM search_guide f "  # noqa: S608 (constant fragments only)
                "CROSS JOIN guides_guide g ON g.id = f.rowid "
                f"WHERE search_guide MATCH %s AND {_PUBLISHED} LIMIT {CANDIDATES + 1})"
                for part in range(len(parts))
            )
            select = (
                f"WITH t AS MATERIALIZED ({found}), {score} "  # noqa: S608 (constant fragments only)
                f"SELECT c.id, c.score, count(*) OVER (), (SELECT count(*) FROM c) > {CANDIDATES} "
                "OR EXISTS (SELECT 1 FROM t GROUP BY part HAVING count(*) > "
                f"{CANDIDATES}) FROM c JOIN guides_guide g ON g.id = c.id "
                "JOIN search_guide f ON f.rowid = c.id "
                f"ORDER BY c.score, {hits} DESC, g.view_count DESC, c.id"
            )
            params = [*(p for part in parts for p in (part, query.language)), *hit_params]
            capped = None
        rows, count_rows = self.page_and_count(select, params, limit, offset)
        if not count_rows:
            return [], 0, False
        total = count_rows[0][2]
        if capped is None:
            capped = bool(count_rows[0][3])
            total = min(total, CANDIDATES)
        return [Hit(row[0], -row[1]) for row in rows], total, capped

    def matching_ids(self, query, limit):
        # Those with the words in the title or the company's name first, then any others,
        # each in index order: the admin orders its list itself, and ranking every match
        # (bm25) took 0.4 s for a common word at 20,000 guides.
        parts = " UNION ALL ".join(
            f"SELECT * FROM (SELECT rowid AS id, {part} AS part FROM search_guide "  # noqa: S608 (constant fragments only)
            "WHERE search_guide MATCH %s LIMIT %s)"
            for part in range(2)
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM ({parts}) GROUP BY id ORDER BY min(part), id LIMIT %s",  # noqa: S608 (constant fragments only)
                [
                    _match(query, columns=TIERS[0]),
                    limit,
                    _match(query, columns=TEXT_COLUMNS),
                    limit,
                    limit,
                ],
            )
            return [row[0] for row in cursor.fetchall()]

    def companies_like(self, terms, language, threshold=COMPANY_SIMILARITY):
        found = []
        with connection.cursor() as cursor:
            for term in terms:
                grams = sorted(g for g in trigrams(term) if " " not in g)
                if not grams:
                    continue
                cursor.execute(
                    "SELECT rowid, name FROM search_company_name WHERE search_company_name "
                    "MATCH %s ORDER BY rank LIMIT 20",
                    [" OR ".join(f'"{g}"' for g in grams)],
                )
                found += close_names(term, cursor.fetchall(), threshold)
        return found
