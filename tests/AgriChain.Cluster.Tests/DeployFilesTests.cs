using System.Globalization;
using System.Text.RegularExpressions;
using AgriChain.Cluster.Tests.Infrastructure;
using AgriChain.Server.Hosting;
using AgriChain.Storage;
using Microsoft.Extensions.Configuration;
using Npgsql;
using YamlDotNet.RepresentationModel;

namespace AgriChain.Cluster.Tests;

/// <summary>
/// Docker is not available here, so the files under deploy/ are parsed and checked against each other and against
/// the host's own configuration rules; the topology they describe is proven with real processes by the other tests.
/// </summary>
public sealed partial class DeployFilesTests
{
    private const int HttpPort = 8080;
    private static readonly string[] Silos = ["silo1", "silo2", "silo3"];
    private static readonly string[] Severities = ["warning", "critical"];

    private static YamlMappingNode Compose => DeployFiles.Yaml("docker-compose.yml").Single();

    private static YamlNode Service(string name) => Compose.At("services", name);

    [Fact]
    public void Compose_RunsPostgreSqlThreeSilosACollectorPrometheusAndGrafana()
    {
        var services = Assert.IsType<YamlMappingNode>(Compose.At("services")).Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToHashSet();

        Assert.Equal(new HashSet<string?> { "postgres", "silo1", "silo2", "silo3", "otel-collector", "prometheus", "grafana" }, services);
        Assert.Equal("pg_isready -U agrichain -d agrichain", Service("postgres").Sequence("healthcheck", "test")[1].ToString());
    }

    [Theory]
    [InlineData("silo1")]
    [InlineData("silo2")]
    [InlineData("silo3")]
    public void ComposeSilo_PassesTheHostsConfigurationChecks_AsAClusterOnThePostgreSqlService(string name)
    {
        var silo = Service(name);
        var configuration = DeployFiles.AsConfiguration(silo.Map("environment"));
        AssertKnownKeys(configuration.Keys);
        var config = new ConfigurationBuilder().AddInMemoryCollection(configuration).Build();

        var cluster = SiloHostingExtensions.ReadClusterOptions(config);
        var membership = ClusterMembershipSettings.Read(config);
        var storage = config.GetSection(StorageOptions.SectionName).Get<StorageOptions>()!;

        Assert.True(cluster.IsAdoNet);
        Assert.Equal(name, cluster.AdvertisedAddress);
        Assert.Equal(name, silo.Scalar("hostname"));
        Assert.Equal(new Orleans.Configuration.ClusterMembershipOptions().ProbeTimeout, membership.ProbeTimeout);
        Assert.True(new StorageOptionsValidator().Validate(null, storage).Succeeded);
        var connection = new NpgsqlConnectionStringBuilder(storage.ConnectionString);
        var postgres = Service("postgres").Map("environment");
        Assert.Equal(("postgres", 5432, postgres["POSTGRES_DB"], postgres["POSTGRES_USER"]), (connection.Host, connection.Port, connection.Database, connection.Username));
        Assert.Contains("${POSTGRES_PASSWORD", silo.Map("environment")["Storage__ConnectionString"], StringComparison.Ordinal);
        Assert.Contains("${POSTGRES_PASSWORD", postgres["POSTGRES_PASSWORD"], StringComparison.Ordinal);
        Assert.Equal("service_healthy", silo.Scalar("depends_on", "postgres", "condition"));

        // HTTP on the port the image exposes, published on a host port of its own; silo and gateway ports as exposed.
        Assert.Equal($"http://+:{HttpPort.ToString(CultureInfo.InvariantCulture)}", configuration["ASPNETCORE_URLS"]);
        var published = Assert.Single(silo.Sequence("ports")).ToString().Split(':');
        Assert.Equal(HttpPort.ToString(CultureInfo.InvariantCulture), published[^1]);
        Assert.Equal(Dockerfile.Exposed, new[] { HttpPort, cluster.SiloPort, cluster.GatewayPort }.ToHashSet());

        // Longer than the host's 30 s shutdown timeout, so that a stop is a graceful hand-over.
        Assert.True(ParseSeconds(silo.Scalar("stop_grace_period")) > 30);

        // Telemetry goes to the collector's OTLP gRPC receiver.
        var otlp = new Uri(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]!);
        Assert.Equal("otel-collector", otlp.Host);
        Assert.EndsWith($":{otlp.Port.ToString(CultureInfo.InvariantCulture)}", Collector.Scalar("receivers", "otlp", "protocols", "grpc", "endpoint"), StringComparison.Ordinal);
    }

    [Fact]
    public void ComposeSilos_FormOneCluster_OnDistinctHostPorts()
    {
        var environments = Silos.Select(s => Service(s).Map("environment")).ToList();

        Assert.Single(environments.Select(e => (e["Cluster__ClusterId"], e["Cluster__ServiceId"], e["Storage__ConnectionString"], e["Auth__AdminKeys__0"])).Distinct());
        Assert.Equal(Silos.Length, Silos.Select(s => Service(s).Sequence("ports")[0].ToString().Split(':')[0]).Distinct().Count());
        Assert.Equal(Silos.Length, environments.Select(e => e["Cluster__AdvertisedAddress"]).Distinct().Count());
    }

    [Fact]
    public void ComposeVariables_AreAllInTheEnvironmentExample_AndMountedFilesExist()
    {
        var compose = DeployFiles.Text("docker-compose.yml");
        var example = DeployFiles.Text(".env.example").Split('\n')
            .Where(l => l.Contains('=', StringComparison.Ordinal) && !l.TrimStart().StartsWith('#'))
            .Select(l => l[..l.IndexOf('=', StringComparison.Ordinal)].Trim()).ToHashSet();

        var used = VariableReference().Matches(compose).Select(m => m.Groups["name"].Value).ToHashSet();
        Assert.NotEmpty(used);
        Assert.Subset(example, used);

        foreach (var service in Assert.IsType<YamlMappingNode>(Compose.At("services")).Children.Values)
        {
            foreach (var volume in service.Find("volumes") is YamlSequenceNode volumes ? volumes.Children : [])
            {
                var source = volume.ToString().Split(':')[0];
                if (source.StartsWith("./", StringComparison.Ordinal))
                {
                    Assert.True(Path.Exists(Repository.Deploy(source[2..])), $"{source} is mounted but missing under deploy/.");
                }
            }
        }

        Assert.Equal("..", Service("silo1").Scalar("build", "context"));
        Assert.Equal("deploy/Dockerfile", Service("silo1").Scalar("build", "dockerfile"));
    }

    [Fact]
    public void Prometheus_ScrapesTheCollector_EvaluatesTheAlertRules_AndGrafanaReadsPrometheus()
    {
        var prometheus = DeployFiles.Yaml("prometheus", "prometheus.yml").Single();
        var target = Assert.Single(Assert.Single(prometheus.Sequence("scrape_configs")).Sequence("static_configs")).Sequence("targets").Single().ToString();
        Assert.Equal($"otel-collector:{Collector.Scalar("exporters", "prometheus", "endpoint").Split(':')[^1]}", target);
        Assert.Contains("prometheus", Collector.Sequence("service", "pipelines", "metrics", "exporters").Select(n => n.ToString()));
        Assert.Equal("/etc/prometheus/alerts.yml", Assert.Single(prometheus.Sequence("rule_files")).ToString());
        Assert.Contains("./prometheus:/etc/prometheus:ro", Service("prometheus").Sequence("volumes").Select(v => v.ToString()));

        var datasource = Assert.Single(DeployFiles.Yaml("grafana", "provisioning", "datasources", "prometheus.yml").Single().Sequence("datasources"));
        Assert.Equal("http://prometheus:9090", datasource.Scalar("url"));
        Assert.Contains("9090:9090", Service("prometheus").Sequence("ports").Select(p => p.ToString()));
        var provider = Assert.Single(DeployFiles.Yaml("grafana", "provisioning", "dashboards", "agrichain.yml").Single().Sequence("providers"));
        Assert.Contains($"./grafana/dashboards:{provider.Scalar("options", "path")}:ro", Service("grafana").Sequence("volumes").Select(v => v.ToString()));

        var dashboard = DeployFiles.Json("grafana", "dashboards", "agrichain.json");
        var panels = dashboard.GetProperty("panels").EnumerateArray().Where(p => p.GetProperty("type").GetString() != "row").ToList();
        Assert.True(panels.Count >= 12);
        Assert.All(panels, p =>
        {
            Assert.Equal(datasource.Scalar("uid"), p.GetProperty("datasource").GetProperty("uid").GetString());
            Assert.All(p.GetProperty("targets").EnumerateArray(), t => Assert.NotEmpty(DeployFiles.MetricsIn(t.GetProperty("expr").GetString()!)));
        });
        Assert.Equal(panels.Count, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
    }

    [Fact]
    public void AlertRules_AreComplete_AndEachIsExplainedInTheRunbook()
    {
        var rules = DeployFiles.Yaml("prometheus", "alerts.yml").Single().Sequence("groups").SelectMany(g => g.Sequence("rules")).ToList();
        var runbook = DeployFiles.Text("README.md");

        Assert.True(rules.Count >= 8);
        Assert.Equal(rules.Count, rules.Select(r => r.Scalar("alert")).Distinct().Count());
        Assert.All(rules, rule =>
        {
            var name = rule.Scalar("alert");
            Assert.NotEmpty(DeployFiles.MetricsIn(rule.Scalar("expr")));
            Assert.Contains(rule.Scalar("labels", "severity"), Severities);
            Assert.NotEmpty(rule.Scalar("annotations", "summary"));
            Assert.NotEmpty(rule.Scalar("annotations", "description"));
            Assert.True(runbook.Contains($"`{name}`", StringComparison.Ordinal), $"deploy/README.md does not explain {name}.");
        });
    }

    [Fact]
    public void Kubernetes_ListsEveryManifest_InOneNamespace()
    {
        var kustomization = DeployFiles.Yaml("kubernetes", "kustomization.yaml").Single();
        var files = kustomization.Sequence("resources").Select(r => r.ToString()).ToList();
        var onDisk = Directory.GetFiles(Repository.Deploy("kubernetes"), "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml");

        Assert.Equal(onDisk.Order(StringComparer.Ordinal), files.Order(StringComparer.Ordinal));
        foreach (var resource in Manifests)
        {
            Assert.False(string.IsNullOrEmpty(resource.Scalar("apiVersion")));
            Assert.False(string.IsNullOrEmpty(resource.Scalar("metadata", "name")));
            if (resource.Scalar("kind") != "Namespace")
            {
                Assert.Equal(kustomization.Scalar("namespace"), resource.Scalar("metadata", "namespace"));
            }
        }

        Assert.Equal("agrichain-server", Assert.Single(kustomization.Sequence("images")).Scalar("name"));
        Assert.Equal("agrichain-server", Container.Scalar("image"));
    }

    [Fact]
    public void KubernetesDeployment_RunsSilosWithOrleansKubernetesHosting_ThatPassTheHostsChecks()
    {
        var deployment = Manifest("Deployment");
        var pod = deployment.At("spec", "template");
        var environment = Container.Sequence("env").ToDictionary(e => e.Scalar("name"), e => e);
        var values = environment.Where(e => e.Value.Find("value") is not null).ToDictionary(e => e.Key, e => e.Value.Scalar("value"));
        var configuration = DeployFiles.AsConfiguration(values);
        configuration["Storage:ConnectionString"] = SecretValue(environment["Storage__ConnectionString"]);
        configuration["Auth:AdminKeys:0"] = SecretValue(environment["Auth__AdminKeys__0"]);
        AssertKnownKeys(configuration.Keys.Where(k => !k.StartsWith("POD_", StringComparison.Ordinal)));
        var config = new ConfigurationBuilder().AddInMemoryCollection(configuration).Build();

        var cluster = SiloHostingExtensions.ReadClusterOptions(config);
        Assert.True(cluster.IsAdoNet && cluster.KubernetesHosting);
        Assert.Null(cluster.AdvertisedAddress);
        Assert.True(new StorageOptionsValidator().Validate(null, config.GetSection("Storage").Get<StorageOptions>()!).Succeeded);

        // Orleans' Kubernetes hosting reads the pod from these, and matches pods to the cluster by these labels.
        Assert.Equal("metadata.name", environment["POD_NAME"].Scalar("valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("metadata.namespace", environment["POD_NAMESPACE"].Scalar("valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("status.podIP", environment["POD_IP"].Scalar("valueFrom", "fieldRef", "fieldPath"));
        var labels = pod.Map("metadata", "labels");
        Assert.Equal((cluster.ClusterId, cluster.ServiceId), (labels["orleans/clusterId"], labels["orleans/serviceId"]));
        Assert.All(deployment.Map("spec", "selector", "matchLabels"), l => Assert.Equal(l.Value, labels[l.Key]));
        Assert.Equal(3, int.Parse(deployment.Scalar("spec", "replicas"), CultureInfo.InvariantCulture));

        // Ports: as the image exposes them and as the host is configured.
        var ports = Container.Sequence("ports").ToDictionary(p => p.Scalar("name"), p => int.Parse(p.Scalar("containerPort"), CultureInfo.InvariantCulture));
        Assert.Equal(new Dictionary<string, int> { ["http"] = HttpPort, ["silo"] = cluster.SiloPort, ["gateway"] = cluster.GatewayPort }, ports);
        Assert.Equal($"http://+:{HttpPort.ToString(CultureInfo.InvariantCulture)}", values["ASPNETCORE_URLS"]);
        Assert.Equal(Dockerfile.Exposed, ports.Values.ToHashSet());

        // Ready only when the silo is an active member and PostgreSQL answers; terminated gracefully.
        Assert.Equal(("/readyz", "http"), (Container.Scalar("readinessProbe", "httpGet", "path"), Container.Scalar("readinessProbe", "httpGet", "port")));
        Assert.Equal(("/healthz", "http"), (Container.Scalar("livenessProbe", "httpGet", "path"), Container.Scalar("livenessProbe", "httpGet", "port")));
        var preStop = Container.Sequence("lifecycle", "preStop", "exec", "command").Select(c => c.ToString()).ToList();
        Assert.Equal("sleep", preStop[0]);
        Assert.True(int.Parse(pod.Scalar("spec", "terminationGracePeriodSeconds"), CultureInfo.InvariantCulture) > 30 + int.Parse(preStop[1], CultureInfo.InvariantCulture));
        Assert.Equal("0", deployment.Scalar("spec", "strategy", "rollingUpdate", "maxUnavailable"));
    }

    [Fact]
    public void KubernetesSecretServiceAndRbac_MatchTheDeployment()
    {
        var pod = Manifest("Deployment").At("spec", "template");
        var secret = Manifest("Secret");
        foreach (var reference in Container.Sequence("env").Select(e => e.Find("valueFrom")?.Find("secretKeyRef")).OfType<YamlNode>())
        {
            Assert.Equal(secret.Scalar("metadata", "name"), reference.Scalar("name"));
            Assert.True(secret.Map("stringData").ContainsKey(reference.Scalar("key")), $"The secret has no key {reference.Scalar("key")}.");
        }

        var connection = new NpgsqlConnectionStringBuilder(secret.Map("stringData")["postgres-connection-string"]);
        Assert.False(string.IsNullOrEmpty(connection.Host));

        var service = Manifest("Service");
        var podLabels = pod.Map("metadata", "labels");
        Assert.All(service.Map("spec", "selector"), s => Assert.Equal(s.Value, podLabels[s.Key]));
        Assert.Equal("http", Assert.Single(service.Sequence("spec", "ports")).Scalar("targetPort"));
        Assert.All(Manifest("PodDisruptionBudget").Map("spec", "selector", "matchLabels"), s => Assert.Equal(s.Value, podLabels[s.Key]));

        var account = Manifest("ServiceAccount").Scalar("metadata", "name");
        Assert.Equal(account, pod.Scalar("spec", "serviceAccountName"));
        var role = Manifest("Role");
        var rule = Assert.Single(role.Sequence("rules"));
        Assert.Equal(["pods"], rule.Sequence("resources").Select(r => r.ToString()));
        Assert.Subset(rule.Sequence("verbs").Select(v => v.ToString()).ToHashSet(), new HashSet<string> { "get", "list", "watch", "patch" });
        var binding = Manifest("RoleBinding");
        Assert.Equal(role.Scalar("metadata", "name"), binding.Scalar("roleRef", "name"));
        Assert.Equal(account, Assert.Single(binding.Sequence("subjects")).Scalar("name"));
    }

    [Fact]
    public void Dockerfile_PublishesTheServer_WithTheSchemaScripts_OnTheRuntimeOfTheBuild()
    {
        var text = DeployFiles.Text("Dockerfile");
        var framework = Regex.Match(File.ReadAllText(Path.Combine(Repository.Root, "Directory.Build.props")), @"<TargetFramework>net(?<version>[\d.]+)</TargetFramework>").Groups["version"].Value;

        Assert.Contains($"FROM mcr.microsoft.com/dotnet/sdk:{framework} AS build", text, StringComparison.Ordinal);
        Assert.Contains($"FROM mcr.microsoft.com/dotnet/aspnet:{framework}", text, StringComparison.Ordinal);
        Assert.Contains("dotnet publish src/AgriChain.Server/AgriChain.Server.csproj", text, StringComparison.Ordinal);
        Assert.Contains("COPY deploy/sql/ deploy/sql/", text, StringComparison.Ordinal);
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"AgriChain.Server.dll\"]", text, StringComparison.Ordinal);
        foreach (Match copy in Regex.Matches(text, @"^COPY (?!--from)(?<sources>.+) \S+$", RegexOptions.Multiline))
        {
            foreach (var source in copy.Groups["sources"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                Assert.True(Path.Exists(Path.Combine(Repository.Root, source)), $"The Dockerfile copies {source}, which is not in the repository.");
            }
        }

        Assert.Contains("Cluster__SiloPort=11111", text, StringComparison.Ordinal);
        Assert.Contains("Cluster__GatewayPort=30000", text, StringComparison.Ordinal);
    }

    private static YamlNode Collector => DeployFiles.Yaml("otel-collector", "config.yaml").Single();

    private static IReadOnlyList<YamlMappingNode> Manifests =>
        DeployFiles.Yaml("kubernetes", "kustomization.yaml").Single().Sequence("resources")
            .SelectMany(r => DeployFiles.Yaml("kubernetes", r.ToString())).ToList();

    private static YamlMappingNode Manifest(string kind) => Assert.Single(Manifests, m => m.Scalar("kind") == kind);

    private static YamlNode Container => Assert.Single(Manifest("Deployment").Sequence("spec", "template", "spec", "containers"));

    private static string SecretValue(YamlNode variable)
    {
        var reference = variable.At("valueFrom", "secretKeyRef");
        return Manifest("Secret").Map("stringData")[reference.Scalar("key")];
    }

    /// <summary>Every key is one the host reads: a mistyped environment variable would otherwise be ignored silently.</summary>
    private static void AssertKnownKeys(IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            Assert.Matches(KnownKey(), key);
        }
    }

    private static double ParseSeconds(string duration) =>
        duration.EndsWith('s') ? double.Parse(duration[..^1], CultureInfo.InvariantCulture) : throw new FormatException(duration);

    [GeneratedRegex(@"^(Storage:(Provider|ConnectionString|ApplySchema)|Cluster:(Mode|SiloPort|GatewayPort|ClusterId|ServiceId|AdvertisedAddress|KubernetesHosting|Retry:(Deadline|RetryAfter)|Membership:\w+)|Auth:AdminKeys:\d+|ASPNETCORE_(URLS|ENVIRONMENT)|OTEL_[A-Z_]+)$")]
    private static partial Regex KnownKey();

    [GeneratedRegex(@"\$\{(?<name>[A-Z0-9_]+)")]
    private static partial Regex VariableReference();

    /// <summary>What the Dockerfile's EXPOSE line opens.</summary>
    private static class Dockerfile
    {
        public static HashSet<int> Exposed => Regex.Match(DeployFiles.Text("Dockerfile"), @"^EXPOSE (?<ports>[\d ]+)$", RegexOptions.Multiline)
            .Groups["ports"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToHashSet();
    }
}
