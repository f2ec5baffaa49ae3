using AgriChain.Contracts.MasterData;
using AgriChain.Domain.Common;
using AgriChain.Domain.MasterData;

namespace AgriChain.Server.Api.MasterData;

public sealed record CooperativeRequest(string? Name, string? Village, string? Township, string? County, string? Contact = null)
{
    public CooperativeProfile? Validate(FieldErrors errors)
    {
        var profile = new CooperativeProfile(errors.RequireText("name", Name), RegionFields.Read(errors, Village, Township, County),
            errors.OptionalText("contact", Contact, 200));
        return errors.IsEmpty ? profile : null;
    }
}

public sealed record CooperativeResponse(string Id, string Name, string Village, string Township, string County,
    string? Contact, IReadOnlyList<string> FarmIds, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static CooperativeResponse From(CooperativeView v) => new(v.Id, v.Profile.Name, v.Profile.Region.Village,
        v.Profile.Region.Township, v.Profile.Region.County, v.Profile.Contact, v.FarmIds, v.CreatedAt, v.UpdatedAt);
}

public sealed record BuyerRequest(string? Name, string? City)
{
    public BuyerProfile? Validate(FieldErrors errors)
    {
        var profile = new BuyerProfile(errors.RequireText("name", Name), errors.RequireText("city", City, 100));
        return errors.IsEmpty ? profile : null;
    }
}

public sealed record BuyerResponse(string Id, string Name, string City, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static BuyerResponse From(BuyerView v) => new(v.Id, v.Profile.Name, v.Profile.City, v.CreatedAt, v.UpdatedAt);
}

public sealed record FarmRequest(string? Name, string? CooperativeId, string? Village, string? Township, string? County,
    string? Kind, string? TimeZone)
{
    public FarmProfile? Validate(FieldErrors errors)
    {
        var name = errors.RequireText("name", Name);
        var cooperativeId = errors.RequireId("cooperativeId", CooperativeId);
        var region = RegionFields.Read(errors, Village, Township, County);
        var kind = FarmKind.Greenhouse;
        if (Kind is null)
        {
            errors.Add("kind", "is required");
        }
        else if (!WireNames.TryParse(Kind, out kind))
        {
            errors.Add("kind", $"must be one of {string.Join(", ", WireNames.All<FarmKind>())}");
        }

        var timeZone = TimeZone ?? FarmProfile.DefaultTimeZone;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _))
        {
            errors.Add("timeZone", "must be an IANA time zone such as Asia/Shanghai");
        }

        return errors.IsEmpty ? new FarmProfile(name, cooperativeId, region, kind, timeZone) : null;
    }
}

public sealed record FarmResponse(string Id, string Name, string CooperativeId, string Village, string Township,
    string County, string Kind, string TimeZone, IReadOnlyList<string> GreenhouseIds, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static FarmResponse From(FarmView v) => new(v.Id, v.Profile.Name, v.Profile.CooperativeId,
        v.Profile.Region.Village, v.Profile.Region.Township, v.Profile.Region.County, WireNames.Of(v.Profile.Kind),
        v.Profile.TimeZone, v.GreenhouseIds, v.CreatedAt, v.UpdatedAt);
}

public static class RegionFields
{
    public static Region Read(FieldErrors errors, string? village, string? township, string? county) => new(
        errors.RequireText("village", village, 100),
        errors.RequireText("township", township, 100),
        errors.RequireText("county", county, 100));
}

/// <summary>Kebab-case wire names of enums (<c>forest-plot</c>, <c>fruit-set</c>).</summary>
public static class WireNames
{
    public static string Of<T>(T value)
        where T : struct, Enum => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    public static IEnumerable<string> All<T>()
        where T : struct, Enum => Enum.GetValues<T>().Select(Of);

    public static bool TryParse<T>(string name, out T value)
        where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (Of(candidate) == name)
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
