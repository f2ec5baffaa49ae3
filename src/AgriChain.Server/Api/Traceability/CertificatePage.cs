using System.Text;

namespace AgriChain.Server.Api.Traceability;

/// <summary>
/// The commitment certificate (承诺达标合格证) of a batch as a printable A4 page: the particulars the rules ask for
/// (product, quantity, producer and contact, origin, date of issue, the producer's commitment and its basis), the
/// trace code, and a QR code leading to the public trace page.
/// </summary>
internal static class CertificatePage
{
    /// <summary>
    /// The producer's commitment, in our own words after the content of the national template (MARA's 2019 trial
    /// certificate and the 2025 measures on commitment certificates): no banned pesticides, veterinary drugs or other
    /// prohibited compounds and no illegal additives; safety intervals and withdrawal periods kept; residues within the
    /// national food safety standards; the producer answers for the product and for this certificate.
    /// </summary>
    public const string CommitmentZh =
        "本生产者郑重承诺：上述食用农产品在种植、养殖过程中未使用国家禁用的农药、兽药及其他禁用化合物，未使用非法添加物；" +
        "已严格遵守农药安全间隔期和兽药休药期规定；农药、兽药残留符合食品安全国家标准。本生产者对产品质量安全及本合格证内容的真实性负责。";

    public const string CommitmentEn =
        "The producer declares that no banned pesticide, veterinary drug or other prohibited compound and no illegal additive was " +
        "used in growing or raising the edible agricultural product above; that pre-harvest intervals for pesticides and " +
        "withdrawal periods for veterinary drugs were observed; and that pesticide and veterinary drug residues meet China's " +
        "national food safety standards. The producer is responsible for the quality and safety of the product and for the " +
        "truth of this certificate.";

    private const string Css = """
        @page { size: A4 portrait; margin: 15mm; }
        * { box-sizing: border-box; }
        body { margin: 0; padding: 16px; color: #111; background: #fff;
          font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "SimSun", sans-serif;
          font-size: 11pt; line-height: 1.45; }
        .certificate { max-width: 180mm; margin: 0 auto; border: 2px solid #111; padding: 8mm; page-break-inside: avoid; break-inside: avoid; }
        header { text-align: center; border-bottom: 1px solid #111; padding-bottom: 4mm; margin-bottom: 5mm; }
        h1 { font-size: 22pt; letter-spacing: 0.3em; margin: 0; }
        .en { color: #444; font-size: 9pt; }
        header .en { font-size: 11pt; }
        .top { display: flex; gap: 6mm; align-items: flex-start; }
        table { border-collapse: collapse; flex: 1; }
        th, td { border: 1px solid #111; padding: 2mm 3mm; text-align: left; vertical-align: top; }
        th { width: 34mm; font-weight: normal; background: #f2f2f2; white-space: nowrap; }
        th .en { display: block; }
        .qr { width: 42mm; text-align: center; }
        .qr svg { width: 38mm; height: 38mm; display: block; margin: 0 auto; }
        .code { font-family: "DejaVu Sans Mono", Consolas, monospace; word-break: break-all; }
        .commitment { border: 1px solid #111; padding: 3mm 4mm; margin-top: 5mm; }
        .commitment h2, .basis h2 { font-size: 11pt; margin: 0 0 2mm; }
        .commitment p { margin: 0 0 2mm; }
        .basis { margin-top: 4mm; }
        .basis span { margin-right: 6mm; white-space: nowrap; }
        .sign { display: flex; justify-content: space-between; margin-top: 10mm; gap: 6mm; }
        .sign div { flex: 1; border-top: 1px solid #111; padding-top: 1mm; }
        .hint { max-width: 180mm; margin: 0 auto 4mm; color: #555; font-size: 9pt; }
        @media print { body { padding: 0; } .hint { display: none; } th { background: none; } }
        @media (max-width: 640px) { .top { flex-direction: column; } .qr { width: 100%; } th { width: auto; } }
        """;

    public static string Render(PublicTraceModel model, string publicUrl, string qrSvg, DateOnly issuedOn)
    {
        var batch = model.Batch;
        var html = PublicTraceHtml.Open($"承诺达标合格证 Commitment certificate · {batch.Id}", Css);
        html.Append("<p class=\"hint\">打印本页即得合格证（浏览器“打印”，A4 纸）。 Print this page (A4) to get the certificate.</p>\n")
            .Append("<main class=\"certificate\">\n<header>\n<h1>承诺达标合格证</h1>\n")
            .Append("<div class=\"en\">Certificate of commitment to food safety standards</div>\n</header>\n")
            .Append("<div class=\"top\">\n<table>\n<tbody>\n");

        Row(html, "产品名称", "Product", PublicTraceHtml.Encode(batch.Spec.Product));
        Row(html, "数量（重量）", "Quantity", PublicTraceHtml.Quantity(batch.Quantity, batch.Spec.Unit));
        Row(html, "生产者", "Producer", PublicTraceHtml.Encode(model.Producer?.Profile.Name ?? "—"));
        Row(html, "联系方式", "Contact", PublicTraceHtml.Encode(model.Producer?.Profile.Contact ?? "—"));
        Row(html, "产地", "Origin", Origin(model));
        Row(html, "开具日期", "Date of issue", PublicTraceHtml.Date(issuedOn));
        Row(html, "追溯码", "Trace code", $"<span class=\"code\">{PublicTraceHtml.Encode(batch.Id)}</span>");

        html.Append("</tbody>\n</table>\n<figure class=\"qr\">\n").Append(qrSvg).Append('\n')
            .Append("<figcaption>扫码查看溯源信息<br><span class=\"en\">Scan to trace this product</span><br>")
            .Append("<span class=\"code en\">").Append(PublicTraceHtml.Encode(publicUrl)).Append("</span></figcaption>\n</figure>\n</div>\n");

        html.Append("<section class=\"commitment\">\n<h2>承诺声明 <span class=\"en\">Commitment</span></h2>\n")
            .Append("<p>").Append(PublicTraceHtml.Encode(CommitmentZh)).Append("</p>\n")
            .Append("<p class=\"en\" lang=\"en\">").Append(PublicTraceHtml.Encode(CommitmentEn)).Append("</p>\n</section>\n");

        // Only this batch's own latest inspection counts: a test of the raw produce says nothing about what was made of it.
        var passed = model.Inspections.LastOrDefault(i => i.Batch.Id == batch.Id) is { } latest
            && string.Equals(latest.Event.Result, "passed", StringComparison.OrdinalIgnoreCase) ? latest : null;
        html.Append("<section class=\"basis\">\n<h2>承诺依据 <span class=\"en\">Basis of the commitment</span></h2>\n")
            .Append("<span>☑ 质量安全控制 <span class=\"en\">quality and safety controls</span></span>\n")
            .Append("<span>").Append(passed is null ? "☐" : "☑").Append(" 检测合格 <span class=\"en\">passed inspection</span>");
        if (passed is not null)
        {
            html.Append('（').Append(PublicTraceHtml.Date(PublicTraceHtml.LocalDate(passed.Event.At))).Append('）');
        }

        html.Append("</span>\n</section>\n")
            .Append("<div class=\"sign\">\n<div>生产者签名或盖章 <span class=\"en\">Producer's signature or seal</span></div>\n")
            .Append("<div>日期 <span class=\"en\">Date</span></div>\n</div>\n</main>\n");
        return PublicTraceHtml.Close(html);
    }

    private static void Row(StringBuilder html, string zh, string en, string encodedValue) =>
        html.Append("<tr><th>").Append(zh).Append("<span class=\"en\">").Append(en).Append("</span></th><td>")
            .Append(encodedValue).Append("</td></tr>\n");

    /// <summary>
    /// The farm and its place when the produce has an origin (the nearest one upstream for merged or processed
    /// batches); otherwise the producer's own place.
    /// </summary>
    private static string Origin(PublicTraceModel model)
    {
        if (model.FirstOrigin is { Farm: { } farm })
        {
            var r = farm.Profile.Region;
            return PublicTraceHtml.Join($"{r.County} {r.Township} {r.Village}", farm.Profile.Name);
        }

        if (model.Producer is { } producer)
        {
            var r = producer.Profile.Region;
            return PublicTraceHtml.Encode($"{r.County} {r.Township} {r.Village}");
        }

        return "—";
    }
}
