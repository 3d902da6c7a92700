-- Nexchange sync state, version 5: the fleet of instances sharing this database (SyncStateStore.heartbeat). Each
-- instance records itself here at every heartbeat; the live ones (expires_at ahead) split the mailboxes between them.
CREATE TABLE instances (
    instance_id VARCHAR(255)  NOT NULL,
    about       VARCHAR(1000) NOT NULL,
    started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    last_beat   TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT instances_pk PRIMARY KEY (instance_id)
);

-- releaseLeases(holder) at every start and the lease count per holder at every heartbeat
CREATE INDEX leases_holder ON leases (holder);
