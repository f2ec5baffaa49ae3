using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgriChain.Server.Tests.Infrastructure;
using static AgriChain.Server.Tests.Processing.ProcessingSeed;

namespace AgriChain.Server.Tests.Processing;

[Collection(AppCollection.Name)]
public sealed class ProcessingRunEndpointTests(AppFixture fixture)
{
    private readonly HttpClient _admin = fixture.App.Admin();

    private static async Task<JsonElement> BatchAsync(HttpClient client, string id) =>
        await client.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{id}");

    [Fact]
    public async Task Start_WithOneInputShort_Is409WithTheShortfall_AndTakesNothing()
    {
        var orchard = await OrchardAsync(fixture.App, _admin);
        var (a, b) = (await PersimmonsAsync(orchard.Owner, orchard, 500m), await PersimmonsAsync(orchard.Owner, orchard, 300m));
        var id = Seed.NewId("run");

        var response = await orchard.Owner.PostAsJsonAsync("/api/v1/processing-runs", StartBody(id, orchard, (a, 500m), (b, 400m)));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var shortfall = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("shortfalls").EnumerateArray());
        Assert.Equal((b, 400m, 300m, "not enough left"), (shortfall.GetProperty("batchId").GetString(), shortfall.GetProperty("requested").GetDecimal(),
            shortfall.GetProperty("available").GetDecimal(), shortfall.GetProperty("reason").GetString()));
        var batchA = await BatchAsync(orchard.Owner, a);
        Assert.Equal((500m, 500m, "active"), (batchA.GetProperty("quantity").GetDecimal(), batchA.GetProperty("available").GetDecimal(), batchA.GetProperty("status").GetString()));
        Assert.Equal(300m, (await BatchAsync(orchard.Owner, b)).GetProperty("available").GetDecimal());
        Assert.Equal(HttpStatusCode.NotFound, (await orchard.Owner.GetAsync($"/api/v1/processing-runs/{id}")).StatusCode);
    }

    [Fact]
    public async Task Start_TakesTheInputs_OnceForTheSameRequest()
    {
        var orchard = await OrchardAsync(fixture.App, _admin);
        var (a, b) = (await PersimmonsAsync(orchard.Owner, orchard, 500m), await PersimmonsAsync(orchard.Owner, orchard, 400m));
        var id = Seed.NewId("run");

        var created = await orchard.Owner.PostAsJsonAsync("/api/v1/processing-runs", StartBody(id, orchard, (a, 500m), (b, 400m)));
        var again = await orchard.Owner.PostAsJsonAsync("/api/v1/processing-runs", StartBody(id, orchard, (a, 500m), (b, 400m)));
        var other = await orchard.Owner.PostAsJsonAsync("/api/v1/processing-runs", StartBody(id, orchard, (a, 400m), (b, 400m)));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/v1/processing-runs/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        var run = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("persimmon-wine", 1, "in-progress", 900m), (run.GetProperty("definitionId").GetString(), run.GetProperty("definitionVersion").GetInt32(),
            run.GetProperty("status").GetString(), run.GetProperty("inputKg").GetDecimal()));
        Assert.Equal(JsonValueKind.Null, run.GetProperty("yieldRatio").ValueKind);
        Assert.Equal(10, run.GetProperty("missingSteps").GetArrayLength());
        foreach (var batch in new[] { a, b })
        {
            var view = await BatchAsync(orchard.Owner, batch);
            Assert.Equal((0m, "consumed"), (view.GetProperty("quantity").GetDecimal(), view.GetProperty("status").GetString()));
        }
    }

    [Fact]
    public async Task Start_ValidatesEveryFieldAndTheInputs()
    {
        var orchard = await OrchardAsync(fixture.App, _admin);
        var bad = await orchard.Owner.PostAsJsonAsync("/api/v1/processing-runs",
            new { id = "Bad Id", definitionId = "persimmon-wine", ownerId = orchard.Coop, inputs = new[] { new { batchId = "x", quantity = -1m } } });
        Assert.Equal(["id", "inputs[0].quantity"], (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")
            .EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        var apples = await PersimmonsAsync(orchard.Owner, orchard, 100m, product: "apple");
        var persimmons = await PersimmonsAsync(orchard.Owner, orchard, 100m);
        var wrong = await orchard.Owner.PostAsJsonAsync("/api/v1/processing-runs", new
        {
            id = Seed.NewId("run"), definitionId = "no-such-process", ownerId = orchard.Coop,
            inputs = new[] { new { batchId = apples, quantity = 10m }, new { batchId = Seed.NewId("nothing"), quantity = 1m } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal(["definitionId", "inputs[1].batchId"], (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")
            .EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var notPersimmons = await orchard.Owner.PostAsJsonAsync("/api/v1/processing-runs", StartBody(Seed.NewId("run"), orchard, (apples, 10m)));
        Assert.True((await notPersimmons.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("inputs[0].batchId", out _));

        // Another cooperative can neither run this cooperative's batches nor claim its own run on them.
        var other = await OrchardAsync(fixture.App, _admin);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.Owner.PostAsJsonAsync("/api/v1/processing-runs",
            StartBody(Seed.NewId("run"), orchard, (persimmons, 10m)))).StatusCode);
        var foreign = await other.Owner.PostAsJsonAsync("/api/v1/processing-runs", StartBody(Seed.NewId("run"), other, (persimmons, 10m)));
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Equal(100m, (await BatchAsync(orchard.Owner, persimmons)).GetProperty("available").GetDecimal());
    }

    [Fact]
    public async Task Runs_AreForTheOwningCooperativeAndAdmins()
    {
        var orchard = await OrchardAsync(fixture.App, _admin);
        var batch = await PersimmonsAsync(orchard.Owner, orchard, 100m);
        var run = await StartedRunAsync(orchard, (batch, 100m));
        var other = await OrchardAsync(fixture.App, _admin);
        using var buyer = fixture.App.ClientWithKey(await fixture.App.IssueKeyAsync(new { role = "buyer", buyerId = await Seed.BuyerAsync(_admin), label = "b" }));
        using var technician = fixture.App.ClientWithKey(await fixture.App.IssueKeyAsync(new { role = "technician", farmIds = new[] { orchard.Farm }, label = "t" }));
        using var anonymous = fixture.App.ClientWithKey(null);
        var step = StepBody(0, "sorting-and-washing", []);

        Assert.Equal(HttpStatusCode.OK, (await _admin.GetAsync($"/api/v1/processing-runs/{run}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await orchard.Owner.GetAsync($"/api/v1/processing-runs/{run}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.Owner.GetAsync($"/api/v1/processing-runs/{run}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await buyer.GetAsync($"/api/v1/processing-runs/{run}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/v1/processing-runs/{run}")).StatusCode);
        foreach (var client in new[] { other.Owner, buyer, technician })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync($"/api/v1/processing-runs/{run}/steps", step)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync($"/api/v1/processing-runs/{run}/abandon", new { reason = "x" })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync($"/api/v1/processing-runs/{run}/release", new { reason = "x" })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync($"/api/v1/processing-runs/{run}/complete", WineOutput(Seed.NewId("wine")))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await buyer.PostAsJsonAsync("/api/v1/processing-runs", StartBody(Seed.NewId("run"), orchard, (batch, 1m)))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _admin.PostAsJsonAsync($"/api/v1/processing-runs/{run}/steps", step)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync($"/api/v1/processing-runs/{Seed.NewId("run")}")).StatusCode);
    }

    [Fact]
    public async Task Steps_AreRecordedInOrder_AndCheckedAgainstTheDefinition()
    {
        var orchard = await OrchardAsync(fixture.App, _admin);
        var run = await StartedRunAsync(orchard, (await PersimmonsAsync(orchard.Owner, orchard, 900m), 900m));
        var steps = Steps();
        var path = $"/api/v1/processing-runs/{run}/steps";

        var skipped = await orchard.Owner.PostAsJsonAsync(path, StepBody(4, steps[4].Step, steps[4].Parameters));
        Assert.Equal(HttpStatusCode.Conflict, skipped.StatusCode);
        var problem = await skipped.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["sorting-and-washing", "removing-astringency", "destemming-and-crushing", "must-adjustment"],
            problem.GetProperty("missingSteps").EnumerateArray().Select(s => s.GetString()));

        var first = await RecordAsync(orchard.Owner, run, 0, steps[0].Step, steps[0].Parameters);
        var repeated = await orchard.Owner.PostAsJsonAsync(path, StepBody(0, steps[0].Step, steps[0].Parameters));
        Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
        Assert.Equal(first.GetProperty("recorded").GetRawText(), (await repeated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recorded").GetRawText());
        Assert.Equal(HttpStatusCode.Conflict, (await orchard.Owner.PostAsJsonAsync(path, StepBody(1, steps[0].Step, steps[0].Parameters))).StatusCode);

        var unknown = await orchard.Owner.PostAsJsonAsync(path, StepBody(1, "distilling", []));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.True((await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("step", out _));
        var badValues = await orchard.Owner.PostAsJsonAsync(path, StepBody(1, "removing-astringency", new() { ["temperatureC"] = 40m, ["colour"] = 1m }));
        Assert.Equal(["parameters.colour"], (await badValues.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")
            .EnumerateObject().Select(p => p.Name));
        var badTimes = await orchard.Owner.PostAsJsonAsync(path, new
        {
            step = "removing-astringency", startedAt = Iso(DateTimeOffset.UtcNow.AddHours(-1)), endedAt = Iso(DateTimeOffset.UtcNow.AddHours(-2)),
            parameters = steps[1].Parameters,
        });
        Assert.True((await badTimes.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("endedAt", out _));
        var notANumber = await orchard.Owner.PostAsync(path, JsonContent.Create(JsonDocument.Parse(
            """{"step":"removing-astringency","startedAt":"2026-01-01T00:00:00Z","endedAt":"2026-01-01T01:00:00Z","parameters":{"hours":"long"}}""").RootElement));
        Assert.Equal(HttpStatusCode.BadRequest, notANumber.StatusCode);

        for (var i = 1; i < steps.Count; i++)
        {
            if (i is 7 or 8)
            {
                continue; // fining and cold stabilisation are optional
            }

            var answer = await RecordAsync(orchard.Owner, run, i, steps[i].Step, steps[i].Parameters);
            Assert.Empty(answer.GetProperty("deviations").EnumerateArray());
        }

        var passedOver = await orchard.Owner.PostAsJsonAsync(path, StepBody(8, steps[8].Step, steps[8].Parameters));
        Assert.Equal(HttpStatusCode.Conflict, passedOver.StatusCode);

        var wine = Seed.NewId("wine");
        Assert.Equal(HttpStatusCode.OK, (await orchard.Owner.PostAsJsonAsync($"/api/v1/processing-runs/{run}/complete", WineOutput(wine))).StatusCode);
        var afterCompletion = await orchard.Owner.PostAsJsonAsync(path, StepBody(8, steps[8].Step, steps[8].Parameters));
        Assert.Equal(HttpStatusCode.Conflict, afterCompletion.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await orchard.Owner.PostAsJsonAsync($"/api/v1/processing-runs/{run}/abandon", new { reason = "late" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await orchard.Owner.PostAsJsonAsync($"/api/v1/processing-runs/{run}/release", new { reason = "nothing held" })).StatusCode);
    }

    [Fact]
    public async Task Complete_BeforeTheRequiredSteps_Is409NamingThem()
    {
        var orchard = await OrchardAsync(fixture.App, _admin);
        var run = await StartedRunAsync(orchard, (await PersimmonsAsync(orchard.Owner, orchard, 100m), 100m));

        var response = await orchard.Owner.PostAsJsonAsync($"/api/v1/processing-runs/{run}/complete", WineOutput(Seed.NewId("wine"), 50m));
        var invalid = await orchard.Owner.PostAsJsonAsync($"/api/v1/processing-runs/{run}/complete",
            new { outputs = new[] { new { batchId = "w", product = "persimmon-wine", quantity = 0m, unit = "barrel" } } });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(10, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("missingSteps").GetArrayLength());
        Assert.Equal(["outputs[0].quantity", "outputs[0].unit"], (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")
            .EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Abandon_BeforeCrushing_GivesThePersimmonsBack_AndPutsItOnTheirLineage()
    {
        var orchard = await OrchardAsync(fixture.App, _admin);
        var batch = await PersimmonsAsync(orchard.Owner, orchard, 600m);
        var run = await StartedRunAsync(orchard, (batch, 600m));
        var steps = Steps();
        await RecordAsync(orchard.Owner, run, 0, steps[0].Step, steps[0].Parameters);

        var abandoned = await orchard.Owner.PostAsJsonAsync($"/api/v1/processing-runs/{run}/abandon", new { reason = "fruit not ripe enough to de-astringe" });
        var again = await orchard.Owner.PostAsJsonAsync($"/api/v1/processing-runs/{run}/abandon", new { reason = "fruit not ripe enough to de-astringe" });
        var noReason = await orchard.Owner.PostAsJsonAsync($"/api/v1/processing-runs/{run}/abandon", new { reason = " " });

        Assert.Equal(HttpStatusCode.OK, abandoned.StatusCode);
        var body = await abandoned.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("abandoned", true, "fruit not ripe enough to de-astringe"), (body.GetProperty("status").GetString(),
            body.GetProperty("inputsReturned").GetBoolean(), body.GetProperty("abandonReason").GetString()));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var persimmons = await BatchAsync(orchard.Owner, batch);
        Assert.Equal((600m, "active"), (persimmons.GetProperty("quantity").GetDecimal(), persimmons.GetProperty("status").GetString()));
        var abandonment = Assert.Single(persimmons.GetProperty("events").EnumerateArray(), e => e.GetProperty("type").GetString() == "abandoned");
        Assert.Equal("returned", abandonment.GetProperty("result").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await orchard.Owner.PostAsJsonAsync($"/api/v1/processing-runs/{run}/steps",
            StepBody(1, steps[1].Step, steps[1].Parameters))).StatusCode);

        // The persimmons are free again for another run.
        await StartedRunAsync(orchard, (batch, 600m));
    }

    [Fact]
    public async Task ARunKeepsTheDefinitionVersionItStartedWith()
    {
        var orchard = await OrchardAsync(fixture.App, _admin);
        var id = Seed.NewId("wine-def");
        object Definition(string firstStep) => new
        {
            product = "persimmon-wine", outputUnit = "L", expectedYieldPerKg = 0.5m, inputProduct = "persimmon",
            steps = new object[] { new { name = firstStep, required = true, parameters = new { } } },
        };
        Assert.Equal(HttpStatusCode.Created, (await _admin.PutAsJsonAsync($"/api/v1/process-definitions/{id}", Definition("pressing"))).StatusCode);
        var run = Seed.NewId("run");
        var batch = await PersimmonsAsync(orchard.Owner, orchard, 100m);
        var started = await orchard.Owner.PostAsJsonAsync("/api/v1/processing-runs",
            new { id = run, definitionId = id, ownerId = orchard.Coop, inputs = new[] { new { batchId = batch, quantity = 100m } } });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await _admin.PutAsJsonAsync($"/api/v1/process-definitions/{id}", Definition("crushing"))).StatusCode);
        await RecordAsync(orchard.Owner, run, 0, "pressing", []);
        var view = await orchard.Owner.GetFromJsonAsync<JsonElement>($"/api/v1/processing-runs/{run}");

        Assert.Equal(1, view.GetProperty("definitionVersion").GetInt32());
        Assert.Equal("pressing", Assert.Single(view.GetProperty("steps").EnumerateArray()).GetProperty("step").GetString());
        var completed = await orchard.Owner.PostAsJsonAsync($"/api/v1/processing-runs/{run}/complete", WineOutput(Seed.NewId("wine"), 20m));
        var body = await completed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((0.2m, true), (body.GetProperty("yieldRatio").GetDecimal(), body.GetProperty("yieldFlagged").GetBoolean()));
    }
}
