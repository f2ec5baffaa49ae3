using System.Text;
using AgriChain.Domain.Notifications;

namespace AgriChain.Domain.Tests.Notifications;

public sealed class WebhookSignatureTests
{
    // Computed independently:
    //   printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$SECRET"
    private const string Body = """{"id":"alert-42:opened","type":"alert.opened","at":"2026-03-01T06:00:00+00:00","data":{"greenhouseId":"xbz-gh-07"}}""";
    private const string Secret = "whsec-xibeizhuang-2026";
    private const string Expected = "sha256=2edc9ebc02916ae4f5221f4f7d048274210426994b58ef27699228042c3cb3a8";

    [Fact]
    public void Compute_MatchesOpensslHmacSha256OfTheBodyBytes()
    {
        Assert.Equal(Expected, WebhookSignature.Compute(Encoding.UTF8.GetBytes(Body), Secret));
    }

    [Fact]
    public void Compute_KeysWithTheUtf8BytesOfTheSecret()
    {
        // printf '%s' '温室 8.4 °C' | openssl dgst -sha256 -hmac 'a-secret-with-ünïcode-κλειδί'
        Assert.Equal("sha256=46ec435321fda81c16c1a71df0958918dcb3c337afda304636abe6016edcea04",
            WebhookSignature.Compute(Encoding.UTF8.GetBytes("温室 8.4 °C"), "a-secret-with-ünïcode-κλειδί"));
    }

    [Fact]
    public void Verify_AcceptsTheSignature_AndRejectsAnyChange()
    {
        var body = Encoding.UTF8.GetBytes(Body);
        Assert.True(WebhookSignature.Verify(body, Secret, Expected));
        Assert.False(WebhookSignature.Verify(body, Secret + "x", Expected));
        Assert.False(WebhookSignature.Verify(Encoding.UTF8.GetBytes(Body + " "), Secret, Expected));
        Assert.False(WebhookSignature.Verify(body, Secret, Expected.ToUpperInvariant()));
        Assert.False(WebhookSignature.Verify(body, Secret, null));
    }
}
