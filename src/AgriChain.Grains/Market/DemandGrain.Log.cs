using AgriChain.Domain.Market;
using Microsoft.Extensions.Logging;

namespace AgriChain.Grains.Market;

public sealed partial class DemandGrain
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Demand {DemandId} attempt {Attempt}: {MatchedKg} of {QuantityKg} kg held")]
    private static partial void LogSettled(ILogger logger, string demandId, int attempt, decimal matchedKg, decimal quantityKg);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demand {DemandId} lost {Kg} kg of offer {OfferId} ({Reason}); re-matching")]
    private static partial void LogLost(ILogger logger, string demandId, string offerId, decimal kg, AdjustmentReason reason);
}
