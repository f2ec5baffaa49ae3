using System.Text.Json;
using AgriChain.Contracts.Notifications;
using AgriChain.Domain.Common;
using AgriChain.Domain.Notifications;
using AgriChain.Grains.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace AgriChain.Grains.Tests.Notifications;

/// <summary>Every notification type that crosses a grain boundary or lives in grain state survives the Orleans serializer.</summary>
[Collection(NotificationClusterCollection.Name)]
public sealed class NotificationSerializationTests(NotificationClusterFixture fixture)
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 8, 30, 0, TimeSpan.FromHours(8));
    private static readonly Notification Sample = new("alert-1:opened", "alert.opened", At, """{"id":"alert-1"}""", "温室 Greenhouse");
    private static readonly WebhookSpec Spec = new("https://example.org/hook", "whsec-0123456789ab", WebhookKind.WeCom);
    private static readonly WebhookProgress Progress = new(7, 2, At.AddSeconds(20), At, At.AddSeconds(1), "http 503", 6, 1);

    public static TheoryData<object> Values() =>
    [
        Sample,
        NotificationOwner.Buyer("fresh-mart"),
        Spec,
        Progress,
        new OutboxEntry(8, At, Sample),
        new RememberedNotification("alert-1:opened", At),
        new WebhookRecord("ops", Spec, At, At.AddDays(1), Progress),
        new WebhookView("ops", Spec.Url, Spec.Kind, At, At, 3, Progress),
        new OutboxStatus(3, 10, [new WebhookView("ops", Spec.Url, Spec.Kind, At, At, 3, Progress)]),
        new LiveAlert(Sample, "xibeizhuang", "xbz-park"),
        new UpsertResult<WebhookView>(UpsertOutcome.Created, new WebhookView("ops", Spec.Url, Spec.Kind, At, At, 0, Progress)),
        new NotificationOutboxState
        {
            LastSequence = 8,
            Webhooks = [new WebhookRecord("ops", Spec, At, At, Progress)],
            Pending = [new OutboxEntry(8, At, Sample)],
            Remembered = [new RememberedNotification("alert-1:opened", At)],
        },
    ];

    [Theory]
    [MemberData(nameof(Values))]
    public void RoundTrip_PreservesValue(object value)
    {
        var serializer = fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();
        var copy = serializer.Deserialize<object>(serializer.SerializeToArray(value));

        Assert.NotNull(copy);
        Assert.Equal(value.GetType(), copy.GetType());
        Assert.Equal(JsonSerializer.Serialize(value, value.GetType()), JsonSerializer.Serialize(copy, copy.GetType()));
    }
}
