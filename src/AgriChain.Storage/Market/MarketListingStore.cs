using System.Data;
using System.Data.Common;
using AgriChain.Contracts.Market;
using static AgriChain.Storage.StoreParameters;

namespace AgriChain.Storage.Market;

/// <summary>
/// <see cref="IMarketListings"/> on <see cref="AgriChainDatabase"/>: table <c>agrichain_market_listings</c> (script 009),
/// paged newest first by creation time and item id, with <see cref="KeysetPageToken"/> tokens.
/// </summary>
public sealed class MarketListingStore : IMarketListings
{
    /// <summary>The largest page a query may ask for.</summary>
    public const int MaxLimit = 1_000;

    private const int MaxTokenLength = 512;

    private readonly AgriChainDatabase _database;
    private readonly bool _sqlite;
    private readonly string _insertSql;
    private readonly string _firstPageSql;
    private readonly string _nextPageSql;

    public MarketListingStore(AgriChainDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _sqlite = database.Provider == StorageProvider.Sqlite;
        // SQLite keeps times as unix microseconds, PostgreSQL as timestamptz.
        var created = _sqlite ? "created_at_us" : "created_at";
        _insertSql = $"""
            INSERT INTO agrichain_market_listings (kind, owner_id, item_id, {created})
            VALUES (@kind, @owner, @item, @created)
            ON CONFLICT (kind, owner_id, item_id) DO NOTHING
            """;
        const string From = "FROM agrichain_market_listings WHERE kind = @kind AND owner_id = @owner";
        var order = $"ORDER BY {created} DESC, item_id DESC LIMIT @take";
        _firstPageSql = $"SELECT item_id, {created} {From} {order}";
        _nextPageSql = $"SELECT item_id, {created} {From} AND ({created} < @after OR ({created} = @after AND item_id < @afterId)) {order}";
    }

    /// <inheritdoc />
    public async Task AddAsync(MarketListingKind kind, string ownerId, string itemId, DateTimeOffset createdAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(ownerId);
        ArgumentException.ThrowIfNullOrEmpty(itemId);
        var connection = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = _insertSql;
                AddText(command, "kind", Name(kind));
                AddText(command, "owner", ownerId);
                AddText(command, "item", itemId);
                AddTime(command, "created", createdAt, _sqlite);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async Task<MarketListingPage> ListAsync(MarketListingKind kind, string ownerId, string? pageToken, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(ownerId);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);
        (long Time, string Id)? after = pageToken is null ? null : KeysetPageToken.Decode(pageToken, MaxTokenLength);

        var ids = new List<string>(limit);
        long lastTime = 0;
        var more = false;
        var connection = await _database.ReadDataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = after is null ? _firstPageSql : _nextPageSql;
                AddText(command, "kind", Name(kind));
                AddText(command, "owner", ownerId);
                var take = command.CreateParameter();
                take.ParameterName = "take";
                take.DbType = DbType.Int32;
                take.Value = limit + 1;
                command.Parameters.Add(take);
                if (after is { } point)
                {
                    AddTime(command, "after", UtcTime.FromUnixMicroseconds(point.Time), _sqlite);
                    AddText(command, "afterId", point.Id);
                }

                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        if (ids.Count == limit)
                        {
                            more = true;
                            break;
                        }

                        ids.Add(reader.GetString(0));
                        lastTime = _sqlite ? reader.GetInt64(1) : UtcTime.ToUnixMicroseconds(UtcTime.FromUtcDateTime(reader.GetDateTime(1)));
                    }
                }
            }
        }

        return new MarketListingPage(ids, more ? KeysetPageToken.Encode(lastTime, ids[^1]) : null);
    }

    private static string Name(MarketListingKind kind) => kind switch
    {
        MarketListingKind.Offer => "offer",
        MarketListingKind.Demand => "demand",
        MarketListingKind.Watch => "watch",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
