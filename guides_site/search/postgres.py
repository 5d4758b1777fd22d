"""PostgreSQL: one tsvector per guide, built with its language's text search configuration
(search_en, search_fr: the Snowball stemmer after unaccent), weighted A (title, company),
B (summary, tags), C (steps), in a GIN index; queries through websearch_to_tsquery; company
names in a pg_trgm index, for names typed wrong."""

from django.db import connection

from . import text
from .index import BODY_RANKED, CANDIDATES, COMPANY_SIMILARITY, GuideTable, Hit, close_names

CONFIGS = {"en": "search_en", "fr": "search_fr"}
_PUBLISHED = "g.status = 'published' AND g.language = %s"


def _config(language):
    return CONFIGS.get(language, "search_en")


def set_name_threshold(sender, connection, **kwargs):
    """On each new PostgreSQL connection: `term <% name` (a word of the name close to the
    term, served by the trigram index) at our threshold rather than pg_trgm's 0.6, which
    misses "spotfy" for Spotify (0.57); close_names then keeps the closest."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
                [str(COMPANY_SIMILARITY)],
            )


class PostgresEngine(GuideTable):
    def write(self, guide_ids, documents):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_guide WHERE guide_id = ANY(%s)", [list(guide_ids)])
            cursor.executemany(
                "INSERT INTO search_guide (guide_id, document, head) SELECT %s, d, "
                "ts_filter(d, '{a,b}') FROM CAST(%s AS regconfig) AS c, "
                "LATERAL (SELECT setweight(to_tsvector(c, %s), 'A') "
                "|| setweight(to_tsvector(c, %s), 'B') "
                "|| setweight(to_tsvector(c, %s), 'C') AS d) AS document",
                [
                    (
                        d.guide_id,
                        _config(d.language),
                        # Elisions are cut before PostgreSQL sees the text, as in a query.
                        text.fold(f"{d.title} {d.company}"),
                        text.fold(f"{d.summary} {d.tags}"),
                        text.fold(d.body),
                    )
                    for d in documents
                ],
            )

    def write_company_names(self, company_ids, rows):
        with connection.cursor() as cursor:
            if company_ids is None:
                cursor.execute("DELETE FROM search_company_name")
            else:
                cursor.execute(
                    "DELETE FROM search_company_name WHERE company_id = ANY(%s)",
                    [list(company_ids)],
                )
            cursor.executemany(
                "INSERT INTO search_company_name (company_id, name) VALUES (%s, %s)", rows
            )

    def _tsquery(self, query):
        config = _config(query.language)
        if query.any_term:
            return "to_tsquery(%s::regconfig, %s)", [config, " | ".join(query.terms)]
        words = query.terms[:-1] if query.prefix else query.terms
        sql, params = "websearch_to_tsquery(%s::regconfig, %s)", [config, " ".join(words)]
        if query.prefix:
            # websearch_to_tsquery has no prefix search: the word being typed is added as one.
            # tsquery_and is the && operator as a function: the query stands in FROM.
            sql = (
                f"tsquery_and({sql}, to_tsquery(%s::regconfig, %s))"
                if words
                else "to_tsquery(%s::regconfig, %s)"
            )
            params = (params if words else []) + [config, f"{query.terms[-1]}:*"]
        return sql, params

    def search(self, query, offset, limit, company_ids):
        where, params = [_PUBLISHED], [query.language]
        if company_ids is not None:
            where.append("g.company_id = ANY(%s)")
            params.append(list(company_ids))
        where = " AND ".join(where)
        if not query.terms:  # a company's guides, the most read first
            select = (
                f"SELECT g.id, 0.0, count(*) OVER (), 0 FROM guides_guide g WHERE {where} "  # noqa: S608 (constant fragments only)
                "ORDER BY g.view_count DESC, g.title"
            )
        else:
            tsquery, tsparams = self._tsquery(query)
            # The candidates: guides with every word in their title, company, summary or
            # tags (the small head vector, its own index), then, apart, guides with the words
            # in their steps too, each set LIMITed before anything is ranked. The first are
            # ranked by their head; of the others, BODY_RANKED are ranked by their whole
            # document, read from TOAST for those only, and the rest follow in index order.
            # No search reads or ranks more guides as the site grows.
            candidates = (
                "SELECT f.guide_id, {tier} AS tier FROM search_guide f "  # noqa: S608 (constant fragments only)
                "JOIN guides_guide g ON g.id = f.guide_id, q "
                f"WHERE {{match}} AND {where} LIMIT {CANDIDATES + 1}"
            )
            head = candidates.format(tier=0, match="f.head @@ q.q")
            body = candidates.format(tier=1, match="f.document @@ q.q AND NOT f.head @@ q.q")
            select = (
                f"WITH q AS (SELECT {tsquery} AS q), "  # noqa: S608 (constant fragments only)
                "c AS MATERIALIZED (SELECT guide_id, tier, "
                "row_number() OVER (PARTITION BY tier) AS n "
                f"FROM (({head}) UNION ALL ({body})) AS u) "
                "SELECT c.guide_id, CASE WHEN c.tier = 0 THEN ts_rank(f.head, q.q) "
                f"WHEN c.n <= {BODY_RANKED} THEN ts_rank(f.document, q.q) ELSE 0 END AS r, "
                f"count(*) OVER (), (SELECT max(n) > {CANDIDATES} FROM c)::int "
                "FROM c JOIN search_guide f ON f.guide_id = c.guide_id, q "
                f"ORDER BY c.tier, (c.tier = 1 AND c.n > {BODY_RANKED}), r DESC, c.guide_id"
            )
            params = [*tsparams, *params, *params]
        rows, count_rows = self.page_and_count(select, params, limit, offset)
        if not count_rows:
            return [], 0, False
        # Past the cap, the count is of the candidates kept: "at least" that many.
        capped = bool(count_rows[0][3])
        total = min(count_rows[0][2], CANDIDATES) if capped else count_rows[0][2]
        return [Hit(row[0], row[1]) for row in rows], total, capped

    def matching_ids(self, query, limit):
        # Those with the words in the title, company name, summary or tags (head) first, then
        # any others, unranked: the admin orders its list itself, and ranking every match
        # read each one's whole document.
        tsquery, params = self._tsquery(query)
        parts = " UNION ALL ".join(
            f"(SELECT f.guide_id, {part} AS part FROM search_guide f "  # noqa: S608 (constant fragments only)
            f"JOIN guides_guide g ON g.id = f.guide_id, {tsquery} q "
            f"WHERE f.{column} @@ q AND g.language = %s LIMIT %s)"
            for part, column in enumerate(("head", "document"))
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT guide_id FROM ({parts}) t GROUP BY guide_id "  # noqa: S608 (constant fragments only)
                "ORDER BY min(part), guide_id LIMIT %s",
                [*params, query.language, limit, *params, query.language, limit, limit],
            )
            return [row[0] for row in cursor.fetchall()]

    def companies_like(self, terms, language, threshold=COMPANY_SIMILARITY):
        found = []
        with connection.cursor() as cursor:
            for term in terms:
                if len(term) < 3:
                    continue
                # The index serves the usual, strict match (term <% name: a word of the name
                # is close, set_name_threshold); the looser one, for "did you mean" when
                # nothing was found, reads every name (rare, and 10,000 at most).
                strict = threshold >= COMPANY_SIMILARITY
                where = "WHERE %s <%% name" if strict else ""
                cursor.execute(
                    f"SELECT company_id, name FROM search_company_name {where} "  # noqa: S608 (constant fragments only)
                    "ORDER BY word_similarity(%s, name) DESC LIMIT 20",
                    [term, term] if strict else [term],
                )
                found += close_names(term, cursor.fetchall(), threshold)
        return found
