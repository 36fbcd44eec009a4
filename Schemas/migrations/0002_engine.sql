-- The durable workflow engine (MeridianEngine): deployed definitions, instances, their
-- hash-chained history, approval votes, idempotency keys and task incidents.
-- Every change to an instance is one transaction over these tables (and the queue's).

-- Deployed definitions: immutable versions, the XML kept as deployed.
CREATE TABLE engine_definitions (
    workflow_id   text        NOT NULL,
    version       integer     NOT NULL CHECK (version > 0),
    sha256        text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    source        text        NOT NULL,
    file_name     text        NOT NULL,
    description   text,
    deployed_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workflow_id, version)
);

-- Instances: pinned to one definition version; `version` counts steps (= history entries),
-- `state_entry` counts entries into a state (timers and tasks carry it, to tell stale ones).
CREATE TABLE engine_instances (
    id               uuid        PRIMARY KEY,
    workflow_id      text        NOT NULL,
    workflow_version integer     NOT NULL,
    state            text        NOT NULL,
    version          bigint      NOT NULL CHECK (version > 0),
    state_entry      bigint      NOT NULL CHECK (state_entry > 0),
    is_final         boolean     NOT NULL DEFAULT false,
    context          jsonb       NOT NULL,
    snapshot         jsonb       NOT NULL,
    history_hash     text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (workflow_id, workflow_version) REFERENCES engine_definitions (workflow_id, version)
);
CREATE INDEX engine_instances_workflow_state ON engine_instances (workflow_id, state);
CREATE INDEX engine_instances_state ON engine_instances (state);

-- History: append-only, one row per step, each hashing the previous row's hash and its own
-- canonical content (computed by MeridianEngine's HistoryChain).
CREATE TABLE engine_history (
    instance_id      uuid        NOT NULL REFERENCES engine_instances (id),
    seq              bigint      NOT NULL CHECK (seq > 0),
    workflow_version integer     NOT NULL,
    event            text        NOT NULL,
    taken_event      text        NOT NULL,
    actor_id         text        NOT NULL,
    actor_kind       text        NOT NULL CHECK (actor_kind IN ('person', 'system')),
    actor_roles      text        NOT NULL,
    from_state       text        NOT NULL,
    to_state         text        NOT NULL,
    occurred_at_us   bigint      NOT NULL,
    detail           text        NOT NULL,
    payload          text        NOT NULL,
    vote             text        NOT NULL,
    idempotency_key  text,
    previous_hash    text        NOT NULL,
    hash             text        NOT NULL,
    PRIMARY KEY (instance_id, seq)
);

CREATE FUNCTION engine_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'history and deployed definitions are never changed; append a new entry or deploy a new version';
END;
$$;

CREATE TRIGGER engine_history_append_only
    BEFORE UPDATE OR DELETE ON engine_history
    FOR EACH ROW EXECUTE FUNCTION engine_refuse_change();
CREATE TRIGGER engine_history_no_truncate
    BEFORE TRUNCATE ON engine_history
    FOR EACH STATEMENT EXECUTE FUNCTION engine_refuse_change();
CREATE TRIGGER engine_definitions_immutable
    BEFORE UPDATE OR DELETE ON engine_definitions
    FOR EACH ROW EXECUTE FUNCTION engine_refuse_change();
CREATE TRIGGER engine_definitions_no_truncate
    BEFORE TRUNCATE ON engine_definitions
    FOR EACH STATEMENT EXECUTE FUNCTION engine_refuse_change();

-- Approval votes: one per person, approval and stay in a state — the database holds the
-- "distinct approvers" rule even if the engine had a bug.
CREATE TABLE engine_votes (
    instance_id  uuid        NOT NULL REFERENCES engine_instances (id),
    state_entry  bigint      NOT NULL,
    approval     text        NOT NULL,
    actor_id     text        NOT NULL,
    decision     text        NOT NULL CHECK (decision IN ('approve', 'reject')),
    history_seq  bigint      NOT NULL,
    voted_at     timestamptz NOT NULL,
    PRIMARY KEY (instance_id, state_entry, approval, actor_id)
);

-- Idempotency keys: the first outcome of an event fired with a key, returned on repeats.
CREATE TABLE engine_event_keys (
    instance_id  uuid        NOT NULL REFERENCES engine_instances (id),
    key          text        NOT NULL,
    event        text        NOT NULL,
    outcome      jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (instance_id, key)
);

-- Incidents: a task whose attempts ran out; open until an operator retries it.
CREATE TABLE engine_incidents (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    instance_id   uuid        NOT NULL REFERENCES engine_instances (id),
    state         text        NOT NULL,
    task          text        NOT NULL,
    job_id        bigint      NOT NULL,
    attempts      integer     NOT NULL,
    last_error    text        NOT NULL,
    opened_at     timestamptz NOT NULL DEFAULT now(),
    resolved_at   timestamptz
);
CREATE UNIQUE INDEX engine_incidents_open_job ON engine_incidents (job_id) WHERE resolved_at IS NULL;
CREATE INDEX engine_incidents_open_instance ON engine_incidents (instance_id) WHERE resolved_at IS NULL;
