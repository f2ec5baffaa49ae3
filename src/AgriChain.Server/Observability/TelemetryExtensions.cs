using AgriChain.Grains.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AgriChain.Server.Observability;

public static class TelemetryExtensions
{
    /// <summary>
    /// Metrics (ASP.NET Core, runtime, Orleans, AgriChain), scraped as Prometheus text at <c>/metrics</c>; when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, metrics and traces (ASP.NET Core, HttpClient, Orleans grain calls,
    /// AgriChain) are also exported over OTLP.
    /// </summary>
    public static WebApplicationBuilder AddAgriChainTelemetry(this WebApplicationBuilder builder)
    {
        var exportsOverOtlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("agrichain"))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Microsoft.Orleans", AgriChainInstruments.MeterName)
                .AddPrometheusExporter());

        if (exportsOverOtlp)
        {
            // Traces have no reader but OTLP: without one, recording a span for every request and grain call would
            // only cost CPU on the ingest path.
            otel.WithTracing(t => t
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddSource("Microsoft.Orleans.Application", AgriChainInstruments.ActivitySourceName));
            otel.UseOtlpExporter();
        }

        return builder;
    }
}
