-- AgriChain schema for PostgreSQL, script 007: the EPCIS read model.
--
-- Captures (agrichain_epcis_captures) and the events they stored (agrichain_epcis_events), one row per (scope, eventID):
-- the scope is the cooperative that captured the event ('' for admin keys), so the same event captured again in the
-- same scope is stored once, and cooperatives never see each other's events. source is 'capture' (a partner's
-- document) or 'export' (AgriChain's own event, recorded when a batch is exported). body is the event's JSON as the
-- query answers it (text, not jsonb: it is answered byte for byte and never searched). biz_step and disposition hold
-- CBV values in their bare form ('shipping'). Queries list events by (event_time, event_key), which is also the page
-- token's keyset. Identifiers compare byte-wise (COLLATE "C"), so prefix matches and order do not depend on the locale.
-- agrichain_epcis_event_ids indexes every identifier an event names, by role (epc, parent, input, output, class,
-- input-class, output-class), for the MATCH_ parameters; batch_id is set when the identifier is an AgriChain lot
-- (urn:agrichain:lot:{product}:{batchId}), which links partners' events to batches.

CREATE TABLE IF NOT EXISTS agrichain_epcis_captures
(
    capture_id  text COLLATE "C" NOT NULL PRIMARY KEY,
    scope       text COLLATE "C" NOT NULL,
    source      text             NOT NULL,
    captured_by text             NOT NULL,
    captured_at timestamptz      NOT NULL,
    event_count integer          NOT NULL,
    stored      integer          NOT NULL,
    declared    integer          NOT NULL,
    duplicates  integer          NOT NULL
);

CREATE TABLE IF NOT EXISTS agrichain_epcis_events
(
    event_key      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    scope          text COLLATE "C" NOT NULL,
    event_id       text COLLATE "C" NOT NULL,
    source         text             NOT NULL,
    event_type     text COLLATE "C" NOT NULL,
    event_time     timestamptz      NOT NULL,
    record_time    timestamptz      NOT NULL,
    action         text COLLATE "C" NULL,
    biz_step       text COLLATE "C" NULL,
    disposition    text COLLATE "C" NULL,
    read_point     text COLLATE "C" NULL,
    biz_location   text COLLATE "C" NULL,
    error_declared boolean          NOT NULL,
    capture_id     text COLLATE "C" NOT NULL,
    body           text             NOT NULL,
    UNIQUE (scope, event_id)
);

CREATE INDEX IF NOT EXISTS ix_agrichain_epcis_events_time
    ON agrichain_epcis_events (scope, event_time, event_key);
CREATE INDEX IF NOT EXISTS ix_agrichain_epcis_events_type
    ON agrichain_epcis_events (scope, event_type, event_time, event_key);
CREATE INDEX IF NOT EXISTS ix_agrichain_epcis_events_biz_step
    ON agrichain_epcis_events (scope, biz_step, event_time, event_key);
CREATE INDEX IF NOT EXISTS ix_agrichain_epcis_events_disposition
    ON agrichain_epcis_events (scope, disposition, event_time, event_key);
CREATE INDEX IF NOT EXISTS ix_agrichain_epcis_events_biz_location
    ON agrichain_epcis_events (scope, biz_location, event_time, event_key);
CREATE INDEX IF NOT EXISTS ix_agrichain_epcis_events_read_point
    ON agrichain_epcis_events (scope, read_point, event_time, event_key);
CREATE INDEX IF NOT EXISTS ix_agrichain_epcis_events_record_time
    ON agrichain_epcis_events (scope, record_time, event_key);
CREATE INDEX IF NOT EXISTS ix_agrichain_epcis_events_key_time
    ON agrichain_epcis_events (event_time, event_key);

CREATE TABLE IF NOT EXISTS agrichain_epcis_event_ids
(
    event_key bigint           NOT NULL REFERENCES agrichain_epcis_events (event_key) ON DELETE CASCADE,
    role      text COLLATE "C" NOT NULL,
    value     text COLLATE "C" NOT NULL,
    batch_id  text COLLATE "C" NULL,
    PRIMARY KEY (event_key, role, value)
);

CREATE INDEX IF NOT EXISTS ix_agrichain_epcis_event_ids_value
    ON agrichain_epcis_event_ids (value, role, event_key);
CREATE INDEX IF NOT EXISTS ix_agrichain_epcis_event_ids_batch
    ON agrichain_epcis_event_ids (batch_id, event_key) WHERE batch_id IS NOT NULL;

INSERT INTO agrichain_schema_version (version, script)
VALUES (7, '007-epcis.sql')
ON CONFLICT (version) DO UPDATE
    SET script = EXCLUDED.script,
        last_applied_utc = now();
