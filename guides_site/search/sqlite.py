"""SQLite FTS5: guides in one FTS5 table of stemmed text (rowid = the guide's id), company
names in one with the trigram tokenizer, for names typed wrong."""

from django.db import connection

from . import text
from .index import COMPANY_SIMILARITY, GuideTable, Hit, close_names, trigrams

# bm25 weights of the columns title, company, summary, tags, body: a word in the title or the
# company's name counts most, then summary and tags, then the steps.
WEIGHTS = "20.0, 5.0, 4.0, 4.0, 0.5"
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


def _match(query):
    stems = _stems(query)
    # Stems are letters and digits only, so quoting them is all FTS5 needs.
    quoted = [f'"{stem}"' for stem in stems]
    if query.prefix:
        quoted[-1] += "*"
    return (" OR " if query.any_term else " ").join(quoted)


class SQLiteEngine(GuideTable):
    def write(self, guide_ids, documents):
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM search_guide WHERE rowid = %s", [(i,) for i in guide_ids]
            )
            cursor.executemany(
                "INSERT INTO search_guide (rowid, title, company, summary, tags, body) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    (
                        d.guide_id,
                        *(
                            text.stemmed_text(part, d.language)
                            for part in (d.title, d.company, d.summary, d.tags, d.body)
                        ),
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
        where, params = [_PUBLISHED], [query.language]
        if company_ids is not None:
            where.append(f"g.company_id IN ({', '.join(['%s'] * len(company_ids))})")
            params += company_ids
        if not query.terms:  # a company's guides, the most read first
            sql = f"FROM guides_guide g WHERE {' AND '.join(where)}"
            select = f"SELECT g.id, 0.0, count(*) OVER () {sql} ORDER BY g.view_count DESC, g.title"
        else:
            sql = (
                "FROM search_guide f JOIN guides_guide g ON g.id = f.rowid "
                f"WHERE search_guide MATCH %s AND {' AND '.join(where)}"
            )
            params = [_match(query), *params]
            hits, hit_params = _title_hits(query)
            # bm25() cannot sit beside a window function: it is computed in a subquery.
            select = (
                "SELECT id, r, count(*) OVER () FROM ("  # noqa: S608 (constant fragments only)
                f"SELECT g.id AS id, bm25(search_guide, {WEIGHTS}) AS r, {hits} AS h {sql}"
                ") ORDER BY h DESC, r, id"
            )
        select_params = [*hit_params, *params] if query.terms else params
        with connection.cursor() as cursor:
            # The page and the count in one pass over the matches.
            cursor.execute(f"{select} LIMIT %s OFFSET %s", [*select_params, limit, offset])
            rows = cursor.fetchall()
            if rows:
                return [Hit(guide_id, -rank) for guide_id, rank, _ in rows], rows[0][2]
            if not offset:
                return [], 0
            cursor.execute(f"SELECT count(*) {sql}", params)  # past the last page
            return [], cursor.fetchone()[0]

    def matching_ids(self, query, limit):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT f.rowid FROM search_guide f JOIN guides_guide g ON g.id = f.rowid "
                "WHERE search_guide MATCH %s AND g.language = %s ORDER BY rank LIMIT %s",
                [_match(query), query.language, limit],
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
