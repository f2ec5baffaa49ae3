using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AgriChain.Server.Tests.Infrastructure;

namespace AgriChain.Server.Tests.Greenhouses;

[Collection(AppCollection.Name)]
public sealed class ConditionsEndpointTests(AppFixture fixture)
{
    private readonly HttpClient _admin = fixture.App.Admin();

    /// <summary>The top of an hour two hours ago: readings from here on are in the past and in one hour bucket.</summary>
    private static DateTimeOffset HourStart
    {
        get
        {
            var t = DateTimeOffset.UtcNow.AddHours(-2);
            return new DateTimeOffset(t.Year, t.Month, t.Day, t.Hour, 0, 0, TimeSpan.Zero);
        }
    }

    private static string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private async Task<(string Coop, string Farm, string Greenhouse)> FloweringGreenhouseAsync(DateTimeOffset since)
    {
        var coop = await Seed.CooperativeAsync(_admin);
        var farm = await Seed.FarmAsync(_admin, coop);
        var gh = await Seed.GreenhouseAsync(_admin, farm);
        var stage = await _admin.PutAsJsonAsync($"/api/v1/greenhouses/{gh}/stage", new { stage = "flowering", since = Iso(since) });
        Assert.Equal(HttpStatusCode.OK, stage.StatusCode);
        return (coop, farm, gh);
    }

    private static object ColdNight(DateTimeOffset start)
    {
        var readings = new List<object> { new { at = Iso(start), temperatureC = 12.0, humidityPct = 60.0, sensorId = "s1" } };
        readings.AddRange(Enumerable.Range(1, 30).Select(m => new { at = Iso(start.AddMinutes(m)), temperatureC = 8.5, humidityPct = 60.0, sensorId = "s1" }));
        readings.Add(new { at = Iso(start.AddMinutes(31)), temperatureC = 11.0, humidityPct = 60.0, sensorId = "s1" });
        return new { readings };
    }

    [Fact]
    public async Task ColdHalfHourInFlowering_MakesOneClosedAlertOf30MinutesAnd45DegreeMinutes()
    {
        var start = HourStart.AddMinutes(5);
        var (_, _, gh) = await FloweringGreenhouseAsync(start.AddHours(-1));

        var response = await _admin.PostAsJsonAsync($"/api/v1/greenhouses/{gh}/readings", ColdNight(start));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ingest = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(32, ingest.GetProperty("accepted").GetInt32());
        Assert.Equal(0, ingest.GetProperty("duplicates").GetInt32());
        Assert.Equal(1, ingest.GetProperty("openedAlerts").GetInt32());
        Assert.Equal(1, ingest.GetProperty("closedAlerts").GetInt32());

        var closed = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/greenhouses/{gh}/alerts?state=closed");
        var alert = Assert.Single(closed.GetProperty("items").EnumerateArray());
        Assert.Equal("temperature-below-floor", alert.GetProperty("kind").GetString());
        Assert.Equal("flowering", alert.GetProperty("stage").GetString());
        Assert.Equal(30, alert.GetProperty("minutesOutOfRange").GetDouble());
        Assert.Equal(45, alert.GetProperty("degreeMinutes").GetDouble());
        Assert.Equal(8.5, alert.GetProperty("worstValue").GetDouble());
        Assert.Equal(10, alert.GetProperty("threshold").GetDouble());
        Assert.Equal(JsonValueKind.Null, closed.GetProperty("nextPageToken").ValueKind);

        var greenhouse = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/greenhouses/{gh}");
        Assert.Equal("ok", greenhouse.GetProperty("status").GetString());
        Assert.Equal(11.0, greenhouse.GetProperty("latest").GetProperty("temperatureC").GetDouble());
        Assert.Equal(30, greenhouse.GetProperty("coldExposure").GetProperty("minutesBelowFloor").GetDouble());
        Assert.Equal(45, greenhouse.GetProperty("coldExposure").GetProperty("degreeMinutesBelowFloor").GetDouble());

        var hourly = await _admin.GetFromJsonAsync<JsonElement>(
            $"/api/v1/greenhouses/{gh}/readings?from={Iso(HourStart)}&to={Iso(HourStart.AddHours(1))}&bucket=1h");
        Assert.Equal("1h", hourly.GetProperty("bucket").GetString());
        var hour = Assert.Single(hourly.GetProperty("points").EnumerateArray());
        Assert.Equal(32, hour.GetProperty("count").GetInt32());
        Assert.Equal(8.5, hour.GetProperty("temperatureC").GetProperty("min").GetDouble());
        Assert.Equal(12.0, hour.GetProperty("temperatureC").GetProperty("max").GetDouble());
    }

    [Fact]
    public async Task ColdHalfHour_ReachesTheCooperativesWebhookSigned()
    {
        await using var receiver = await Notifications.KestrelReceiver.StartAsync(_ => 200);
        var start = HourStart.AddMinutes(5);
        var (coop, _, gh) = await FloweringGreenhouseAsync(start.AddHours(-1));
        const string Secret = "a-webhook-secret-of-some-length";
        var hook = await _admin.PutAsJsonAsync($"/api/v1/cooperatives/{coop}/webhooks/duty-phone",
            new { url = receiver.Url("duty"), secret = Secret, kind = "generic" });
        Assert.Equal(HttpStatusCode.Created, hook.StatusCode);

        await _admin.PostAsJsonAsync($"/api/v1/greenhouses/{gh}/readings", ColdNight(start));

        var types = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var delivery = await receiver.NextAsync(TimeSpan.FromSeconds(30));
            Assert.True(Domain.Notifications.WebhookSignature.Verify(delivery.Body, Secret, delivery.Headers["X-AgriChain-Signature"]),
                "The webhook body must carry a valid HMAC-SHA256 signature.");
            var body = JsonDocument.Parse(delivery.Body).RootElement;
            Assert.Equal(gh, body.GetProperty("data").GetProperty("greenhouseId").GetString());
            Assert.Equal("temperature-below-floor", body.GetProperty("data").GetProperty("kind").GetString());
            types.Add(body.GetProperty("type").GetString()!);
        }

        Assert.Equal(["alert.closed", "alert.opened"], types.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ResendingABatch_CountsDuplicatesAndChangesNothing()
    {
        var start = HourStart.AddMinutes(5);
        var (_, _, gh) = await FloweringGreenhouseAsync(start.AddHours(-1));
        await _admin.PostAsJsonAsync($"/api/v1/greenhouses/{gh}/readings", ColdNight(start));

        var again = await (await _admin.PostAsJsonAsync($"/api/v1/greenhouses/{gh}/readings", ColdNight(start)))
            .Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(0, again.GetProperty("accepted").GetInt32());
        Assert.Equal(32, again.GetProperty("duplicates").GetInt32());
        Assert.Equal(0, again.GetProperty("openedAlerts").GetInt32());
        var all = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/greenhouses/{gh}/alerts?state=all");
        Assert.Single(all.GetProperty("items").EnumerateArray());
        var raw = await _admin.GetFromJsonAsync<JsonElement>(
            $"/api/v1/greenhouses/{gh}/readings?from={Iso(HourStart)}&to={Iso(HourStart.AddHours(1))}");
        Assert.Equal(32, raw.GetProperty("points").GetArrayLength());
    }

    [Fact]
    public async Task LateReading_IsEvaluatedInTimeOrder()
    {
        var start = HourStart.AddMinutes(5);
        var (_, _, gh) = await FloweringGreenhouseAsync(start.AddHours(-1));
        await _admin.PostAsJsonAsync($"/api/v1/greenhouses/{gh}/readings", new
        {
            readings = new[] { new { at = Iso(start), temperatureC = 12.0 }, new { at = Iso(start.AddMinutes(10)), temperatureC = 12.0 } },
        });

        var late = await (await _admin.PostAsJsonAsync($"/api/v1/greenhouses/{gh}/readings", new
        {
            readings = new[] { new { at = Iso(start.AddMinutes(5)), temperatureC = 8.0 } },
        })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(1, late.GetProperty("accepted").GetInt32());
        var alert = Assert.Single((await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/greenhouses/{gh}/alerts?state=all"))
            .GetProperty("items").EnumerateArray());
        Assert.Equal(start.AddMinutes(5), alert.GetProperty("openedAt").GetDateTimeOffset());
        Assert.Equal(start.AddMinutes(10), alert.GetProperty("closedAt").GetDateTimeOffset());
        Assert.Equal(5, alert.GetProperty("minutesOutOfRange").GetDouble());
        Assert.Equal(10, alert.GetProperty("degreeMinutes").GetDouble());
    }

    [Fact]
    public async Task CsvReadings_AreAccepted()
    {
        var start = HourStart.AddMinutes(5);
        var (_, _, gh) = await FloweringGreenhouseAsync(start.AddHours(-1));
        var csv = $"at,temperatureC,humidityPct,sensorId\n{Iso(start)},12.5,55,logger-1\n\"{Iso(start.AddMinutes(1))}\",9.5,,logger-1\n";

        var response = await _admin.PostAsync($"/api/v1/greenhouses/{gh}/readings", new StringContent(csv, Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ingest = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, ingest.GetProperty("accepted").GetInt32());
        Assert.Equal(1, ingest.GetProperty("openedAlerts").GetInt32());
        var raw = await _admin.GetFromJsonAsync<JsonElement>(
            $"/api/v1/greenhouses/{gh}/readings?from={Iso(HourStart)}&to={Iso(HourStart.AddHours(1))}&bucket=raw");
        var second = raw.GetProperty("points")[1];
        Assert.Equal("logger-1", second.GetProperty("sensorId").GetString());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("humidityPct").ValueKind);
    }

    [Fact]
    public async Task BadBatch_IsRejectedWhole_NamingEveryBadItem()
    {
        var start = HourStart.AddMinutes(5);
        var (_, _, gh) = await FloweringGreenhouseAsync(start.AddHours(-1));
        var body = new
        {
            readings = new object[]
            {
                new { at = Iso(start), temperatureC = 12.0 },
                new { at = Iso(start.AddMinutes(1)), temperatureC = 95.0 },
                new { at = "2026-03-01T10:00:00", temperatureC = 12.0 },
                new { at = Iso(DateTimeOffset.UtcNow.AddMinutes(30)), temperatureC = 12.0, humidityPct = 130.0 },
                new { at = Iso(start.AddMinutes(4)), temperatureC = 12.0, sensorId = "Bad Sensor" },
            },
        };

        var response = await _admin.PostAsJsonAsync($"/api/v1/greenhouses/{gh}/readings", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["readings[1].temperatureC", "readings[2].at", "readings[3].at", "readings[3].humidityPct", "readings[4].sensorId"],
            errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var raw = await _admin.GetFromJsonAsync<JsonElement>(
            $"/api/v1/greenhouses/{gh}/readings?from={Iso(HourStart)}&to={Iso(HourStart.AddHours(1))}");
        Assert.Equal(0, raw.GetProperty("points").GetArrayLength());
    }

    [Fact]
    public async Task BadCsvRow_IsNamedAndNothingIsStored()
    {
        var start = HourStart.AddMinutes(5);
        var (_, _, gh) = await FloweringGreenhouseAsync(start.AddHours(-1));
        var csv = $"at,temperatureC\n{Iso(start)},12\n{Iso(start.AddMinutes(1))},warm\n";

        var response = await _admin.PostAsync($"/api/v1/greenhouses/{gh}/readings", new StringContent(csv, Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("readings[1].temperatureC", out _));
        var raw = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/greenhouses/{gh}/readings?from={Iso(HourStart)}&to={Iso(HourStart.AddHours(1))}");
        Assert.Equal(0, raw.GetProperty("points").GetArrayLength());
    }

    [Fact]
    public async Task ReadingScopes_FollowTheFarm()
    {
        var start = HourStart.AddMinutes(5);
        var (coop, farm, gh) = await FloweringGreenhouseAsync(start.AddHours(-1));
        var otherFarm = await Seed.FarmAsync(_admin, coop);
        var buyer = await Seed.BuyerAsync(_admin);
        var body = new { readings = new[] { new { at = Iso(start), temperatureC = 12.0 } } };

        using var tech = fixture.App.ClientWithKey(await fixture.App.IssueKeyAsync(new { role = "technician", farmIds = new[] { farm }, label = "t" }));
        using var otherTech = fixture.App.ClientWithKey(await fixture.App.IssueKeyAsync(new { role = "technician", farmIds = new[] { otherFarm }, label = "o" }));
        using var buyerClient = fixture.App.ClientWithKey(await fixture.App.IssueKeyAsync(new { role = "buyer", buyerId = buyer, label = "b" }));

        Assert.Equal(HttpStatusCode.OK, (await tech.PostAsJsonAsync($"/api/v1/greenhouses/{gh}/readings", body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await tech.PutAsJsonAsync($"/api/v1/greenhouses/{gh}/stage", new { stage = "fruit-set" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await otherTech.PostAsJsonAsync($"/api/v1/greenhouses/{gh}/readings", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await otherTech.GetAsync($"/api/v1/greenhouses/{gh}/readings")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await buyerClient.PostAsJsonAsync($"/api/v1/greenhouses/{gh}/readings", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await buyerClient.GetAsync("/api/v1/alerts")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.PostAsJsonAsync("/api/v1/greenhouses/no-such-gh/readings", body)).StatusCode);
    }

    [Fact]
    public async Task StageCannotStartBeforeTheCurrentOne()
    {
        var start = HourStart;
        var (_, _, gh) = await FloweringGreenhouseAsync(start);

        var response = await _admin.PutAsJsonAsync($"/api/v1/greenhouses/{gh}/stage", new { stage = "budbreak", since = Iso(start.AddDays(-1)) });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var bad = await _admin.PutAsJsonAsync($"/api/v1/greenhouses/{gh}/stage", new { stage = "blooming" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task OpenAlerts_AreListedByRegionWithinScope_AndCanBeAcknowledged()
    {
        var start = HourStart.AddMinutes(5);
        var (coop, farm, gh) = await FloweringGreenhouseAsync(start.AddHours(-1));
        await _admin.PostAsJsonAsync($"/api/v1/greenhouses/{gh}/readings", new { readings = new[] { new { at = Iso(start), temperatureC = 7.0 } } });
        var otherCoop = await Seed.CooperativeAsync(_admin);
        using var mine = fixture.App.ClientWithKey(await fixture.App.IssueKeyAsync(new { role = "cooperative", cooperativeId = coop, label = "mine" }));
        using var theirs = fixture.App.ClientWithKey(await fixture.App.IssueKeyAsync(new { role = "cooperative", cooperativeId = otherCoop, label = "theirs" }));

        var byFarm = await mine.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?state=open&farmId={farm}");
        var alert = Assert.Single(byFarm.GetProperty("items").EnumerateArray());
        Assert.Equal(gh, alert.GetProperty("greenhouseId").GetString());
        Assert.Equal("Xibeizhuang", alert.GetProperty("village").GetString());
        var byVillage = await mine.GetFromJsonAsync<JsonElement>("/api/v1/alerts?state=open&village=Xibeizhuang");
        Assert.Contains(byVillage.GetProperty("items").EnumerateArray(), a => a.GetProperty("greenhouseId").GetString() == gh);
        var theirView = await theirs.GetFromJsonAsync<JsonElement>("/api/v1/alerts?state=open&village=Xibeizhuang");
        Assert.DoesNotContain(theirView.GetProperty("items").EnumerateArray(), a => a.GetProperty("greenhouseId").GetString() == gh);

        var id = alert.GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.Forbidden, (await theirs.PostAsJsonAsync($"/api/v1/alerts/{id}/acknowledge", new { note = "not mine" })).StatusCode);
        var ack = await mine.PostAsJsonAsync($"/api/v1/alerts/{id}/acknowledge", new { note = "heaters on" });
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        var acknowledged = await ack.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("heaters on", acknowledged.GetProperty("acknowledgementNote").GetString());
        Assert.Equal(JsonValueKind.String, acknowledged.GetProperty("acknowledgedAt").ValueKind);
        var greenhouse = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/greenhouses/{gh}");
        Assert.Equal("alert", greenhouse.GetProperty("status").GetString());
        Assert.Equal("heaters on", greenhouse.GetProperty("openAlerts")[0].GetProperty("acknowledgementNote").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await mine.PostAsJsonAsync("/api/v1/alerts/al-000000000000000000000000/acknowledge", new { })).StatusCode);
    }

    [Fact]
    public async Task AlertPaging_WalksEveryAlertOnce()
    {
        var start = HourStart.AddMinutes(5);
        var (_, farm, gh) = await FloweringGreenhouseAsync(start.AddHours(-1));
        var readings = Enumerable.Range(0, 10).Select(i => new { at = Iso(start.AddMinutes(i)), temperatureC = i % 2 == 0 ? 8.0 : 12.0 });
        await _admin.PostAsJsonAsync($"/api/v1/greenhouses/{gh}/readings", new { readings });

        var seen = new List<string>();
        string? token = null;
        do
        {
            var url = $"/api/v1/alerts?state=all&farmId={farm}&limit=2" + (token is null ? "" : $"&pageToken={token}");
            var page = await _admin.GetFromJsonAsync<JsonElement>(url);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetString()!));
            token = page.GetProperty("nextPageToken").GetString();
        }
        while (token is not null);

        Assert.Equal(5, seen.Count);
        Assert.Equal(5, seen.Distinct().Count());
        Assert.Equal(HttpStatusCode.BadRequest, (await _admin.GetAsync($"/api/v1/alerts?state=all&pageToken=garbage")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _admin.GetAsync("/api/v1/alerts?limit=5000")).StatusCode);
    }
}
