-- The exchange domain (issue 6, points 1 and 3–6): requests, matches, the partner choice,
-- visit plans (versions kept), results reports, reviews, notifications and the archive.
--
-- The exchange's id is its workflow instance's id: every table references engine_instances,
-- and every write happens in the same transaction as the instance's step (see
-- Sources/MeridianExchange). Controlled vocabularies are CHECK constraints, so a row the Swift
-- validation would refuse cannot get in by another door.

-- The official's request.
CREATE TABLE exchange_requests (
    exchange_id             uuid        PRIMARY KEY REFERENCES engine_instances (id),
    country_code            text        NOT NULL CHECK (country_code ~ '^[A-Z]{3}$'),
    country_name            text        NOT NULL CHECK (btrim(country_name) <> '' AND length(country_name) <= 100),
    region                  text        NOT NULL,
    income_group            text        NOT NULL CHECK (income_group IN ('low', 'lower-middle', 'upper-middle', 'high')),
    development_goal        text        NOT NULL CHECK (btrim(development_goal) <> '' AND length(development_goal) <= 4000),
    institutional_challenge text        NOT NULL CHECK (btrim(institutional_challenge) <> '' AND length(institutional_challenge) <= 4000),
    change_objective        text        NOT NULL CHECK (btrim(change_objective) <> '' AND length(change_objective) <= 4000),
    sectors                 text[]      NOT NULL CHECK (cardinality(sectors) BETWEEN 1 AND 8),
    instruments             text[]      NOT NULL CHECK (
                                cardinality(instruments) >= 1
                                AND instruments <@ ARRAY['study-visit', 'expert-visit', 'videoconference',
                                                         'technical-consultation', 'workshop']::text[]),
    -- [{"name", "unit", "baseline", "target"}]: numbers as decimal text, never floats.
    indicators              jsonb       NOT NULL CHECK (jsonb_typeof(indicators) = 'array' AND jsonb_array_length(indicators) >= 1),
    filed_by                text        NOT NULL,
    filed_at                timestamptz NOT NULL,
    -- A retried `exchange request --key K` finds the exchange the first attempt filed.
    idempotency_key         text,
    UNIQUE (filed_by, idempotency_key)
);
CREATE INDEX exchange_requests_country ON exchange_requests (country_code);

-- One run of the matching task; a retried job finds its round by its job id.
CREATE TABLE exchange_match_rounds (
    exchange_id       uuid        NOT NULL REFERENCES engine_instances (id),
    round             integer     NOT NULL CHECK (round > 0),
    job_id            bigint      NOT NULL UNIQUE,
    status            text        NOT NULL CHECK (status IN ('enough', 'fewer-than-five', 'none')),
    note              text        NOT NULL,
    candidates_ranked integer     NOT NULL,
    matched_at        timestamptz NOT NULL,
    PRIMARY KEY (exchange_id, round)
);

-- The proposed partners of a round, best first.
CREATE TABLE exchange_matches (
    exchange_id   uuid    NOT NULL,
    round         integer NOT NULL,
    rank          integer NOT NULL CHECK (rank BETWEEN 1 AND 5),
    country_code  text    NOT NULL CHECK (country_code ~ '^[A-Z]{3}$'),
    country_name  text    NOT NULL,
    experience_id bigint  NOT NULL REFERENCES experiences (id),
    programme     text    NOT NULL,
    years         text    NOT NULL,
    score         float8  NOT NULL,
    -- {"text", "sector", "region", "income", "outcome"}: each weight × component.
    parts         jsonb   NOT NULL,
    summary       text    NOT NULL,
    -- {"matchedTerms", "sharedSectors", "region", "income", "outcome"}.
    reasons       jsonb   NOT NULL,
    sources       text[]  NOT NULL,
    PRIMARY KEY (exchange_id, round, rank),
    UNIQUE (exchange_id, round, country_code),
    FOREIGN KEY (exchange_id, round) REFERENCES exchange_match_rounds (exchange_id, round)
);

-- Each partner the official chose, and the partner country's answer.
CREATE TABLE exchange_partner_choices (
    exchange_id  uuid        NOT NULL REFERENCES engine_instances (id),
    seq          integer     NOT NULL CHECK (seq > 0),
    country_code text        NOT NULL CHECK (country_code ~ '^[A-Z]{3}$'),
    chosen_by    text        NOT NULL,
    chosen_at    timestamptz NOT NULL,
    response     text        NOT NULL DEFAULT 'pending' CHECK (response IN ('pending', 'confirmed', 'declined')),
    responded_by text,
    responded_at timestamptz,
    reason       text,
    PRIMARY KEY (exchange_id, seq),
    CHECK (response <> 'declined' OR btrim(coalesce(reason, '')) <> '')
);
-- At most one choice waits for an answer or stands confirmed.
CREATE UNIQUE INDEX exchange_partner_choices_current ON exchange_partner_choices (exchange_id) WHERE response <> 'declined';

-- Visit plans: every import is a new version; versions are kept (a plan rejected in funding
-- review is revised, not overwritten).
CREATE TABLE exchange_plans (
    exchange_id          uuid        NOT NULL REFERENCES engine_instances (id),
    version              integer     NOT NULL CHECK (version > 0),
    plan                 jsonb       NOT NULL,
    grant_minor          bigint      NOT NULL CHECK (grant_minor >= 0),
    grant_currency       text        CHECK (grant_currency ~ '^[A-Z]{3}$'),
    co_financing_minor   bigint      NOT NULL CHECK (co_financing_minor >= 0),
    co_financing_currency text       CHECK (co_financing_currency ~ '^[A-Z]{3}$'),
    author               text        NOT NULL,
    created_at           timestamptz NOT NULL,
    submitted_at         timestamptz,
    submitted_by         text,
    -- Set by the check-plan-consistency task after submission.
    checked_at           timestamptz,
    check_result         text,
    PRIMARY KEY (exchange_id, version)
);

-- Results reports: every submission is a new version (a revision request asks for another).
CREATE TABLE exchange_reports (
    exchange_id  uuid        NOT NULL REFERENCES engine_instances (id),
    version      integer     NOT NULL CHECK (version > 0),
    report       jsonb       NOT NULL,
    submitted_by text        NOT NULL,
    submitted_at timestamptz NOT NULL,
    PRIMARY KEY (exchange_id, version)
);

-- The program manager's reviews of results reports.
CREATE TABLE exchange_reviews (
    exchange_id    uuid        NOT NULL REFERENCES engine_instances (id),
    report_version integer     NOT NULL,
    decision       text        NOT NULL CHECK (decision IN ('accept', 'revise')),
    comment        text,
    reviewer       text        NOT NULL,
    reviewed_at    timestamptz NOT NULL,
    PRIMARY KEY (exchange_id, report_version),
    FOREIGN KEY (exchange_id, report_version) REFERENCES exchange_reports (exchange_id, version)
);

-- Messages the notification and reminder tasks leave for a role (and a country); `exchange
-- show` lists them. A retried job writes its message once (job_id is unique).
CREATE TABLE exchange_notifications (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    exchange_id       uuid        NOT NULL REFERENCES engine_instances (id),
    job_id            bigint,
    task              text        NOT NULL,
    recipient_role    text        NOT NULL,
    recipient_country text        CHECK (recipient_country ~ '^[A-Z]{3}$'),
    message           text        NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (job_id, recipient_role)
);
CREATE INDEX exchange_notifications_exchange ON exchange_notifications (exchange_id, id);

-- The experience a closed exchange's report became, and the exchange's archived record.
CREATE TABLE exchange_publications (
    exchange_id   uuid        PRIMARY KEY REFERENCES engine_instances (id),
    experience_id bigint      NOT NULL REFERENCES experiences (id),
    published_at  timestamptz NOT NULL
);

CREATE TABLE exchange_archive (
    exchange_id uuid        PRIMARY KEY REFERENCES engine_instances (id),
    record      jsonb       NOT NULL,
    archived_at timestamptz NOT NULL
);
