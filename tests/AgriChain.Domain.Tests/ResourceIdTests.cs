using AgriChain.Domain.Common;

namespace AgriChain.Domain.Tests;

public sealed class ResourceIdTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("gh-07")]
    [InlineData("xibeizhuang.coop_1")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123")]
    public void WellFormedIds_AreValid(string id) => Assert.True(ResourceId.IsValid(id));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-leading-dash")]
    [InlineData(".leading-dot")]
    [InlineData("Upper")]
    [InlineData("has space")]
    [InlineData("slash/inside")]
    [InlineData("01234567890123456789012345678901234567890123456789012345678901234")]
    [InlineData("温室")]
    public void MalformedIds_AreInvalid(string? id) => Assert.False(ResourceId.IsValid(id));
}
