-- The catalogue's provenance and summaries, self-reported evidence, officials' feedback
-- (issue 15, points 1, 4 and 5).
--
-- provenance: one line saying what was checked against which source; required by the shipped
--   catalogue's schema (Schemas/catalogue/experience-catalogue.schema.json), optional for a
--   user's own import, so NULL is allowed here.
-- summaries: one sentence per language, {"en", "fr", "es", "pt"}, any of them; matches show
--   the request's language when it is there.
-- self_reported: the experience comes from an exchange's own results report (published by
--   Meridian), not from an independent source; the matcher weighs it below independent
--   evaluations.
ALTER TABLE experiences
    ADD COLUMN provenance text CHECK (provenance IS NULL OR (btrim(provenance) <> '' AND length(provenance) <= 2000)),
    ADD COLUMN summaries jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (
        jsonb_typeof(summaries) = 'object'
        AND summaries - 'en' - 'fr' - 'es' - 'pt' = '{}'::jsonb),
    ADD COLUMN self_reported boolean NOT NULL DEFAULT false;

-- Experiences published from exchanges before this migration cite the exchange as their source.
UPDATE experiences SET self_reported = true WHERE sources[1] LIKE 'meridian:exchange/%';

-- An official's word on an experience her exchange was matched with: useful or not, and why.
-- One opinion per official, exchange and experience; giving it again replaces it.
CREATE TABLE experience_feedback (
    experience_id bigint      NOT NULL REFERENCES experiences (id) ON DELETE CASCADE,
    exchange_id   uuid        NOT NULL REFERENCES engine_instances (id),
    official      text        NOT NULL CHECK (btrim(official) <> ''),
    useful        boolean     NOT NULL,
    comment       text        CHECK (comment IS NULL OR (btrim(comment) <> '' AND length(comment) <= 2000)),
    given_at      timestamptz NOT NULL,
    PRIMARY KEY (experience_id, exchange_id, official)
);
