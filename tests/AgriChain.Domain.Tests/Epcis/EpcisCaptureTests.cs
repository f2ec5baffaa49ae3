using System.Text.Json;
using System.Text.Json.Nodes;
using AgriChain.Domain.Epcis;

namespace AgriChain.Domain.Tests.Epcis;

public sealed class EpcisCaptureTests
{
    private static readonly DateTimeOffset Now = new(2025, 7, 1, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(EpcisTestData.Examples), MemberType = typeof(EpcisTestData))]
    public void Example_KeepsItsEventIds_AndGetsTheRecordTime(string name)
    {
        var source = EpcisTestData.Node(name);
        using var document = EpcisTestData.Document(source.ToJsonString());

        var content = EpcisCapture.Prepare(document.RootElement, Now);

        Assert.Null(content.Problem);
        var events = source["epcisBody"]!["eventList"]!.AsArray();
        Assert.Equal(events.Count, content.EventCount);
        Assert.Equal(events.Select(e => (string?)e!["eventID"]), content.Events.Select(e => e.EventId));
        foreach (var record in content.Events)
        {
            var body = JsonNode.Parse(record.Body)!;
            Assert.Equal("2025-07-01T08:00:00.000Z", (string?)body["recordTime"]);
            // The document's own prefix travels with each event.
            Assert.Equal("http://ns.example.com/epcis/", (string?)body["@context"]![0]!["example"]);
        }
    }

    [Fact]
    public void Identifiers_AreIndexedByRole_AndAgriChainLotsLinkTheirBatch()
    {
        using var document = EpcisTestData.Document(EpcisTestData.Read("Example_9.6.4-TransformationEvent.jsonld"));
        var record = Assert.Single(EpcisCapture.Prepare(document.RootElement, Now).Events);
        Assert.Equal(2, record.Identifiers.Count(i => i.Role == EpcisIdRole.Input));
        Assert.Equal(4, record.Identifiers.Count(i => i.Role == EpcisIdRole.Output));
        Assert.Equal(3, record.Identifiers.Count(i => i.Role == EpcisIdRole.InputClass));
        Assert.Equal("commissioning", record.BizStep);
        Assert.Empty(record.BatchIds);

        var receiving = Document(new JsonObject
        {
            ["type"] = "ObjectEvent", ["eventTime"] = "2025-07-01T10:00:00+08:00", ["eventTimeZoneOffset"] = "+08:00", ["action"] = "OBSERVE",
            ["bizStep"] = "urn:epcglobal:cbv:bizstep:receiving",
            ["quantityList"] = new JsonArray(new JsonObject { ["epcClass"] = EpcisIdentifiers.Lot("nectarine", "b-17"), ["quantity"] = 10 }),
        });
        var linked = Assert.Single(EpcisCapture.Prepare(receiving.RootElement, Now).Events);
        Assert.Equal(["b-17"], linked.BatchIds);
        Assert.Equal("receiving", linked.BizStep);
        Assert.Equal(new DateTimeOffset(2025, 7, 1, 2, 0, 0, TimeSpan.Zero), linked.EventTime);
        Assert.StartsWith("ni:///sha-256;", linked.EventId, StringComparison.Ordinal);
        Assert.Equal(linked.EventId, (string?)JsonNode.Parse(linked.Body)!["eventID"]);
    }

    [Fact]
    public void SameEventTwice_IsKeptOnce_AndTheErrorDeclarationWins()
    {
        var plain = new JsonObject
        {
            ["type"] = "ObjectEvent", ["eventID"] = "urn:uuid:11111111-2222-3333-4444-555555555555", ["eventTime"] = "2025-07-01T10:00:00Z",
            ["eventTimeZoneOffset"] = "+08:00", ["action"] = "OBSERVE", ["epcList"] = new JsonArray("urn:epc:id:sgtin:0614141.107346.2017"),
        };
        var declared = plain.DeepClone().AsObject();
        declared["errorDeclaration"] = new JsonObject { ["declarationTime"] = "2025-07-02T00:00:00Z", ["reason"] = "incorrect_data" };

        var content = EpcisCapture.Prepare(Document(plain, plain.DeepClone().AsObject(), declared).RootElement, Now);

        Assert.Equal(3, content.EventCount);
        Assert.True(Assert.Single(content.Events).ErrorDeclared);
    }

    [Fact]
    public void QueryDocument_IsRefused()
    {
        using var document = JsonDocument.Parse("""{"@context":"x","type":"EPCISQueryDocument","epcisBody":{}}""");

        Assert.NotNull(EpcisCapture.Prepare(document.RootElement, Now).Problem);
    }

    [Fact]
    public void LotIdentifiers_RoundTrip()
    {
        Assert.Equal("wine-2025.01", EpcisIdentifiers.BatchOf(EpcisIdentifiers.Lot("persimmon-wine", "wine-2025.01")));
        Assert.Null(EpcisIdentifiers.BatchOf("urn:agrichain:lot:persimmon"));
        Assert.Null(EpcisIdentifiers.BatchOf("urn:agrichain:lot:persimmon:Bad Id"));
        Assert.Null(EpcisIdentifiers.BatchOf("urn:epc:class:lgtin:4012345.012345.998877"));
    }

    private static JsonDocument Document(params JsonObject[] events) => JsonDocument.Parse(new JsonObject
    {
        ["@context"] = EpcisVocabulary.StandardContext,
        ["type"] = "EPCISDocument",
        ["schemaVersion"] = "2.0",
        ["creationDate"] = "2025-07-01T00:00:00Z",
        ["epcisBody"] = new JsonObject { ["eventList"] = new JsonArray(events) },
    }.ToJsonString());
}
