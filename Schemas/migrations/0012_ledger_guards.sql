-- The ledger protected like the engine's history (issue 16): entries, contributions and
-- transactions refuse UPDATE, DELETE and TRUNCATE; balances change only through the entries'
-- trigger; a transaction must have entries, and they must balance.

CREATE TRIGGER funding_entries_no_truncate BEFORE TRUNCATE ON funding_entries
    FOR EACH STATEMENT EXECUTE FUNCTION funding_refuse_change();
CREATE TRIGGER funding_transactions_no_truncate BEFORE TRUNCATE ON funding_transactions
    FOR EACH STATEMENT EXECUTE FUNCTION funding_refuse_change();
CREATE TRIGGER funding_contributions_append_only BEFORE UPDATE OR DELETE ON funding_contributions
    FOR EACH ROW EXECUTE FUNCTION funding_refuse_change();
CREATE TRIGGER funding_contributions_no_truncate BEFORE TRUNCATE ON funding_contributions
    FOR EACH STATEMENT EXECUTE FUNCTION funding_refuse_change();

-- A balance row is written only from inside another trigger: the fund's creation opens it
-- (funding_open_balances) and each entry moves it (funding_apply_entry). A statement that
-- writes it directly runs the trigger at depth 1 and is refused.
CREATE FUNCTION funding_balances_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'funding_balances changes only through ledger entries: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege', HINT = 'post a balanced transaction instead';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER funding_balances_only_by_entries BEFORE INSERT OR UPDATE OR DELETE ON funding_balances
    FOR EACH ROW EXECUTE FUNCTION funding_balances_guard();
CREATE TRIGGER funding_balances_no_truncate BEFORE TRUNCATE ON funding_balances
    FOR EACH STATEMENT EXECUTE FUNCTION funding_balances_guard();

-- At commit, a transaction has at least two entries and they sum to zero (the entries'
-- own deferred trigger catches an unbalanced set; this one catches a transaction with none).
CREATE FUNCTION funding_check_has_entries() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    lines integer;
    total numeric;
BEGIN
    SELECT count(*), coalesce(sum(amount_minor), 0) INTO lines, total FROM funding_entries WHERE transaction_id = NEW.id;
    IF lines < 2 THEN
        RAISE EXCEPTION 'ledger transaction % has % entries; a movement needs a debit and a credit', NEW.id, lines
            USING ERRCODE = 'check_violation';
    END IF;
    IF total <> 0 THEN
        RAISE EXCEPTION 'ledger transaction % does not balance (entries sum to %)', NEW.id, total
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER funding_transactions_have_entries AFTER INSERT ON funding_transactions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION funding_check_has_entries();
