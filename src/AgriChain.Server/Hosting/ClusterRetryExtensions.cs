namespace AgriChain.Server.Hosting;

/// <summary>Endpoint metadata: requests with these methods (all when none are named) are not retried after a silo failure.</summary>
public sealed class NoClusterRetryMetadata(IReadOnlyList<string> methods)
{
    public IReadOnlyList<string> Methods { get; } = methods;

    public bool Covers(string method) => Methods.Count == 0 || Methods.Any(m => string.Equals(m, method, StringComparison.OrdinalIgnoreCase));
}

public static class ClusterRetryExtensions
{
    /// <summary>Registers what <see cref="UseAgriChainClusterRetry"/> needs.</summary>
    public static IServiceCollection AddAgriChainClusterRetry(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddSingleton<ClusterRetryInstruments>();
        return services;
    }

    /// <summary>
    /// Retries idempotent requests whose grain call met a silo failure, within <c>Cluster:Retry:Deadline</c>, then
    /// answers 503 with <c>Retry-After</c>. Place it after authentication and authorization, so that only the
    /// endpoint runs again.
    /// </summary>
    public static IApplicationBuilder UseAgriChainClusterRetry(this IApplicationBuilder app) =>
        app.UseMiddleware<ClusterRetryMiddleware>();

    /// <summary>
    /// Marks endpoints whose requests are not safe to repeat (for example one whose server picks a new id each time),
    /// for the given methods or, when none are named, for all: a silo failure then answers 500 at once.
    /// </summary>
    public static TBuilder WithoutClusterRetry<TBuilder>(this TBuilder builder, params string[] methods)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new NoClusterRetryMetadata(methods));
}
