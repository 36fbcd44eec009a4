-- Trust funds, the double-entry ledger, grants, disbursements and payment instructions
-- (MeridianFunding). Money is an integer count of minor units with an ISO 4217 code.

CREATE TABLE funding_funds (
    id               text        PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name             text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    currency         text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    donors           text[]      NOT NULL DEFAULT '{}',
    max_grant_minor  bigint      NOT NULL CHECK (max_grant_minor > 0),
    -- The account payments leave from (pain.001 debtor): an IBAN or an account number with a bank code.
    account_iban     text,
    account_number   text,
    bank_code        text,
    bic              text,
    created_by       text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);

-- One ledger transaction: a movement of money, always a balanced set of entries.
CREATE TABLE funding_transactions (
    id               bigserial   PRIMARY KEY,
    fund_id          text        NOT NULL REFERENCES funding_funds (id),
    kind             text        NOT NULL CHECK (kind IN ('contribution', 'commitment', 'release', 'payment-instruction',
                                                          'payment-paid', 'payment-failed')),
    value_date       date        NOT NULL,
    reference        text        NOT NULL,
    actor_id         text        NOT NULL,
    grant_id         uuid,
    idempotency_key  text        UNIQUE,
    recorded_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX funding_transactions_fund ON funding_transactions (fund_id, value_date);

-- Accounts of a fund (signs: debit positive): contributions (credited, so <= 0) = available
-- + committed + in-payment + disbursed. Entries are append-only.
CREATE TABLE funding_entries (
    transaction_id   bigint      NOT NULL REFERENCES funding_transactions (id),
    line             smallint    NOT NULL,
    fund_id          text        NOT NULL REFERENCES funding_funds (id),
    account          text        NOT NULL CHECK (account IN ('contributions', 'available', 'committed', 'in-payment', 'disbursed')),
    amount_minor     bigint      NOT NULL CHECK (amount_minor <> 0),
    currency         text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    PRIMARY KEY (transaction_id, line)
);
CREATE INDEX funding_entries_fund ON funding_entries (fund_id, account);

-- Balances per fund and account, maintained by the trigger below from the entries in the same
-- transaction. The CHECK is the database's own guarantee that no movement overdraws an account:
-- concurrent postings to one fund serialise on the balance row's lock (the UPDATE takes it).
CREATE TABLE funding_balances (
    fund_id          text        NOT NULL REFERENCES funding_funds (id),
    account          text        NOT NULL CHECK (account IN ('contributions', 'available', 'committed', 'in-payment', 'disbursed')),
    balance_minor    bigint      NOT NULL DEFAULT 0,
    PRIMARY KEY (fund_id, account),
    CONSTRAINT funding_balance_sign CHECK (
        (account = 'contributions' AND balance_minor <= 0) OR (account <> 'contributions' AND balance_minor >= 0))
);

CREATE FUNCTION funding_apply_entry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.currency <> (SELECT currency FROM funding_funds WHERE id = NEW.fund_id) THEN
        RAISE EXCEPTION 'entry in % on fund % kept in another currency', NEW.currency, NEW.fund_id USING ERRCODE = 'check_violation';
    END IF;
    UPDATE funding_balances SET balance_minor = balance_minor + NEW.amount_minor
    WHERE fund_id = NEW.fund_id AND account = NEW.account;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'fund % has no balance row for %', NEW.fund_id, NEW.account USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END;
$$;

-- A fund's balance rows exist from its creation (all zero), so postings only ever UPDATE them.
CREATE FUNCTION funding_open_balances() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO funding_balances (fund_id, account, balance_minor)
    SELECT NEW.id, account, 0 FROM unnest(ARRAY['contributions', 'available', 'committed', 'in-payment', 'disbursed']) AS account;
    RETURN NEW;
END;
$$;
CREATE TRIGGER funding_funds_open_balances AFTER INSERT ON funding_funds
    FOR EACH ROW EXECUTE FUNCTION funding_open_balances();
CREATE TRIGGER funding_entries_balance AFTER INSERT ON funding_entries
    FOR EACH ROW EXECUTE FUNCTION funding_apply_entry();

-- Every transaction's entries sum to zero, checked at commit (after all its lines are in).
CREATE FUNCTION funding_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    total numeric;
BEGIN
    SELECT sum(amount_minor) INTO total FROM funding_entries WHERE transaction_id = NEW.transaction_id;
    IF total <> 0 THEN
        RAISE EXCEPTION 'ledger transaction % does not balance (entries sum to %)', NEW.transaction_id, total
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER funding_entries_balanced AFTER INSERT ON funding_entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION funding_check_balanced();

CREATE FUNCTION funding_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege', HINT = 'post a correcting transaction instead';
END;
$$;
CREATE TRIGGER funding_entries_append_only BEFORE UPDATE OR DELETE ON funding_entries
    FOR EACH ROW EXECUTE FUNCTION funding_refuse_change();
CREATE TRIGGER funding_transactions_append_only BEFORE UPDATE OR DELETE ON funding_transactions
    FOR EACH ROW EXECUTE FUNCTION funding_refuse_change();

-- Contributions: who gave what, when, under which reference (the ledger transaction holds the money).
CREATE TABLE funding_contributions (
    transaction_id   bigint      PRIMARY KEY REFERENCES funding_transactions (id),
    fund_id          text        NOT NULL REFERENCES funding_funds (id),
    donor            text        NOT NULL,
    amount_minor     bigint      NOT NULL CHECK (amount_minor > 0),
    currency         text        NOT NULL,
    received_on      date        NOT NULL,
    reference        text        NOT NULL,
    UNIQUE (fund_id, reference)
);

-- A grant: one per exchange instance, re-requested when a rejected plan is submitted again.
CREATE TABLE funding_grants (
    id                  uuid        PRIMARY KEY,
    instance_id         uuid        UNIQUE REFERENCES engine_instances (id),
    fund_id             text        NOT NULL REFERENCES funding_funds (id),
    title               text        NOT NULL,
    recipient_country   text        NOT NULL CHECK (recipient_country ~ '^[A-Z]{2}$' OR recipient_country = ''),
    amount_minor        bigint      NOT NULL CHECK (amount_minor > 0),
    currency            text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    co_financing_minor  bigint      NOT NULL DEFAULT 0 CHECK (co_financing_minor >= 0),
    co_financing_currency text      NOT NULL,
    -- Instalments as percentages in order, summing to 100; the last takes the remainder.
    instalments         bigint[]    NOT NULL DEFAULT '{100}',
    status              text        NOT NULL CHECK (status IN ('requested', 'committed', 'released', 'rejected', 'cancelled', 'closed')),
    requested_by        text        NOT NULL,
    plan_author         text        NOT NULL,
    requested_at        timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX funding_grants_fund ON funding_grants (fund_id, status);

-- Payment instructions: one per instalment paid; a failed one may be replaced by a new one.
CREATE TABLE funding_payment_instructions (
    id                  uuid        PRIMARY KEY,
    end_to_end_id       text        NOT NULL UNIQUE CHECK (length(end_to_end_id) BETWEEN 1 AND 35),
    grant_id            uuid        NOT NULL REFERENCES funding_grants (id),
    fund_id             text        NOT NULL REFERENCES funding_funds (id),
    instalment          integer     NOT NULL CHECK (instalment > 0),
    beneficiary         text        NOT NULL CHECK (length(beneficiary) BETWEEN 1 AND 140),
    iban                text,
    account_number      text,
    bank_code           text,
    bic                 text,
    amount_minor        bigint      NOT NULL CHECK (amount_minor > 0),
    currency            text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    reference           text        NOT NULL CHECK (length(reference) BETWEEN 1 AND 140),
    status              text        NOT NULL CHECK (status IN ('prepared', 'pending', 'exported', 'paid', 'failed')),
    failure_reason      text,
    message_id          text,
    disbursed_by        text        NOT NULL,
    idempotency_key     text        NOT NULL UNIQUE,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CHECK ((iban IS NOT NULL) <> (account_number IS NOT NULL AND bank_code IS NOT NULL))
);
-- At most one live (not failed) instruction per instalment: a retried disbursement never pays twice.
CREATE UNIQUE INDEX funding_payment_one_live_per_instalment ON funding_payment_instructions (grant_id, instalment)
    WHERE status <> 'failed';
CREATE INDEX funding_payment_status ON funding_payment_instructions (status);
