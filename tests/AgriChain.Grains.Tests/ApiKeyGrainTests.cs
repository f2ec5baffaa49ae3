using AgriChain.Contracts.Access;
using AgriChain.Domain.Access;

namespace AgriChain.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ApiKeyGrainTests(ClusterFixture fixture)
{
    private static readonly KeyGrant Technician = new(Role.Technician, ["farm-1"], null, null, "Li's phone");

    private IApiKeyGrain NewKey() => fixture.Grains.GetGrain<IApiKeyGrain>($"k{Guid.NewGuid():N}"[..20]);

    [Fact]
    public async Task IssuedKey_VerifiesWithItsSecretOnly_AlsoAfterReactivation()
    {
        var key = NewKey();
        Assert.True(await key.IssueAsync(Technician, "s3cret-value", "admin-key"));

        Assert.Equivalent(Technician, await key.VerifyAsync("s3cret-value"));
        Assert.Null(await key.VerifyAsync("wrong"));
        await fixture.DeactivateAllAsync();
        Assert.Equivalent(Technician, await key.VerifyAsync("s3cret-value"));
    }

    [Fact]
    public async Task IssuingTheSameIdTwice_KeepsTheFirstKey()
    {
        var key = NewKey();
        Assert.True(await key.IssueAsync(Technician, "first", "admin-key"));
        Assert.False(await key.IssueAsync(Technician with { Label = "other" }, "second", "admin-key"));
        Assert.Null(await key.VerifyAsync("second"));
        Assert.Equal("Li's phone", (await key.GetAsync())!.Grant.Label);
    }

    [Fact]
    public async Task RevokedKey_StopsVerifyingAtOnce()
    {
        var key = NewKey();
        await key.IssueAsync(Technician, "secret", "admin-key");
        Assert.NotNull(await key.VerifyAsync("secret"));

        Assert.True(await key.RevokeAsync("admin-key"));

        Assert.Null(await key.VerifyAsync("secret"));
        var view = await key.GetAsync();
        Assert.Equal(ClusterFixture.Clock.GetUtcNow(), view!.RevokedAt);
        await fixture.DeactivateAllAsync();
        Assert.Null(await key.VerifyAsync("secret"));
    }

    [Fact]
    public async Task UnknownKey_NeitherVerifiesNorRevokes()
    {
        var key = NewKey();
        Assert.Null(await key.VerifyAsync("anything"));
        Assert.False(await key.RevokeAsync("admin-key"));
        Assert.Null(await key.GetAsync());
    }

    [Fact]
    public async Task RepeatedWrongSecrets_DoNotLockOutTheRightOneOnceVerified()
    {
        var key = NewKey();
        await key.IssueAsync(Technician, "right", "admin-key");
        Assert.NotNull(await key.VerifyAsync("right"));
        for (var i = 0; i < 30; i++)
        {
            Assert.Null(await key.VerifyAsync($"wrong-{i}"));
        }

        Assert.NotNull(await key.VerifyAsync("right"));
    }
}
