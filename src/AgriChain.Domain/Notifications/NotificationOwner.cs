using System.Diagnostics.CodeAnalysis;
using AgriChain.Domain.Common;

namespace AgriChain.Domain.Notifications;

/// <summary>Who notifications are for.</summary>
[GenerateSerializer]
public enum NotificationOwnerKind
{
    /// <summary>A village cooperative: alerts of its greenhouses.</summary>
    Cooperative = 0,

    /// <summary>A buyer: supply-watch matches.</summary>
    Buyer = 1,
}

/// <summary>
/// The owner of an outbox and its webhooks. Its <see cref="Key"/> (<c>cooperative:xibeizhuang</c>) is the key of the
/// owner's outbox grain, so one owner's notifications are queued, ordered and deduplicated in one place.
/// </summary>
[GenerateSerializer, Immutable, Alias("agrichain.notification-owner")]
public sealed record NotificationOwner(
    [property: Id(0)] NotificationOwnerKind Kind,
    [property: Id(1)] string Id)
{
    public static NotificationOwner Cooperative(string cooperativeId) => new(NotificationOwnerKind.Cooperative, cooperativeId);

    public static NotificationOwner Buyer(string buyerId) => new(NotificationOwnerKind.Buyer, buyerId);

    /// <summary>The owner kind's name as it appears in keys, logs and metric tags.</summary>
    public string KindName => NameOf(Kind);

    /// <summary><c>&lt;kind&gt;:&lt;id&gt;</c>, the key of the owner's outbox grain.</summary>
    public string Key => $"{KindName}:{Id}";

    public override string ToString() => Key;

    public static string NameOf(NotificationOwnerKind kind) => kind switch
    {
        NotificationOwnerKind.Cooperative => "cooperative",
        NotificationOwnerKind.Buyer => "buyer",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Reads a <see cref="Key"/> back; false for anything that is not a known kind and a well-formed id.</summary>
    public static bool TryParse(string? key, [NotNullWhen(true)] out NotificationOwner? owner)
    {
        owner = null;
        var colon = key?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (key is null || colon < 0)
        {
            return false;
        }

        var id = key[(colon + 1)..];
        if (!ResourceId.IsValid(id))
        {
            return false;
        }

        owner = key[..colon] switch
        {
            "cooperative" => Cooperative(id),
            "buyer" => Buyer(id),
            _ => null,
        };
        return owner is not null;
    }
}
