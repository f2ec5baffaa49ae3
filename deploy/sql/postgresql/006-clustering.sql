-- AgriChain schema for PostgreSQL, script 006: Orleans cluster membership (ADO.NET clustering, Cluster:Mode=AdoNet).
--
-- The silos of one cluster (DeploymentId = Cluster:ClusterId) find and watch each other through two tables:
--   * OrleansMembershipVersionTable: one row per cluster whose Version is the table's ETag. Every change of
--     membership (a silo joins, is suspected, becomes active, shuts down, is declared dead) is a conditional write:
--     it succeeds only when the version the silo last read is still current, and it raises the version by one in
--     the same statement. A silo whose write fails reads the table again and retries.
--   * OrleansMembershipTable: one row per silo incarnation (address, port, generation = start ticks). Status is
--     Orleans' SiloStatus number: 1 Created, 2 Joining, 3 Active, 4 ShuttingDown, 5 Stopping, 6 Dead. SuspectTimes
--     holds the votes of silos that suspect this one ("address,time|address,time"). IAmAliveTime is a heartbeat
--     that silos write without touching the version.
--
-- How the conditional writes stay atomic: each is one statement whose first part locks the cluster's version row
-- only if it still has the expected version (SELECT ... FOR UPDATE: a concurrent writer that bumped it first makes
-- this part come back empty, so nothing else happens), whose second part inserts or updates the silo's row, and
-- whose third part raises the version only if the second part changed a row. The statement answers one boolean:
-- true when both happened. Holding the version row's lock serialises membership changes of one cluster, which are
-- rare (joins, failures), while heartbeats only lock their own silo's row.
--
-- Every parameter is cast, as in 002: Npgsql cannot always infer a type for a NULL parameter. Parameters Orleans
-- sends but a query does not need are ignored. Reads return the version row left-joined to the silo rows, so a
-- cluster without silos still yields its version.

CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId text        NOT NULL PRIMARY KEY,
    Timestamp    timestamptz NOT NULL DEFAULT now(),
    Version      integer     NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId text        NOT NULL,
    Address      text        NOT NULL,
    Port         integer     NOT NULL,
    Generation   integer     NOT NULL,
    SiloName     text        NOT NULL,
    HostName     text        NOT NULL,
    Status       integer     NOT NULL,
    ProxyPort    integer     NOT NULL DEFAULT 0,
    SuspectTimes text        NULL,
    StartTime    timestamptz NOT NULL,
    IAmAliveTime timestamptz NOT NULL,
    CONSTRAINT PK_OrleansMembershipTable PRIMARY KEY (DeploymentId, Address, Port, Generation)
);

-- Query texts are SQL string literals: a quote inside a query is written twice.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    -- Called by every silo as it starts: creates the cluster's version row once. Answers whether it was created.
    'InsertMembershipVersionKey',
    'WITH created AS
     (
         INSERT INTO OrleansMembershipVersionTable (DeploymentId, Timestamp, Version)
         VALUES (@DeploymentId::text, now(), 0)
         ON CONFLICT (DeploymentId) DO NOTHING
         RETURNING Version
     )
     SELECT EXISTS (SELECT 1 FROM created)'
),
(
    -- A silo announces itself. @Version is the table version the silo read; a stale one, or a row that exists
    -- already, changes nothing and answers false.
    'InsertMembershipKey',
    'WITH expected AS MATERIALIZED
     (
         SELECT DeploymentId
         FROM OrleansMembershipVersionTable
         WHERE DeploymentId = @DeploymentId::text
           AND Version = @Version::integer
         FOR UPDATE
     ),
     inserted AS
     (
         INSERT INTO OrleansMembershipTable
             (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, SuspectTimes, StartTime, IAmAliveTime)
         SELECT expected.DeploymentId, @Address::text, @Port::integer, @Generation::integer,
                COALESCE(@SiloName::text, ''''), COALESCE(@HostName::text, ''''), @Status::integer,
                COALESCE(@ProxyPort::integer, 0), NULL, @StartTime::timestamptz, @IAmAliveTime::timestamptz
         FROM expected
         ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING
         RETURNING DeploymentId
     ),
     bumped AS
     (
         UPDATE OrleansMembershipVersionTable AS v
         SET Version = v.Version + 1,
             Timestamp = now()
         FROM inserted
         WHERE v.DeploymentId = inserted.DeploymentId
         RETURNING v.Version
     )
     SELECT EXISTS (SELECT 1 FROM bumped)'
),
(
    -- A silo changes its own or another silo's status or suspicion votes, under the same version rule.
    'UpdateMembershipKey',
    'WITH expected AS MATERIALIZED
     (
         SELECT DeploymentId
         FROM OrleansMembershipVersionTable
         WHERE DeploymentId = @DeploymentId::text
           AND Version = @Version::integer
         FOR UPDATE
     ),
     updated AS
     (
         UPDATE OrleansMembershipTable AS m
         SET Status = @Status::integer,
             SuspectTimes = @SuspectTimes::text,
             IAmAliveTime = @IAmAliveTime::timestamptz
         FROM expected
         WHERE m.DeploymentId = expected.DeploymentId
           AND m.Address = @Address::text
           AND m.Port = @Port::integer
           AND m.Generation = @Generation::integer
         RETURNING m.DeploymentId
     ),
     bumped AS
     (
         UPDATE OrleansMembershipVersionTable AS v
         SET Version = v.Version + 1,
             Timestamp = now()
         FROM updated
         WHERE v.DeploymentId = updated.DeploymentId
         RETURNING v.Version
     )
     SELECT EXISTS (SELECT 1 FROM bumped)'
),
(
    -- The heartbeat: only the silo's own row, never the version (Orleans does not check its result).
    'UpdateIAmAlivetimeKey',
    'UPDATE OrleansMembershipTable
     SET IAmAliveTime = @IAmAliveTime::timestamptz
     WHERE DeploymentId = @DeploymentId::text
       AND Address = @Address::text
       AND Port = @Port::integer
       AND Generation = @Generation::integer'
),
(
    'MembershipReadRowKey',
    'SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
            m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
     FROM OrleansMembershipVersionTable AS v
     LEFT JOIN OrleansMembershipTable AS m
            ON m.DeploymentId = v.DeploymentId
           AND m.Address = @Address::text
           AND m.Port = @Port::integer
           AND m.Generation = @Generation::integer
     WHERE v.DeploymentId = @DeploymentId::text'
),
(
    'MembershipReadAllKey',
    'SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
            m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
     FROM OrleansMembershipVersionTable AS v
     LEFT JOIN OrleansMembershipTable AS m
            ON m.DeploymentId = v.DeploymentId
     WHERE v.DeploymentId = @DeploymentId::text'
),
(
    -- Where clients connect: the gateways of silos with the given status (Active), by address, gateway port and
    -- generation.
    'GatewaysQueryKey',
    'SELECT Address, ProxyPort, Generation
     FROM OrleansMembershipTable
     WHERE DeploymentId = @DeploymentId::text
       AND Status = @Status::integer
       AND ProxyPort > 0'
),
(
    -- Housekeeping: rows of dead silos whose last heartbeat is older than @IAmAliveTime.
    'CleanupDefunctSiloEntriesKey',
    'DELETE FROM OrleansMembershipTable
     WHERE DeploymentId = @DeploymentId::text
       AND Status = 6
       AND IAmAliveTime < @IAmAliveTime::timestamptz'
),
(
    -- Removes a whole cluster's membership (tests and tools; silos never call it in production).
    'DeleteMembershipTableEntriesKey',
    'WITH silos AS
     (
         DELETE FROM OrleansMembershipTable
         WHERE DeploymentId = @DeploymentId::text
     )
     DELETE FROM OrleansMembershipVersionTable
     WHERE DeploymentId = @DeploymentId::text'
)
ON CONFLICT (QueryKey) DO UPDATE
    SET QueryText = EXCLUDED.QueryText;

INSERT INTO agrichain_schema_version (version, script)
VALUES (6, '006-clustering.sql')
ON CONFLICT (version) DO UPDATE
    SET script = EXCLUDED.script,
        last_applied_utc = now();
