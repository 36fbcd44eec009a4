-- Enqueue from SQL: `queue_add_jobs` inserts keyless jobs, so that another statement can
-- enqueue in the same round trip as its own writes. The engine's step write uses it: a
-- task-driven step is then one statement (instance, history, key and the next task) instead
-- of a transaction of several (WorkflowEngine+OptimisticFire.swift). Graphile Worker's
-- `add_job` is the same idea.
--
-- One job per array position (the arrays as QueueStore's own enqueue binds them: payloads
-- as JSON text, a run_at counted only where has_run_at is true, else now). Jobs with a unique key go through
-- QueueStore.enqueue, which settles key conflicts; this function takes none. The table's
-- checks still apply (empty queue or kind, max_attempts < 1), and so does the wake-up
-- trigger of 0007.
CREATE FUNCTION queue_add_jobs(
    queues text[], kinds text[], payloads text[], priorities smallint[], has_run_at boolean[], run_ats timestamptz[],
    max_attempts integer[]
) RETURNS SETOF bigint LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY
    INSERT INTO queue_jobs (queue, kind, payload, priority, state, max_attempts, run_at)
    SELECT q, k, p::jsonb, pr, CASE WHEN hr AND r > now() THEN 'scheduled' ELSE 'available' END, ma,
           CASE WHEN hr THEN r ELSE now() END
    FROM unnest(queues, kinds, payloads, priorities, has_run_at, run_ats, max_attempts) WITH ORDINALITY AS t(q, k, p, pr, hr, r, ma, ord)
    ORDER BY ord
    RETURNING id;
END;
$$;
