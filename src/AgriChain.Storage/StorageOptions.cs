namespace AgriChain.Storage;

/// <summary>
/// Where AgriChain keeps its data. Bound from the <c>Storage</c> configuration section, for example
/// <c>--Storage:Provider=PostgreSql</c> or the environment variable <c>Storage__ConnectionString</c>.
/// </summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "Storage";

    /// <summary>The connection string used for SQLite when none is configured.</summary>
    public const string DefaultSqliteConnectionString = "Data Source=data/agrichain.db";

    /// <summary>
    /// <c>Sqlite</c> or <c>PostgreSql</c>, compared without regard to case. Default: <c>Sqlite</c>.
    /// </summary>
    public string Provider { get; set; } = nameof(StorageProvider.Sqlite);

    /// <summary>
    /// The ADO.NET connection string. For SQLite it defaults to <see cref="DefaultSqliteConnectionString"/>, a file
    /// under <c>./data</c> relative to the current directory, created on first start. Required for PostgreSQL.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Whether the host applies the schema scripts (deploy/sql) when the silo starts. They are idempotent.
    /// Default: <see langword="true"/>.
    /// </summary>
    public bool ApplySchema { get; set; } = true;

    /// <summary>Reads <paramref name="value"/> as a provider name: exactly one of the enum's names, any case.</summary>
    public static bool TryParseProvider(string? value, out StorageProvider provider)
    {
        foreach (var candidate in Enum.GetValues<StorageProvider>())
        {
            if (string.Equals(value?.Trim(), candidate.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                provider = candidate;
                return true;
            }
        }

        provider = default;
        return false;
    }
}
