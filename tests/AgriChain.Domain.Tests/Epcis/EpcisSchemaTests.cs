using System.Text.Json.Nodes;
using AgriChain.Domain.Epcis;

namespace AgriChain.Domain.Tests.Epcis;

public sealed class EpcisSchemaTests
{
    [Theory]
    [MemberData(nameof(EpcisTestData.Examples), MemberType = typeof(EpcisTestData))]
    public void GsExample_IsValid(string name)
    {
        using var document = EpcisTestData.Document(EpcisTestData.Read(name));

        var verdict = EpcisSchema.Instance.Validate(document.RootElement);

        Assert.True(verdict.IsValid, string.Join("\n", verdict.Lines));
    }

    [Fact]
    public void MissingAction_IsNamedAtTheEvent()
    {
        var document = EpcisTestData.Node("Example_9.6.1-ObjectEvent.jsonld");
        document["epcisBody"]!["eventList"]![1]!.AsObject().Remove("action");

        var verdict = Validate(document);

        Assert.False(verdict.IsValid);
        Assert.Equal(["required: Required properties [\"action\"] are not present"], verdict.Complaints["epcisBody.eventList[1]"]);
        Assert.Single(verdict.Complaints);
    }

    [Fact]
    public void BadTimeAndUnknownBizStep_AreEachNamed()
    {
        var document = EpcisTestData.Node("Example_9.6.2-ObjectEvent.jsonld");
        var e = document["epcisBody"]!["eventList"]![0]!;
        e["eventTime"] = "yesterday";
        e["bizStep"] = "flying";

        var verdict = Validate(document);

        Assert.Equal(["format: Value does not match format \"date-time\""], verdict.Complaints["epcisBody.eventList[0].eventTime"]);
        var bizStep = verdict.Complaints["epcisBody.eventList[0].bizStep"];
        Assert.Contains("enum: Value should match one of the values specified by the enum", bizStep);
        Assert.Equal(2, verdict.Complaints.Count);
    }

    [Fact]
    public void DocumentWithoutBody_IsRefusedAtTheTop()
    {
        var verdict = Validate(new JsonObject
        {
            ["@context"] = EpcisVocabulary.StandardContext, ["type"] = "EPCISDocument", ["schemaVersion"] = "2.0",
            ["creationDate"] = "2025-01-01T00:00:00Z",
        });

        Assert.Contains(verdict.Lines, l => l.StartsWith("$: required", StringComparison.Ordinal) && l.Contains("epcisBody", StringComparison.Ordinal));
    }

    private static SchemaVerdict Validate(JsonObject document)
    {
        using var parsed = EpcisTestData.Document(document.ToJsonString());
        return EpcisSchema.Instance.Validate(parsed.RootElement);
    }
}
