using AgriChain.Domain.Traceability;

namespace AgriChain.Domain.Market;

/// <summary>Produce grades in the market, best first: premium, a, b, c.</summary>
public static class MarketGrades
{
    /// <summary>Every grade, best first (the same list batches use).</summary>
    public static IReadOnlyList<string> All => BatchUnits.Grades;

    public static bool IsKnown(string? grade) => grade is not null && All.Contains(grade);

    /// <summary>0 for the best grade; larger is worse; -1 for an unknown grade.</summary>
    public static int Rank(string grade)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (All[i] == grade)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>True when <paramref name="offered"/> is the same as or better than <paramref name="wanted"/>.</summary>
    public static bool AtLeast(string offered, string wanted)
    {
        var (o, w) = (Rank(offered), Rank(wanted));
        return o >= 0 && w >= 0 && o <= w;
    }
}
