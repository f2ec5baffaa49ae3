using AgriChain.Server.Demo;
using AgriChain.Server.Tests.Infrastructure;

namespace AgriChain.Browser.Tests.Infrastructure;

/// <summary>The keys a newcomer finds printed at start: the demo season's, and the admin key the fixture configures.</summary>
public static class DemoKeys
{
    public const string Admin = AgriChainAppFactory.AdminKey;

    /// <summary>Technician of the Jiwang park and Miaoping farms.</summary>
    public static string Technician => Token("demo-technician");

    /// <summary>The Qianping cooperative (owns the Jiwang park).</summary>
    public static string Qianping => Token("demo-qianping");

    /// <summary>The Xibeizhuang cooperative (persimmons and the wine run).</summary>
    public static string Xibeizhuang => Token("demo-xibeizhuang");

    /// <summary>Taiyuan Fine Wines, the wine lot's buyer.</summary>
    public static string Buyer => Token("demo-buyer");

    private static string Token(string id) => DemoSeason.Keys.Single(k => k.Id == id).Token;
}
