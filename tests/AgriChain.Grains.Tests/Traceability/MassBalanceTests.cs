using AgriChain.Contracts.Traceability;
using AgriChain.Domain.Common;
using AgriChain.Domain.Traceability;

namespace AgriChain.Grains.Tests.Traceability;

[Collection(ClusterCollection.Name)]
public sealed class MassBalanceTests(ClusterFixture fixture)
{
    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..30];

    private static BatchSpec Persimmons(decimal kg) => new("persimmon", kg, "kg", "a", "xbz-coop",
        new BatchOrigin("xbz-orchard", null, new DateTimeOffset(2026, 10, 20, 2, 0, 0, TimeSpan.Zero)));

    private async Task<string> BatchAsync(decimal kg)
    {
        var id = NewId("batch");
        Assert.Equal(UpsertOutcome.Created, (await fixture.Grains.GetGrain<IBatchGrain>(id).CreateAsync(Persimmons(kg), "test")).Outcome);
        return id;
    }

    private static OperationPlan SplitPlan(string source, string part, decimal kg) =>
        new(EdgeKind.Split, [new OperationInput(source, kg)], [new OperationOutput(part, Persimmons(kg))], "test");

    [Fact]
    public async Task TwentyConcurrentSplitsOf60Kg_FromA1000KgBatch_LetExactly16Succeed()
    {
        var source = await BatchAsync(1000);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            fixture.Grains.GetGrain<IBatchOperationGrain>(NewId("op")).RunAsync(SplitPlan(source, NewId("part"), 60))));

        Assert.Equal(16, results.Count(r => r.Status == OperationStatus.Completed));
        Assert.Equal(4, results.Count(r => r.Status == OperationStatus.Rejected));
        Assert.All(results.Where(r => r.Status == OperationStatus.Rejected), r => Assert.Equal(40, Assert.Single(r.Shortfalls).Available));
        var batch = await fixture.Grains.GetGrain<IBatchGrain>(source).GetAsync();
        Assert.Equal(40, batch!.Quantity);
        Assert.Equal(40, batch.Available);
        Assert.Equal(16, batch.Children.Count);
        Assert.Equal(960, batch.Children.Sum(c => c.Quantity));
    }

    [Fact]
    public async Task RepeatedOperation_AppliesOnce_AndAnotherPlanUnderTheSameIdIsRefused()
    {
        var source = await BatchAsync(100);
        var part = NewId("part");
        var operation = fixture.Grains.GetGrain<IBatchOperationGrain>(NewId("op"));

        var first = await operation.RunAsync(SplitPlan(source, part, 30));
        var again = await operation.RunAsync(SplitPlan(source, part, 30));
        var other = await operation.RunAsync(SplitPlan(source, part, 31));

        Assert.Equal(OperationStatus.Completed, first.Status);
        Assert.Equal(OperationStatus.Completed, again.Status);
        Assert.Equal(OperationStatus.Conflict, other.Status);
        Assert.Equal(70, (await fixture.Grains.GetGrain<IBatchGrain>(source).GetAsync())!.Quantity);
        var child = await fixture.Grains.GetGrain<IBatchGrain>(part).GetAsync();
        Assert.Equal(30, child!.Quantity);
        Assert.Equal(source, Assert.Single(child.Parents).BatchId);
    }

    [Fact]
    public async Task Merge_TakesFromEveryInput_OrFromNone()
    {
        var a = await BatchAsync(100);
        var b = await BatchAsync(50);
        var merged = NewId("merged");
        var plan = new OperationPlan(EdgeKind.Merge, [new OperationInput(a, 80), new OperationInput(b, 50)],
            [new OperationOutput(merged, Persimmons(130) with { Origin = null })], "test");

        Assert.Equal(OperationStatus.Completed, (await fixture.Grains.GetGrain<IBatchOperationGrain>(NewId("op")).RunAsync(plan)).Status);

        var tooMuch = new OperationPlan(EdgeKind.Merge, [new OperationInput(a, 10), new OperationInput(b, 1)],
            [new OperationOutput(NewId("merged"), Persimmons(11) with { Origin = null })], "test");
        var rejected = await fixture.Grains.GetGrain<IBatchOperationGrain>(NewId("op")).RunAsync(tooMuch);

        Assert.Equal(OperationStatus.Rejected, rejected.Status);
        Assert.Equal(b, Assert.Single(rejected.Shortfalls).BatchId);
        var viewA = await fixture.Grains.GetGrain<IBatchGrain>(a).GetAsync();
        Assert.Equal(20, viewA!.Quantity);
        Assert.Equal(20, viewA.Available);
        Assert.Equal(BatchStatus.Consumed, (await fixture.Grains.GetGrain<IBatchGrain>(b).GetAsync())!.Status);
        var output = await fixture.Grains.GetGrain<IBatchGrain>(merged).GetAsync();
        Assert.Equal(130, output!.Quantity);
        Assert.Equal(new[] { a, b }.Order(StringComparer.Ordinal), output.Parents.Select(p => p.BatchId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Shipment_TakesQuantityOnce_AndNeverMoreThanIsLeft()
    {
        var source = await BatchAsync(100);
        var batch = fixture.Grains.GetGrain<IBatchGrain>(source);
        var at = new DateTimeOffset(2026, 10, 21, 0, 0, 0, TimeSpan.Zero);
        var ship = new BatchEvent("ship-1", BatchEventType.Shipped, at, null, "fresh-mart", 70, null, null, "test");

        Assert.Equal(EventOutcome.Recorded, (await batch.RecordEventAsync(ship)).Outcome);
        Assert.Equal(EventOutcome.AlreadyRecorded, (await batch.RecordEventAsync(ship)).Outcome);
        var tooMuch = await batch.RecordEventAsync(ship with { Id = "ship-2", Quantity = 31 });

        Assert.Equal(EventOutcome.Shortfall, tooMuch.Outcome);
        Assert.Equal(30, tooMuch.Available);
        Assert.Equal(30, (await batch.GetAsync())!.Quantity);
        Assert.Equal(["fresh-mart"], (await batch.GetAsync())!.Buyers);
    }

    [Fact]
    public async Task RecalledBatch_CannotBeSplitOrShipped()
    {
        var source = await BatchAsync(100);
        var batch = fixture.Grains.GetGrain<IBatchGrain>(source);
        await batch.RecallAsync("recall-1", "residue found", "test");

        var split = await fixture.Grains.GetGrain<IBatchOperationGrain>(NewId("op")).RunAsync(SplitPlan(source, NewId("part"), 10));
        var ship = await batch.RecordEventAsync(new BatchEvent("s", BatchEventType.Shipped, DateTimeOffset.UnixEpoch, null, "b", 1, null, null, "t"));

        Assert.Equal(OperationStatus.Rejected, split.Status);
        Assert.Equal("batch is recalled", Assert.Single(split.Shortfalls).Reason);
        Assert.Equal(EventOutcome.Blocked, ship.Outcome);
        Assert.Equal(BatchStatus.Recalled, (await batch.GetAsync())!.Status);
    }
}
