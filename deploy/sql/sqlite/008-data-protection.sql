-- AgriChain schema for SQLite, script 008: the web pages' Data Protection key ring.
--
-- ASP.NET Core Data Protection encrypts the web session cookie and the antiforgery tokens with the keys of this
-- table, so that a host restarted on the same file still accepts the cookies and forms it issued. One row per XML
-- element the key manager stores (a key, or a revocation), by the friendly name it gives it ('key-<guid>'). Rows are
-- only ever added: an element stored again under a name already present leaves the stored one as it is. xml is the
-- element as Data Protection wrote it, master key included, unencrypted: whoever can read this table can forge and
-- read sessions, so the database file is as sensitive as the keys. stored_at_us is UTC unix microseconds.

CREATE TABLE IF NOT EXISTS agrichain_data_protection_keys
(
    friendly_name TEXT    NOT NULL PRIMARY KEY,
    xml           TEXT    NOT NULL,
    stored_at_us  INTEGER NOT NULL
);

INSERT INTO agrichain_schema_version (version, script)
VALUES (8, '008-data-protection.sql')
ON CONFLICT (version) DO UPDATE
    SET script = excluded.script,
        last_applied_utc = CURRENT_TIMESTAMP;
