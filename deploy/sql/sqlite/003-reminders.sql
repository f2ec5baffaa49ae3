-- AgriChain schema for SQLite, script 003: Orleans reminders (ADO.NET reminder table).
--
-- One row per (grain, reminder name). GrainHash is the grain's uniform hash as a signed 32-bit integer; the reminder
-- service asks for hash ranges (BeginHash, EndHash], and for a range that wraps past the top of the signed order it
-- asks with the OR form (ReadRangeRows2Key). Period is in milliseconds. StartTime is the UTC start as text.
-- Version is the reminder's ETag: an upsert bumps it, a delete succeeds only with the current one.

CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    TEXT    NOT NULL,
    GrainId      TEXT    NOT NULL,
    ReminderName TEXT    NOT NULL,
    StartTime    TEXT    NOT NULL,
    Period       INTEGER NOT NULL,
    GrainHash    INTEGER NOT NULL,
    Version      INTEGER NOT NULL,
    PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

CREATE INDEX IF NOT EXISTS IX_OrleansRemindersTable_ServiceId_GrainHash
    ON OrleansRemindersTable (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'UpsertReminderRowKey',
    'INSERT INTO OrleansRemindersTable (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
     VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
     ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
         SET StartTime = excluded.StartTime,
             Period = excluded.Period,
             GrainHash = excluded.GrainHash,
             Version = OrleansRemindersTable.Version + 1
     RETURNING Version;'
),
(
    'ReadReminderRowsKey',
    'SELECT GrainId, ReminderName, StartTime, Period, Version
     FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId
       AND GrainId = @GrainId;'
),
(
    'ReadReminderRowKey',
    'SELECT GrainId, ReminderName, StartTime, Period, Version
     FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId
       AND GrainId = @GrainId
       AND ReminderName = @ReminderName;'
),
(
    'ReadRangeRows1Key',
    'SELECT GrainId, ReminderName, StartTime, Period, Version
     FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId
       AND GrainHash > @BeginHash
       AND GrainHash <= @EndHash;'
),
(
    'ReadRangeRows2Key',
    'SELECT GrainId, ReminderName, StartTime, Period, Version
     FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId
       AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);'
),
(
    -- Must answer with exactly one boolean row: whether the row with that version was deleted.
    'DeleteReminderRowKey',
    'DELETE FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId
       AND GrainId = @GrainId
       AND ReminderName = @ReminderName
       AND Version = @Version;
     SELECT changes() > 0;'
),
(
    'DeleteReminderRowsKey',
    'DELETE FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId;'
)
ON CONFLICT (QueryKey) DO UPDATE
    SET QueryText = excluded.QueryText;

INSERT INTO agrichain_schema_version (version, script)
VALUES (3, '003-reminders.sql')
ON CONFLICT (version) DO UPDATE
    SET script = excluded.script,
        last_applied_utc = CURRENT_TIMESTAMP;
