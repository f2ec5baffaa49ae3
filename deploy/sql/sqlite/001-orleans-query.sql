-- AgriChain schema for SQLite, script 001: bookkeeping.
--
-- Every script in this folder is idempotent: the host applies all of them, in file-name order, on each start
-- (Storage:ApplySchema=true), and an operator may apply them again by hand at any time. Re-applying a script
-- refreshes the query text it stores and records the time in agrichain_schema_version.

-- One row per numbered script that has been applied at least once.
CREATE TABLE IF NOT EXISTS agrichain_schema_version
(
    version           INTEGER NOT NULL PRIMARY KEY,
    script            TEXT    NOT NULL,
    first_applied_utc TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    last_applied_utc  TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- Orleans' ADO.NET providers do not carry SQL of their own: when a provider starts it reads the statements it needs
-- from this table, by key. The later scripts fill it.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);

INSERT INTO agrichain_schema_version (version, script)
VALUES (1, '001-orleans-query.sql')
ON CONFLICT (version) DO UPDATE
    SET script = excluded.script,
        last_applied_utc = CURRENT_TIMESTAMP;
