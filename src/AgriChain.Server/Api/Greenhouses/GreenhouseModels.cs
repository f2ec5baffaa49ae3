using AgriChain.Contracts.Greenhouses;
using AgriChain.Domain.Common;
using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.MasterData;
using AgriChain.Server.Api.MasterData;

namespace AgriChain.Server.Api.Greenhouses;

public sealed record GreenhouseRequest(string? FarmId, string? Name, string? Crop, string? Variety, decimal? AreaMu)
{
    public GreenhouseProfile? Validate(FieldErrors errors)
    {
        var profile = new GreenhouseProfile(
            errors.RequireId("farmId", FarmId),
            errors.RequireText("name", Name),
            errors.RequireId("crop", Crop),
            errors.RequireText("variety", Variety, 100),
            errors.RequirePositive("areaMu", AreaMu, GreenhouseProfile.MaxAreaMu));
        return errors.IsEmpty ? profile : null;
    }
}

public sealed record LatestConditions(DateTimeOffset At, double TemperatureC, double? HumidityPct, string SensorId);

public sealed record ColdExposureResponse(double MinutesBelowFloor, double DegreeMinutesBelowFloor)
{
    public static ColdExposureResponse From(ColdExposure? e) => new(Math.Round(e?.MinutesBelowFloor ?? 0, 3),
        Math.Round(e?.DegreeMinutesBelowFloor ?? 0, 3));
}

/// <summary>A greenhouse per the contract, with its stage, latest reading, status, open alerts and stage exposure.</summary>
public sealed record GreenhouseResponse(string Id, string FarmId, string CooperativeId, string Name, string Crop,
    string Variety, decimal AreaMu, string? Stage, DateTimeOffset? StageSince, LatestConditions? Latest, string Status,
    IReadOnlyList<AlertResponse> OpenAlerts, ColdExposureResponse ColdExposure, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, double? ChillHours)
{
    public static GreenhouseResponse From(GreenhouseView v) => new(v.Id, v.Profile.FarmId, v.CooperativeId,
        v.Profile.Name, v.Profile.Crop, v.Profile.Variety, v.Profile.AreaMu,
        v.Stage is { } stage ? WireNames.Of(stage) : null, v.StageSince,
        v.Latest is { } l ? new LatestConditions(l.At, l.TemperatureC, l.HumidityPct, l.SensorId) : null,
        WireNames.Of(v.Status), (v.OpenAlerts ?? []).Select(a => AlertResponse.From(a, null)).ToList(),
        ColdExposureResponse.From(v.ColdExposure), v.CreatedAt, v.UpdatedAt, v.ChillHours);
}

/// <summary>An alert per the contract, with where its greenhouse is when known.</summary>
public sealed record AlertResponse(string Id, string GreenhouseId, string Kind, string? Stage, double? Threshold,
    DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, double? WorstValue, double MinutesOutOfRange, double DegreeMinutes,
    string? AcknowledgedBy, DateTimeOffset? AcknowledgedAt, string? AcknowledgementNote, string? FarmId,
    string? CooperativeId, string? Village, string? Township, string? County)
{
    public static AlertResponse From(Alert a, GreenhouseLocation? where) => new(a.Id, a.GreenhouseId, WireNames.Of(a.Kind),
        a.Stage is { } s ? WireNames.Of(s) : null, a.Threshold, a.OpenedAt, a.ClosedAt, a.WorstValue,
        Math.Round(a.MinutesOutOfRange, 3), Math.Round(a.DegreeMinutes, 3), a.AcknowledgedBy, a.AcknowledgedAt,
        a.AcknowledgementNote, where?.FarmId, where?.CooperativeId, where?.Region.Village, where?.Region.Township,
        where?.Region.County);

    public static AlertResponse From(AlertRecord r) => From(r.Alert, r.Location);
}

/// <summary>A page of a collection: <c>nextPageToken</c> is null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextPageToken);

public sealed record StageRequest(string? Stage, string? Since);

public sealed record ReadingsRequest(IReadOnlyList<RawReading?>? Readings);

public sealed record IngestResponse(int Accepted, int Duplicates, int OpenedAlerts, int ClosedAlerts);

public sealed record RawPoint(DateTimeOffset At, double TemperatureC, double? HumidityPct, string SensorId);

public sealed record BucketPoint(DateTimeOffset At, int Count, Aggregate TemperatureC, Aggregate? HumidityPct);

/// <summary>History: <c>points</c> are <see cref="RawPoint"/>s for <c>raw</c>, <see cref="BucketPoint"/>s otherwise.</summary>
public sealed record HistoryResponse(string Bucket, IReadOnlyList<object> Points, bool Truncated);

public sealed record AcknowledgeRequest(string? Note);
