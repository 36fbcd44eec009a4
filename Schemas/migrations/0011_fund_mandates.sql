-- Several funds per currency (issue 16): a fund's mandate says which exchanges it may pay for,
-- its payment policy says whether the officer who disbursed may also confirm the bank's
-- answer by hand, a grant records who named its fund, and a payment marked by hand records
-- who marked it and why.

-- A mandate restricts, each part optional (an empty list or a null day: no restriction):
-- the exchange's sectors (one of them must be listed), the requesting country (ISO 3166-1
-- alpha-3), the plan's instruments (every activity's must be listed) and the days the
-- activities may fall on.
ALTER TABLE funding_funds
    ADD COLUMN mandate_sectors     text[]  NOT NULL DEFAULT '{}',
    ADD COLUMN mandate_countries   text[]  NOT NULL DEFAULT '{}'
        CHECK (array_to_string(mandate_countries, ',') ~ '^([A-Z]{3}(,[A-Z]{3})*)?$'),
    ADD COLUMN mandate_instruments text[]  NOT NULL DEFAULT '{}',
    ADD COLUMN mandate_from        date,
    ADD COLUMN mandate_until       date,
    -- Off unless the fund says so: a payment is confirmed by a second finance officer.
    ADD COLUMN self_confirmation   boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT funding_funds_mandate_days CHECK (mandate_from IS NULL OR mandate_until IS NULL OR mandate_from <= mandate_until);

-- Who named the grant's fund (the plan's author in the plan file, or the program manager at
-- funding review), when, and why; 'default' when the fund was the only one in the currency.
ALTER TABLE funding_grants
    ADD COLUMN fund_chosen_by  text,
    ADD COLUMN fund_chosen_how text CHECK (fund_chosen_how IN ('default', 'plan', 'funding-review', 'context')),
    ADD COLUMN fund_chosen_at  timestamptz,
    ADD COLUMN fund_reason     text CHECK (length(fund_reason) <= 500);

-- Every change of a grant's fund at funding review, append-only (the grant row holds the latest).
CREATE TABLE funding_fund_choices (
    id          bigserial   PRIMARY KEY,
    grant_id    uuid        NOT NULL REFERENCES funding_grants (id),
    from_fund   text        NOT NULL REFERENCES funding_funds (id),
    to_fund     text        NOT NULL REFERENCES funding_funds (id),
    chosen_by   text        NOT NULL,
    reason      text        NOT NULL CHECK (btrim(reason) <> '' AND length(reason) <= 500),
    chosen_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX funding_fund_choices_grant ON funding_fund_choices (grant_id, id);
CREATE TRIGGER funding_fund_choices_append_only BEFORE UPDATE OR DELETE ON funding_fund_choices
    FOR EACH ROW EXECUTE FUNCTION funding_refuse_change();
CREATE TRIGGER funding_fund_choices_no_truncate BEFORE TRUNCATE ON funding_fund_choices
    FOR EACH STATEMENT EXECUTE FUNCTION funding_refuse_change();

-- A payment marked by hand (`payments mark`): who, and the reason they gave.
ALTER TABLE funding_payment_instructions
    ADD COLUMN marked_by    text,
    ADD COLUMN mark_reason  text CHECK (length(mark_reason) <= 500);
