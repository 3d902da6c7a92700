-- Nexchange sync state, version 2: items that failed on their own (issue 14). An item that cannot be mapped or that a
-- server refuses is recorded here with the version that failed, so the rest of its pair syncs and the cursors move
-- on; it is tried again when it shows up in another version. Keyed by pair, side and the SHA-256 of its ref (refs
-- can be longer than an index entry may be). No foreign key to pairs, as for item_status (see V1).
CREATE TABLE quarantine (
    pair_id       BIGINT        NOT NULL,
    side          VARCHAR(16)   NOT NULL,
    ref_hash      VARCHAR(64)   NOT NULL,
    item_ref      VARCHAR(4000) NOT NULL,
    item_kind     VARCHAR(16),
    item_key      VARCHAR(1000),
    item_version  VARCHAR(1000) NOT NULL,
    summary       VARCHAR(1000) NOT NULL,
    reason        VARCHAR(4000) NOT NULL,
    first_failed  TIMESTAMP WITH TIME ZONE NOT NULL,
    last_failed   TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts      INT           NOT NULL,
    held          BOOLEAN       NOT NULL,
    CONSTRAINT quarantine_pk PRIMARY KEY (pair_id, side, ref_hash)
);
