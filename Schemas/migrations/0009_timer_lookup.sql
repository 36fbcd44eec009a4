-- The pending timers of one instance, found by index: inboxes and status pages ask for the
-- earliest timer of each waiting instance's current stay (WorkflowEngine.waitingWork).
CREATE INDEX queue_jobs_workflow_timers ON queue_jobs (((payload->>'instance')::uuid), ((payload->>'stateEntry')::bigint), run_at)
    WHERE kind = 'workflow-timer';
