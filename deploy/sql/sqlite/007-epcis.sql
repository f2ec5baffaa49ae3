-- AgriChain schema for SQLite, script 007: the EPCIS read model.
--
-- Captures (agrichain_epcis_captures) and the events they stored (agrichain_epcis_events), one row per (scope, eventID):
-- the scope is the cooperative that captured the event ('' for admin keys), so the same event captured again in the
-- same scope is stored once, and cooperatives never see each other's events. source is 'capture' (a partner's
-- document) or 'export' (AgriChain's own event, recorded when a batch is exported). body is the event's JSON as the
-- query answers it. biz_step and disposition hold CBV values in their bare form ('shipping'). Times are UTC unix
-- microseconds. Queries list events by (event_time_us, event_key), which is also the page token's keyset.
-- agrichain_epcis_event_ids indexes every identifier an event names, by role (epc, parent, input, output, class,
-- input-class, output-class), for the MATCH_ parameters; batch_id is set when the identifier is an AgriChain lot
-- (urn:agrichain:lot:{product}:{batchId}), which links partners' events to batches.

CREATE TABLE IF NOT EXISTS agrichain_epcis_captures
(
    capture_id     TEXT    NOT NULL PRIMARY KEY,
    scope          TEXT    NOT NULL,
    source         TEXT    NOT NULL,
    captured_by    TEXT    NOT NULL,
    captured_at_us INTEGER NOT NULL,
    event_count    INTEGER NOT NULL,
    stored         INTEGER NOT NULL,
    declared       INTEGER NOT NULL,
    duplicates     INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS agrichain_epcis_events
(
    event_key      INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    scope          TEXT    NOT NULL,
    event_id       TEXT    NOT NULL,
    source         TEXT    NOT NULL,
    event_type     TEXT    NOT NULL,
    event_time_us  INTEGER NOT NULL,
    record_time_us INTEGER NOT NULL,
    action         TEXT    NULL,
    biz_step       TEXT    NULL,
    disposition    TEXT    NULL,
    read_point     TEXT    NULL,
    biz_location   TEXT    NULL,
    error_declared INTEGER NOT NULL,
    capture_id     TEXT    NOT NULL,
    body           TEXT    NOT NULL,
    UNIQUE (scope, event_id)
);

CREATE INDEX IF NOT EXISTS ix_agrichain_epcis_events_time
    ON agrichain_epcis_events (scope, event_time_us, event_key);
CREATE INDEX IF NOT EXISTS ix_agrichain_epcis_events_type
    ON agrichain_epcis_events (scope, event_type, event_time_us, event_key);
CREATE INDEX IF NOT EXISTS ix_agrichain_epcis_events_biz_step
    ON agrichain_epcis_events (scope, biz_step, event_time_us, event_key);
CREATE INDEX IF NOT EXISTS ix_agrichain_epcis_events_disposition
    ON agrichain_epcis_events (scope, disposition, event_time_us, event_key);
CREATE INDEX IF NOT EXISTS ix_agrichain_epcis_events_biz_location
    ON agrichain_epcis_events (scope, biz_location, event_time_us, event_key);
CREATE INDEX IF NOT EXISTS ix_agrichain_epcis_events_read_point
    ON agrichain_epcis_events (scope, read_point, event_time_us, event_key);
CREATE INDEX IF NOT EXISTS ix_agrichain_epcis_events_record_time
    ON agrichain_epcis_events (scope, record_time_us, event_key);
CREATE INDEX IF NOT EXISTS ix_agrichain_epcis_events_key_time
    ON agrichain_epcis_events (event_time_us, event_key);

CREATE TABLE IF NOT EXISTS agrichain_epcis_event_ids
(
    event_key INTEGER NOT NULL REFERENCES agrichain_epcis_events (event_key) ON DELETE CASCADE,
    role      TEXT    NOT NULL,
    value     TEXT    NOT NULL,
    batch_id  TEXT    NULL,
    PRIMARY KEY (event_key, role, value)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS ix_agrichain_epcis_event_ids_value
    ON agrichain_epcis_event_ids (value, role, event_key);
CREATE INDEX IF NOT EXISTS ix_agrichain_epcis_event_ids_batch
    ON agrichain_epcis_event_ids (batch_id, event_key) WHERE batch_id IS NOT NULL;

INSERT INTO agrichain_schema_version (version, script)
VALUES (7, '007-epcis.sql')
ON CONFLICT (version) DO UPDATE
    SET script = excluded.script,
        last_applied_utc = CURRENT_TIMESTAMP;
