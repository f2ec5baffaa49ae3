using AgriChain.Contracts.Greenhouses;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgriChain.Grains.Notifications;

public static class NotificationServiceCollectionExtensions
{
    /// <summary>
    /// What notifications need in a silo: the <see cref="IAlertPublisher"/> greenhouse grains inject, this silo's
    /// <see cref="AlertLiveFeed"/>, the webhook sender over the HTTP clients <paramref name="httpClient"/> hands out
    /// (the host passes a named <c>IHttpClientFactory</c> client), and the instruments. Needs a
    /// <see cref="TimeProvider"/> and reminders.
    /// </summary>
    public static IServiceCollection AddAgriChainNotificationServices(this IServiceCollection services,
        Func<IServiceProvider, HttpClient> httpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        services.TryAddSingleton<NotificationInstruments>();
        services.TryAddSingleton<IWebhookSender>(provider =>
            new HttpWebhookSender(() => httpClient(provider), provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<AlertLiveFeed>();
        services.TryAddSingleton<IAlertPublisher, AlertPublisher>();
        return services;
    }
}
