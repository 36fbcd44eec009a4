-- The knowledge base of country experiences that matching searches (issue 6, point 2).
--
-- Controlled vocabularies are CHECK constraints, so a row that the importer would refuse can
-- not get in by another door either. Their meaning is documented in
-- Sources/MeridianExchange/Vocabulary/ (Region, IncomeGroup, Sector, OutcomeStrength).
--
-- Full-text search uses the `english` configuration: its Snowball stemmer folds
-- "transfers"/"transfer", "reintegrating"/"reintegration", which matters more for matching
-- free-text problem descriptions than the exactness `simple` would keep. British and American
-- spellings (-isation/-ization) stem differently; the matcher adds the other spelling to the
-- query instead of changing the stored text.

CREATE TABLE experiences (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- ISO 3166-1 alpha-3, upper case.
    country_code     text NOT NULL CHECK (country_code ~ '^[A-Z]{3}$'),
    country_name     text NOT NULL CHECK (btrim(country_name) <> '' AND length(country_name) <= 100),
    -- World Bank regions.
    region           text NOT NULL CHECK (region IN (
                         'east-asia-pacific', 'europe-central-asia', 'latin-america-caribbean',
                         'middle-east-north-africa', 'north-america', 'south-asia', 'sub-saharan-africa')),
    -- World Bank income groups, in order; the matcher uses the distance between them.
    income_group     text NOT NULL CHECK (income_group IN ('low', 'lower-middle', 'upper-middle', 'high')),
    sectors          text[] NOT NULL CHECK (
                         cardinality(sectors) BETWEEN 1 AND 8
                         AND array_position(sectors, NULL) IS NULL
                         AND sectors <@ ARRAY[
                             'social-protection', 'education', 'health', 'nutrition', 'employment',
                             'agriculture', 'land-administration', 'rural-development', 'governance',
                             'anti-corruption', 'digital-government', 'security-sector',
                             'demobilisation-reintegration', 'peacebuilding', 'financial-inclusion',
                             'pensions-savings', 'housing', 'gender', 'water-sanitation',
                             'urban-development']::text[]),
    programme        text NOT NULL CHECK (btrim(programme) <> '' AND length(programme) <= 200),
    start_year       integer NOT NULL CHECK (start_year BETWEEN 1900 AND 2100),
    -- NULL: still running, or no clear end.
    end_year         integer CHECK (end_year BETWEEN 1900 AND 2100 AND end_year >= start_year),
    problem          text NOT NULL CHECK (btrim(problem) <> '' AND length(problem) <= 4000),
    approach         text NOT NULL CHECK (btrim(approach) <> '' AND length(approach) <= 4000),
    outcomes         text NOT NULL CHECK (btrim(outcomes) <> '' AND length(outcomes) <= 4000),
    -- 0 none reported, 1 reported by the programme (monitoring, descriptive),
    -- 2 measured by an independent quasi-experimental or observational study,
    -- 3 rigorous evaluation (randomised or regression discontinuity) with measured effects.
    outcome_strength smallint NOT NULL CHECK (outcome_strength BETWEEN 0 AND 3),
    -- URLs or citations; at least one, none empty.
    sources          text[] NOT NULL CHECK (
                         cardinality(sources) >= 1
                         AND array_position(sources, NULL) IS NULL
                         AND array_position(sources, '') IS NULL),
    imported_at      timestamptz NOT NULL DEFAULT now(),
    search           tsvector GENERATED ALWAYS AS (
                         setweight(to_tsvector('english'::regconfig, programme), 'A')
                         || setweight(to_tsvector('english'::regconfig, problem), 'A')
                         || setweight(to_tsvector('english'::regconfig, approach), 'B')
                         || setweight(to_tsvector('english'::regconfig, outcomes), 'C')
                         || setweight(to_tsvector('english'::regconfig, country_name), 'D')
                     ) STORED,
    -- Re-importing a file updates the experience instead of adding it twice.
    CONSTRAINT experiences_country_programme_key UNIQUE (country_code, programme)
);

CREATE INDEX experiences_search_idx ON experiences USING gin (search);
CREATE INDEX experiences_sectors_idx ON experiences USING gin (sectors);
CREATE INDEX experiences_country_idx ON experiences (country_code);

-- How many experiences hold each lexeme. The matcher pre-selects candidates by the request's
-- rarest terms (and pairs of common ones), so that it ranks a few hundred rows instead of
-- every row that shares a common word like "poverty". Refreshed by every import; a lexeme it
-- does not know yet counts as rare, so a stale view makes matching slower, never blind.
CREATE MATERIALIZED VIEW experience_terms AS
    SELECT word AS lexeme, ndoc AS documents
    FROM ts_stat('SELECT search FROM experiences');

CREATE UNIQUE INDEX experience_terms_lexeme_idx ON experience_terms (lexeme);
