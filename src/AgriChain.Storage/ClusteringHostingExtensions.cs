using Microsoft.Extensions.Options;
using Orleans.Hosting;

namespace AgriChain.Storage;

/// <summary>Wires Orleans' ADO.NET clustering (the membership table) onto <see cref="AgriChainDatabase"/>.</summary>
public static class ClusteringHostingExtensions
{
    /// <summary>
    /// Makes Orleans' ADO.NET membership table the silo's clustering, on <see cref="AgriChainDatabase"/>'s data source
    /// (PostgreSQL: the tables and queries of <c>deploy/sql/postgresql/006-clustering.sql</c>, which the schema
    /// application writes before membership starts). The endpoints and cluster id are the host's to configure.
    /// </summary>
    /// <exception cref="OptionsValidationException">When the database is not PostgreSQL (at silo start).</exception>
    public static ISiloBuilder UseAgriChainAdoNetClustering(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddAgriChainStorage();
        silo.UseAdoNetClustering(options => options.Configure<AgriChainDatabase>((clustering, database) =>
        {
            if (database.Provider != StorageProvider.PostgreSql)
            {
                throw new OptionsValidationException(StorageOptions.SectionName, typeof(StorageOptions),
                    [$"ADO.NET clustering needs Storage:Provider=PostgreSql (was {database.Provider})."]);
            }

            clustering.Invariant = database.Invariant;
            // Orleans wants exactly one of ConnectionString and DataSource; the data source is shared with storage.
            clustering.ConnectionString = null;
            clustering.DataSource = database.DataSource;
        }));
        return silo;
    }
}
