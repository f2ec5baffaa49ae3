using AgriChain.Grains.Diagnostics;
using AgriChain.Storage;
using Orleans.Dashboard;
using Microsoft.Extensions.Options;

namespace AgriChain.Server.Hosting;

public static class SiloHostingExtensions
{
    /// <summary>
    /// Co-hosts the Orleans silo: clustering per <c>Cluster:*</c>, grain storage and reminders per <c>Storage:*</c>,
    /// activity propagation across grain calls, and the dashboard. Invalid settings stop the host here, naming the key.
    /// </summary>
    public static WebApplicationBuilder AddAgriChainSilo(this WebApplicationBuilder builder)
    {
        var cluster = builder.Configuration.GetSection(AgriChainClusterOptions.SectionName).Get<AgriChainClusterOptions>()
            ?? new AgriChainClusterOptions();
        var validation = new AgriChainClusterOptionsValidator().Validate(null, cluster);
        if (validation.Failed)
        {
            throw new OptionsValidationException(AgriChainClusterOptions.SectionName, typeof(AgriChainClusterOptions), validation.Failures);
        }

        builder.Services.AddOptions<AgriChainClusterOptions>().BindConfiguration(AgriChainClusterOptions.SectionName);
        builder.Services.AddSingleton<IValidateOptions<AgriChainClusterOptions>, AgriChainClusterOptionsValidator>();
        builder.Services.AddAgriChainStorage();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AgriChainInstruments>();

        // SIGTERM: Kestrel stops accepting, drains in-flight requests, then the silo deactivates its grains.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId,
                clusterId: cluster.ClusterId);
            silo.UseAgriChainStorage();
            silo.AddActivityPropagation();
            silo.AddDashboard();
        });
        return builder;
    }
}
