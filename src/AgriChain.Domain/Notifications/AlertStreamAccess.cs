using AgriChain.Domain.Access;

namespace AgriChain.Domain.Notifications;

/// <summary>Who may watch the live alert stream, and which alerts each watcher sees.</summary>
public static class AlertStreamAccess
{
    /// <summary>Admins, cooperatives and technicians; buyers see no greenhouse alerts.</summary>
    public static bool CanOpen(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Role is Role.Admin or Role.Cooperative or Role.Technician;
    }

    /// <summary>An alert of a greenhouse on <paramref name="farmId"/>: admins, the farm's cooperative and its technicians.</summary>
    public static bool CanSee(Caller caller, string cooperativeId, string farmId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return CanOpen(caller) && caller.CanRead(new FarmRef(farmId, cooperativeId));
    }
}
