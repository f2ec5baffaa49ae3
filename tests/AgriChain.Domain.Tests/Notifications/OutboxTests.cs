using AgriChain.Domain.Common;
using AgriChain.Domain.Notifications;

namespace AgriChain.Domain.Tests.Notifications;

public sealed class OutboxTests
{
    private static readonly DateTimeOffset Now = Samples.Start;

    private static Outbox WithWebhooks(params string[] names)
    {
        var outbox = new Outbox();
        foreach (var name in names)
        {
            Assert.Equal(UpsertOutcome.Created, outbox.Put(name, Samples.Spec($"https://example.org/{name}"), Now).Outcome);
        }

        return outbox;
    }

    private static List<Notification> Notifications(int count, string prefix = "n") =>
        [.. Enumerable.Range(1, count).Select(i => Samples.Notification($"{prefix}{i}"))];

    [Fact]
    public void Enqueue_AcceptsEachIdOnce()
    {
        var outbox = WithWebhooks("ops");

        var first = outbox.Enqueue([Samples.Notification("a"), Samples.Notification("b"), Samples.Notification("a")], Now);
        var again = outbox.Enqueue([Samples.Notification("b")], Now);

        Assert.Equal(["a", "b"], first.Accepted);
        Assert.Equal(1, first.Duplicates);
        Assert.Empty(again.Accepted);
        Assert.Equal(2, outbox.PendingCount);
    }

    [Fact]
    public void Enqueue_WithoutWebhooks_QueuesNothingButRemembersTheIds()
    {
        var outbox = new Outbox();

        outbox.Enqueue([Samples.Notification("a")], Now);

        Assert.Equal(0, outbox.PendingCount);
        Assert.Empty(outbox.Enqueue([Samples.Notification("a")], Now).Accepted);
    }

    [Fact]
    public void Webhooks_MoveThroughTheQueueIndependently_AndEntriesLeaveWhenAllArePast()
    {
        var outbox = WithWebhooks("fast", "slow");
        outbox.Enqueue(Notifications(3), Now);
        var fast = outbox.Find("fast")!;
        var slow = outbox.Find("slow")!;

        while (outbox.NextFor(fast) is { } entry)
        {
            outbox.MarkDelivered(fast, entry, Now);
        }

        var retryIn = outbox.MarkFailed(slow, "http 500", Now, 0);
        outbox.Trim();

        Assert.Equal(3, fast.Progress.Delivered);
        Assert.Equal(0, outbox.PendingFor(fast));
        Assert.Equal(3, outbox.PendingFor(slow));
        Assert.Equal(3, outbox.PendingCount);
        Assert.Equal("n1", outbox.NextFor(slow)!.Notification.Id);
        Assert.Equal(TimeSpan.FromSeconds(10), retryIn);
        Assert.False(outbox.IsDue(slow, Now.AddSeconds(9)));
        Assert.True(outbox.IsDue(slow, Now.AddSeconds(10)));
        Assert.Equal(Now.AddSeconds(10), outbox.NextDueAt(Now));

        outbox.MarkDelivered(slow, outbox.NextFor(slow)!, Now);
        Assert.Equal(1, outbox.Trim());
        Assert.Equal(["n2", "n3"], outbox.PendingEntries().Select(e => e.Notification.Id));
        Assert.Null(slow.Progress.NextAttemptAt);
    }

    [Fact]
    public void NewWebhook_GetsOnlyWhatIsQueuedAfterIt()
    {
        var outbox = WithWebhooks("first");
        outbox.Enqueue(Notifications(2), Now);

        outbox.Put("late", Samples.Spec("https://example.org/late"), Now);
        outbox.Enqueue([Samples.Notification("n3")], Now);

        Assert.Equal("n3", outbox.NextFor(outbox.Find("late")!)!.Notification.Id);
        Assert.Equal("n1", outbox.NextFor(outbox.Find("first")!)!.Notification.Id);
    }

    [Fact]
    public void Put_IsUnchangedForTheSameSpec_UpdatedOtherwise_AndAChangeRetriesAtOnce()
    {
        var outbox = WithWebhooks("ops");
        outbox.Enqueue(Notifications(1), Now);
        var ops = outbox.Find("ops")!;
        outbox.MarkFailed(ops, "http 500", Now, 0);

        var same = outbox.Put("ops", Samples.Spec("https://example.org/ops"), Now.AddMinutes(1));
        var moved = outbox.Put("ops", Samples.Spec("https://example.org/ops-v2"), Now.AddMinutes(2));

        Assert.Equal(UpsertOutcome.Unchanged, same.Outcome);
        Assert.Equal(UpsertOutcome.Updated, moved.Outcome);
        Assert.Same(ops, moved.Value);
        Assert.Equal(Now.AddMinutes(2), ops.UpdatedAt);
        Assert.Equal(Now, ops.CreatedAt);
        Assert.True(outbox.IsDue(ops, Now.AddMinutes(2)));
        Assert.Equal(1, outbox.PendingFor(ops));
    }

    [Fact]
    public void Put_RefusesMoreThanTheLimit()
    {
        var outbox = WithWebhooks([.. Enumerable.Range(1, Outbox.MaxWebhooks).Select(i => $"hook-{i}")]);

        var refused = outbox.Put("one-more", Samples.Spec(), Now);

        Assert.Equal(UpsertOutcome.Conflict, refused.Outcome);
        Assert.Equal("name", refused.Field);
        Assert.Null(outbox.Find("one-more"));
    }

    [Fact]
    public void Remove_DropsWhatOnlyThatWebhookWaitedFor()
    {
        var outbox = WithWebhooks("fast", "broken");
        outbox.Enqueue(Notifications(2), Now);
        var fast = outbox.Find("fast")!;
        outbox.MarkDelivered(fast, outbox.NextFor(fast)!, Now);
        outbox.MarkDelivered(fast, outbox.NextFor(fast)!, Now);
        outbox.Trim();
        Assert.Equal(2, outbox.PendingCount);

        Assert.True(outbox.Remove("broken"));
        Assert.False(outbox.Remove("broken"));

        Assert.Equal(0, outbox.PendingCount);
    }

    [Fact]
    public void DeletedWebhook_IgnoresADeliveryThatFinishesLate()
    {
        var outbox = WithWebhooks("ops");
        outbox.Enqueue(Notifications(1), Now);
        var old = outbox.Find("ops")!;
        var entry = outbox.NextFor(old)!;

        outbox.Remove("ops");
        outbox.Put("ops", Samples.Spec(), Now);
        outbox.MarkDelivered(old, entry, Now);

        Assert.False(outbox.Owns(old));
        Assert.Equal(0, outbox.Find("ops")!.Progress.Delivered);
    }

    [Fact]
    public void Expire_DropsWhatWaitedADay_PerWebhook()
    {
        var outbox = WithWebhooks("fast", "broken");
        outbox.Enqueue(Notifications(1, "old"), Now);
        outbox.Enqueue(Notifications(1, "new"), Now.AddHours(12));
        var fast = outbox.Find("fast")!;
        outbox.MarkDelivered(fast, outbox.NextFor(fast)!, Now);

        var dropped = outbox.Expire(Now.AddHours(24));

        Assert.Equal([new DroppedNotifications("broken", WebhookKind.Generic, 1)], dropped);
        Assert.Equal(1, outbox.Find("broken")!.Progress.Dropped);
        Assert.Equal("new1", outbox.NextFor(outbox.Find("broken")!)!.Notification.Id);
        Assert.Equal(1, outbox.Trim());
    }

    [Fact]
    public void Enqueue_BeyondTheCap_DropsTheOldest_AndCountsThemPerWebhook()
    {
        var outbox = WithWebhooks("ops", "audit");
        outbox.Enqueue(Notifications(Outbox.MaxPending - 1), Now);
        var audit = outbox.Find("audit")!;
        outbox.MarkDelivered(audit, outbox.NextFor(audit)!, Now);

        var result = outbox.Enqueue(Notifications(3, "x"), Now);

        Assert.Equal(Outbox.MaxPending, outbox.PendingCount);
        Assert.Equal(
            [new DroppedNotifications("ops", WebhookKind.Generic, 2), new DroppedNotifications("audit", WebhookKind.Generic, 1)],
            result.Overflowed.OrderByDescending(d => d.Count));
        Assert.Equal("n3", outbox.NextFor(outbox.Find("ops")!)!.Notification.Id);
        Assert.Equal("n3", outbox.NextFor(audit)!.Notification.Id);
        Assert.Equal(2, outbox.Find("ops")!.Progress.Dropped);
    }

    [Fact]
    public void RememberedIds_AreBoundedInNumberAndAge()
    {
        var outbox = new Outbox();
        outbox.Enqueue(Notifications(Outbox.MaxRemembered + 5), Now);
        Assert.Equal(Outbox.MaxRemembered, outbox.RememberedCount);
        Assert.Equal(["n1"], outbox.Enqueue([Samples.Notification("n1")], Now).Accepted);

        outbox.Enqueue([Samples.Notification("later")], Now + Outbox.RememberFor);

        Assert.Equal(1, outbox.RememberedCount);
    }

    [Fact]
    public void Restore_FromItsRecords_GivesTheSameOutbox()
    {
        var outbox = WithWebhooks("fast", "slow");
        outbox.Enqueue(Notifications(3), Now);
        var fast = outbox.Find("fast")!;
        outbox.MarkDelivered(fast, outbox.NextFor(fast)!, Now);
        outbox.MarkFailed(outbox.Find("slow")!, "timeout", Now, 0.5);

        var copy = new Outbox(outbox.LastSequence, outbox.WebhookRecords(), outbox.PendingEntries(), outbox.RememberedNotifications());

        Assert.Equal(outbox.WebhookRecords(), copy.WebhookRecords());
        Assert.Equal(outbox.PendingEntries(), copy.PendingEntries());
        Assert.Equal(outbox.RememberedNotifications(), copy.RememberedNotifications());
        Assert.Empty(copy.Enqueue(Notifications(3), Now).Accepted);
        Assert.Equal("n2", copy.NextFor(copy.Find("fast")!)!.Notification.Id);
    }
}
