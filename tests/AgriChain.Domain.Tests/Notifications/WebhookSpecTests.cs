using AgriChain.Domain.Common;
using AgriChain.Domain.Notifications;

namespace AgriChain.Domain.Tests.Notifications;

public sealed class WebhookSpecTests
{
    private const string Secret = "whsec-0123456789abcdef";

    [Fact]
    public void Validate_DefaultsKindToGeneric_AndKeepsTheSecretExactly()
    {
        var errors = new FieldErrors();
        var spec = WebhookSpec.Validate("https://hooks.example.org/agrichain?x=1", "  sixteen chars  ", null, errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal(new WebhookSpec("https://hooks.example.org/agrichain?x=1", "  sixteen chars  ", WebhookKind.Generic), spec);
    }

    [Fact]
    public void Validate_ReadsWeCom()
    {
        var spec = WebhookSpec.Validate("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", Secret, "wecom", new FieldErrors());
        Assert.Equal(WebhookKind.WeCom, spec!.Kind);
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("  ", "is required")]
    [InlineData("/relative/path", "must be an absolute http or https URL")]
    [InlineData("hooks.example.org/x", "must be an absolute http or https URL")]
    [InlineData("ftp://example.org/x", "must be an absolute http or https URL")]
    [InlineData("file:///etc/passwd", "must be an absolute http or https URL")]
    public void Validate_RejectsUrlsThatAreNotAbsoluteHttp(string? url, string message)
    {
        var errors = new FieldErrors();
        Assert.Null(WebhookSpec.Validate(url, Secret, "generic", errors));
        Assert.Equal([message], errors.ToDictionary()["url"]);
    }

    [Fact]
    public void Validate_ListsEveryBadField()
    {
        var errors = new FieldErrors();
        Assert.Null(WebhookSpec.Validate("https://" + new string('a', 2048), "short", "slack", errors));

        var all = errors.ToDictionary();
        Assert.Equal(["kind", "secret", "url"], all.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["must be 16 to 256 characters long"], all["secret"]);
        Assert.Equal(["must be one of generic, wecom"], all["kind"]);
        Assert.Equal(["must be at most 2048 characters"], all["url"]);
    }

    [Theory]
    [InlineData(15, false)]
    [InlineData(16, true)]
    [InlineData(256, true)]
    [InlineData(257, false)]
    public void Validate_SecretLengthBounds(int length, bool valid)
    {
        var errors = new FieldErrors();
        WebhookSpec.Validate("http://127.0.0.1:9000/hook", new string('s', length), null, errors);
        Assert.Equal(valid, errors.IsEmpty);
    }

    [Fact]
    public void Validate_RejectsControlCharactersInTheSecret()
    {
        var errors = new FieldErrors();
        WebhookSpec.Validate("http://127.0.0.1:9000/hook", "0123456789abcdef\n", null, errors);
        Assert.Equal(["must not contain control characters"], errors.ToDictionary()["secret"]);
    }
}
