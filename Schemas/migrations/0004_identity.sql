-- Users, their roles and their API tokens (issue 8, point 1).
--
-- A user's handle is what the engine's history records as the actor id, so it never changes
-- and a user is disabled, never deleted. Tokens are stored as the SHA-256 of the secret only:
-- the secret is shown once, when it is created, and cannot be read back from the database.

CREATE TABLE users (
    id          uuid PRIMARY KEY,
    -- Login name: lower case, starts with a letter or digit.
    handle      text NOT NULL UNIQUE CHECK (handle ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
    name        text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
    roles       text[] NOT NULL CHECK (
                    cardinality(roles) >= 1
                    AND array_position(roles, NULL) IS NULL
                    AND roles <@ ARRAY['official', 'program-manager', 'fund-approver',
                                       'finance-officer', 'supervisor', 'admin']::text[]),
    -- ISO 3166-1 alpha-3 of the official's country; officials have one, nobody else does.
    country     text CHECK (country ~ '^[A-Z]{3}$'),
    disabled_at timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_country_iff_official CHECK ((country IS NOT NULL) = ('official' = ANY (roles)))
);

CREATE TABLE user_tokens (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id),
    -- Lower-case hex SHA-256 of the whole secret (`mrd_…`); what authentication looks up.
    token_hash   text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    -- The secret's first characters, not enough to use it, so people can tell tokens apart.
    prefix       text NOT NULL CHECK (prefix ~ '^mrd_[a-z2-7]{8}$'),
    label        text CHECK (btrim(label) <> '' AND length(label) <= 200),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz CHECK (expires_at > created_at),
    last_used_at timestamptz,
    revoked_at   timestamptz
);

CREATE INDEX user_tokens_user ON user_tokens (user_id);
