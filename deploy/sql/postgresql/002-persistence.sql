-- AgriChain schema for PostgreSQL, script 002: Orleans grain state (ADO.NET grain storage).
--
-- One row per grain state. The row is found by its natural key; Orleans also sends hashes of the key
-- (GrainIdHash, GrainTypeHash), which these queries do not need.
--   * GrainTypeString is the state name given in [PersistentState("name", ...)].
--   * A string grain key arrives as GrainIdN0 = GrainIdN1 = 0 with the key in GrainIdExtensionString; integer and
--     GUID keys arrive in N0/N1 with GrainIdExtensionString NULL (or the key extension). NULL is stored as '' so
--     that the primary key can enforce one row per grain.
--   * Version is the optimistic-concurrency token (the grain's ETag). A write with no ETag inserts version 1 and
--     returns no row if the state already exists; a write with an ETag updates only the row that still has that
--     version and returns Version + 1. No row back means a conflict: Orleans raises InconsistentStateException.
--   * ClearState keeps the row with a NULL payload and bumps the version; DeleteStorageKey (used only when
--     DeleteStateOnClear is set) removes the row.
--   * Every parameter is cast: Npgsql cannot always infer a type for a NULL parameter.

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    ServiceId              text        NOT NULL,
    GrainTypeString        text        NOT NULL,
    GrainIdN0              bigint      NOT NULL,
    GrainIdN1              bigint      NOT NULL,
    GrainIdExtensionString text        NOT NULL,
    PayloadBinary          bytea       NULL,
    Version                integer     NOT NULL,
    ModifiedOnUtc          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT PK_OrleansStorage
        PRIMARY KEY (ServiceId, GrainTypeString, GrainIdExtensionString, GrainIdN0, GrainIdN1)
);

-- Query texts are SQL string literals: a quote inside a query is written twice.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'ReadFromStorageKey',
    'SELECT PayloadBinary, Version
     FROM OrleansStorage
     WHERE ServiceId = @ServiceId::text
       AND GrainTypeString = @GrainTypeString::text
       AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString::text, '''')
       AND GrainIdN0 = @GrainIdN0::bigint
       AND GrainIdN1 = @GrainIdN1::bigint'
),
(
    -- One statement with two data-modifying parts, at most one of which touches a row: the insert runs only
    -- without an ETag, the update only with one. Either yields the new version as NewGrainStateVersion.
    'WriteToStorageKey',
    'WITH inserted AS
     (
         INSERT INTO OrleansStorage (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString, PayloadBinary, Version, ModifiedOnUtc)
         SELECT @ServiceId::text, @GrainTypeString::text, @GrainIdN0::bigint, @GrainIdN1::bigint,
                COALESCE(@GrainIdExtensionString::text, ''''), @PayloadBinary::bytea, 1, now()
         WHERE @GrainStateVersion::integer IS NULL
         ON CONFLICT DO NOTHING
         RETURNING Version
     ),
     updated AS
     (
         UPDATE OrleansStorage
         SET PayloadBinary = @PayloadBinary::bytea,
             Version = Version + 1,
             ModifiedOnUtc = now()
         WHERE ServiceId = @ServiceId::text
           AND GrainTypeString = @GrainTypeString::text
           AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString::text, '''')
           AND GrainIdN0 = @GrainIdN0::bigint
           AND GrainIdN1 = @GrainIdN1::bigint
           AND Version = @GrainStateVersion::integer
         RETURNING Version
     )
     SELECT Version AS NewGrainStateVersion FROM inserted
     UNION ALL
     SELECT Version FROM updated'
),
(
    'ClearStorageKey',
    'UPDATE OrleansStorage
     SET PayloadBinary = NULL,
         Version = Version + 1,
         ModifiedOnUtc = now()
     WHERE ServiceId = @ServiceId::text
       AND GrainTypeString = @GrainTypeString::text
       AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString::text, '''')
       AND GrainIdN0 = @GrainIdN0::bigint
       AND GrainIdN1 = @GrainIdN1::bigint
       AND Version = @GrainStateVersion::integer
     RETURNING Version AS NewGrainStateVersion'
),
(
    -- Returns a value other than the old version on success, nothing on a conflict.
    'DeleteStorageKey',
    'DELETE FROM OrleansStorage
     WHERE ServiceId = @ServiceId::text
       AND GrainTypeString = @GrainTypeString::text
       AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString::text, '''')
       AND GrainIdN0 = @GrainIdN0::bigint
       AND GrainIdN1 = @GrainIdN1::bigint
       AND Version = @GrainStateVersion::integer
     RETURNING Version + 1 AS NewGrainStateVersion'
)
ON CONFLICT (QueryKey) DO UPDATE
    SET QueryText = EXCLUDED.QueryText;

INSERT INTO agrichain_schema_version (version, script)
VALUES (2, '002-persistence.sql')
ON CONFLICT (version) DO UPDATE
    SET script = EXCLUDED.script,
        last_applied_utc = now();
