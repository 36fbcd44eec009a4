-- Which exchanges' views changed, for the server's cache of one exchange's view (issue 13).
--
-- `meridian serve` keeps the views it read in memory (ExchangeViewCache) and answers
-- `GET /api/v1/exchanges/{id}` from there without a statement. It learns what changed by asking,
-- every few milliseconds while the cache is in use, for the exchanges written by the
-- transactions its previous question's snapshot did not see as complete (the same
-- `xid >= xmin AND NOT pg_visible_in_snapshot(xid, snapshot)` test as migration 0020, so a
-- transaction still open during one question is caught by the next). A NOTIFY would tell it
-- sooner, but PostgreSQL lets only one transaction in the cluster commit with a pending NOTIFY
-- at a time (migration 0007): every engine step of every exchange would wait for the one
-- before it to reach the disk.
--
-- Every table the view reads logs the exchange of each row it inserts, updates or deletes: a
-- row here per change, no lock taken (an append, not an upsert, so two transactions on two
-- exchanges never wait for each other). A TRUNCATE logs NULL: every exchange. The instance
-- table logs only exchanges' instances (the view reads their state, whether final, and when
-- they last moved). `meridian serve` and `meridian worker` prune rows older than a minute
-- whose transaction every snapshot sees as complete; a reader whose previous snapshot may have
-- missed pruned rows starts again from nothing. Like every trigger, these do not fire under
-- `session_replication_role = replica`: a session that sets it must not change exchanges.

CREATE TABLE exchange_view_changes (
    exchange_id uuid,                                   -- NULL: every exchange (a TRUNCATE)
    written_xid xid8        NOT NULL DEFAULT pg_current_xact_id(),
    written_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX exchange_view_changes_xid_idx ON exchange_view_changes (written_xid);

CREATE TABLE exchange_view_state (
    only_row       boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    -- The newest transaction whose rows were pruned; NULL before any.
    pruned_through xid8
);
INSERT INTO exchange_view_state DEFAULT VALUES;

-- For the tables keyed by `exchange_id`.
CREATE FUNCTION exchange_view_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO exchange_view_changes (exchange_id) VALUES (OLD.exchange_id);
    ELSE
        INSERT INTO exchange_view_changes (exchange_id) VALUES (NEW.exchange_id);
        IF TG_OP = 'UPDATE' AND OLD.exchange_id IS DISTINCT FROM NEW.exchange_id THEN
            INSERT INTO exchange_view_changes (exchange_id) VALUES (OLD.exchange_id);
        END IF;
    END IF;
    RETURN NULL;
END
$$;

-- For `engine_instances`, whose id is the exchange's.
CREATE FUNCTION exchange_instance_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO exchange_view_changes (exchange_id) VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END);
    RETURN NULL;
END
$$;

CREATE FUNCTION exchange_views_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO exchange_view_changes (exchange_id) VALUES (NULL);
    RETURN NULL;
END
$$;

DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['exchange_requests', 'exchange_match_rounds', 'exchange_matches', 'exchange_partner_choices',
                                'exchange_plans', 'exchange_reports', 'exchange_reviews', 'exchange_notifications',
                                'exchange_publications', 'exchange_archive'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION exchange_view_changed()',
                       name || '_view_changed', name);
        EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION exchange_views_truncated()',
                       name || '_views_truncated', name);
    END LOOP;
END
$$;

CREATE TRIGGER engine_instances_exchange_inserted AFTER INSERT ON engine_instances
    FOR EACH ROW WHEN (NEW.workflow_id = 'knowledge-exchange') EXECUTE FUNCTION exchange_instance_changed();
CREATE TRIGGER engine_instances_exchange_changed AFTER UPDATE ON engine_instances
    FOR EACH ROW WHEN (OLD.workflow_id = 'knowledge-exchange' OR NEW.workflow_id = 'knowledge-exchange')
    EXECUTE FUNCTION exchange_instance_changed();
CREATE TRIGGER engine_instances_exchange_deleted AFTER DELETE ON engine_instances
    FOR EACH ROW WHEN (OLD.workflow_id = 'knowledge-exchange') EXECUTE FUNCTION exchange_instance_changed();
CREATE TRIGGER engine_instances_views_truncated AFTER TRUNCATE ON engine_instances
    FOR EACH STATEMENT EXECUTE FUNCTION exchange_views_truncated();
