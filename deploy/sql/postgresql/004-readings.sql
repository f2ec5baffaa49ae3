-- AgriChain schema for PostgreSQL, script 004: the greenhouse readings time series.
--
-- Append-only: one row per (greenhouse, sensor, time); a reading that arrives again is dropped by the unique
-- constraint (INSERT ... ON CONFLICT DO NOTHING). sequence grows in append order, and greenhouse grains replay the
-- rows after the sequence they last saw.
--
-- The table is partitioned by month of at_utc. The host creates the partition of a month before it first writes a
-- reading of that month (CREATE TABLE IF NOT EXISTS agrichain_readings_yYYYYmMM PARTITION OF ...), so old months
-- can be detached, archived or dropped whole. The DEFAULT partition is a safety net for a month whose partition
-- could not be created (for example when the application's role may not create tables): such rows are kept rather
-- than refused. It should stay empty; a month with rows in it cannot get its own partition until an operator moves
-- them (detach the default, create the month, INSERT ... SELECT the rows over, re-attach).
--
-- The sequence is a plain sequence rather than an identity column, which partitioned tables only accept from
-- PostgreSQL 17 on. It must keep CACHE 1 (the default): cached blocks would let two connections hand out numbers
-- out of append order.

CREATE SEQUENCE IF NOT EXISTS agrichain_readings_sequence AS bigint;

CREATE TABLE IF NOT EXISTS agrichain_readings
(
    sequence      bigint           NOT NULL DEFAULT nextval('agrichain_readings_sequence'),
    greenhouse_id text COLLATE "C" NOT NULL,
    sensor_id     text COLLATE "C" NOT NULL,
    at_utc        timestamptz      NOT NULL,
    temperature_c double precision NOT NULL,
    humidity_pct  double precision NULL,
    -- The uniqueness rule. A unique constraint on a partitioned table must contain the partition key, and with the
    -- time before the sensor the same index serves range reads of one greenhouse in time order.
    CONSTRAINT ux_agrichain_readings_greenhouse_at_sensor UNIQUE (greenhouse_id, at_utc, sensor_id)
) PARTITION BY RANGE (at_utc);

ALTER SEQUENCE agrichain_readings_sequence OWNED BY agrichain_readings.sequence;

-- Replay: the rows of one greenhouse after a sequence, in sequence order.
CREATE INDEX IF NOT EXISTS ix_agrichain_readings_greenhouse_sequence
    ON agrichain_readings (greenhouse_id, sequence);

CREATE TABLE IF NOT EXISTS agrichain_readings_default
    PARTITION OF agrichain_readings DEFAULT;

INSERT INTO agrichain_schema_version (version, script)
VALUES (4, '004-readings.sql')
ON CONFLICT (version) DO UPDATE
    SET script = EXCLUDED.script,
        last_applied_utc = now();
