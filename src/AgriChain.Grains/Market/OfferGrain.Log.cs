using Microsoft.Extensions.Logging;

namespace AgriChain.Grains.Market;

public sealed partial class OfferGrain
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Offer {OfferId} granted demand {DemandId} {Kg} kg; {FreeKg} kg free")]
    private static partial void LogAllocated(ILogger logger, string offerId, string demandId, decimal kg, decimal freeKg);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Offer {OfferId} got {Kg} kg back from demand {DemandId}")]
    private static partial void LogReleased(ILogger logger, string offerId, string demandId, decimal kg);

    [LoggerMessage(Level = LogLevel.Information, Message = "Offer {OfferId} took {Kg} kg back from {Demands} demands: {Why}")]
    private static partial void LogCut(ILogger logger, string offerId, int demands, decimal kg, string why);
}
