using Microsoft.Extensions.Options;

namespace AgriChain.Storage;

/// <summary>Checks <see cref="StorageOptions"/> at start; every message names the configuration key at fault.</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        if (!StorageOptions.TryParseProvider(options.Provider, out var provider))
        {
            return ValidateOptionsResult.Fail(
                $"{StorageOptions.SectionName}:{nameof(StorageOptions.Provider)} must be Sqlite or PostgreSql (was '{options.Provider}')");
        }

        if (provider == StorageProvider.PostgreSql && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail(
                $"{StorageOptions.SectionName}:{nameof(StorageOptions.ConnectionString)} is required when {StorageOptions.SectionName}:{nameof(StorageOptions.Provider)} is PostgreSql");
        }

        if (!string.IsNullOrWhiteSpace(options.ConnectionString)
            && !ConnectionStrings.TryParse(provider, options.ConnectionString, out var problem))
        {
            return ValidateOptionsResult.Fail(
                $"{StorageOptions.SectionName}:{nameof(StorageOptions.ConnectionString)} is not a valid {provider} connection string: {problem}");
        }

        if (provider == StorageProvider.Sqlite
            && !string.IsNullOrWhiteSpace(options.ConnectionString)
            && ConnectionStrings.IsInMemorySqlite(options.ConnectionString))
        {
            // The gated data source opens a fresh connection per operation, and an in-memory database dies with it.
            return ValidateOptionsResult.Fail(
                $"{StorageOptions.SectionName}:{nameof(StorageOptions.ConnectionString)} must name a database file when {StorageOptions.SectionName}:{nameof(StorageOptions.Provider)} is Sqlite (in-memory databases are not supported)");
        }

        return ValidateOptionsResult.Success;
    }
}
