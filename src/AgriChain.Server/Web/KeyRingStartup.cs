using System.Globalization;
using AgriChain.Storage;
using Microsoft.AspNetCore.DataProtection.KeyManagement.Internal;

namespace AgriChain.Server.Web;

/// <summary>
/// Loads the web pages' key ring from the database while the silo starts: after the schema is applied (an earlier
/// stage) and before the HTTP server takes requests (it starts only once the silo has), creating the first key when
/// the database has none. On PostgreSQL this runs under an advisory lock, so silos starting together on a new
/// database agree on one key instead of each making its own: a silo that cached only its own key would refuse the
/// others' cookies until its next refresh (a day later), Data Protection re-reading keys it does not know only in
/// the first two minutes after start. A table missing here (scripts not applied) stops the start, naming the script.
/// </summary>
internal sealed class KeyRingStartup(IKeyRingProvider keyRing, AgriChainDatabase database) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The advisory-lock key that serialises key ring creation across silos (ASCII "AgriKeys").</summary>
    private const long KeyRingLockKey = 0x41677269_4B657973;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(KeyRingStartup), ServiceLifecycleStage.ApplicationServices, LoadAsync);

    /// <summary>Loads the key ring, making its first key when there is none (under the lock on PostgreSQL).</summary>
    internal async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (database.Provider != StorageProvider.PostgreSql)
        {
            // One host per SQLite file: nobody to agree with.
            keyRing.GetCurrentKeyRing();
            return;
        }

        // The lock is held by this transaction's connection; the repository reads and writes on others of the pool,
        // committing each, so the next silo to get the lock sees the key this one made.
        var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using (connection)
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (transaction)
            {
                var command = connection.CreateCommand();
                await using (command)
                {
                    command.Transaction = transaction;
                    command.CommandText = $"SELECT pg_advisory_xact_lock({KeyRingLockKey.ToString(CultureInfo.InvariantCulture)})";
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }

                keyRing.GetCurrentKeyRing();
                await transaction.CommitAsync(cancellationToken);
            }
        }
    }
}
