-- Wake-ups no longer serialise commits.
--
-- PostgreSQL lets only one transaction at a time (in the whole cluster) commit with a
-- pending NOTIFY: it takes a lock in pre-commit and keeps it until the commit record is
-- flushed to disk. With a NOTIFY in every enqueueing transaction (every engine step enqueues
-- its next task), those commits cannot share a WAL flush and queue up behind that lock
-- (wait event Lock:object); 32 workers then did no better than 8.
--
-- A wake-up is only a hint, and one per moment is enough: the enqueuing transaction now
-- notifies only when no other transaction that is still open has notified for the same
-- queue (a per-queue transaction-level advisory lock, tried without waiting). Concurrent
-- enqueuers skip their NOTIFY and commit together; the notifier's commit wakes the workers,
-- a worker that then claims jobs claims again when they finish, and every worker polls as
-- well, so no job is ever missed. The statement-level trigger is unchanged.
CREATE OR REPLACE FUNCTION queue_notify_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- 1835365985 = 'mque': the advisory-lock class of queue wake-ups; the second key is the queue.
    PERFORM pg_notify('meridian_queue', queue)
    FROM (SELECT DISTINCT queue FROM inserted) AS q
    WHERE pg_try_advisory_xact_lock(1835365985, hashtext(queue));
    RETURN NULL;
END;
$$;
