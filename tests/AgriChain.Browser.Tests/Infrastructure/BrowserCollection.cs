namespace AgriChain.Browser.Tests.Infrastructure;

/// <summary>Every page test shares one server and one Chromium; the tests of the collection run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
