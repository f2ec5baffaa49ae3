-- AgriChain schema for SQLite, script 002: Orleans grain state (ADO.NET grain storage).
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

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    ServiceId              TEXT    NOT NULL,
    GrainTypeString        TEXT    NOT NULL,
    GrainIdN0              INTEGER NOT NULL,
    GrainIdN1              INTEGER NOT NULL,
    GrainIdExtensionString TEXT    NOT NULL,
    PayloadBinary          BLOB    NULL,
    Version                INTEGER NOT NULL,
    ModifiedOnUtc          TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (ServiceId, GrainTypeString, GrainIdExtensionString, GrainIdN0, GrainIdN1)
);

-- Query texts are SQL string literals: a quote inside a query is written twice.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'ReadFromStorageKey',
    'SELECT PayloadBinary, Version
     FROM OrleansStorage
     WHERE ServiceId = @ServiceId
       AND GrainTypeString = @GrainTypeString
       AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '''')
       AND GrainIdN0 = @GrainIdN0
       AND GrainIdN1 = @GrainIdN1;'
),
(
    -- Two statements, at most one of which touches a row: the insert runs only without an ETag, the update only
    -- with one. Either returns the new version as NewGrainStateVersion.
    'WriteToStorageKey',
    'INSERT INTO OrleansStorage (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString, PayloadBinary, Version, ModifiedOnUtc)
     SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, COALESCE(@GrainIdExtensionString, ''''), @PayloadBinary, 1, CURRENT_TIMESTAMP
     WHERE @GrainStateVersion IS NULL
     ON CONFLICT DO NOTHING
     RETURNING Version AS NewGrainStateVersion;
     UPDATE OrleansStorage
     SET PayloadBinary = @PayloadBinary,
         Version = Version + 1,
         ModifiedOnUtc = CURRENT_TIMESTAMP
     WHERE ServiceId = @ServiceId
       AND GrainTypeString = @GrainTypeString
       AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '''')
       AND GrainIdN0 = @GrainIdN0
       AND GrainIdN1 = @GrainIdN1
       AND @GrainStateVersion IS NOT NULL
       AND Version = @GrainStateVersion
     RETURNING Version AS NewGrainStateVersion;'
),
(
    'ClearStorageKey',
    'UPDATE OrleansStorage
     SET PayloadBinary = NULL,
         Version = Version + 1,
         ModifiedOnUtc = CURRENT_TIMESTAMP
     WHERE ServiceId = @ServiceId
       AND GrainTypeString = @GrainTypeString
       AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '''')
       AND GrainIdN0 = @GrainIdN0
       AND GrainIdN1 = @GrainIdN1
       AND Version = @GrainStateVersion
     RETURNING Version AS NewGrainStateVersion;'
),
(
    -- Returns a value other than the old version on success, nothing on a conflict.
    'DeleteStorageKey',
    'DELETE FROM OrleansStorage
     WHERE ServiceId = @ServiceId
       AND GrainTypeString = @GrainTypeString
       AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '''')
       AND GrainIdN0 = @GrainIdN0
       AND GrainIdN1 = @GrainIdN1
       AND Version = @GrainStateVersion
     RETURNING Version + 1 AS NewGrainStateVersion;'
)
ON CONFLICT (QueryKey) DO UPDATE
    SET QueryText = excluded.QueryText;

INSERT INTO agrichain_schema_version (version, script)
VALUES (2, '002-persistence.sql')
ON CONFLICT (version) DO UPDATE
    SET script = excluded.script,
        last_applied_utc = CURRENT_TIMESTAMP;
