-- Sessions of the officials' web pages (issue 14): a token exchanged for a cookie.
--
-- Only the SHA-256 of the session secret is kept (as for API tokens), so a copy of the
-- database signs nobody in. A session ends at its expiry, at sign-out, when the token it was
-- opened with is revoked or expires, or when its user is disabled.

CREATE TABLE web_sessions (
    -- Lower-case hex SHA-256 of the secret the cookie carries.
    secret_hash text PRIMARY KEY CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
    user_id     uuid NOT NULL REFERENCES users (id),
    -- The token the official signed in with: revoking it ends the session.
    token_id    bigint NOT NULL REFERENCES user_tokens (id),
    -- The pages' language, chosen by the switcher (en, fr, es, pt).
    language    text NOT NULL CHECK (language IN ('en', 'fr', 'es', 'pt')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL CHECK (expires_at > created_at)
);

CREATE INDEX web_sessions_expiry ON web_sessions (expires_at);
CREATE INDEX web_sessions_user ON web_sessions (user_id);
