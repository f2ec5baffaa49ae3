using AgriChain.Domain.Epcis;

namespace AgriChain.Contracts.Epcis;

/// <summary>
/// The EPCIS read model: events captured from partners' documents (and AgriChain's own exported events), one row per
/// (scope, eventID), with the columns and identifier index the simple event query needs. A scope is the cooperative
/// that captured an event (<see cref="AdminScope"/> for admins), and an event is visible in its scope only.
/// </summary>
public interface IEpcisEventStore
{
    /// <summary>
    /// Stores a capture's events durably, in one transaction. An event already stored in the scope (same eventID) is not
    /// stored again, unless the new copy declares an error the stored one does not (EPCIS 2.0 error declarations repeat
    /// the event with an <c>errorDeclaration</c>): then the stored copy is replaced by the declaration.
    /// </summary>
    Task<CaptureOutcome> CaptureAsync(EpcisCaptureRequest capture, CancellationToken cancellationToken = default);

    /// <summary>A capture of <paramref name="scope"/> by id, or null.</summary>
    Task<EpcisCaptureInfo?> GetCaptureAsync(string? scope, string captureId, CancellationToken cancellationToken = default);

    /// <summary>Events matching every filter, by event time then storage order, a page at a time.</summary>
    Task<EpcisEventPage> QueryAsync(EpcisEventQuery query, CancellationToken cancellationToken = default);

    /// <summary>Captured (not exported) events of <paramref name="scope"/> that name any of <paramref name="batchIds"/>, by event time.</summary>
    Task<IReadOnlyList<StoredEpcisEvent>> ListCapturedForBatchesAsync(string scope, IReadOnlyCollection<string> batchIds, int limit,
        CancellationToken cancellationToken = default);

    /// <summary>The scope of events captured with an admin key.</summary>
    public const string AdminScope = "";
}

/// <summary>Where stored events came from.</summary>
public enum EpcisEventSource
{
    /// <summary>Captured from a document posted to the capture endpoint.</summary>
    Capture = 0,

    /// <summary>AgriChain's own event, recorded when a batch was exported.</summary>
    Export = 1,
}

/// <summary>A capture: who, when, and the prepared events (already deduplicated by eventID).</summary>
public sealed record EpcisCaptureRequest(
    string CaptureId,
    string Scope,
    EpcisEventSource Source,
    string CapturedBy,
    DateTimeOffset CapturedAt,
    int EventCount,
    IReadOnlyList<EpcisEventRecord> Events);

/// <summary>What a capture stored: new events, error declarations applied to stored events, and events already stored.</summary>
public sealed record CaptureOutcome(int Stored, int Declared, int Duplicates);

/// <summary>A capture as recorded.</summary>
public sealed record EpcisCaptureInfo(string CaptureId, string Scope, DateTimeOffset CapturedAt, int EventCount, int Stored,
    int Declared, int Duplicates);

/// <summary>A stored event: its id, time and JSON.</summary>
public sealed record StoredEpcisEvent(string EventId, DateTimeOffset EventTime, string Body);

/// <summary>
/// The simple event query. Null or empty filters match everything; several values of one filter match any of them
/// (bizStep and disposition compared in their bare CBV form). Each identifier filter names the roles it looks in and
/// the values (exact, or a prefix when written with a trailing <c>*</c>); filters combine with AND.
/// </summary>
public sealed record EpcisEventQuery(
    string? Scope,
    IReadOnlyList<string>? EventTypes = null,
    DateTimeOffset? FromEventTime = null,
    DateTimeOffset? BeforeEventTime = null,
    DateTimeOffset? FromRecordTime = null,
    DateTimeOffset? BeforeRecordTime = null,
    IReadOnlyList<string>? Actions = null,
    IReadOnlyList<string>? BizSteps = null,
    IReadOnlyList<string>? Dispositions = null,
    IReadOnlyList<string>? ReadPoints = null,
    IReadOnlyList<string>? BizLocations = null,
    IReadOnlyList<string>? EventIds = null,
    bool? ErrorDeclared = null,
    IReadOnlyList<IdentifierFilter>? Identifiers = null,
    int Limit = 100,
    string? PageToken = null);

/// <summary>Events naming one of <paramref name="Values"/> in one of <paramref name="Roles"/>.</summary>
public sealed record IdentifierFilter(IReadOnlyList<EpcisIdRole> Roles, IReadOnlyList<string> Values);

public sealed record EpcisEventPage(IReadOnlyList<StoredEpcisEvent> Items, string? NextPageToken);
