using AgriChain.Contracts.Notifications;
using AgriChain.Domain.Common;
using AgriChain.Domain.Notifications;
using Microsoft.Extensions.Logging;

namespace AgriChain.Grains.Notifications;

/// <summary>
/// One owner's outbox (<see cref="Outbox"/> holds the rules) and its delivery. Enqueueing, webhook changes and
/// delivery passes share the activation: passes run interleaved (<see cref="DeliverDueAsync"/> is always-interleave,
/// the timer too) so a receiver that takes ten seconds to time out never holds up a greenhouse publishing an alert.
/// Passes run one at a time, writes run one at a time, and every write stores a snapshot taken on the grain's
/// scheduler. A one-shot grain timer is armed for the next due webhook while the grain is active; a one-minute
/// reminder, registered only while something is queued, brings the grain back after a restart or a deactivation.
/// </summary>
[GrainType("notification-outbox")]
public sealed partial class NotificationOutboxGrain(
    [PersistentState("notification-outbox")] IPersistentState<NotificationOutboxState> state,
    IWebhookSender sender,
    TimeProvider time,
    NotificationInstruments instruments,
    ILogger<NotificationOutboxGrain> logger) : Grain, INotificationOutboxGrain, IRemindable
{
    public const string ReminderName = "deliver-notifications";
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    /// <summary>A pass sends a webhook at most this many notifications before giving the others a turn.</summary>
    public const int MaxDeliveriesPerPass = 100;

    /// <summary>A pass starts no new attempt after running this long; the timer picks up the rest.</summary>
    public static readonly TimeSpan MaxPassDuration = TimeSpan.FromSeconds(30);

    private readonly CoalescingRunner _passes = new();
    private readonly CoalescingRunner _writes = new();
    private Outbox _outbox = new();
    private IGrainTimer? _timer;
    private IGrainReminder? _reminder;
    private bool? _hasReminder;

    private string Owner => this.GetPrimaryKeyString();

    private string OwnerKind => NotificationOwner.TryParse(Owner, out var owner) ? owner.KindName : "unknown";

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stored = state.State;
        _outbox = new Outbox(stored.LastSequence, stored.Webhooks, stored.Pending, stored.Remembered);
        _timer = this.RegisterGrainTimer(OnTimerAsync,
            new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) { Interleave = true });
        if (_outbox.PendingCount > 0)
        {
            await EnsureReminderAsync();
            ArmTimer();
        }
    }

    public async Task<IReadOnlyList<string>> EnqueueAsync(IReadOnlyList<Notification> notifications)
    {
        ArgumentNullException.ThrowIfNull(notifications);
        var result = _outbox.Enqueue(notifications, time.GetUtcNow());
        if (result.Duplicates > 0)
        {
            instruments.Duplicates(OwnerKind, result.Duplicates);
        }

        if (result.Accepted.Count == 0)
        {
            return [];
        }

        await PersistAsync();
        instruments.Queued(OwnerKind, result.Accepted.Count);
        ReportDropped(result.Overflowed, "overflow");
        if (_outbox.PendingCount > 0)
        {
            await EnsureReminderAsync();
            ArmTimer();
        }

        return result.Accepted;
    }

    public async Task<UpsertResult<WebhookView>> PutWebhookAsync(string name, WebhookSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var result = _outbox.Put(name, spec, time.GetUtcNow());
        if (result.Value is not { } webhook)
        {
            return UpsertResult.Refused<WebhookView>(result.Outcome, result.Field!, result.Detail!);
        }

        if (result.Outcome is UpsertOutcome.Created or UpsertOutcome.Updated)
        {
            await PersistAsync();
            ArmTimer();
        }

        return new(result.Outcome, View(webhook));
    }

    public Task<IReadOnlyList<WebhookView>> ListWebhooksAsync() =>
        Task.FromResult<IReadOnlyList<WebhookView>>([.. _outbox.Webhooks.Select(View)]);

    public async Task<bool> DeleteWebhookAsync(string name)
    {
        if (!_outbox.Remove(name))
        {
            return false;
        }

        await PersistAsync();
        if (_outbox.PendingCount == 0)
        {
            await DropReminderAsync();
        }

        ArmTimer();
        return true;
    }

    public Task DeliverDueAsync() => _passes.RunAsync(DeliverPassAsync);

    public Task<OutboxStatus> GetStatusAsync() => Task.FromResult(new OutboxStatus(
        _outbox.PendingCount, _outbox.RememberedCount, [.. _outbox.Webhooks.Select(View)]));

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName)
        {
            return;
        }

        _hasReminder = true;
        if (_outbox.PendingCount == 0)
        {
            await DropReminderAsync();
            return;
        }

        ArmTimer();
    }

    private Task OnTimerAsync(CancellationToken cancellationToken) => _passes.RunAsync(DeliverPassAsync);

    private async Task DeliverPassAsync()
    {
        var started = time.GetUtcNow();
        var changed = ReportDropped(_outbox.Expire(started), "expired");
        var due = _outbox.Webhooks.Where(w => _outbox.IsDue(w, started)).ToList();
        if (due.Count > 0)
        {
            var deadline = started + MaxPassDuration;
            var progressed = await Task.WhenAll(due.Select(w => DeliverToAsync(w, deadline)));
            changed |= progressed.Any(p => p);
        }

        changed |= _outbox.Trim() > 0;
        if (changed)
        {
            await PersistAsync();
        }

        if (_outbox.PendingCount == 0)
        {
            await DropReminderAsync();
        }

        ArmTimer();
    }

    /// <summary>Sends one webhook its due notifications in order, stopping at the first failure.</summary>
    private async Task<bool> DeliverToAsync(Webhook webhook, DateTimeOffset deadline)
    {
        var changed = false;
        var kind = webhook.Spec.Kind.ToName();
        for (var attempts = 0; attempts < MaxDeliveriesPerPass; attempts++)
        {
            var now = time.GetUtcNow();
            if (now >= deadline || !_outbox.Owns(webhook) || _outbox.NextFor(webhook) is not { } entry)
            {
                break;
            }

            if (DeliveryPolicy.IsExpired(entry.QueuedAt, now))
            {
                _outbox.MarkDropped(webhook, entry);
                ReportDropped([new DroppedNotifications(webhook.Name, webhook.Spec.Kind, 1)], "expired");
                changed = true;
                continue;
            }

            var spec = webhook.Spec;
            var response = await SendAsync(webhook.Name, spec, entry.Notification, now);
            var verdict = response.Error is { } error
                ? DeliveryVerdict.Failed(error)
                : DeliveryPolicy.Judge(spec.Kind, response.StatusCode, response.Body);
            if (!_outbox.Owns(webhook))
            {
                break;
            }

            changed = true;
            var answeredAt = time.GetUtcNow();
            if (verdict.Delivered)
            {
                _outbox.MarkDelivered(webhook, entry, answeredAt);
                instruments.Delivered(kind);
                continue;
            }

            var failure = verdict.Failure ?? "failed";
            var retryIn = _outbox.MarkFailed(webhook, failure, answeredAt, Random.Shared.NextDouble());
            instruments.AttemptFailed(kind, ReasonOf(failure));
            LogAttemptFailed(logger, Owner, webhook.Name, entry.Notification.Id, failure,
                webhook.Progress.ConsecutiveFailures, retryIn);
            break;
        }

        return changed;
    }

    private async Task<WebhookResponse> SendAsync(string webhook, WebhookSpec spec, Notification notification, DateTimeOffset now)
    {
        try
        {
            var body = NotificationBodies.For(spec.Kind, notification);
            var request = new WebhookRequest(new Uri(spec.Url), body, WebhookSignature.Compute(body, spec.Secret),
                notification.Type, notification.Id, now);
            return await sender.PostAsync(request, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSendError(logger, e, Owner, webhook);
            return WebhookResponse.NoAnswer($"error {e.GetType().Name}");
        }
    }

    /// <summary>Arms the one-shot timer for the earliest due webhook, or disarms it when nothing waits.</summary>
    private void ArmTimer()
    {
        var now = time.GetUtcNow();
        if (_outbox.NextDueAt(now) is not { } due)
        {
            _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        var delay = due - now;
        _timer?.Change(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    private Task PersistAsync() => _writes.RunAsync(WriteAsync);

    private async Task WriteAsync()
    {
        state.State = new NotificationOutboxState
        {
            LastSequence = _outbox.LastSequence,
            Webhooks = _outbox.WebhookRecords(),
            Pending = _outbox.PendingEntries(),
            Remembered = _outbox.RememberedNotifications(),
        };
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            // The outbox in memory is now ahead of storage: start over from what is stored.
            LogWriteFailed(logger, e, Owner);
            this.DeactivateOnIdle();
            throw;
        }
    }

    private async Task EnsureReminderAsync()
    {
        if (_hasReminder == true)
        {
            return;
        }

        _reminder = await this.RegisterOrUpdateReminder(ReminderName, ReminderPeriod, ReminderPeriod);
        _hasReminder = true;
    }

    private async Task DropReminderAsync()
    {
        if (_hasReminder == false)
        {
            return;
        }

        _hasReminder = false;
        var reminder = _reminder ?? await this.GetReminder(ReminderName);
        _reminder = null;
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }

        if (_outbox.PendingCount > 0)
        {
            // Something was queued while the reminder was being removed.
            await EnsureReminderAsync();
        }
    }

    private bool ReportDropped(IReadOnlyList<DroppedNotifications> dropped, string reason)
    {
        foreach (var drop in dropped)
        {
            instruments.Dropped(drop.Kind.ToName(), reason, drop.Count);
            LogDropped(logger, Owner, drop.Webhook, drop.Count, reason);
        }

        return dropped.Count > 0;
    }

    private WebhookView View(Webhook webhook) => new(webhook.Name, webhook.Spec.Url, webhook.Spec.Kind,
        webhook.CreatedAt, webhook.UpdatedAt, _outbox.PendingFor(webhook), webhook.Progress);

    /// <summary>The first word of a failure (<c>http 503</c> → <c>http</c>): a low-cardinality metric tag.</summary>
    private static string ReasonOf(string failure)
    {
        var space = failure.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? failure : failure[..space];
    }
}
