using AgriChain.Contracts.Processing;
using AgriChain.Contracts.Traceability;
using AgriChain.Domain.Common;
using AgriChain.Domain.Processing;
using AgriChain.Domain.Traceability;

namespace AgriChain.Grains.Tests.Processing;

[Collection(ClusterCollection.Name)]
public sealed class ProcessingRunGrainTests(ClusterFixture fixture)
{
    private const string Coop = "xbz-coop";

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..30];

    private IBatchGrain Batch(string id) => fixture.Grains.GetGrain<IBatchGrain>(id);

    private IProcessingRunGrain Run(string id) => fixture.Grains.GetGrain<IProcessingRunGrain>(id);

    private async Task<string> PersimmonsAsync(decimal kg)
    {
        var id = NewId("persimmon");
        var spec = new BatchSpec("persimmon", kg, "kg", "a", Coop,
            new BatchOrigin("xbz-orchard", null, new DateTimeOffset(2025, 10, 20, 2, 0, 0, TimeSpan.Zero), "east slope"));
        Assert.Equal(UpsertOutcome.Created, (await Batch(id).CreateAsync(spec, "test")).Outcome);
        return id;
    }

    private static RunStart Start(params (string BatchId, decimal Kg)[] inputs) =>
        new(BuiltInProcessDefinitions.PersimmonWine, Coop, inputs.Select(i => new RunInput(i.BatchId, i.Kg, "kg")).ToList(), "test");

    private async Task<(string RunId, string A, string B)> StartedAsync(decimal a = 500m, decimal b = 400m)
    {
        var (batchA, batchB, runId) = (await PersimmonsAsync(a), await PersimmonsAsync(b), NewId("run"));
        var started = await Run(runId).StartAsync(Start((batchA, a), (batchB, b)));
        Assert.Equal(RunOutcome.Done, started.Outcome);
        return (runId, batchA, batchB);
    }

    private static RunOutput Wine(string id, decimal litres = 450m) => new(id, "persimmon-wine", litres, "L", null);

    [Fact]
    public async Task Start_WithOneInputShort_LeavesTheOtherInputsUntouched()
    {
        var (a, b, runId) = (await PersimmonsAsync(500m), await PersimmonsAsync(300m), NewId("run"));

        var refused = await Run(runId).StartAsync(Start((a, 500m), (b, 400m)));

        Assert.Equal(RunOutcome.Shortfall, refused.Outcome);
        Assert.Equal(new Shortfall(b, 400m, 300m, "not enough left"), Assert.Single(refused.Shortfalls!));
        var viewA = await Batch(a).GetAsync();
        Assert.Equal((500m, 500m, BatchStatus.Active), (viewA!.Quantity, viewA.Available, viewA.Status));
        var viewB = await Batch(b).GetAsync();
        Assert.Equal((300m, 300m, BatchStatus.Active), (viewB!.Quantity, viewB.Available, viewB.Status));
        Assert.Null(await Run(runId).GetAsync());

        // A refused start leaves the id free: asking for what is there starts the run.
        var started = await Run(runId).StartAsync(Start((a, 500m), (b, 300m)));

        Assert.Equal(RunOutcome.Done, started.Outcome);
        Assert.Equal(RunStatus.InProgress, started.Run!.Status);
        Assert.All(await Task.WhenAll(Batch(a).GetAsync(), Batch(b).GetAsync()), v =>
            Assert.Equal((0m, 0m, BatchStatus.Consumed), (v!.Quantity, v.Available, v.Status)));
    }

    [Fact]
    public async Task Start_IsIdempotent_AndOtherInputsUnderTheSameIdConflict()
    {
        var (runId, a, b) = await StartedAsync(500m, 400m);

        var again = await Run(runId).StartAsync(Start((a, 500m), (b, 400m)));
        var other = await Run(runId).StartAsync(Start((a, 400m), (b, 400m)));

        Assert.Equal(RunOutcome.Unchanged, again.Outcome);
        Assert.Equal(RunOutcome.Conflict, other.Outcome);
        Assert.Equal(0m, (await Batch(a).GetAsync())!.Quantity);
    }

    [Fact]
    public async Task Start_WithARecalledInput_IsRefused()
    {
        var (a, b, runId) = (await PersimmonsAsync(100m), await PersimmonsAsync(100m), NewId("run"));
        await Batch(b).RecallAsync("recall-b", "pesticide residue", "test");

        var refused = await Run(runId).StartAsync(Start((a, 100m), (b, 100m)));

        Assert.Equal(RunOutcome.Shortfall, refused.Outcome);
        Assert.Equal("batch is recalled", Assert.Single(refused.Shortfalls!).Reason);
        Assert.Equal(100m, (await Batch(a).GetAsync())!.Available);
    }

    [Fact]
    public async Task Steps_GoInOrder_AndARepeatedStepChangesNothing()
    {
        var (runId, _, _) = await StartedAsync();
        var run = Run(runId);
        var steps = RunSteps.PersimmonWine();

        var skipped = await run.RecordStepAsync(RunSteps.Entry(4, steps[4].Step, steps[4].Values));
        Assert.Equal(RunOutcome.Conflict, skipped.Outcome);
        Assert.Equal(["sorting-and-washing", "removing-astringency", "destemming-and-crushing", "must-adjustment"], skipped.MissingSteps);

        await RunSteps.RecordAsync(run, until: 1);
        var repeated = await run.RecordStepAsync(RunSteps.Entry(0, steps[0].Step, steps[0].Values));
        var changed = await run.RecordStepAsync(RunSteps.Entry(1, steps[0].Step, steps[0].Values));
        var unknown = await run.RecordStepAsync(RunSteps.Entry(1, "distilling", []));
        var badValues = await run.RecordStepAsync(RunSteps.Entry(1, "removing-astringency", [("temperatureC", 40m), ("temperatureF", 104m)]));

        Assert.Equal(RunOutcome.Unchanged, repeated.Outcome);
        Assert.Equal(RunOutcome.Conflict, changed.Outcome);
        Assert.Equal(RunOutcome.Invalid, unknown.Outcome);
        Assert.Equal("step", Assert.Single(unknown.Errors!).Field);
        Assert.Equal(RunOutcome.Invalid, badValues.Outcome);
        Assert.Equal("parameters.temperatureF", Assert.Single(badValues.Errors!).Field);
        Assert.Single((await run.GetAsync())!.Steps);

        var early = await run.CompleteAsync([Wine(NewId("wine"))], "test");
        Assert.Equal(RunOutcome.Conflict, early.Outcome);
        Assert.Contains("sterilisation", early.MissingSteps!);
    }

    [Fact]
    public async Task Abandon_BeforeTheFruitIsWorked_GivesTheInputsBack()
    {
        var (runId, a, b) = await StartedAsync(500m, 400m);
        var run = Run(runId);
        await RunSteps.RecordAsync(run, until: 2);

        var abandoned = await run.AbandonAsync("the press broke down", "test");
        var again = await run.AbandonAsync("the press broke down", "test");

        Assert.Equal(RunOutcome.Done, abandoned.Outcome);
        Assert.Equal((RunStatus.Abandoned, true), (abandoned.Run!.Status, abandoned.Run.InputsReturned));
        Assert.Equal(RunOutcome.Unchanged, again.Outcome);
        foreach (var (id, kg) in new[] { (a, 500m), (b, 400m) })
        {
            var batch = await Batch(id).GetAsync();
            Assert.Equal((kg, kg, BatchStatus.Active), (batch!.Quantity, batch.Available, batch.Status));
            var abandonment = Assert.Single(batch.Events, e => e.Type == BatchEventType.Abandoned);
            Assert.Equal(("returned", kg), (abandonment.Result, abandonment.Quantity));
            Assert.Contains("the press broke down", abandonment.Note, StringComparison.Ordinal);
        }

        var step = RunSteps.PersimmonWine()[2];
        Assert.Equal(RunOutcome.Conflict, (await run.RecordStepAsync(RunSteps.Entry(2, step.Step, step.Values))).Outcome);
        Assert.Equal(RunOutcome.Conflict, (await run.CompleteAsync([Wine(NewId("wine"))], "test")).Outcome);
    }

    [Fact]
    public async Task Abandon_AfterCrushing_LeavesTheInputsUsedUp_AndSaysSoOnTheirLineage()
    {
        var (runId, a, _) = await StartedAsync(500m, 400m);
        var run = Run(runId);
        await RunSteps.RecordAsync(run, until: 3);

        var abandoned = await run.AbandonAsync("must spoiled", "test");

        Assert.Equal(false, abandoned.Run!.InputsReturned);
        var batch = await Batch(a).GetAsync();
        Assert.Equal((0m, BatchStatus.Consumed), (batch!.Quantity, batch.Status));
        Assert.Equal("used-up", Assert.Single(batch.Events, e => e.Type == BatchEventType.Abandoned).Result);
    }

    [Fact]
    public async Task Deviation_HoldsTheOutputs_UntilACooperativeReleasesThemWithAReason()
    {
        var (runId, a, b) = await StartedAsync(500m, 400m);
        var run = Run(runId);
        await RunSteps.RecordAsync(run, until: 4);
        var fermentation = RunSteps.PersimmonWine(36m)[4];

        var deviated = await run.RecordStepAsync(RunSteps.Entry(4, fermentation.Step, fermentation.Values));

        Assert.Equal(RunOutcome.Done, deviated.Outcome);
        var deviation = Assert.Single(deviated.Step!.Deviations);
        Assert.Equal(("temperatureC", DeviationDirection.Above, 8m), (deviation.Parameter, deviation.Direction, deviation.By));
        Assert.True(deviated.Run!.OnHold);
        foreach (var input in new[] { a, b })
        {
            var note = Assert.Single((await Batch(input).GetAsync())!.Events, e => e.Type == BatchEventType.Deviation).Note;
            Assert.Contains("temperatureC 36 °C is 8 above the maximum 28", note, StringComparison.Ordinal);
        }

        await RunSteps.RecordAsync(run, fermentationC: 36m, from: 5);
        var wine = NewId("wine");
        var completed = await run.CompleteAsync([Wine(wine)], "test");

        Assert.Equal(RunOutcome.Done, completed.Outcome);
        var held = await Batch(wine).GetAsync();
        Assert.Equal(BatchStatus.OnHold, held!.Status);
        Assert.Contains("deviated", Assert.Single(held.Events, e => e.Type == BatchEventType.Held).Note, StringComparison.Ordinal);
        var ship = new BatchEvent("ship-1", BatchEventType.Shipped, RunSteps.Day0, null, "fresh-mart", 10m, null, null, "test");
        Assert.Equal(EventOutcome.Blocked, (await Batch(wine).RecordEventAsync(ship)).Outcome);

        var released = await run.ReleaseAsync("lab test of the lot passed", "coop-key");
        var releasedAgain = await run.ReleaseAsync("lab test of the lot passed", "coop-key");
        var otherReason = await run.ReleaseAsync("another reason", "coop-key");

        Assert.Equal(RunOutcome.Done, released.Outcome);
        Assert.False(released.Run!.OnHold);
        Assert.Equal(("lab test of the lot passed", "coop-key"), (released.Run.Holds[0].ReleaseReason, released.Run.Holds[0].ReleasedBy));
        Assert.Equal(RunOutcome.Unchanged, releasedAgain.Outcome);
        Assert.Equal(RunOutcome.Conflict, otherReason.Outcome);
        var free = await Batch(wine).GetAsync();
        Assert.Equal(BatchStatus.Active, free!.Status);
        Assert.Equal("lab test of the lot passed", Assert.Single(free.Events, e => e.Type == BatchEventType.Released).Note);
        Assert.Equal(EventOutcome.Recorded, (await Batch(wine).RecordEventAsync(ship)).Outcome);
    }

    [Fact]
    public async Task ABatchHold_KeepsTheBatchStill_UntilThatHoldIsReleased()
    {
        var id = await PersimmonsAsync(100m);
        var batch = Batch(id);

        await batch.HoldAsync(new BatchHold("h-1", "waiting for a residue test"), "test");
        await batch.HoldAsync(new BatchHold("h-1", "waiting for a residue test"), "test");
        var refused = await fixture.Grains.GetGrain<IBatchOperationGrain>(NewId("op")).RunAsync(new OperationPlan(EdgeKind.Split,
            [new OperationInput(id, 10m)], [new OperationOutput(NewId("part"), new BatchSpec("persimmon", 10m, "kg", "a", Coop, null))], "test"));
        await batch.ReleaseHoldAsync("h-1", "residue test passed", "test");
        await batch.ReleaseHoldAsync("h-1", "residue test passed", "test");

        Assert.Equal("batch is on-hold", Assert.Single(refused.Shortfalls).Reason);
        var view = await batch.GetAsync();
        Assert.Equal(BatchStatus.Active, view!.Status);
        Assert.Equal([BatchEventType.Held, BatchEventType.Released], view.Events.Select(e => e.Type));
    }

    [Fact]
    public async Task ReleaseBeforeCompletion_LetsTheOutputsBeCreatedFree()
    {
        var (runId, _, _) = await StartedAsync();
        var run = Run(runId);
        await RunSteps.RecordAsync(run, fermentationC: 15m);
        Assert.True((await run.GetAsync())!.OnHold);

        Assert.Equal(RunOutcome.NotFound, (await Run(NewId("nothing")).ReleaseAsync("x", "test")).Outcome);
        await run.ReleaseAsync("cellar warmed within the day; tasting fine", "test");
        var wine = NewId("wine");
        await run.CompleteAsync([Wine(wine)], "test");

        Assert.Equal(BatchStatus.Active, (await Batch(wine).GetAsync())!.Status);
    }

    [Fact]
    public async Task Completion_MakesTheOutputsChildrenOfEveryInput_MeasuresTheYield_AndSurvivesReactivation()
    {
        var (runId, a, b) = await StartedAsync(500m, 400m);
        var run = Run(runId);
        await RunSteps.RecordAsync(run);
        var wine = NewId("wine");

        var completed = await run.CompleteAsync([Wine(wine, 450m)], "test");
        var again = await run.CompleteAsync([Wine(wine, 450m)], "test");
        var other = await run.CompleteAsync([Wine(wine, 449m)], "test");
        await fixture.DeactivateAllAsync();

        Assert.Equal((RunOutcome.Done, RunOutcome.Unchanged, RunOutcome.Conflict), (completed.Outcome, again.Outcome, other.Outcome));
        var view = await run.GetAsync();
        Assert.Equal(RunStatus.Completed, view!.Status);
        Assert.Equal(new YieldMeasurement(900m, 450m, "L", 0.5m, 0.5m, false), view.Yield);
        Assert.Equal(12, view.Steps.Count);
        var output = await Batch(wine).GetAsync();
        Assert.Equal((450m, "L", Coop, BatchStatus.Active), (output!.Quantity, output.Spec.Unit, output.Spec.OwnerId, output.Status));
        Assert.Equal(new[] { (a, 500m), (b, 400m) }.OrderBy(p => p.Item1, StringComparer.Ordinal),
            output.Parents.Select(p => (p.BatchId, p.Quantity)).OrderBy(p => p.BatchId, StringComparer.Ordinal));
        Assert.All(output.Parents, p => Assert.Equal(EdgeKind.Transform, p.Kind));
        foreach (var input in new[] { a, b })
        {
            var child = Assert.Single((await Batch(input).GetAsync())!.Children);
            Assert.Equal((wine, EdgeKind.Transform), (child.BatchId, child.Kind));
        }

        Assert.Equal(RunOutcome.Conflict, (await run.AbandonAsync("too late", "test")).Outcome);
    }

    [Fact]
    public async Task AnOutputIdInUse_LeavesTheRunInProgress()
    {
        var (runId, _, _) = await StartedAsync();
        var run = Run(runId);
        await RunSteps.RecordAsync(run);
        var taken = await PersimmonsAsync(1m);

        var refused = await run.CompleteAsync([Wine(taken)], "test");

        Assert.Equal(RunOutcome.Shortfall, refused.Outcome);
        Assert.Equal("batch id already in use", Assert.Single(refused.Shortfalls!).Reason);
        Assert.Equal(RunStatus.InProgress, (await run.GetAsync())!.Status);
        var wine = NewId("wine");
        Assert.Equal(RunOutcome.Done, (await run.CompleteAsync([Wine(wine)], "test")).Outcome);
    }

    [Fact]
    public async Task AnInputRecalledDuringTheRun_RecallsWhatIsMadeFromIt()
    {
        var (runId, a, _) = await StartedAsync();
        var run = Run(runId);
        await RunSteps.RecordAsync(run);
        await Batch(a).RecallAsync("recall-a", "residue above limit", "test");
        var wine = NewId("wine");

        await run.CompleteAsync([Wine(wine)], "test");

        var output = await Batch(wine).GetAsync();
        Assert.Equal(BatchStatus.Recalled, output!.Status);
        Assert.Contains("residue above limit", output.RecallReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Definitions_AreVersioned_AndARunKeepsItsVersion()
    {
        var id = NewId("def");
        var definitions = fixture.Grains.GetGrain<IProcessDefinitionGrain>(id);
        var wine = BuiltInProcessDefinitions.PersimmonWine;
        Assert.Null(await definitions.GetAsync(null));

        var v1 = await definitions.PutAsync(wine);
        var same = await definitions.PutAsync(wine with { Version = 9 });
        var v2 = await definitions.PutAsync(wine with { ExpectedYieldPerKg = 0.55m });

        Assert.Equal((UpsertOutcome.Created, 1, id), (v1.Outcome, v1.Value!.Version, v1.Value.Id));
        Assert.Equal((UpsertOutcome.Unchanged, 1), (same.Outcome, same.Value!.Version));
        Assert.Equal((UpsertOutcome.Updated, 2), (v2.Outcome, v2.Value!.Version));
        Assert.Equal(0.55m, (await definitions.GetAsync(null))!.ExpectedYieldPerKg);
        Assert.Equal(0.5m, (await definitions.GetAsync(1))!.ExpectedYieldPerKg);
        Assert.Null(await definitions.GetAsync(3));

        var builtIn = await fixture.Grains.GetGrain<IProcessDefinitionGrain>("persimmon-wine").GetAsync(1);
        Assert.True(builtIn!.SameContent(wine));
        Assert.Equal(1, builtIn.Version);
    }

    [Fact]
    public async Task EditingTheBuiltInDefinition_KeepsVersionOneReadable_AfterReactivation()
    {
        var definitions = fixture.Grains.GetGrain<IProcessDefinitionGrain>("persimmon-wine");
        var wine = BuiltInProcessDefinitions.PersimmonWine;

        var edited = await definitions.PutAsync(wine with { YieldTolerance = 0.25m });
        await fixture.DeactivateAllAsync();

        Assert.Equal(UpsertOutcome.Updated, edited.Outcome);
        var first = await definitions.GetAsync(1);
        Assert.True(first!.SameContent(wine));
        Assert.Equal(1, first.Version);
        var latest = await definitions.GetAsync(null);
        Assert.Equal((0.25m, 12), (latest!.YieldTolerance, latest.Steps.Count));

        // Back to the built-in's content (as a new version) for whoever reads it next.
        Assert.True((await definitions.PutAsync(wine)).Value!.SameContent(wine));
    }
}
