using System.Text.Json.Nodes;
using AgriChain.Domain.Epcis;

namespace AgriChain.Domain.Tests.Epcis;

public sealed class EpcisEventHashTests
{
    private static readonly Dictionary<string, string> Prefixes = new(StringComparer.Ordinal) { ["example"] = "http://ns.example.com/epcis/" };

    private static JsonObject Event() => JsonNode.Parse("""
        {"type":"ObjectEvent","eventTime":"2013-06-08T14:58:56.591Z","eventTimeZoneOffset":"+02:00","action":"OBSERVE",
         "bizStep":"receiving","disposition":"in_progress","readPoint":{"id":"urn:epc:id:sgln:0614141.00777.0"},
         "epcList":["urn:epc:id:sgtin:0614141.107346.2017","urn:epc:id:sgtin:0614141.107346.2018"],
         "quantityList":[{"epcClass":"urn:epc:class:lgtin:4012345.012345.998877","quantity":200,"uom":"KGM"}],
         "example:myField":"x"}
        """)!.AsObject();

    [Fact]
    public void SameContent_WrittenDifferently_HasTheSameId()
    {
        var reordered = JsonNode.Parse("""
            {"example:myField":"x","epcList":["urn:epc:id:sgtin:0614141.107346.2018","urn:epc:id:sgtin:0614141.107346.2017"],
             "quantityList":[{"uom":"KGM","quantity":200.00,"epcClass":"urn:epc:class:lgtin:4012345.012345.998877"}],
             "type":"ObjectEvent","eventTime":"2013-06-08T16:58:56.591+02:00","eventTimeZoneOffset":"+02:00","action":"OBSERVE",
             "bizStep":"https://ref.gs1.org/cbv/BizStep-receiving","disposition":"in_progress","readPoint":{"id":"urn:epc:id:sgln:0614141.00777.0"},
             "eventID":"urn:uuid:ignored","recordTime":"2030-01-01T00:00:00Z"}
            """)!.AsObject();
        var expanded = new Dictionary<string, string>(StringComparer.Ordinal) { ["ex"] = "http://ns.example.com/epcis/" };
        var renamedPrefix = Event();
        renamedPrefix.Remove("example:myField");
        renamedPrefix["ex:myField"] = "x";

        var id = EpcisEventHash.Compute(Event(), Prefixes);

        Assert.Matches("^ni:///sha-256;[0-9a-f]{64}\\?ver=CBV2\\.0$", id);
        Assert.Equal(id, EpcisEventHash.Compute(reordered, Prefixes));
        Assert.Equal(id, EpcisEventHash.Compute(renamedPrefix, expanded));
    }

    [Fact]
    public void DifferentContent_HasAnotherId()
    {
        var other = Event();
        other["quantityList"]![0]!["quantity"] = 201;

        Assert.NotEqual(EpcisEventHash.Compute(Event(), Prefixes), EpcisEventHash.Compute(other, Prefixes));
    }

    [Fact]
    public void PreHashString_FollowsTheStandardOrder()
    {
        var text = EpcisEventHash.PreHashString(Event(), Prefixes);

        Assert.StartsWith("eventType=ObjectEventeventTime=2013-06-08T14:58:56.591ZeventTimeZoneOffset=+02:00epcListepc=urn:epc:id:sgtin:0614141.107346.2017", text, StringComparison.Ordinal);
        Assert.Contains("bizStep=https://ref.gs1.org/cbv/BizStep-receiving", text, StringComparison.Ordinal);
        Assert.EndsWith("http://ns.example.com/epcis/myField=x", text, StringComparison.Ordinal);
    }
}
