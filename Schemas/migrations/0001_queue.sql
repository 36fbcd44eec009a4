-- The task queue (MeridianQueue).
--
-- queue_jobs is the hot table: it holds only jobs that are waiting (scheduled, available)
-- or running. A job leaves it in the statement that finishes it (completed, dead, cancelled)
-- and moves to queue_job_history, so the hot table and its indexes stay small however many
-- jobs have ever run. Dead jobs keep their error list in the history and can be retried,
-- which moves them back.

CREATE SEQUENCE queue_lease_token_seq AS bigint CACHE 1000;

CREATE TABLE queue_jobs (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    queue            text        NOT NULL CHECK (queue <> '' AND length(queue) <= 100),
    kind             text        NOT NULL CHECK (kind <> '' AND length(kind) <= 200),
    payload          jsonb       NOT NULL DEFAULT '{}',
    -- Lower runs first.
    priority         smallint    NOT NULL DEFAULT 0,
    -- scheduled: run_at is in the future; available: claimable now; running: leased.
    state            text        NOT NULL CHECK (state IN ('scheduled', 'available', 'running')),
    -- Attempts started so far (a claim starts one; a graceful release gives it back).
    attempt          integer     NOT NULL DEFAULT 0 CHECK (attempt >= 0),
    max_attempts     integer     NOT NULL CHECK (max_attempts >= 1),
    run_at           timestamptz NOT NULL DEFAULT now(),
    unique_key       text,
    -- The fencing token of the current lease: every claim draws a new one, and only the
    -- holder of the current token may complete, fail, heartbeat or release the job.
    lease_token      bigint,
    lease_expires_at timestamptz,
    leased_by        text,
    errors           jsonb       NOT NULL DEFAULT '[]',
    enqueued_at      timestamptz NOT NULL DEFAULT now(),
    attempted_at     timestamptz,
    CHECK ((state = 'running') = (lease_token IS NOT NULL AND lease_expires_at IS NOT NULL))
);

-- Claims: per queue, by priority then run_at, only over claimable rows.
CREATE INDEX queue_jobs_claim ON queue_jobs (queue, priority, run_at, id) WHERE state = 'available';
-- Waking up for scheduled jobs and promoting them when due.
CREATE INDEX queue_jobs_scheduled ON queue_jobs (queue, run_at) WHERE state = 'scheduled';
-- The rescuer's look-up of expired leases.
CREATE INDEX queue_jobs_lease ON queue_jobs (lease_expires_at) WHERE state = 'running';
-- Unique keys hold while a job waits or runs (every row here does).
CREATE UNIQUE INDEX queue_jobs_unique_key ON queue_jobs (kind, unique_key) WHERE unique_key IS NOT NULL;

CREATE TABLE queue_job_history (
    id           bigint      PRIMARY KEY,
    queue        text        NOT NULL,
    kind         text        NOT NULL,
    payload      jsonb       NOT NULL,
    priority     smallint    NOT NULL,
    state        text        NOT NULL CHECK (state IN ('completed', 'dead', 'cancelled')),
    attempt      integer     NOT NULL,
    max_attempts integer     NOT NULL,
    unique_key   text,
    errors       jsonb       NOT NULL,
    enqueued_at  timestamptz NOT NULL,
    attempted_at timestamptz,
    finished_at  timestamptz NOT NULL DEFAULT now()
);

-- Rows arrive in finished_at order, so a BRIN index serves prune and the per-minute
-- counts at almost no cost per insert.
CREATE INDEX queue_job_history_finished ON queue_job_history USING brin (finished_at);
CREATE INDEX queue_job_history_dead ON queue_job_history (queue, finished_at) WHERE state = 'dead';

-- One wake-up hint per statement and queue that makes jobs claimable: the payload is the
-- queue's name. Workers treat it as a hint only and poll as well.
CREATE FUNCTION queue_notify_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('meridian_queue', queue) FROM (SELECT DISTINCT queue FROM inserted) AS q;
    RETURN NULL;
END;
$$;

CREATE TRIGGER queue_jobs_notify AFTER INSERT ON queue_jobs
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION queue_notify_inserted();
