using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using AgriChain.Domain.Notifications;

namespace AgriChain.Grains.Notifications;

/// <summary>
/// Posts webhook requests over HTTP with <see cref="DeliveryPolicy.RequestTimeout"/> per attempt. The host passes
/// clients from <c>IHttpClientFactory</c> (a named client without redirects); tests pass a plain client.
/// </summary>
public sealed class HttpWebhookSender(Func<HttpClient> clients, TimeProvider time) : IWebhookSender
{
    public const string UserAgent = "AgriChain-Webhooks/1.0";

    /// <summary>Only the start of a receiver's answer is read: enough for a WeCom <c>errcode</c>.</summary>
    private const int MaxResponseBytes = 4096;

    public async Task<WebhookResponse> PostAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var timeout = new CancellationTokenSource(DeliveryPolicy.RequestTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Url)
        {
            Content = new ByteArrayContent(request.Body),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        message.Headers.UserAgent.ParseAdd(UserAgent);
        message.Headers.TryAddWithoutValidation(WebhookHeaders.Signature, request.Signature);
        message.Headers.TryAddWithoutValidation(WebhookHeaders.Event, request.EventType);
        message.Headers.TryAddWithoutValidation(WebhookHeaders.Delivery, request.DeliveryId);
        message.Headers.TryAddWithoutValidation(WebhookHeaders.Timestamp,
            request.AttemptedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));

        try
        {
            using var response = await clients().SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var body = await ReadStartAsync(response.Content, linked.Token);
            return new WebhookResponse((int)response.StatusCode, body, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return WebhookResponse.NoAnswer("timeout");
        }
        catch (HttpRequestException e)
        {
            return WebhookResponse.NoAnswer($"network {e.HttpRequestError}");
        }
    }

    /// <summary>The status line decides; a body cut short after it is read as no body rather than a failure.</summary>
    private static async Task<string?> ReadStartAsync(HttpContent content, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[MaxResponseBytes];
            var filled = 0;
            int read;
            while (filled < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0)
            {
                filled += read;
            }

            return Encoding.UTF8.GetString(buffer, 0, filled);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return null;
        }
    }
}
