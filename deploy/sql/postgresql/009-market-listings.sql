-- AgriChain schema for PostgreSQL, script 009: which market offers, demands and watches belong to whom.
--
-- Offers, demands and watches live in their grains; this table lists them by owner (a cooperative's offers, a
-- buyer's demands and watches) for GET /api/v1/cooperatives/{id}/offers, /api/v1/buyers/{id}/demands and
-- /api/v1/buyers/{id}/watches, newest first. A row is added when the item is created and never changed
-- (INSERT ... ON CONFLICT DO NOTHING); the grain stays the
-- authority on what the item holds. kind is 'offer', 'demand' or 'watch'; ids compare byte-wise (COLLATE "C").

CREATE TABLE IF NOT EXISTS agrichain_market_listings
(
    kind       text COLLATE "C" NOT NULL,
    owner_id   text COLLATE "C" NOT NULL,
    item_id    text COLLATE "C" NOT NULL,
    created_at timestamptz      NOT NULL,
    PRIMARY KEY (kind, owner_id, item_id)
);

CREATE INDEX IF NOT EXISTS ix_agrichain_market_listings_newest
    ON agrichain_market_listings (kind, owner_id, created_at DESC, item_id DESC);

INSERT INTO agrichain_schema_version (version, script)
VALUES (9, '009-market-listings.sql')
ON CONFLICT (version) DO UPDATE
    SET script = EXCLUDED.script,
        last_applied_utc = now();
