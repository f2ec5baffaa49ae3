using AgriChain.Domain.Common;

namespace AgriChain.Domain.Notifications;

/// <summary>A queued notification with its place in the owner's queue.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.outbox-entry")]
public sealed record OutboxEntry(
    [property: Id(0)] long Sequence,
    [property: Id(1)] DateTimeOffset QueuedAt,
    [property: Id(2)] Notification Notification);

/// <summary>A notification id the outbox has already accepted, kept for a while so a repeat is recognised.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.remembered-notification")]
public sealed record RememberedNotification(
    [property: Id(0)] string Id,
    [property: Id(1)] DateTimeOffset QueuedAt);

/// <summary>
/// How far one webhook has got: every notification up to <see cref="Cursor"/> is delivered or dropped; the rest
/// waits, in order, for <see cref="NextAttemptAt"/> (null: now).
/// </summary>
[GenerateSerializer, Immutable, Alias("agrichain.webhook-progress")]
public sealed record WebhookProgress(
    [property: Id(0)] long Cursor,
    [property: Id(1)] int ConsecutiveFailures,
    [property: Id(2)] DateTimeOffset? NextAttemptAt,
    [property: Id(3)] DateTimeOffset? LastDeliveredAt,
    [property: Id(4)] DateTimeOffset? LastFailureAt,
    [property: Id(5)] string? LastFailure,
    [property: Id(6)] long Delivered,
    [property: Id(7)] long Dropped)
{
    public static WebhookProgress StartingAfter(long sequence) => new(sequence, 0, null, null, null, null, 0, 0);
}

/// <summary>A webhook as stored: its name, configuration, timestamps and progress.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.webhook-record")]
public sealed record WebhookRecord(
    [property: Id(0)] string Name,
    [property: Id(1)] WebhookSpec Spec,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] DateTimeOffset UpdatedAt,
    [property: Id(4)] WebhookProgress Progress);

/// <summary>A webhook inside a live <see cref="Outbox"/>. Its identity survives updates, so a delivery in flight can tell
/// whether the webhook it started for still exists.</summary>
public sealed class Webhook
{
    internal Webhook(WebhookRecord record)
    {
        Name = record.Name;
        Spec = record.Spec;
        CreatedAt = record.CreatedAt;
        UpdatedAt = record.UpdatedAt;
        Progress = record.Progress;
    }

    public string Name { get; }

    public WebhookSpec Spec { get; internal set; }

    public DateTimeOffset CreatedAt { get; }

    public DateTimeOffset UpdatedAt { get; internal set; }

    public WebhookProgress Progress { get; internal set; }

    public WebhookRecord ToRecord() => new(Name, Spec, CreatedAt, UpdatedAt, Progress);
}

/// <summary>Notifications one webhook will never get, and why.</summary>
public readonly record struct DroppedNotifications(string Webhook, WebhookKind Kind, long Count);

/// <summary>What an enqueue did: the ids that were new, how many were repeats, and what the cap pushed out.</summary>
public sealed record EnqueueResult(IReadOnlyList<string> Accepted, int Duplicates, IReadOnlyList<DroppedNotifications> Overflowed);

/// <summary>
/// One owner's outbox: a single ordered queue of notifications and, per webhook, a cursor into it. Each webhook
/// moves through the queue on its own (a failing receiver holds back only itself) and in order; an entry leaves the
/// queue once every webhook has delivered or dropped it. Everything is bounded: at most <see cref="MaxPending"/>
/// queued (the oldest are dropped), <see cref="MaxRemembered"/> ids remembered for dedupe for at most
/// <see cref="RememberFor"/>, <see cref="MaxWebhooks"/> webhooks. Plain state, no I/O: the grain that owns an outbox
/// does the sending and the storing.
/// </summary>
/// <remarks>Sequence numbers in the queue are contiguous: entries are appended with the next number and only ever
/// removed from the head, so an entry is found by arithmetic.</remarks>
public sealed class Outbox
{
    public const int MaxPending = 10_000;
    public const int MaxRemembered = 10_000;
    public const int MaxWebhooks = 20;
    public static readonly TimeSpan RememberFor = TimeSpan.FromDays(7);

    private readonly SortedDictionary<string, Webhook> _webhooks = new(StringComparer.Ordinal);
    private readonly List<OutboxEntry> _pending;
    private readonly List<RememberedNotification> _remembered;
    private readonly HashSet<string> _rememberedIds;

    public Outbox()
        : this(0, [], [], [])
    {
    }

    /// <summary>Rebuilds an outbox from what <see cref="WebhookRecords"/>, <see cref="PendingEntries"/> and
    /// <see cref="RememberedNotifications"/> returned.</summary>
    public Outbox(long lastSequence, IEnumerable<WebhookRecord> webhooks, IEnumerable<OutboxEntry> pending,
        IEnumerable<RememberedNotification> remembered)
    {
        LastSequence = lastSequence;
        foreach (var record in webhooks)
        {
            _webhooks[record.Name] = new Webhook(record);
        }

        _pending = [.. pending.OrderBy(e => e.Sequence)];
        _remembered = [.. remembered];
        _rememberedIds = new HashSet<string>(_remembered.Select(r => r.Id), StringComparer.Ordinal);
    }

    public long LastSequence { get; private set; }

    public int PendingCount => _pending.Count;

    public int RememberedCount => _remembered.Count;

    /// <summary>The webhooks, by name.</summary>
    public IReadOnlyCollection<Webhook> Webhooks => _webhooks.Values;

    public Webhook? Find(string name) => _webhooks.GetValueOrDefault(name);

    public List<WebhookRecord> WebhookRecords() => [.. _webhooks.Values.Select(w => w.ToRecord())];

    public List<OutboxEntry> PendingEntries() => [.. _pending];

    public List<RememberedNotification> RememberedNotifications() => [.. _remembered];

    /// <summary>How many queued notifications <paramref name="webhook"/> has yet to deliver or drop.</summary>
    public long PendingFor(Webhook webhook) => Math.Max(0, LastSequence - webhook.Progress.Cursor);

    /// <summary>
    /// Accepts the notifications not seen before (by id) and queues them for every current webhook. With no
    /// webhook nothing is queued, but the ids are still remembered.
    /// </summary>
    public EnqueueResult Enqueue(IReadOnlyList<Notification> notifications, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(notifications);
        var accepted = new List<string>();
        var duplicates = 0;
        foreach (var notification in notifications)
        {
            if (!_rememberedIds.Add(notification.Id))
            {
                duplicates++;
                continue;
            }

            _remembered.Add(new RememberedNotification(notification.Id, now));
            accepted.Add(notification.Id);
            if (_webhooks.Count > 0)
            {
                _pending.Add(new OutboxEntry(++LastSequence, now, notification));
            }
        }

        Forget(now);
        return new EnqueueResult(accepted, duplicates, DropOverflow());
    }

    /// <summary>
    /// Creates or changes a webhook. A new webhook receives what is queued from now on; a changed one keeps its place
    /// and is tried again at once. Refused with <see cref="UpsertOutcome.Conflict"/> beyond <see cref="MaxWebhooks"/>.
    /// </summary>
    public UpsertResult<Webhook> Put(string name, WebhookSpec spec, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (_webhooks.TryGetValue(name, out var existing))
        {
            if (existing.Spec == spec)
            {
                return new(UpsertOutcome.Unchanged, existing);
            }

            existing.Spec = spec;
            existing.UpdatedAt = now;
            existing.Progress = existing.Progress with { ConsecutiveFailures = 0, NextAttemptAt = null };
            return new(UpsertOutcome.Updated, existing);
        }

        if (_webhooks.Count >= MaxWebhooks)
        {
            return UpsertResult.Refused<Webhook>(UpsertOutcome.Conflict, "name",
                $"An owner can have at most {MaxWebhooks} webhooks; delete one first.");
        }

        var created = new Webhook(new WebhookRecord(name, spec, now, now, WebhookProgress.StartingAfter(LastSequence)));
        _webhooks[name] = created;
        return new(UpsertOutcome.Created, created);
    }

    /// <summary>Deletes a webhook and whatever only it was still waiting for.</summary>
    public bool Remove(string name)
    {
        if (!_webhooks.Remove(name))
        {
            return false;
        }

        Trim();
        return true;
    }

    /// <summary>The next notification <paramref name="webhook"/> has to deliver, or null when it is up to date.</summary>
    public OutboxEntry? NextFor(Webhook webhook)
    {
        if (_pending.Count == 0)
        {
            return null;
        }

        var index = Math.Max(0, webhook.Progress.Cursor + 1 - _pending[0].Sequence);
        return index < _pending.Count ? _pending[(int)index] : null;
    }

    /// <summary>True when <paramref name="webhook"/> has something to deliver and is not waiting out a backoff.</summary>
    public bool IsDue(Webhook webhook, DateTimeOffset now) =>
        NextFor(webhook) is not null && (webhook.Progress.NextAttemptAt is not { } next || next <= now);

    /// <summary>The earliest moment some webhook is due, or null when nothing waits.</summary>
    public DateTimeOffset? NextDueAt(DateTimeOffset now)
    {
        DateTimeOffset? earliest = null;
        foreach (var webhook in _webhooks.Values)
        {
            if (NextFor(webhook) is null)
            {
                continue;
            }

            var due = webhook.Progress.NextAttemptAt is { } next && next > now ? next : now;
            earliest = earliest is null || due < earliest ? due : earliest;
        }

        return earliest;
    }

    /// <summary>Drops, for every webhook, the notifications it still owes that have outlived <see cref="DeliveryPolicy.MaxAge"/>.</summary>
    public IReadOnlyList<DroppedNotifications> Expire(DateTimeOffset now)
    {
        var dropped = new List<DroppedNotifications>();
        foreach (var webhook in _webhooks.Values)
        {
            var count = 0;
            while (NextFor(webhook) is { } entry && DeliveryPolicy.IsExpired(entry.QueuedAt, now))
            {
                MarkDropped(webhook, entry);
                count++;
            }

            if (count > 0)
            {
                dropped.Add(new DroppedNotifications(webhook.Name, webhook.Spec.Kind, count));
            }
        }

        return dropped;
    }

    /// <summary>
    /// True while <paramref name="webhook"/> belongs to this outbox: a delivery that finishes after its webhook was
    /// deleted (or deleted and created again) must not move anything.
    /// </summary>
    public bool Owns(Webhook webhook) => ReferenceEquals(Find(webhook.Name), webhook);

    /// <summary>The receiver took <paramref name="entry"/>: move on, and forget earlier failures.</summary>
    public void MarkDelivered(Webhook webhook, OutboxEntry entry, DateTimeOffset now)
    {
        if (!Owns(webhook))
        {
            return;
        }

        var progress = webhook.Progress;
        webhook.Progress = progress with
        {
            Cursor = Math.Max(progress.Cursor, entry.Sequence),
            ConsecutiveFailures = 0,
            NextAttemptAt = null,
            LastDeliveredAt = now,
            Delivered = progress.Delivered + 1,
        };
    }

    /// <summary><paramref name="entry"/> will not be delivered to <paramref name="webhook"/>: move on.</summary>
    public void MarkDropped(Webhook webhook, OutboxEntry entry)
    {
        var progress = webhook.Progress;
        if (!Owns(webhook) || progress.Cursor >= entry.Sequence)
        {
            return;
        }

        webhook.Progress = progress with { Cursor = entry.Sequence, Dropped = progress.Dropped + 1 };
    }

    /// <summary>An attempt failed: stay on the same notification and wait <see cref="DeliveryPolicy.RetryDelay"/>.</summary>
    public TimeSpan MarkFailed(Webhook webhook, string reason, DateTimeOffset now, double random)
    {
        if (!Owns(webhook))
        {
            return TimeSpan.Zero;
        }

        var failures = webhook.Progress.ConsecutiveFailures + 1;
        var delay = DeliveryPolicy.RetryDelay(failures, random);
        webhook.Progress = webhook.Progress with
        {
            ConsecutiveFailures = failures,
            NextAttemptAt = now + delay,
            LastFailureAt = now,
            LastFailure = reason,
        };
        return delay;
    }

    /// <summary>Removes the entries every webhook is past; returns how many.</summary>
    public int Trim()
    {
        if (_pending.Count == 0)
        {
            return 0;
        }

        var count = _pending.Count;
        if (_webhooks.Count > 0)
        {
            var slowest = _webhooks.Values.Min(w => w.Progress.Cursor);
            count = (int)Math.Clamp(slowest - _pending[0].Sequence + 1, 0, _pending.Count);
        }

        _pending.RemoveRange(0, count);
        return count;
    }

    private void Forget(DateTimeOffset now)
    {
        var count = 0;
        while (count < _remembered.Count
            && (_remembered.Count - count > MaxRemembered || now - _remembered[count].QueuedAt >= RememberFor))
        {
            _rememberedIds.Remove(_remembered[count].Id);
            count++;
        }

        _remembered.RemoveRange(0, count);
    }

    private List<DroppedNotifications> DropOverflow()
    {
        var excess = _pending.Count - MaxPending;
        if (excess <= 0)
        {
            return [];
        }

        var first = _pending[0].Sequence;
        var last = _pending[excess - 1].Sequence;
        var dropped = new List<DroppedNotifications>();
        foreach (var webhook in _webhooks.Values)
        {
            var progress = webhook.Progress;
            if (progress.Cursor >= last)
            {
                continue;
            }

            var lost = last - Math.Max(progress.Cursor, first - 1);
            webhook.Progress = progress with { Cursor = last, Dropped = progress.Dropped + lost };
            dropped.Add(new DroppedNotifications(webhook.Name, webhook.Spec.Kind, lost));
        }

        _pending.RemoveRange(0, excess);
        return dropped;
    }
}
