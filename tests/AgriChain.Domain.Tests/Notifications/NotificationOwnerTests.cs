using AgriChain.Domain.Notifications;

namespace AgriChain.Domain.Tests.Notifications;

public sealed class NotificationOwnerTests
{
    [Fact]
    public void Key_IsKindColonId_AndParsesBack()
    {
        Assert.Equal("cooperative:xibeizhuang", NotificationOwner.Cooperative("xibeizhuang").Key);
        Assert.Equal("buyer:fresh-mart", NotificationOwner.Buyer("fresh-mart").Key);
        Assert.True(NotificationOwner.TryParse("buyer:fresh-mart", out var owner));
        Assert.Equal(NotificationOwner.Buyer("fresh-mart"), owner);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("xibeizhuang")]
    [InlineData("farm:xibeizhuang")]
    [InlineData("cooperative:Bad Id")]
    [InlineData("cooperative:")]
    public void TryParse_RejectsWhatIsNotAnOwnerKey(string? key)
    {
        Assert.False(NotificationOwner.TryParse(key, out _));
    }
}
