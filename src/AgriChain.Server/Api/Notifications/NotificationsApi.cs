using AgriChain.Grains.Notifications;
using AgriChain.Server.Api.Notifications;
using Microsoft.Extensions.Options;

// In AgriChain.Server.Api, which Program already imports, so that wiring notifications costs Program two lines.
namespace AgriChain.Server.Api;

public static class NotificationsApi
{
    /// <summary>The named <c>IHttpClientFactory</c> client webhook deliveries go through.</summary>
    public const string WebhookClientName = "agrichain-webhooks";

    /// <summary>
    /// Webhook delivery and the live alert stream: the <c>IAlertPublisher</c> greenhouse grains use, this silo's alert
    /// feed, and a named HTTP client that does not follow redirects (a receiver's 3xx is a failed attempt).
    /// </summary>
    public static IServiceCollection AddAgriChainNotifications(this IServiceCollection services)
    {
        services.AddHttpClient(WebhookClientName, client =>
            {
                // Each attempt is cut at DeliveryPolicy.RequestTimeout by the sender; this is only a backstop.
                client.Timeout = TimeSpan.FromSeconds(30);
            })
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                // Checked as each connection opens, on the addresses the host resolves to then.
                ConnectCallback = provider.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivateNetworks
                    ? null
                    : (context, cancellationToken) => WebhookTargets.ConnectToPublicAddressAsync(context.DnsEndPoint, cancellationToken),
            });
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.SectionName);
        services.AddAgriChainNotificationServices(provider =>
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(WebhookClientName));
        return services;
    }

    /// <summary>Webhooks under cooperatives and buyers, and the alert stream.</summary>
    public static IEndpointRouteBuilder MapNotificationEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapCooperativeWebhookEndpoints();
        routes.MapBuyerWebhookEndpoints();
        routes.MapAlertStreamEndpoints();
        return routes;
    }
}
