-- Payment files kept (MeridianFunding's PaymentExport): an export is two-phase. Phase 1, one
-- transaction: the pending instructions are locked, the pain.001 file is built, validated and
-- stored here as 'prepared', and the instructions are marked exported with its message id.
-- Phase 2: the stored file is delivered, then recorded 'delivered'. A file still 'prepared'
-- (a crash or a lost connection between delivery and its record) is delivered again, the
-- same bytes with the same MsgId, by the next export before any new file is made: a bank
-- refuses a MsgId it has already received, so a payment is never in two different files.

CREATE TABLE funding_payment_files (
    message_id          text        PRIMARY KEY CHECK (length(message_id) BETWEEN 1 AND 35),
    format              text        NOT NULL CHECK (format = 'pain.001.001.03'),
    xml                 text        NOT NULL CHECK (length(xml) > 0),
    -- The funds whose accounts the file pays from (one payment block each), sorted.
    fund_ids            text[]      NOT NULL CHECK (cardinality(fund_ids) > 0),
    payments            integer     NOT NULL CHECK (payments > 0),
    control_sum         text        NOT NULL,
    initiating_party    text        NOT NULL,
    requested_execution date        NOT NULL,
    created_by          text        NOT NULL,
    created_at          timestamptz NOT NULL,
    state               text        NOT NULL CHECK (state IN ('prepared', 'delivered')),
    -- The first time the file was recorded delivered, and how many deliveries were recorded.
    delivered_at        timestamptz,
    deliveries          integer     NOT NULL DEFAULT 0 CHECK (deliveries >= 0),
    CHECK ((state = 'delivered') = (delivered_at IS NOT NULL))
);
CREATE INDEX funding_payment_files_waiting ON funding_payment_files (created_at) WHERE state = 'prepared';

-- A file is stored once: its content never changes, it is never deleted, and it only ever
-- moves from prepared to delivered.
CREATE FUNCTION funding_payment_file_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'funding_payment_files keeps every file sent or to be sent: DELETE refused'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (NEW.message_id, NEW.format, NEW.xml, NEW.fund_ids, NEW.payments, NEW.control_sum, NEW.initiating_party,
        NEW.requested_execution, NEW.created_by, NEW.created_at)
       IS DISTINCT FROM
       (OLD.message_id, OLD.format, OLD.xml, OLD.fund_ids, OLD.payments, OLD.control_sum, OLD.initiating_party,
        OLD.requested_execution, OLD.created_by, OLD.created_at) THEN
        RAISE EXCEPTION 'payment file % is stored once: only its delivery may be recorded', OLD.message_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.state = 'delivered' AND NEW.state <> 'delivered' THEN
        RAISE EXCEPTION 'payment file % was delivered; it cannot become % again', OLD.message_id, NEW.state
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER funding_payment_files_guard BEFORE UPDATE OR DELETE ON funding_payment_files
    FOR EACH ROW EXECUTE FUNCTION funding_payment_file_guard();

-- An instruction exported from now on names a stored file. (NOT VALID: instructions exported
-- before this migration name files that were not kept.)
ALTER TABLE funding_payment_instructions
    ADD CONSTRAINT funding_payment_instructions_file FOREIGN KEY (message_id) REFERENCES funding_payment_files (message_id) NOT VALID;
CREATE INDEX funding_payment_message ON funding_payment_instructions (message_id) WHERE message_id IS NOT NULL;
