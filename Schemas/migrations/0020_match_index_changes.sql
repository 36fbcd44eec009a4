-- What changed in the catalogue, for the matcher's in-memory index (issue 15 §7).
--
-- Every process that matches keeps the postings of every experience in memory (MatchIndex)
-- and ranks exhaustively there. Before each match it catches up with what other processes
-- wrote since it last read: `kb import`, `kb seed`, `publish-experience`, feedback, the bench
-- loader. A sequence would not do: a transaction that took its number before the read and
-- commits after it would be skipped for good. So each written row carries the writing
-- transaction's id, and the index remembers the snapshot it read with (`pg_current_snapshot()`
-- of its read statement); the next read takes the rows whose transaction that snapshot did not
-- see as complete (`xid >= xmin AND NOT pg_visible_in_snapshot(xid, snapshot)`), which includes
-- every transaction still open during the previous read.
--
-- - experiences.written_xid: the transaction that last inserted or updated the row; feedback
--   given, changed or withdrawn on an experience sets it too (its tally is part of the score).
-- - experience_tombstones: the ids of deleted rows, with the deleting transaction. Tombstones
--   older than a day are pruned by the next delete; `pruned_through` keeps the newest pruned
--   transaction, and an index whose last read did not see it complete reloads in full.
-- - experience_index_state.generation: bumped by TRUNCATE, which leaves no row to mark; an
--   index that read another generation reloads in full.

ALTER TABLE experiences ADD COLUMN written_xid xid8 NOT NULL DEFAULT pg_current_xact_id();

CREATE FUNCTION experiences_mark_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.written_xid := pg_current_xact_id();
    RETURN NEW;
END
$$;
CREATE TRIGGER experiences_mark_written BEFORE INSERT OR UPDATE ON experiences
    FOR EACH ROW EXECUTE FUNCTION experiences_mark_written();

CREATE INDEX experiences_written_idx ON experiences (written_xid);

-- Feedback changes the outcome component: the experience is marked written again.
CREATE FUNCTION experience_feedback_mark_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE experiences SET written_xid = pg_current_xact_id()
    WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.experience_id ELSE NEW.experience_id END;
    IF TG_OP = 'UPDATE' AND OLD.experience_id <> NEW.experience_id THEN
        UPDATE experiences SET written_xid = pg_current_xact_id() WHERE id = OLD.experience_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER experience_feedback_mark_written AFTER INSERT OR UPDATE OR DELETE ON experience_feedback
    FOR EACH ROW EXECUTE FUNCTION experience_feedback_mark_written();

CREATE TABLE experience_index_state (
    only_row       boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    generation     bigint  NOT NULL DEFAULT 1,
    -- The newest deleting transaction whose tombstone was pruned; NULL before any.
    pruned_through xid8
);
INSERT INTO experience_index_state DEFAULT VALUES;

CREATE TABLE experience_tombstones (
    experience_id bigint      NOT NULL,
    deleted_xid   xid8        NOT NULL DEFAULT pg_current_xact_id(),
    deleted_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX experience_tombstones_xid_idx ON experience_tombstones (deleted_xid);

CREATE FUNCTION experience_tombstones_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    newest xid8;
BEGIN
    INSERT INTO experience_tombstones (experience_id) SELECT o.id FROM old_rows o;
    WITH pruned AS (
        DELETE FROM experience_tombstones WHERE deleted_at < now() - interval '1 day' RETURNING deleted_xid
    )
    SELECT p.deleted_xid INTO newest FROM pruned p ORDER BY p.deleted_xid DESC LIMIT 1;
    IF newest IS NOT NULL THEN
        UPDATE experience_index_state SET pruned_through = greatest(pruned_through, newest);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER experiences_tombstones AFTER DELETE ON experiences
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION experience_tombstones_insert();

CREATE FUNCTION experience_index_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE experience_index_state SET generation = generation + 1;
    TRUNCATE experience_tombstones;
    RETURN NULL;
END
$$;
CREATE TRIGGER experiences_index_truncate AFTER TRUNCATE ON experiences
    FOR EACH STATEMENT EXECUTE FUNCTION experience_index_truncated();
