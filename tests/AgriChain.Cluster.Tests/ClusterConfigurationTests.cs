using AgriChain.Cluster.Tests.Infrastructure;
using AgriChain.Server.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace AgriChain.Cluster.Tests;

/// <summary>The Cluster:* keys: a wrong setting stops the host at start with a message naming the key.</summary>
public sealed class ClusterConfigurationTests
{
    private static readonly Dictionary<string, string?> PostgreSqlCluster = new()
    {
        ["Storage:Provider"] = "PostgreSql",
        ["Storage:ConnectionString"] = "Host=127.0.0.1;Database=agrichain;Username=agrichain",
        ["Cluster:Mode"] = "AdoNet",
    };

    [Fact]
    public void Defaults_AreOneLocalhostSilo_WithOrleansMembershipDefaults()
    {
        var cluster = SiloHostingExtensions.ReadClusterOptions(Configuration([]));
        var membership = ClusterMembershipSettings.Read(Configuration([]));
        var orleans = new ClusterMembershipOptions();

        Assert.True(cluster.IsLocalhost);
        Assert.Equal((11111, 30000, "agrichain", "agrichain", null, false), (cluster.SiloPort, cluster.GatewayPort, cluster.ClusterId, cluster.ServiceId, cluster.AdvertisedAddress, cluster.KubernetesHosting));
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5)), (cluster.Retry.Deadline, cluster.Retry.RetryAfter));
        Assert.Equal((orleans.ProbeTimeout, orleans.NumMissedProbesLimit, orleans.NumVotesForDeathDeclaration, orleans.TableRefreshTimeout, orleans.IAmAliveTablePublishTimeout),
            (membership.ProbeTimeout, membership.NumMissedProbesLimit, membership.NumVotesForDeathDeclaration, membership.TableRefreshTimeout, membership.IAmAliveTablePublishTimeout));
    }

    [Fact]
    public void AdoNetOnPostgreSql_WithFastMembership_IsAccepted()
    {
        var settings = new Dictionary<string, string?>(PostgreSqlCluster)
        {
            ["Cluster:AdvertisedAddress"] = "10.1.2.3",
            ["Cluster:KubernetesHosting"] = "true",
            ["Cluster:Retry:Deadline"] = "00:00:10",
        };
        foreach (var (key, value) in SiloCluster.FastMembership)
        {
            settings[key] = value;
        }

        var cluster = SiloHostingExtensions.ReadClusterOptions(Configuration(settings));
        var membership = ClusterMembershipSettings.Read(Configuration(settings));

        Assert.True(cluster.IsAdoNet);
        Assert.Equal(("10.1.2.3", true, TimeSpan.FromSeconds(10)), (cluster.AdvertisedAddress, cluster.KubernetesHosting, cluster.Retry.Deadline));
        Assert.Equal((TimeSpan.FromSeconds(1), 2, 1), (membership.ProbeTimeout, membership.NumMissedProbesLimit, membership.NumVotesForDeathDeclaration));
    }

    [Theory]
    [InlineData("Storage:Provider", "Cluster:Mode", "AdoNet")]
    [InlineData("Cluster:Mode", "Cluster:Mode", "Swarm")]
    [InlineData("Cluster:AdvertisedAddress", "Cluster:AdvertisedAddress", "10.0.0.9")]
    [InlineData("Cluster:KubernetesHosting", "Cluster:KubernetesHosting", "true")]
    [InlineData("Cluster:AdvertisedAdress", "Cluster:AdvertisedAdress", "10.0.0.9")]
    [InlineData("Cluster:Retry:Deadline", "Cluster:Retry:Deadline", "00:00:00")]
    [InlineData("Cluster:Retry:Budget", "Cluster:Retry:Budget", "3")]
    [InlineData("Cluster:GatewayPort", "Cluster:GatewayPort", "11111")]
    public void EmbeddedHostWithAWrongClusterSetting_FailsNamingTheKey(string namedKey, string key, string value)
    {
        var exception = Assert.Throws<OptionsValidationException>(() =>
            SiloHostingExtensions.ReadClusterOptions(Configuration(new Dictionary<string, string?> { [key] = value })));

        Assert.Contains(namedKey, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Cluster:AdvertisedAddress", "Cluster:AdvertisedAddress", "0.0.0.0")]
    [InlineData("Cluster:AdvertisedAddress", "Cluster:AdvertisedAddress", "not a host!")]
    [InlineData("Cluster:Retry:RetryAfter", "Cluster:Retry:RetryAfter", "00:00:00.500")]
    [InlineData("Cluster:SiloPort", "Cluster:SiloPort", "70000")]
    [InlineData("Cluster:ClusterId", "Cluster:ClusterId", " ")]
    public void ClusterWithAWrongSetting_FailsNamingTheKey(string namedKey, string key, string value)
    {
        var settings = new Dictionary<string, string?>(PostgreSqlCluster) { [key] = value };

        var exception = Assert.Throws<OptionsValidationException>(() => SiloHostingExtensions.ReadClusterOptions(Configuration(settings)));

        Assert.Contains(namedKey, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Cluster:Membership", "Cluster:Membership:ProbeTimeOut2", "00:00:01")]
    [InlineData("Cluster:Membership:ProbeTimeout", "Cluster:Membership:ProbeTimeout", "-00:00:01")]
    [InlineData("Cluster:Membership:NumMissedProbesLimit", "Cluster:Membership:NumMissedProbesLimit", "0")]
    [InlineData("Cluster:Membership:NumVotesForDeathDeclaration", "Cluster:Membership:NumVotesForDeathDeclaration", "11")]
    public void WrongMembershipSetting_FailsNamingTheKey(string namedKey, string key, string value)
    {
        var exception = Assert.Throws<OptionsValidationException>(() =>
            ClusterMembershipSettings.Read(Configuration(new Dictionary<string, string?> { [key] = value })));

        Assert.Contains(namedKey, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerProcess_AskedForAdoNetOnSqlite_ExitsNamingStorageProvider()
    {
        var directory = Directory.CreateTempSubdirectory("agrichain-config-").FullName;
        try
        {
            await using var silo = SiloProcess.Start("misconfigured", directory, new Dictionary<string, string>
            {
                ["Cluster:Mode"] = "AdoNet",
                ["Auth:AdminKeys:0"] = SiloCluster.AdminKey,
            });

            var exited = await Poll.UntilAsync(() => Task.FromResult(silo.HasExited), done => done, TimeSpan.FromSeconds(60),
                "the server to refuse to start", diagnostics: () => silo.OutputTail());

            Assert.True(exited);
            Assert.Contains("Storage:Provider=PostgreSql", silo.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}
