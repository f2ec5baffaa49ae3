-- AgriChain schema for PostgreSQL, script 008: the web pages' Data Protection key ring.
--
-- ASP.NET Core Data Protection encrypts the web session cookie and the antiforgery tokens with the keys of this
-- table. Every silo reads and adds keys here, so a cookie or a form issued by one silo is accepted by any other
-- behind the load balancer, and by a restarted one. One row per XML element the key manager stores (a key, or a
-- revocation), by the friendly name it gives it ('key-<guid>'). Rows are only ever added: an element stored again
-- under a name already present leaves the stored one as it is (INSERT ... ON CONFLICT DO NOTHING). xml is the
-- element as Data Protection wrote it, master key included, unencrypted: whoever can read this table can forge and
-- read sessions, so the database credentials protect the web sessions too. friendly_name compares byte-wise
-- (COLLATE "C").

CREATE TABLE IF NOT EXISTS agrichain_data_protection_keys
(
    friendly_name text COLLATE "C" NOT NULL PRIMARY KEY,
    xml           text             NOT NULL,
    stored_at     timestamptz      NOT NULL
);

INSERT INTO agrichain_schema_version (version, script)
VALUES (8, '008-data-protection.sql')
ON CONFLICT (version) DO UPDATE
    SET script = EXCLUDED.script,
        last_applied_utc = now();
