using Microsoft.Data.Sqlite;

namespace AgriChain.Server.Demo;

public static class DemoSetup
{
    /// <summary>
    /// Decides, before the database is opened, whether this start seeds the demo season: <c>Demo:Seed</c> (true by
    /// default in Development) on a SQLite file that does not exist yet, or <c>--demo</c> anywhere but Production.
    /// </summary>
    public static WebApplicationBuilder AddAgriChainDemo(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(DemoOptions.SectionName).Get<DemoOptions>() ?? new DemoOptions();
        var plan = Decide(options, builder.Environment.EnvironmentName, () => IsNewSqliteDatabase(builder.Configuration));

        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.SectionName);
        builder.Services.AddSingleton(plan);
        builder.Services.AddSingleton<DemoSeeder>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<DemoSeeder>());
        return builder;
    }

    /// <summary>The rules: never in Production; <c>--demo</c> always elsewhere; otherwise <c>Demo:Seed</c> on a new database.</summary>
    internal static DemoPlan Decide(DemoOptions options, string environmentName, Func<bool> isNewDatabase)
    {
        var development = string.Equals(environmentName, Environments.Development, StringComparison.OrdinalIgnoreCase);
        var seedWanted = options.Seed ?? development;
        return string.Equals(environmentName, Environments.Production, StringComparison.OrdinalIgnoreCase) ? new DemoPlan(false, false, "off")
            : options.Force ? new DemoPlan(true, options.Simulate ?? true, "--demo")
            : !seedWanted ? new DemoPlan(false, options.Simulate ?? false, "off")
            : isNewDatabase() ? new DemoPlan(true, options.Simulate ?? true, "new database")
            : new DemoPlan(false, options.Simulate ?? true, "existing database");
    }

    /// <summary>True when storage is the embedded SQLite file and that file is not there yet (this start creates it).</summary>
    internal static bool IsNewSqliteDatabase(IConfiguration configuration)
    {
        var provider = configuration["Storage:Provider"] ?? "Sqlite";
        if (!string.Equals(provider, "Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            var connection = new SqliteConnectionStringBuilder(configuration["Storage:ConnectionString"] ?? "Data Source=data/agrichain.db");
            var source = connection.DataSource;
            if (string.IsNullOrWhiteSpace(source) || source == ":memory:" || connection.Mode == SqliteOpenMode.Memory)
            {
                return true;
            }

            // The storage layer resolves the same relative path against the current directory.
            return !source.StartsWith("file:", StringComparison.OrdinalIgnoreCase) && !File.Exists(Path.GetFullPath(source));
        }
        catch (ArgumentException)
        {
            // The storage layer reports a malformed connection string, naming the key.
            return false;
        }
    }
}
