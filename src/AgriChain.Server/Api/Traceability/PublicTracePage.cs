using System.Globalization;
using System.Text;
using AgriChain.Domain.Traceability;

namespace AgriChain.Server.Api.Traceability;

/// <summary>
/// The consumer's page of a batch, for a phone held over a label: what it is, where and when it was harvested, how
/// it was inspected, what it was made from and how it grew. It shows nothing commercial: no quantities, prices,
/// buyers, owners' ids or shipments.
/// </summary>
internal static class PublicTracePage
{
    private const string Css = """
        * { box-sizing: border-box; }
        body { margin: 0; color: #1b1b1b; background: #f6f5f0;
          font-family: system-ui, -apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif;
          font-size: 16px; line-height: 1.5; }
        main { max-width: 40rem; margin: 0 auto; padding: 1rem; }
        header { padding: 0.5rem 0 1rem; }
        .kicker { margin: 0; color: #2f6b2f; font-size: 0.9rem; }
        h1 { margin: 0.2rem 0; font-size: 1.8rem; line-height: 1.2; overflow-wrap: anywhere; }
        h2 { font-size: 1.05rem; margin: 0 0 0.5rem; }
        h3 { font-size: 1rem; margin: 0; }
        .en { color: #555; font-size: 0.9em; }
        section { background: #fff; border-radius: 0.6rem; padding: 0.9rem 1rem; margin: 0 0 0.8rem; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
        ul { margin: 0; padding-left: 1.2rem; }
        li { margin: 0.25rem 0; }
        p { margin: 0.3rem 0; }
        code { font-size: 0.95em; overflow-wrap: anywhere; }
        .recall { background: #b00020; color: #fff; border: 3px solid #6d0014; }
        .recall h2 { font-size: 1.3rem; }
        .recall .en { color: #fde7ea; }
        .hold { border-left: 6px solid #c77700; }
        .note { border-left: 6px solid #c77700; padding-left: 0.6rem; }
        .ok { border-left: 6px solid #2f6b2f; padding-left: 0.6rem; }
        footer { color: #666; font-size: 0.85rem; text-align: center; padding: 0.5rem 0 1.5rem; }
        @media (min-width: 48rem) { body { font-size: 17px; } main { padding: 2rem 1rem; } }
        """;

    public static string Render(PublicTraceModel model)
    {
        var batch = model.Batch;
        var product = PublicTraceHtml.Encode(batch.Spec.Product);
        var html = PublicTraceHtml.Open($"{batch.Spec.Product} · 产品溯源 Product trace", Css);
        html.Append("<main>\n");

        if (batch.Status == BatchStatus.Recalled)
        {
            html.Append("<section class=\"recall\" role=\"alert\">\n<h2>⚠ 本产品已召回 <span class=\"en\">This product has been recalled</span></h2>\n")
                .Append("<p>请停止食用，并联系购买处退换。 <span class=\"en\">Please do not eat it; return it to where you bought it.</span></p>\n");
            if (!string.IsNullOrWhiteSpace(batch.RecallReason))
            {
                html.Append("<p>召回原因 <span class=\"en\">Reason</span>：").Append(PublicTraceHtml.Encode(batch.RecallReason)).Append("</p>\n");
            }

            html.Append("</section>\n");
        }
        else if (batch.Status == BatchStatus.OnHold)
        {
            html.Append("<section class=\"hold\">\n<p>该批次暂停销售，等待复检。 <span class=\"en\">This batch is on hold pending a new inspection.</span></p>\n</section>\n");
        }

        html.Append("<header>\n<p class=\"kicker\">产品溯源 · <span lang=\"en\">Product trace</span></p>\n")
            .Append("<h1>").Append(product).Append("</h1>\n")
            .Append("<p>追溯码 <span class=\"en\">Trace code</span>：<code>").Append(PublicTraceHtml.Encode(batch.Id)).Append("</code></p>\n");
        if (model.Producer is { } producer)
        {
            html.Append("<p>生产者 <span class=\"en\">Producer</span>：").Append(PublicTraceHtml.Encode(producer.Profile.Name)).Append("</p>\n");
        }

        html.Append("</header>\n");
        Origins(html, model);
        Conditions(html, model);
        MadeFrom(html, model);
        Processes(html, model);
        Inspections(html, model);
        html.Append("<footer>信息由生产者登记并由 AgriChain 记录 · <span lang=\"en\">Recorded by the producer in AgriChain</span></footer>\n</main>\n");
        return PublicTraceHtml.Close(html);
    }

    public static string NotFound(string batchId)
    {
        var html = PublicTraceHtml.Open("未找到 · Not found", Css);
        html.Append("<main>\n<header>\n<p class=\"kicker\">产品溯源 · <span lang=\"en\">Product trace</span></p>\n")
            .Append("<h1>未找到该追溯码 <span class=\"en\">Trace code not found</span></h1>\n</header>\n")
            .Append("<section>\n<p>没有追溯码为 <code>").Append(PublicTraceHtml.Encode(batchId)).Append("</code> 的产品批次。请核对标签上的追溯码。</p>\n")
            .Append("<p class=\"en\" lang=\"en\">No product batch has this trace code. Please check the code on the label.</p>\n</section>\n</main>\n");
        return PublicTraceHtml.Close(html);
    }

    private static void Origins(StringBuilder html, PublicTraceModel model)
    {
        html.Append("<section>\n<h2>产地与采收 <span class=\"en\">Origin and harvest</span></h2>\n");
        if (model.Origins.Count == 0)
        {
            html.Append("<p>未登记产地。 <span class=\"en\">No origin was recorded.</span></p>\n</section>\n");
            return;
        }

        foreach (var farm in model.Origins.GroupBy(o => o.Origin.FarmId, StringComparer.Ordinal))
        {
            var view = farm.First().Farm;
            var zone = PublicTraceHtml.Zone(view?.Profile.TimeZone);
            var dates = farm.Select(o => PublicTraceHtml.LocalDate(o.Origin.HarvestedAt, zone)).Distinct().Order().ToList();
            html.Append("<div class=\"origin\">\n");
            if (view is not null)
            {
                var r = view.Profile.Region;
                html.Append("<h3>").Append(PublicTraceHtml.Encode(view.Profile.Name)).Append("</h3>\n")
                    .Append("<p>").Append(PublicTraceHtml.Join(r.Village, r.Township, r.County)).Append("</p>\n");
            }

            html.Append("<p>采收日期 <span class=\"en\">Harvested</span>：")
                .AppendJoin("；", dates.Select(PublicTraceHtml.Date)).Append("</p>\n</div>\n");
        }

        if (model.MoreFarms > 0)
        {
            html.Append("<p>").Append(string.Create(CultureInfo.InvariantCulture, $"另有 {model.MoreFarms} 个农场"))
                .Append(" <span class=\"en\">").Append(string.Create(CultureInfo.InvariantCulture, $"and {model.MoreFarms} more farms"))
                .Append("</span></p>\n");
        }

        html.Append("</section>\n");
    }

    private static void Conditions(StringBuilder html, PublicTraceModel model)
    {
        var root = model.Root;
        if (!root.ColdEvent && !root.ConditionsUnverified && !model.HasGreenhouseOrigin)
        {
            return;
        }

        html.Append("<section>\n<h2>生长条件 <span class=\"en\">Growing conditions</span></h2>\n");
        if (root.ColdEvent)
        {
            html.Append("<p class=\"note\">花期曾有一夜温室温度低于作物的最低温度要求，可能影响坐果和品质。 ")
                .Append("<span class=\"en\">During blossom the greenhouse had a cold night below the crop's minimum temperature, which can affect fruit set and quality.</span></p>\n");
        }

        if (root.ConditionsUnverified)
        {
            html.Append("<p class=\"note\">生长条件未经传感器数据核实。 <span class=\"en\">Growing conditions were not verified by sensors.</span></p>\n");
        }

        if (!root.ColdEvent && !root.ConditionsUnverified)
        {
            html.Append("<p class=\"ok\">温室传感器记录显示花期没有低于最低温度的夜晚。 ")
                .Append("<span class=\"en\">Greenhouse sensors recorded no night below the crop's minimum temperature during blossom.</span></p>\n");
        }

        html.Append("</section>\n");
    }

    private static void MadeFrom(StringBuilder html, PublicTraceModel model)
    {
        if (model.MadeFrom.Count == 0)
        {
            return;
        }

        html.Append("<section>\n<h2>加工原料 <span class=\"en\">Made from</span></h2>\n<ul>\n");
        foreach (var source in model.MadeFrom)
        {
            html.Append("<li>").Append(PublicTraceHtml.Encode(source.Product.Spec.Product)).Append(" ← ")
                .Append("<a href=\"").Append(PublicTraceEndpoints.PathPrefix).Append('/').Append(PublicTraceHtml.Encode(source.Source.Id)).Append("\">")
                .Append(PublicTraceHtml.Encode(source.Source.Spec.Product)).Append("</a></li>\n");
        }

        html.Append("</ul>\n</section>\n");
    }

    /// <summary>The steps each processing run went through, with their dates; no measurements, no quantities.</summary>
    private static void Processes(StringBuilder html, PublicTraceModel model)
    {
        foreach (var process in model.Processes)
        {
            html.Append("<section>\n<h2>加工过程 <span class=\"en\">Processing</span>：").Append(PublicTraceHtml.Encode(process.Product.Spec.Product))
                .Append("</h2>\n<ol>\n");
            foreach (var step in process.Run.Steps)
            {
                html.Append("<li>").Append(PublicTraceHtml.Date(PublicTraceHtml.LocalDate(step.StartedAt))).Append(" — ")
                    .Append(PublicTraceHtml.Encode(step.Step)).Append("</li>\n");
            }

            html.Append("</ol>\n</section>\n");
        }
    }

    private static void Inspections(StringBuilder html, PublicTraceModel model)
    {
        html.Append("<section>\n<h2>检验记录 <span class=\"en\">Inspections</span></h2>\n");
        if (model.Inspections.Count == 0)
        {
            html.Append("<p>暂无检验记录。 <span class=\"en\">No inspection recorded.</span></p>\n</section>\n");
            return;
        }

        html.Append("<ul>\n");
        foreach (var inspection in model.Inspections)
        {
            html.Append("<li>").Append(PublicTraceHtml.Date(PublicTraceHtml.LocalDate(inspection.Event.At))).Append(" — ")
                .Append(PublicTraceHtml.InspectionResult(inspection.Event.Result));
            if (inspection.Batch.Id != model.Batch.Id)
            {
                html.Append(" <span class=\"en\">（上游批次 earlier lot: ").Append(PublicTraceHtml.Encode(inspection.Batch.Spec.Product)).Append("）</span>");
            }

            html.Append("</li>\n");
        }

        html.Append("</ul>\n</section>\n");
    }
}
