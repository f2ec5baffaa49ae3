-- AgriChain schema for SQLite, script 006: cluster membership.
--
-- Nothing to create. An embedded host (Storage:Provider=Sqlite) is one silo with localhost clustering, which keeps
-- membership in memory; several silos (Cluster:Mode=AdoNet) share their membership table on PostgreSQL only, and
-- the host refuses Cluster:Mode=AdoNet with SQLite at start. The script exists so that script numbers mean the
-- same on both databases.

INSERT INTO agrichain_schema_version (version, script)
VALUES (6, '006-clustering.sql')
ON CONFLICT (version) DO UPDATE
    SET script = excluded.script,
        last_applied_utc = CURRENT_TIMESTAMP;
