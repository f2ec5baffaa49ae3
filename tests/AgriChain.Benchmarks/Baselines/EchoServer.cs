using AgriChain.Benchmarks.Infrastructure;
using AgriChain.Domain.Common;
using AgriChain.Domain.Greenhouses;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgriChain.Benchmarks.Baselines;

/// <summary>
/// The sensor-ingest baseline: AgriChain's readings endpoint with storage switched off, served by this program in a
/// process of its own (<c>--serve-echo</c>). Same route, same bearer-key check (a plain comparison, as for admin
/// keys), same JSON binding and <see cref="ReadingRules.Validate"/>, then the same two grain calls AgriChain makes
/// (look the greenhouse up, hand it the readings) to an in-memory greenhouse grain in a co-hosted silo that judges
/// them with the Domain's evaluator. Nothing is written anywhere.
/// </summary>
internal static class EchoServer
{
    public const string Argument = "--serve-echo";

    public static async Task<int> RunAsync(string[] args)
    {
        var urls = Value(args, "--urls") ?? "http://127.0.0.1:5099";
        var key = Value(args, "--admin-key") ?? throw new ArgumentException("--admin-key is required.");
        var expected = "Bearer " + key;

        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls(urls);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Orleans", LogLevel.Error);
        builder.UseOrleans(silo => silo.UseLocalhostClustering(Repository.FreePort(), Repository.FreePort()));
        var app = builder.Build();

        app.MapGet("/readyz", () => Results.Ok());
        app.MapPost("/api/v1/greenhouses/{id}/readings", async (string id, HttpRequest http, IGrainFactory grains) =>
        {
            if (!string.Equals(http.Headers.Authorization.ToString(), expected, StringComparison.Ordinal))
            {
                return Results.Unauthorized();
            }

            var greenhouse = grains.GetGrain<IEchoGreenhouseGrain>(id);
            if (!ResourceId.IsValid(id) || !await greenhouse.ExistsAsync())
            {
                return Results.NotFound();
            }

            var request = await http.ReadFromJsonAsync<EchoReadingsRequest>(http.HttpContext.RequestAborted);
            var errors = new FieldErrors();
            var readings = ReadingRules.Validate(request?.Readings, DateTimeOffset.UtcNow, errors);
            if (readings is null || !errors.IsEmpty)
            {
                return Results.BadRequest();
            }

            var result = await greenhouse.RecordAsync(readings);
            return Results.Ok(new EchoIngestResponse(result.Accepted, 0, result.OpenedAlerts, result.ClosedAlerts));
        });

        await app.RunAsync();
        return 0;
    }

    private static string? Value(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private sealed record EchoReadingsRequest(IReadOnlyList<RawReading?>? Readings);

    private sealed record EchoIngestResponse(int Accepted, int Duplicates, int OpenedAlerts, int ClosedAlerts);
}
