-- Experiences by sector and profile, for matching at scale (issue 15 §7).
--
-- A match's score is mostly decided, over a large catalogue, by the parts that do not depend
-- on the text: shared sectors, region, income group and evidence. This table holds one row
-- per (sector, experience) with the experience's region, income group, outcome strength and
-- whether it is self-reported, so that the matcher finds the experiences of the best
-- profiles for a request — those holding one of its sectors, in the few (region, income
-- group, strength) combinations that score best — with a few small index range scans,
-- without reading the experiences table. Their text is then ranked exactly like every other
-- candidate's.
--
-- Triggers on `experiences` keep the rows in step, in the statement (and so the transaction)
-- that writes the experiences, as for `experience_postings` (migration 0008).

CREATE TABLE experience_profiles (
    sector           text     NOT NULL,
    region           text     NOT NULL,
    income_group     text     NOT NULL,
    outcome_strength smallint NOT NULL,
    self_reported    boolean  NOT NULL,
    experience_id    bigint   NOT NULL
);

-- The profile rows of a set of experience rows: one per distinct sector.
CREATE FUNCTION experience_profiles_of(sectors text[], region text, income_group text,
                                       outcome_strength smallint, self_reported boolean, id bigint)
RETURNS TABLE (sector text, region text, income_group text, outcome_strength smallint,
               self_reported boolean, experience_id bigint)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT DISTINCT s, region, income_group, outcome_strength, self_reported, id FROM unnest(sectors) AS s
$$;

CREATE FUNCTION experience_profiles_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO experience_profiles
    SELECT p.* FROM new_rows n,
        experience_profiles_of(n.sectors, n.region, n.income_group, n.outcome_strength, n.self_reported, n.id) AS p;
    RETURN NULL;
END
$$;

CREATE FUNCTION experience_profiles_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Each old row is found by its exact key, through the unique index.
    DELETE FROM experience_profiles x
    USING old_rows o,
        experience_profiles_of(o.sectors, o.region, o.income_group, o.outcome_strength, o.self_reported, o.id) AS p
    WHERE (x.sector, x.region, x.income_group, x.outcome_strength, x.self_reported, x.experience_id)
        = (p.sector, p.region, p.income_group, p.outcome_strength, p.self_reported, p.experience_id);
    RETURN NULL;
END
$$;

-- Only rows whose profile changed are rewritten.
CREATE FUNCTION experience_profiles_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM experience_profiles x
    USING old_rows o JOIN new_rows n ON n.id = o.id,
        experience_profiles_of(o.sectors, o.region, o.income_group, o.outcome_strength, o.self_reported, o.id) AS p
    WHERE (n.sectors, n.region, n.income_group, n.outcome_strength, n.self_reported)
            IS DISTINCT FROM (o.sectors, o.region, o.income_group, o.outcome_strength, o.self_reported)
      AND (x.sector, x.region, x.income_group, x.outcome_strength, x.self_reported, x.experience_id)
        = (p.sector, p.region, p.income_group, p.outcome_strength, p.self_reported, p.experience_id);
    INSERT INTO experience_profiles
    SELECT p.* FROM new_rows n JOIN old_rows o ON o.id = n.id,
        experience_profiles_of(n.sectors, n.region, n.income_group, n.outcome_strength, n.self_reported, n.id) AS p
    WHERE (n.sectors, n.region, n.income_group, n.outcome_strength, n.self_reported)
            IS DISTINCT FROM (o.sectors, o.region, o.income_group, o.outcome_strength, o.self_reported);
    RETURN NULL;
END
$$;

CREATE TRIGGER experiences_profiles_insert AFTER INSERT ON experiences
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION experience_profiles_insert();
CREATE TRIGGER experiences_profiles_update AFTER UPDATE ON experiences
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION experience_profiles_update();
CREATE TRIGGER experiences_profiles_delete AFTER DELETE ON experiences
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION experience_profiles_delete();
CREATE FUNCTION experience_profiles_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE experience_profiles;
    RETURN NULL;
END
$$;
CREATE TRIGGER experiences_profiles_truncate AFTER TRUNCATE ON experiences
    FOR EACH STATEMENT EXECUTE FUNCTION experience_profiles_truncate();

INSERT INTO experience_profiles
SELECT p.* FROM experiences e,
    experience_profiles_of(e.sectors, e.region, e.income_group, e.outcome_strength, e.self_reported, e.id) AS p;

-- The experiences holding one sector in one (region, income group, strength, self-reported)
-- combination: one index range scan, index-only once (auto)vacuum has marked the pages.
CREATE UNIQUE INDEX experience_profiles_idx
    ON experience_profiles (sector, region, income_group, outcome_strength, self_reported, experience_id);
