namespace AgriChain.Domain.Access;

/// <summary>
/// The authenticated caller of a request and the rules of what it may see and change. Endpoints ask these
/// questions with the resource's owner in hand; answers never depend on anything else.
/// </summary>
public sealed record Caller(Role Role, IReadOnlySet<string> FarmIds, string? CooperativeId, string? BuyerId)
{
    public bool IsAdmin => Role == Role.Admin;

    /// <summary>Cooperatives: admins, and the cooperative itself.</summary>
    public bool CanRead(CooperativeRef cooperative) => IsAdmin || IsCooperative(cooperative.CooperativeId);

    /// <summary>Buyers: admins, and the buyer itself.</summary>
    public bool CanReadBuyer(string buyerId) => IsAdmin || (Role == Role.Buyer && BuyerId == buyerId);

    /// <summary>A farm and what is on it: admins, its cooperative, and technicians of that farm.</summary>
    public bool CanRead(FarmRef farm) =>
        IsAdmin || IsCooperative(farm.CooperativeId) || (Role == Role.Technician && FarmIds.Contains(farm.FarmId));

    /// <summary>A farm's master data (and its greenhouses'): admins and the farm's cooperative.</summary>
    public bool CanManage(FarmRef farm) => IsAdmin || IsCooperative(farm.CooperativeId);

    /// <summary>Field work on a farm (readings, stages, harvests): admins, its cooperative and its technicians.</summary>
    public bool CanWorkOn(FarmRef farm) => CanRead(farm);

    /// <summary>A batch: admins, its owning cooperative, and buyers it (or a batch made from it) was shipped to.</summary>
    public bool CanReadBatch(string ownerId, IEnumerable<string> buyers) =>
        IsAdmin || IsCooperative(ownerId) || (Role == Role.Buyer && BuyerId is not null && buyers.Contains(BuyerId));

    /// <summary>Changing a batch (split, merge, events, recall): admins and its owning cooperative.</summary>
    public bool CanManageBatch(string ownerId) => IsAdmin || IsCooperative(ownerId);

    private bool IsCooperative(string cooperativeId) => Role == Role.Cooperative && CooperativeId == cooperativeId;
}

/// <summary>A farm and the cooperative that owns it, as scope checks need them.</summary>
public readonly record struct FarmRef(string FarmId, string CooperativeId);

/// <summary>A cooperative, as scope checks need it.</summary>
public readonly record struct CooperativeRef(string CooperativeId);
