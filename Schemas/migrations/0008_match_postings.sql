-- Impact-ordered postings for matching (issue 6: a match in ≤ 20 ms over 100,000 experiences).
--
-- One row per (lexeme, experience): how much the lexeme weighs in the experience's `search`
-- vector, in tenths of `ts_rank_cd`'s unit — the sum of its positions' weights (A 10, B 4,
-- C 2, D 1), exactly what TextRank adds up for that lexeme. The index orders each lexeme's
-- experiences by that weight, so the matcher reads the few hundred where a request word weighs
-- most with one small index range scan per word (WAND/MaxScore-style top-k pre-selection)
-- instead of scanning the GIN index for combinations of common words and reading thousands of
-- vectors.
--
-- Triggers on `experiences` keep the postings in step, in the statement (and so the
-- transaction) that writes the rows: `kb import`, `kb seed`, `publish-experience`, the bench
-- loader and any other write alike. Statement-level triggers with transition tables keep a
-- bulk upsert to one set-based insert.

CREATE TABLE experience_postings (
    lexeme        text     NOT NULL,
    -- Sum of the lexeme's position weights in the experience, in tenths (A 10, B 4, C 2, D 1).
    tenths        smallint NOT NULL,
    experience_id bigint   NOT NULL
);


-- The postings of a set of experience rows (a transition table's `id` and `search`).
CREATE FUNCTION experience_postings_of(search tsvector, id bigint)
RETURNS TABLE (lexeme text, tenths smallint, experience_id bigint)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT u.lexeme,
           least(32767,
                 10 * cardinality(array_positions(u.weights, 'A'))
                 + 4 * cardinality(array_positions(u.weights, 'B'))
                 + 2 * cardinality(array_positions(u.weights, 'C'))
                 + cardinality(array_positions(u.weights, 'D')))::smallint,
           id
    FROM unnest(search) AS u
$$;

CREATE FUNCTION experience_postings_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO experience_postings (lexeme, tenths, experience_id)
    SELECT p.lexeme, p.tenths, p.experience_id FROM new_rows n, experience_postings_of(n.search, n.id) AS p;
    RETURN NULL;
END
$$;

CREATE FUNCTION experience_postings_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Each old posting is found by its exact key, through the impact index.
    DELETE FROM experience_postings x
    USING old_rows o, experience_postings_of(o.search, o.id) AS p
    WHERE x.lexeme = p.lexeme AND x.tenths = p.tenths AND x.experience_id = p.experience_id;
    RETURN NULL;
END
$$;

-- Only rows whose vector changed are re-posted: re-importing an unchanged file (`kb seed`
-- again) leaves the postings alone.
CREATE FUNCTION experience_postings_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM experience_postings x
    USING old_rows o JOIN new_rows n ON n.id = o.id, experience_postings_of(o.search, o.id) AS p
    WHERE n.search IS DISTINCT FROM o.search
      AND x.lexeme = p.lexeme AND x.tenths = p.tenths AND x.experience_id = p.experience_id;
    INSERT INTO experience_postings (lexeme, tenths, experience_id)
    SELECT p.lexeme, p.tenths, p.experience_id
    FROM new_rows n JOIN old_rows o ON o.id = n.id, experience_postings_of(n.search, n.id) AS p
    WHERE n.search IS DISTINCT FROM o.search;
    RETURN NULL;
END
$$;

CREATE TRIGGER experiences_postings_insert AFTER INSERT ON experiences
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION experience_postings_insert();
CREATE TRIGGER experiences_postings_update AFTER UPDATE ON experiences
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION experience_postings_update();
CREATE TRIGGER experiences_postings_delete AFTER DELETE ON experiences
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION experience_postings_delete();
-- TRUNCATE fires no row triggers; it empties the postings with it.
CREATE FUNCTION experience_postings_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE experience_postings;
    RETURN NULL;
END
$$;
CREATE TRIGGER experiences_postings_truncate AFTER TRUNCATE ON experiences
    FOR EACH STATEMENT EXECUTE FUNCTION experience_postings_truncate();

-- The experiences already there (before the index: building it once is faster than growing it).
INSERT INTO experience_postings (lexeme, tenths, experience_id)
SELECT p.lexeme, p.tenths, p.experience_id FROM experiences e, experience_postings_of(e.search, e.id) AS p;

-- The postings of one lexeme, heaviest first: `WHERE lexeme = $1 ORDER BY tenths DESC LIMIT n`
-- is one index range scan, index-only once (auto)vacuum has marked the pages all-visible.
-- One row per (lexeme, experience), so the key is unique.
CREATE UNIQUE INDEX experience_postings_impact_idx ON experience_postings (lexeme, tenths DESC, experience_id);
