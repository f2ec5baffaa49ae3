using AgriChain.Contracts.Traceability;
using AgriChain.Domain.Common;
using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.Traceability;
using AgriChain.Server.Api.MasterData;

namespace AgriChain.Server.Api.Traceability;

public sealed record OriginDto(string? FarmId, string? GreenhouseId, string? HarvestedAt, string? Plot = null);

public sealed record BatchRequest(string? Id, string? Product, decimal? Quantity, string? Unit, string? Grade, string? OwnerId, OriginDto? Origin);

public sealed record PartDto(string? Id, decimal? Quantity);

public sealed record SplitRequest(IReadOnlyList<PartDto?>? Parts);

public sealed record InputDto(string? BatchId, decimal? Quantity);

public sealed record MergeRequest(string? Id, IReadOnlyList<InputDto?>? Inputs);

public sealed record BatchEventRequest(string? Id, string? Type, string? At, string? Result, string? BuyerId, decimal? Quantity,
    string? Location, string? Note);

public sealed record RecallRequest(string? Reason);

public sealed record OriginResponse(string FarmId, string? GreenhouseId, DateTimeOffset HarvestedAt, string? Plot);

public sealed record LinkResponse(string BatchId, decimal Quantity, string Kind);

public sealed record BatchEventResponse(string Id, string Type, DateTimeOffset At, string? Result, string? BuyerId,
    decimal? Quantity, string? Location, string? Note, string RecordedBy);

public sealed record BatchResponse(string Id, string Product, decimal Quantity, decimal InitialQuantity, decimal Available,
    string Unit, string? Grade, string OwnerId, OriginResponse? Origin, string Status, IReadOnlyList<LinkResponse> Parents,
    IReadOnlyList<LinkResponse> Children, IReadOnlyList<BatchEventResponse> Events, string? RecallReason, DateTimeOffset CreatedAt)
{
    public static BatchResponse From(BatchView v) => new(v.Id, v.Spec.Product, v.Quantity, v.Spec.Quantity, v.Available,
        v.Spec.Unit, v.Spec.Grade, v.Spec.OwnerId,
        v.Spec.Origin is { } o ? new OriginResponse(o.FarmId, o.GreenhouseId, o.HarvestedAt, o.Plot) : null,
        WireNames.Of(v.Status), v.Parents.Select(Link).ToList(), v.Children.Select(Link).ToList(),
        v.Events.Select(e => new BatchEventResponse(e.Id, WireNames.Of(e.Type), e.At, e.Result, e.BuyerId, e.Quantity,
            e.Location, e.Note, e.RecordedBy)).ToList(), v.RecallReason, v.CreatedAt);

    private static LinkResponse Link(LineageLink l) => new(l.BatchId, l.Quantity, WireNames.Of(l.Kind));
}

public sealed record SplitResponse(string OperationId, BatchResponse Source, IReadOnlyList<BatchResponse> Parts);

public sealed record ShortfallResponse(string BatchId, decimal Requested, decimal Available, string Reason);

public sealed record TraceNodeResponse(string BatchId, string Product, decimal Quantity, string Unit, string Status,
    int Depth, bool ColdEvent, bool ConditionsUnverified);

public sealed record TraceEdgeResponse(string From, string To, decimal Quantity, string Kind);

public sealed record TraceOriginResponse(string BatchId, string FarmId, string? GreenhouseId, DateTimeOffset HarvestedAt,
    ColdExposureDto? ColdExposure, bool ColdEvent, bool ConditionsUnverified);

public sealed record ColdExposureDto(double MinutesBelowFloor, double DegreeMinutesBelowFloor)
{
    public static ColdExposureDto? From(ColdExposure? e) => e is null ? null
        : new(Math.Round(e.MinutesBelowFloor, 3), Math.Round(e.DegreeMinutesBelowFloor, 3));
}

public sealed record TraceShipmentResponse(string BatchId, string BuyerId, decimal Quantity, DateTimeOffset At);

public sealed record TraceResponse(string Root, IReadOnlyList<TraceNodeResponse> Nodes, IReadOnlyList<TraceEdgeResponse> Edges,
    IReadOnlyList<TraceOriginResponse> Origins, IReadOnlyList<TraceShipmentResponse> Shipments, bool ColdEvent,
    bool ConditionsUnverified, bool Truncated, IReadOnlyList<PartnerEventResponse> PartnerEvents);

/// <summary>A partner's EPCIS event (receiving, retail...) captured by the owner and naming a batch of the trace.</summary>
public sealed record PartnerEventResponse(string EventId, DateTimeOffset EventTime, string? Type, string? BizStep,
    string? Disposition, string? BizLocation);

/// <summary>
/// A recall's impact: the batches recalled (the batch and everything made from it), the buyers it reaches (shipped
/// to, or allocated kilograms on an offer of a recalled batch), what is out in the world by unit, and the offers that
/// the recall took off the market.
/// </summary>
public sealed record RecallImpactResponse(IReadOnlyList<string> Batches, IReadOnlyList<string> Buyers,
    IReadOnlyDictionary<string, decimal> QuantityByUnit, IReadOnlyList<string> WithdrawnOffers);

internal static class BatchRules
{
    public const decimal MaxQuantity = 1_000_000_000m;

    public static decimal Quantity(FieldErrors errors, string field, decimal? value) => errors.RequirePositive(field, value, MaxQuantity);

    public static string Unit(FieldErrors errors, string? unit)
    {
        if (unit is null)
        {
            errors.Add("unit", "is required");
            return string.Empty;
        }

        if (!BatchUnits.All.Contains(unit))
        {
            errors.Add("unit", $"must be one of {string.Join(", ", BatchUnits.All.Order(StringComparer.Ordinal))}");
        }

        return unit;
    }

    public static string? Grade(FieldErrors errors, string? grade)
    {
        if (grade is not null && !BatchUnits.Grades.Contains(grade))
        {
            errors.Add("grade", $"must be one of {string.Join(", ", BatchUnits.Grades)}");
        }

        return grade;
    }

    /// <summary>The worse of two grades (a merge is only as good as its worst part); null counts as ungraded, the worst.</summary>
    public static string? Worse(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return null;
        }

        var grades = BatchUnits.Grades;
        return grades.ToList().IndexOf(a) >= grades.ToList().IndexOf(b) ? a : b;
    }

    /// <summary>An operation id that the same request always maps to, so a retry is recognised.</summary>
    public static string OperationId(string kind, params IEnumerable<string> parts)
    {
        var digest = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('|', parts)));
        return $"{kind}-{Convert.ToHexStringLower(digest)[..32]}";
    }
}
