using QRCoder;

namespace AgriChain.Server.Api.Traceability;

/// <summary>
/// The QR code printed on a certificate: the absolute URL of the batch's public trace page, as inline SVG. The same
/// payload always gives the same SVG, which is how the tests check what a printed code encodes.
/// </summary>
internal static class CertificateQrCode
{
    /// <summary>Medium error correction (about 15 %) survives a smudged or creased label and keeps the code small.</summary>
    public const QRCodeGenerator.ECCLevel ErrorCorrection = QRCodeGenerator.ECCLevel.M;

    private const int PixelsPerModule = 4;

    /// <summary>An <c>&lt;svg&gt;</c> element that scales to its container (viewBox sizing, quiet zone included).</summary>
    public static string Svg(string payload)
    {
        using var data = QRCodeGenerator.GenerateQrCode(payload, ErrorCorrection);
        using var svg = new SvgQRCode(data);
        return svg.GetGraphic(PixelsPerModule, "#000000", "#ffffff", drawQuietZones: true, SvgQRCode.SizingMode.ViewBoxAttribute);
    }
}
