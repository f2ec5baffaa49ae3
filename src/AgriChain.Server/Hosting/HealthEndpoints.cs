using AgriChain.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace AgriChain.Server.Hosting;

public static class HealthEndpoints
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddAgriChainHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<SiloActiveCheck>("silo", tags: [ReadyTag])
            .AddCheck<StorageReachableCheck>("storage", tags: [ReadyTag]);
        return services;
    }

    /// <summary><c>/healthz</c>: the process answers; <c>/readyz</c>: the silo is active and storage answers. No key needed.</summary>
    public static IEndpointRouteBuilder MapAgriChainHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        routes.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) }).AllowAnonymous();
        return routes;
    }

    private sealed class SiloActiveCheck(ISiloStatusOracle oracle) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(oracle.CurrentStatus == SiloStatus.Active
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"Silo is {oracle.CurrentStatus}."));
    }

    private sealed class StorageReachableCheck(AgriChainDatabase database) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            await database.PingAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"{database.Provider} storage does not answer.");
    }
}
