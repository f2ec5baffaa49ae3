-- AgriChain schema for SQLite, script 004: the greenhouse readings time series.
--
-- Append-only: one row per (greenhouse, sensor, time); a reading that arrives again is dropped by the unique index
-- (INSERT ... ON CONFLICT DO NOTHING). Times are UTC unix milliseconds, so that range predicates and bucketing are
-- integer arithmetic. sequence is the rowid: it grows in append order, and greenhouse grains replay the rows after
-- the sequence they last saw. Rows are never deleted from the top, so SQLite never hands out a rowid twice and
-- AUTOINCREMENT (an extra write per row) is not needed.

CREATE TABLE IF NOT EXISTS agrichain_readings
(
    sequence      INTEGER NOT NULL PRIMARY KEY,
    greenhouse_id TEXT    NOT NULL,
    sensor_id     TEXT    NOT NULL,
    at_ms         INTEGER NOT NULL,
    temperature_c REAL    NOT NULL,
    humidity_pct  REAL    NULL
);

-- The uniqueness rule, with the time before the sensor so that the same index serves range reads of one greenhouse
-- (greenhouse_id = ? AND at_ms >= ? AND at_ms < ?) in time order.
CREATE UNIQUE INDEX IF NOT EXISTS ux_agrichain_readings_greenhouse_at_sensor
    ON agrichain_readings (greenhouse_id, at_ms, sensor_id);

-- Replay: the rows of one greenhouse after a sequence, in sequence order.
CREATE INDEX IF NOT EXISTS ix_agrichain_readings_greenhouse_sequence
    ON agrichain_readings (greenhouse_id, sequence);

INSERT INTO agrichain_schema_version (version, script)
VALUES (4, '004-readings.sql')
ON CONFLICT (version) DO UPDATE
    SET script = excluded.script,
        last_applied_utc = CURRENT_TIMESTAMP;
