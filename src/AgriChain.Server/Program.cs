using AgriChain.Server.Api;
using AgriChain.Server.Api.Access;
using AgriChain.Server.Api.Epcis;
using AgriChain.Server.Api.Greenhouses;
using AgriChain.Server.Api.MasterData;
using AgriChain.Server.Api.Processing;
using AgriChain.Server.Api.Traceability;
using AgriChain.Server.Api.Yields;
using AgriChain.Server.Auth;
using AgriChain.Server.Hosting;
using AgriChain.Server.Observability;
using AgriChain.Server.Demo;
using AgriChain.Server.Web;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;
using Scalar.AspNetCore;

try
{
    // Settings are read once at start. Reloading them on change would watch the content root recursively, and the
    // SQLite database under ./data would wake the watcher on every commit (measured: ~5 % of the server's CPU under
    // sensor ingest). A later --hostBuilder:reloadConfigOnChange=true turns it back on.
    var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. DemoOptions.ExpandSwitch(args)]);

    builder.AddAgriChainSilo();
    builder.AddAgriChainTelemetry();
    builder.Services.AddAgriChainProblemDetails();
    builder.Services.AddAgriChainAuth();
    builder.Services.AddAgriChainHealthChecks();
    builder.Services.AddAgriChainNotifications();
    builder.Services.AddOpenApi();
    builder.Services.AddSingleton<LineageReader>();
    builder.Services.AddSingleton<GreenhouseOwners>();
    builder.AddAgriChainWeb();
    builder.AddAgriChainDemo();

    var app = builder.Build();

    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.UseAuthentication();
    app.UseAuthorization();
    app.UseAgriChainWeb();
    app.UseAgriChainClusterRetry();

    app.MapAgriChainHealth();
    app.MapOpenApi().AllowAnonymous();
    app.MapScalarApiReference("/docs").AllowAnonymous();
    app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(Policies.Admin);
    app.MapOrleansDashboard(routePrefix: "/orleans").RequireAuthorization(Policies.Admin);

    app.MapApiKeyEndpoints().WithoutClusterRetry(HttpMethods.Post);
    app.MapCooperativeEndpoints();
    app.MapBuyerEndpoints();
    app.MapFarmEndpoints();
    app.MapGreenhouseEndpoints();
    app.MapCropProfileEndpoints();
    app.MapAlertEndpoints();
    app.MapBatchEndpoints();
    app.MapProcessingEndpoints();
    app.MapYieldEndpoints();
    app.MapNotificationEndpoints();
    app.MapCertificateEndpoints();
    app.MapPublicTraceEndpoints();
    app.MapAgriChainWeb();
    app.MapEpcisEndpoints();
    app.MapMarketEndpoints();

    app.Run();
    return 0;
}
catch (OptionsValidationException e)
{
    Console.Error.WriteLine($"AgriChain cannot start: {string.Join(" ", e.Failures)}");
    return 1;
}

/// <summary>The host's entry point, visible to the HTTP tests.</summary>
public partial class Program;
