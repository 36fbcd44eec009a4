-- A message sent twice is written once (a double click on the page's Send, a client retrying
-- `POST /api/v1/exchanges/{id}/messages` with its `Idempotency-Key`): the key its author sent
-- it with, unique per exchange and author. A message sent again with the same key is not
-- written; the first one is the answer. Messages without a key (before this migration, or
-- from a client that sends none) are written each time, as before.
ALTER TABLE exchange_messages ADD COLUMN idempotency_key text CHECK (length(idempotency_key) BETWEEN 1 AND 300);
CREATE UNIQUE INDEX exchange_messages_key ON exchange_messages (exchange_id, author, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
