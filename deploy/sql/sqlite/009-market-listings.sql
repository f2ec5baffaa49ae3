-- AgriChain schema for SQLite, script 009: which market offers, demands and watches belong to whom.
--
-- Offers, demands and watches live in their grains; this table lists them by owner (a cooperative's offers, a
-- buyer's demands and watches) for GET /api/v1/cooperatives/{id}/offers, /api/v1/buyers/{id}/demands and
-- /api/v1/buyers/{id}/watches, newest first. A row is added when the item is created and never changed
-- (adding it again changes nothing); the grain stays the
-- authority on what the item holds. kind is 'offer', 'demand' or 'watch'; created_at_us is UTC unix microseconds.

CREATE TABLE IF NOT EXISTS agrichain_market_listings
(
    kind          TEXT    NOT NULL,
    owner_id      TEXT    NOT NULL,
    item_id       TEXT    NOT NULL,
    created_at_us INTEGER NOT NULL,
    PRIMARY KEY (kind, owner_id, item_id)
);

CREATE INDEX IF NOT EXISTS ix_agrichain_market_listings_newest
    ON agrichain_market_listings (kind, owner_id, created_at_us DESC, item_id DESC);

INSERT INTO agrichain_schema_version (version, script)
VALUES (9, '009-market-listings.sql')
ON CONFLICT (version) DO UPDATE
    SET script = excluded.script,
        last_applied_utc = CURRENT_TIMESTAMP;
