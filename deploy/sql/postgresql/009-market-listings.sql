-- AgriChain schema for PostgreSQL, script 009: which market offers and demands belong to whom.
--
-- Offers and demands live in their grains; this table lists them by owner (a cooperative's offers, a buyer's
-- demands) for GET /api/v1/cooperatives/{id}/offers and /api/v1/buyers/{id}/demands, newest first. A row is added
-- when an offer or a demand is created and never changed (INSERT ... ON CONFLICT DO NOTHING); the grain stays the
-- authority on what the item holds. kind is 'offer' or 'demand'; ids compare byte-wise (COLLATE "C").

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
