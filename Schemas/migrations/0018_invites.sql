-- One-time sign-in links (`meridian user invite`, issue 14): an admin creates a link for a
-- user; opening it (a page with a button, then a POST with the CSRF token) opens one web
-- session for her, once.
--
-- Only the SHA-256 of the link's secret is kept, with its expiry and when it was used, so a
-- copy of the database signs nobody in. A session opened by a link has no token: it ends at
-- its expiry, at sign-out, or when the user is disabled.

CREATE TABLE user_invites (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     uuid        NOT NULL REFERENCES users (id),
    -- Lower-case hex SHA-256 of the secret the link carries.
    secret_hash text        NOT NULL UNIQUE CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
    -- The admin who created it.
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL CHECK (expires_at > created_at),
    used_at     timestamptz
);
CREATE INDEX user_invites_user ON user_invites (user_id);

-- A session comes from a token or from a link, never both.
ALTER TABLE web_sessions ALTER COLUMN token_id DROP NOT NULL;
ALTER TABLE web_sessions ADD COLUMN invite_id bigint REFERENCES user_invites (id);
ALTER TABLE web_sessions ADD CONSTRAINT web_sessions_one_origin CHECK ((token_id IS NULL) <> (invite_id IS NULL));
