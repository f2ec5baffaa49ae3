-- AgriChain schema for PostgreSQL, script 005: the alert journal.
--
-- One row per alert id, replaced whenever the alert changes (opens, accumulates, closes, is acknowledged). The
-- location columns (greenhouse, farm, cooperative, village, township, county) are copied from the greenhouse when
-- the alert is written, so history queries over a region need no join. An alert is open while closed_at is NULL.
-- kind and stage are stored by name (AlertKind, GrowthStage), not by number.
-- History is listed newest opened first, ties by id, and paged by (opened_at, alert_id): each filter has an index
-- in that order. alert_id compares byte-wise (COLLATE "C") so that the order, and with it the page tokens, do not
-- depend on the database's locale. Alerts are few next to readings, so the indexes cost little.

CREATE TABLE IF NOT EXISTS agrichain_alerts
(
    alert_id             text COLLATE "C" NOT NULL PRIMARY KEY,
    greenhouse_id        text             NOT NULL,
    farm_id              text             NOT NULL,
    cooperative_id       text             NOT NULL,
    village              text             NOT NULL,
    township             text             NOT NULL,
    county               text             NOT NULL,
    kind                 text             NOT NULL,
    stage                text             NULL,
    threshold            double precision NULL,
    opened_at            timestamptz      NOT NULL,
    closed_at            timestamptz      NULL,
    worst_value          double precision NULL,
    minutes_out_of_range double precision NOT NULL,
    degree_minutes       double precision NOT NULL,
    acknowledged_by      text             NULL,
    acknowledged_at      timestamptz      NULL,
    acknowledgement_note text             NULL
);

CREATE INDEX IF NOT EXISTS ix_agrichain_alerts_opened
    ON agrichain_alerts (opened_at DESC, alert_id);
CREATE INDEX IF NOT EXISTS ix_agrichain_alerts_greenhouse
    ON agrichain_alerts (greenhouse_id, opened_at DESC, alert_id);
CREATE INDEX IF NOT EXISTS ix_agrichain_alerts_farm
    ON agrichain_alerts (farm_id, opened_at DESC, alert_id);
CREATE INDEX IF NOT EXISTS ix_agrichain_alerts_cooperative
    ON agrichain_alerts (cooperative_id, opened_at DESC, alert_id);
CREATE INDEX IF NOT EXISTS ix_agrichain_alerts_village
    ON agrichain_alerts (village, opened_at DESC, alert_id);
CREATE INDEX IF NOT EXISTS ix_agrichain_alerts_township
    ON agrichain_alerts (township, opened_at DESC, alert_id);
CREATE INDEX IF NOT EXISTS ix_agrichain_alerts_county
    ON agrichain_alerts (county, opened_at DESC, alert_id);

INSERT INTO agrichain_schema_version (version, script)
VALUES (5, '005-alerts.sql')
ON CONFLICT (version) DO UPDATE
    SET script = EXCLUDED.script,
        last_applied_utc = now();
