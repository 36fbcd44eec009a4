-- Tells running servers that a token or a user changed (issue 13): `meridian serve` keeps the
-- tokens it verified for a few seconds (`TokenCache`) and drops them all when this arrives.
-- A revoke or a disable made anywhere (the local CLI, another server, psql) sends it, at
-- commit. Writing a token's time of use (`last_used_at`) does not: it changes nothing a
-- server decided from.

CREATE FUNCTION meridian_notify_identity_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('meridian_identity', TG_TABLE_NAME);
    RETURN NULL;
END
$$;

CREATE TRIGGER user_tokens_changed AFTER UPDATE ON user_tokens FOR EACH ROW
    WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at
          OR OLD.user_id IS DISTINCT FROM NEW.user_id OR OLD.token_hash IS DISTINCT FROM NEW.token_hash)
    EXECUTE FUNCTION meridian_notify_identity_change();
CREATE TRIGGER user_tokens_deleted AFTER DELETE ON user_tokens FOR EACH ROW
    EXECUTE FUNCTION meridian_notify_identity_change();
CREATE TRIGGER user_tokens_truncated AFTER TRUNCATE ON user_tokens FOR EACH STATEMENT
    EXECUTE FUNCTION meridian_notify_identity_change();

-- Any change of a user: disabled, roles, country or name all reach the caller a server keeps.
CREATE TRIGGER users_changed AFTER UPDATE ON users FOR EACH ROW
    WHEN (OLD IS DISTINCT FROM NEW)
    EXECUTE FUNCTION meridian_notify_identity_change();
CREATE TRIGGER users_deleted AFTER DELETE ON users FOR EACH ROW
    EXECUTE FUNCTION meridian_notify_identity_change();
CREATE TRIGGER users_truncated AFTER TRUNCATE ON users FOR EACH STATEMENT
    EXECUTE FUNCTION meridian_notify_identity_change();
