-- Nexchange sync state, version 3: operator settings kept beside the sync state, so that every instance sharing
-- the database sees them and a restart keeps them (SyncStateStore.setting/putSetting; for example the engine's
-- backend switches, nexchange:switch).
CREATE TABLE settings (
    name         VARCHAR(200)    NOT NULL,
    setting_value VARCHAR(1000000) NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT settings_pk PRIMARY KEY (name)
);
