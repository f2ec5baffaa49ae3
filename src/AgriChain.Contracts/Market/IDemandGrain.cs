using AgriChain.Domain.Common;
using AgriChain.Domain.Market;
using Orleans.Concurrency;

namespace AgriChain.Contracts.Market;

/// <summary>
/// A buyer's demand (key: demand id). On arrival it takes the eligible offers in matching order and asks each for
/// what is still unmatched; the offers answer what they grant and hold it for the demand. The demand writes its
/// intent (the attempt and the candidate offers) before asking, and resumes an interrupted attempt on activation
/// with the same attempt number, which each offer answers the same way, so a retry never takes twice.
/// </summary>
[Alias("agrichain.demand")]
public interface IDemandGrain : IGrainWithStringKey
{
    /// <summary>Matches the demand. The same terms again answer the demand as it is; other terms are a conflict.</summary>
    [Alias("submit")]
    Task<UpsertResult<DemandView>> SubmitAsync(DemandTerms terms, string submittedBy);

    /// <summary>The demand, or null.</summary>
    [Alias("get")]
    Task<DemandView?> GetAsync();

    /// <summary>Releases everything the demand holds; idempotent. Null when there is no such demand.</summary>
    [Alias("cancel")]
    Task<DemandView?> CancelAsync(string cancelledBy);

    /// <summary>An offer took kilograms back: re-match what was lost with other offers where possible.</summary>
    [Alias("allocation-reduced"), OneWay]
    Task AllocationReducedAsync(AllocationNotice notice);
}

/// <summary>A demand as its buyer sees it.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.demand-view")]
public sealed record DemandView(
    [property: Id(0)] string Id,
    [property: Id(1)] DemandTerms Terms,
    [property: Id(2)] DemandStatus Status,
    [property: Id(3)] IReadOnlyList<DemandMatch> Matches,
    [property: Id(4)] decimal MatchedKg,
    [property: Id(5)] decimal UnmatchedKg,
    [property: Id(6)] IReadOnlyList<DemandAdjustment> Adjustments,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] DateTimeOffset? CancelledAt);
