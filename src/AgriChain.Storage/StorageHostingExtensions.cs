using System.Data.Common;
using AgriChain.Contracts.Greenhouses;
using AgriChain.Storage.Greenhouses;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace AgriChain.Storage;

/// <summary>Wires <see cref="AgriChainDatabase"/> into a host and Orleans' ADO.NET providers into a silo.</summary>
public static class StorageHostingExtensions
{
    /// <summary>
    /// The silo lifecycle stage at which the schema is applied: before <see cref="ServiceLifecycleStage.RuntimeInitialize"/>,
    /// so before membership, grain storage (<see cref="ServiceLifecycleStage.ApplicationServices"/>) and reminders
    /// initialise. Stores of the project's own that need the schema can start at any later stage.
    /// </summary>
    public const int SchemaLifecycleStage = ServiceLifecycleStage.RuntimeInitialize - 100;

    /// <summary>The Orleans ADO.NET provider that writes and clears grain state (on <see cref="AgriChainDatabase.DataSource"/>).</summary>
    public const string GrainStateWriterName = "agrichain-state-writer";

    /// <summary>The Orleans ADO.NET provider that reads grain state (on <see cref="AgriChainDatabase.ReadDataSource"/>).</summary>
    public const string GrainStateReaderName = "agrichain-state-reader";

    /// <summary>
    /// Binds <see cref="StorageOptions"/> from the <c>Storage</c> section, validates them at start and registers the
    /// <see cref="AgriChainDatabase"/> singleton. Calling it again changes nothing.
    /// </summary>
    public static IServiceCollection AddAgriChainStorage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(descriptor => descriptor.ServiceType == typeof(AgriChainDatabase)))
        {
            return services;
        }

        services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.AddSingleton(provider => new AgriChainDatabase(
            provider.GetRequiredService<IOptions<StorageOptions>>(),
            provider.GetRequiredService<ILogger<AgriChainDatabase>>()));
        return services;
    }

    /// <summary>
    /// Makes Orleans' ADO.NET grain storage the default grain storage (reading on <see cref="AgriChainDatabase.ReadDataSource"/>,
    /// writing on <see cref="AgriChainDatabase.DataSource"/>: <see cref="ReadWriteGrainStorage"/>) and the ADO.NET reminder
    /// table the reminder service, on <see cref="AgriChainDatabase.DataSource"/>, and applies the schema as the silo starts when
    /// <see cref="StorageOptions.ApplySchema"/> is set. Grain state is stored in Orleans' binary form
    /// (<see cref="GrainStateSerializer"/>; rows written as JSON by earlier versions are still read).
    /// Also calls <see cref="AddAgriChainStorage"/>, and registers the project's own stores as singletons on the same
    /// database: <see cref="IReadingStore"/> (<see cref="ReadingStore"/>, whose writer the silo stops after the grains,
    /// writing what is queued) and <see cref="IAlertJournal"/> (<see cref="AlertJournal"/>).
    /// </summary>
    public static ISiloBuilder UseAgriChainStorage(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddAgriChainStorage();
        silo.Services.TryAddEnumerable(
            ServiceDescriptor.Singleton<ILifecycleParticipant<ISiloLifecycle>, SchemaLifecycleParticipant>());
        AddStores(silo.Services);
        silo.Services.AddCollectionExpressionSafeGrainState();

        silo.Services.TryAddSingleton(provider => new GrainStateSerializer(
            provider.GetRequiredService<Serializer>(),
            new JsonGrainStorageSerializer(provider.GetRequiredService<OrleansJsonSerializer>())));
        AddGrainStorage(silo, GrainStateWriterName, database => database.DataSource);
        AddGrainStorage(silo, GrainStateReaderName, database => database.ReadDataSource);
        silo.Services.AddGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (services, _) => new ReadWriteGrainStorage(
            services.GetRequiredKeyedService<IGrainStorage>(GrainStateReaderName),
            services.GetRequiredKeyedService<IGrainStorage>(GrainStateWriterName)));

        silo.UseAdoNetReminderService(options => options.Configure<AgriChainDatabase>((reminders, database) =>
        {
            reminders.Invariant = database.Invariant;
            reminders.ConnectionString = null;
            reminders.DataSource = database.DataSource;
        }));

        return silo;
    }

    /// <summary>An Orleans ADO.NET grain storage provider named <paramref name="name"/> on one of the database's data sources.</summary>
    private static void AddGrainStorage(ISiloBuilder silo, string name, Func<AgriChainDatabase, DbDataSource> dataSource) =>
        silo.AddAdoNetGrainStorage(name, options => options.Configure<AgriChainDatabase, GrainStateSerializer>((storage, database, serializer) =>
        {
            storage.Invariant = database.Invariant;
            // Orleans wants exactly one of ConnectionString and DataSource; the data source carries the gate (or the reader limit).
            storage.ConnectionString = null;
            storage.DataSource = dataSource(database);
            storage.GrainStorageSerializer = serializer;
        }));

    private static void AddStores(IServiceCollection services)
    {
        services.AddOptions<ReadingStoreOptions>();
        services.TryAddSingleton(provider => new ReadingStore(
            provider.GetRequiredService<AgriChainDatabase>(),
            provider.GetRequiredService<IOptions<ReadingStoreOptions>>().Value,
            provider.GetRequiredService<ILogger<ReadingStore>>()));
        services.TryAddSingleton<IReadingStore>(provider => provider.GetRequiredService<ReadingStore>());
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<ILifecycleParticipant<ISiloLifecycle>, ReadingStoreLifecycleParticipant>());

        services.TryAddSingleton(provider => new AlertJournal(provider.GetRequiredService<AgriChainDatabase>()));
        services.TryAddSingleton<IAlertJournal>(provider => provider.GetRequiredService<AlertJournal>());
        services.TryAddSingleton<AgriChain.Contracts.Epcis.IEpcisEventStore>(provider => new Epcis.EpcisEventStore(provider.GetRequiredService<AgriChainDatabase>()));
        services.TryAddSingleton<AgriChain.Contracts.Market.IMarketListings>(provider => new Market.MarketListingStore(provider.GetRequiredService<AgriChainDatabase>()));
    }
}
