-- Search in four languages (issue 15, point 3).
--
-- The catalogue's texts are English, and stay under the `english` configuration with their
-- weights (programme and problem A, approach B, outcomes C, country D). An experience's
-- French, Spanish and Portuguese summaries join its vector under their own Snowball
-- configurations, at weight C, so that a request in one of those languages, stemmed with the
-- same configuration, finds them. The matcher also adds the English terms of the development
-- concepts it recognises in the request (Sources/MeridianExchange/Resources/concepts.json),
-- which carries most of a translated request.
--
-- The column is replaced, and the postings (0008) and term statistics rebuilt from it.
DROP INDEX experiences_search_idx;
ALTER TABLE experiences DROP COLUMN search;
ALTER TABLE experiences ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, programme), 'A')
    || setweight(to_tsvector('english'::regconfig, problem), 'A')
    || setweight(to_tsvector('english'::regconfig, approach), 'B')
    || setweight(to_tsvector('english'::regconfig, outcomes), 'C')
    || setweight(to_tsvector('english'::regconfig, country_name), 'D')
    || setweight(to_tsvector('french'::regconfig, coalesce(summaries ->> 'fr', '')), 'C')
    || setweight(to_tsvector('spanish'::regconfig, coalesce(summaries ->> 'es', '')), 'C')
    || setweight(to_tsvector('portuguese'::regconfig, coalesce(summaries ->> 'pt', '')), 'C')
) STORED;

TRUNCATE experience_postings;
INSERT INTO experience_postings (lexeme, tenths, experience_id)
SELECT p.lexeme, p.tenths, p.experience_id FROM experiences e, experience_postings_of(e.search, e.id) AS p;

CREATE INDEX experiences_search_idx ON experiences USING gin (search);
REFRESH MATERIALIZED VIEW experience_terms;
