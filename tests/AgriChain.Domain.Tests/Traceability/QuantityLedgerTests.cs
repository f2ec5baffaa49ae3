using AgriChain.Domain.Traceability;

namespace AgriChain.Domain.Tests.Traceability;

public sealed class QuantityLedgerTests
{
    private static readonly DateTimeOffset Now = new(2026, 10, 20, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Reservations_HoldQuantityUntilCommittedOrReleased()
    {
        var ledger = new QuantityLedger { Quantity = 100 };

        Assert.Equal(ReserveOutcome.Reserved, ledger.Reserve("op-1", 60, Now.AddHours(1), "split", Now, BatchStatus.Active).Outcome);
        Assert.Equal(40, ledger.Available(Now));
        Assert.Equal(100, ledger.Quantity);
        var short1 = ledger.Reserve("op-2", 41, Now.AddHours(1), "split", Now, BatchStatus.Active);
        Assert.Equal(ReserveOutcome.Shortfall, short1.Outcome);
        Assert.Equal(40, short1.Available);

        Assert.True(ledger.Commit("op-1"));
        Assert.Equal(40, ledger.Quantity);
        Assert.Equal(ReserveOutcome.Reserved, ledger.Reserve("op-3", 40, Now.AddHours(1), "merge", Now, BatchStatus.Active).Outcome);
        Assert.True(ledger.Release("op-3"));
        Assert.Equal(40, ledger.Available(Now));
    }

    [Fact]
    public void AnOperationIsAppliedOnce()
    {
        var ledger = new QuantityLedger { Quantity = 100 };
        ledger.Reserve("op-1", 30, Now.AddHours(1), "split", Now, BatchStatus.Active);

        Assert.Equal(ReserveOutcome.AlreadyApplied, ledger.Reserve("op-1", 30, Now.AddHours(1), "split", Now, BatchStatus.Active).Outcome);
        Assert.True(ledger.Commit("op-1"));
        Assert.True(ledger.Commit("op-1"));
        Assert.Equal(ReserveOutcome.AlreadyApplied, ledger.Reserve("op-1", 30, Now.AddHours(1), "split", Now, BatchStatus.Active).Outcome);
        Assert.Equal(70, ledger.Quantity);
    }

    [Fact]
    public void ExpiredReservations_FreeTheirQuantity_AndCannotCommit()
    {
        var ledger = new QuantityLedger { Quantity = 10 };
        ledger.Reserve("op-1", 8, Now.AddMinutes(5), "t", Now, BatchStatus.Active);

        Assert.Equal(ReserveOutcome.Shortfall, ledger.Reserve("op-2", 8, Now.AddMinutes(5), "t", Now, BatchStatus.Active).Outcome);
        Assert.Equal(ReserveOutcome.Reserved, ledger.Reserve("op-2", 8, Now.AddMinutes(15), "t", Now.AddMinutes(6), BatchStatus.Active).Outcome);
        Assert.False(ledger.Commit("op-1"));
        Assert.True(ledger.Commit("op-2"));
        Assert.Equal(2, ledger.Quantity);
    }

    [Theory]
    [InlineData(BatchStatus.Recalled)]
    [InlineData(BatchStatus.OnHold)]
    [InlineData(BatchStatus.Consumed)]
    public void BlockedBatches_GiveNothing(BatchStatus status)
    {
        var ledger = new QuantityLedger { Quantity = 10 };
        Assert.Equal(ReserveOutcome.Blocked, ledger.Reserve("op", 1, Now.AddHours(1), "t", Now, status).Outcome);
        Assert.Equal(ReserveOutcome.Blocked, ledger.Take("ship", 1, Now, status).Outcome);
        Assert.Equal(10, ledger.Quantity);
    }

    [Fact]
    public void Take_ConsumesAtOnceAndOnce()
    {
        var ledger = new QuantityLedger { Quantity = 10 };
        Assert.Equal(ReserveOutcome.Reserved, ledger.Take("ship-1", 4, Now, BatchStatus.Active).Outcome);
        Assert.Equal(ReserveOutcome.AlreadyApplied, ledger.Take("ship-1", 4, Now, BatchStatus.Active).Outcome);
        Assert.Equal(6, ledger.Quantity);
        Assert.Empty(ledger.Reservations);
    }

    [Fact]
    public void Return_GivesBackWhatAnOperationConsumed_Once()
    {
        var ledger = new QuantityLedger { Quantity = 100 };
        ledger.Reserve("run-1", 60, DateTimeOffset.MaxValue, "transform", Now, BatchStatus.Active);
        ledger.Commit("run-1");

        Assert.True(ledger.Return("run-1"));
        Assert.True(ledger.Return("run-1"));
        Assert.Equal(100, ledger.Quantity);
        Assert.False(ledger.Return("never-ran"));
        Assert.Equal(ReserveOutcome.AlreadyApplied, ledger.Reserve("run-1", 60, DateTimeOffset.MaxValue, "transform", Now, BatchStatus.Active).Outcome);
        Assert.Equal(100, ledger.Available(Now));
    }
}
