-- AgriChain schema for SQLite, script 005: the alert journal.
--
-- One row per alert id, replaced whenever the alert changes (opens, accumulates, closes, is acknowledged). The
-- location columns (greenhouse, farm, cooperative, village, township, county) are copied from the greenhouse when
-- the alert is written, so history queries over a region need no join. An alert is open while closed_at_us is NULL.
-- Times are UTC unix microseconds; kind and stage are stored by name (AlertKind, GrowthStage), not by number.
-- History is listed newest opened first, ties by id, and paged by (opened_at_us, alert_id): each filter has an index
-- in that order. Alerts are few next to readings, so the indexes cost little.

CREATE TABLE IF NOT EXISTS agrichain_alerts
(
    alert_id             TEXT    NOT NULL PRIMARY KEY,
    greenhouse_id        TEXT    NOT NULL,
    farm_id              TEXT    NOT NULL,
    cooperative_id       TEXT    NOT NULL,
    village              TEXT    NOT NULL,
    township             TEXT    NOT NULL,
    county               TEXT    NOT NULL,
    kind                 TEXT    NOT NULL,
    stage                TEXT    NULL,
    threshold            REAL    NULL,
    opened_at_us         INTEGER NOT NULL,
    closed_at_us         INTEGER NULL,
    worst_value          REAL    NULL,
    minutes_out_of_range REAL    NOT NULL,
    degree_minutes       REAL    NOT NULL,
    acknowledged_by      TEXT    NULL,
    acknowledged_at_us   INTEGER NULL,
    acknowledgement_note TEXT    NULL
);

CREATE INDEX IF NOT EXISTS ix_agrichain_alerts_opened
    ON agrichain_alerts (opened_at_us DESC, alert_id);
CREATE INDEX IF NOT EXISTS ix_agrichain_alerts_greenhouse
    ON agrichain_alerts (greenhouse_id, opened_at_us DESC, alert_id);
CREATE INDEX IF NOT EXISTS ix_agrichain_alerts_farm
    ON agrichain_alerts (farm_id, opened_at_us DESC, alert_id);
CREATE INDEX IF NOT EXISTS ix_agrichain_alerts_cooperative
    ON agrichain_alerts (cooperative_id, opened_at_us DESC, alert_id);
CREATE INDEX IF NOT EXISTS ix_agrichain_alerts_village
    ON agrichain_alerts (village, opened_at_us DESC, alert_id);
CREATE INDEX IF NOT EXISTS ix_agrichain_alerts_township
    ON agrichain_alerts (township, opened_at_us DESC, alert_id);
CREATE INDEX IF NOT EXISTS ix_agrichain_alerts_county
    ON agrichain_alerts (county, opened_at_us DESC, alert_id);

INSERT INTO agrichain_schema_version (version, script)
VALUES (5, '005-alerts.sql')
ON CONFLICT (version) DO UPDATE
    SET script = excluded.script,
        last_applied_utc = CURRENT_TIMESTAMP;
