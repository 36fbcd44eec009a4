-- The conversation on an exchange (issue 14): messages between the requesting and partner
-- countries' officials and the program managers, with attachments (plan drafts, documents).
--
-- Messages and attachments are part of the exchange's record: the database refuses to change
-- or delete them, as it refuses for the engine's history. An attachment is kept whole in
-- PostgreSQL (bytea, at most 5 MiB) with the SHA-256 of its bytes, checked again on every
-- download. Each message writes a row in exchange_notifications for the other participants.

CREATE TABLE exchange_messages (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    exchange_id    uuid        NOT NULL REFERENCES engine_instances (id),
    -- The author's handle, and the part she took on the exchange when she wrote.
    author         text        NOT NULL,
    author_role    text        NOT NULL CHECK (author_role IN ('official', 'partner-official', 'program-manager')),
    author_country text        CHECK (author_country ~ '^[A-Z]{3}$'),
    body           text        NOT NULL CHECK (btrim(body) <> '' AND length(body) <= 4000),
    created_at     timestamptz NOT NULL
);
CREATE INDEX exchange_messages_exchange ON exchange_messages (exchange_id, id);

CREATE TABLE exchange_message_attachments (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id   bigint      NOT NULL REFERENCES exchange_messages (id),
    exchange_id  uuid        NOT NULL REFERENCES engine_instances (id),
    -- Sanitised: no path, no control or bidirectional characters, no quotes.
    file_name    text        NOT NULL CHECK (btrim(file_name) <> '' AND length(file_name) <= 120),
    -- A bare type/subtype, lower case (what the download is served as).
    content_type text        NOT NULL CHECK (content_type ~ '^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$'),
    size         integer     NOT NULL CHECK (size BETWEEN 1 AND 5242880),
    -- Lower-case hex SHA-256 of content.
    sha256       text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    content      bytea       NOT NULL CHECK (octet_length(content) = size)
);
CREATE INDEX exchange_message_attachments_message ON exchange_message_attachments (message_id, id);

CREATE FUNCTION exchange_conversation_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'the conversation is part of the exchange''s record; write a new message instead';
END;
$$;

CREATE TRIGGER exchange_messages_append_only
    BEFORE UPDATE OR DELETE ON exchange_messages
    FOR EACH ROW EXECUTE FUNCTION exchange_conversation_kept();
CREATE TRIGGER exchange_messages_no_truncate
    BEFORE TRUNCATE ON exchange_messages
    FOR EACH STATEMENT EXECUTE FUNCTION exchange_conversation_kept();
CREATE TRIGGER exchange_message_attachments_append_only
    BEFORE UPDATE OR DELETE ON exchange_message_attachments
    FOR EACH ROW EXECUTE FUNCTION exchange_conversation_kept();
CREATE TRIGGER exchange_message_attachments_no_truncate
    BEFORE TRUNCATE ON exchange_message_attachments
    FOR EACH STATEMENT EXECUTE FUNCTION exchange_conversation_kept();
