-- AgriChain schema for PostgreSQL, script 001: bookkeeping.
--
-- Every script in this folder is idempotent: the host applies all of them, in file-name order and in one transaction
-- under an advisory lock, on each start (Storage:ApplySchema=true), and an operator may apply them again by hand at
-- any time. Re-applying a script refreshes the query text it stores and records the time in agrichain_schema_version.
-- Identifiers are unquoted, so PostgreSQL folds them to lower case; the drivers match column names case-insensitively.

-- One row per numbered script that has been applied at least once.
CREATE TABLE IF NOT EXISTS agrichain_schema_version
(
    version           integer     NOT NULL PRIMARY KEY,
    script            text        NOT NULL,
    first_applied_utc timestamptz NOT NULL DEFAULT now(),
    last_applied_utc  timestamptz NOT NULL DEFAULT now()
);

-- Orleans' ADO.NET providers do not carry SQL of their own: when a provider starts it reads the statements it needs
-- from this table, by key. The later scripts fill it.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);

INSERT INTO agrichain_schema_version (version, script)
VALUES (1, '001-orleans-query.sql')
ON CONFLICT (version) DO UPDATE
    SET script = EXCLUDED.script,
        last_applied_utc = now();
