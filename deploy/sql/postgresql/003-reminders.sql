-- AgriChain schema for PostgreSQL, script 003: Orleans reminders (ADO.NET reminder table).
--
-- One row per (grain, reminder name). GrainHash is the grain's uniform hash as a signed 32-bit integer; the reminder
-- service asks for hash ranges (BeginHash, EndHash], and for a range that wraps past the top of the signed order it
-- asks with the OR form (ReadRangeRows2Key). Period is in milliseconds. Version is the reminder's ETag: an upsert
-- bumps it, a delete succeeds only with the current one. Every parameter is cast, as in 002.

CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    text        NOT NULL,
    GrainId      text        NOT NULL,
    ReminderName text        NOT NULL,
    StartTime    timestamptz NOT NULL,
    Period       bigint      NOT NULL,
    GrainHash    integer     NOT NULL,
    Version      integer     NOT NULL,
    CONSTRAINT PK_OrleansRemindersTable PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

CREATE INDEX IF NOT EXISTS IX_OrleansRemindersTable_ServiceId_GrainHash
    ON OrleansRemindersTable (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'UpsertReminderRowKey',
    'INSERT INTO OrleansRemindersTable (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
     VALUES (@ServiceId::text, @GrainId::text, @ReminderName::text, @StartTime::timestamptz, @Period::bigint, @GrainHash::integer, 0)
     ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
         SET StartTime = EXCLUDED.StartTime,
             Period = EXCLUDED.Period,
             GrainHash = EXCLUDED.GrainHash,
             Version = OrleansRemindersTable.Version + 1
     RETURNING Version'
),
(
    'ReadReminderRowsKey',
    'SELECT GrainId, ReminderName, StartTime, Period, Version
     FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId::text
       AND GrainId = @GrainId::text'
),
(
    'ReadReminderRowKey',
    'SELECT GrainId, ReminderName, StartTime, Period, Version
     FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId::text
       AND GrainId = @GrainId::text
       AND ReminderName = @ReminderName::text'
),
(
    'ReadRangeRows1Key',
    'SELECT GrainId, ReminderName, StartTime, Period, Version
     FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId::text
       AND GrainHash > @BeginHash::integer
       AND GrainHash <= @EndHash::integer'
),
(
    'ReadRangeRows2Key',
    'SELECT GrainId, ReminderName, StartTime, Period, Version
     FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId::text
       AND (GrainHash > @BeginHash::integer OR GrainHash <= @EndHash::integer)'
),
(
    -- Must answer with exactly one boolean row: whether the row with that version was deleted.
    'DeleteReminderRowKey',
    'WITH deleted AS
     (
         DELETE FROM OrleansRemindersTable
         WHERE ServiceId = @ServiceId::text
           AND GrainId = @GrainId::text
           AND ReminderName = @ReminderName::text
           AND Version = @Version::integer
         RETURNING 1
     )
     SELECT EXISTS (SELECT 1 FROM deleted)'
),
(
    'DeleteReminderRowsKey',
    'DELETE FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId::text'
)
ON CONFLICT (QueryKey) DO UPDATE
    SET QueryText = EXCLUDED.QueryText;

INSERT INTO agrichain_schema_version (version, script)
VALUES (3, '003-reminders.sql')
ON CONFLICT (version) DO UPDATE
    SET script = EXCLUDED.script,
        last_applied_utc = now();
