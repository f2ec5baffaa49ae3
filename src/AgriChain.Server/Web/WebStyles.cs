namespace AgriChain.Server.Web;

/// <summary>
/// The one stylesheet, inlined in every page (no extra request on a weak connection): mobile first, big touch
/// targets, system fonts, status colours that also carry a word so colour is never the only signal.
/// </summary>
internal static class WebStyles
{
    public const string Css = """
        *{box-sizing:border-box}
        body{margin:0;font:16px/1.45 system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1b1b1b;background:#f4f5f2}
        a{color:#0b57a4}
        header.top{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;padding:.6rem 1rem;background:#23472b;color:#fff}
        header.top a{color:#fff;text-decoration:none}
        .brand{font-weight:700;font-size:1.1rem}
        header nav{display:flex;gap:1rem}
        .lang{margin-left:auto;display:flex;gap:.6rem;font-size:.9rem}
        .lang a.on{text-decoration:underline}
        form.signout{display:flex;gap:.5rem;align-items:center;font-size:.9rem;margin:0}
        button.link{background:none;border:1px solid #fff8;color:#fff;border-radius:4px;padding:.2rem .6rem;font:inherit;cursor:pointer}
        main{max-width:1100px;margin:0 auto;padding:1rem}
        h1{font-size:1.35rem;margin:.2rem 0 .8rem}
        h2{font-size:1.1rem;margin:1.2rem 0 .5rem}
        .card{background:#fff;border-radius:8px;padding:1rem;margin:0 0 1rem;box-shadow:0 1px 2px #0002}
        .muted{color:#5c5c5c;font-size:.9rem}
        .tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:.7rem}
        .tile{display:block;border-radius:8px;padding:.7rem .8rem;color:#111;text-decoration:none;border-left:8px solid #999;background:#fff;box-shadow:0 1px 2px #0002}
        .tile.ok{border-color:#2e7d32;background:#eef7ee}
        .tile.alert{border-color:#c62828;background:#fdecea}
        .tile.silent{border-color:#757575;background:#ececec}
        .tile.unknown{border-color:#bdbdbd}
        .tile .name{font-weight:700}
        .tile .reading{font-size:1.5rem;font-weight:700;margin:.2rem 0}
        .tile .reading small{font-size:.95rem;font-weight:400;margin-left:.4rem}
        .badge{display:inline-block;border-radius:999px;padding:.05rem .55rem;font-size:.8rem;font-weight:600;background:#ddd}
        .badge.ok,.badge.active{background:#c8e6c9}.badge.alert,.badge.recalled{background:#ffcdd2}.badge.silent,.badge.consumed{background:#e0e0e0}
        .badge.on-hold{background:#ffe9a8}.badge.shipped{background:#cfe2fb}
        .grid2{display:grid;grid-template-columns:1fr;gap:1rem}
        @media(min-width:760px){.grid2{grid-template-columns:1fr 1fr}svg.lineage{max-width:100%;height:auto}}
        dl.facts{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem;margin:0}
        dl.facts dt{color:#5c5c5c}dl.facts dd{margin:0;font-weight:600}
        .chart{width:100%;min-width:600px;height:auto;display:block}
        .scroll{overflow-x:auto}
        table{border-collapse:collapse;width:100%;font-size:.92rem}
        th,td{text-align:left;padding:.35rem .4rem;border-bottom:1px solid #e4e4e4;vertical-align:top}
        label{display:block;font-weight:600;margin:.7rem 0 .25rem}
        input,select,textarea{font:inherit;width:100%;padding:.65rem;border:1px solid #9a9a9a;border-radius:6px;background:#fff}
        input[type=number]{font-size:1.6rem}
        button.primary,button.danger,button.secondary{font:inherit;font-weight:600;border:0;border-radius:8px;padding:.8rem 1rem;min-height:48px;cursor:pointer}
        button.primary{background:#23472b;color:#fff;width:100%}
        button.secondary{background:#e3e8e0;color:#1b1b1b}
        button.danger{background:#b3261e;color:#fff}
        .field-error{display:block;color:#b3261e;font-weight:600;margin-top:.25rem}
        .invalid{border-color:#b3261e;outline:2px solid #b3261e33}
        .notice{border-left:6px solid #2e7d32;background:#eef7ee;padding:.6rem .8rem;border-radius:6px;margin:0 0 1rem}
        .warning{border-left:6px solid #c62828;background:#fdecea;padding:.6rem .8rem;border-radius:6px;margin:0 0 1rem}
        .info{border-left:6px solid #0b6bcb;background:#e8f1fb;padding:.6rem .8rem;border-radius:6px;margin:0 0 1rem}
        .thumb{max-width:480px;margin:0 auto}
        .row{display:flex;gap:.6rem;flex-wrap:wrap;align-items:flex-end}
        .row>*{flex:1 1 140px}
        .alert-item{border-top:1px solid #eee;padding:.6rem 0}
        .alert-item form{display:flex;gap:.5rem;flex-wrap:wrap;margin-top:.4rem}
        .alert-item form input{flex:1 1 160px;padding:.45rem}
        .qr svg{width:150px;height:150px}
        ol.timeline{list-style:none;padding:0;margin:0;border-left:3px solid #ccc}
        ol.timeline li{position:relative;padding:.4rem 0 .6rem 1rem}
        ol.timeline li::before{content:"";position:absolute;left:-9px;top:.7rem;width:12px;height:12px;border-radius:50%;background:#bbb;border:2px solid #fff}
        ol.timeline li.done::before{background:#2e7d32}
        ol.timeline li.deviation::before{background:#c62828}
        ol.timeline li.deviation{background:#fdecea;border-radius:6px}
        ol.timeline li.pending{color:#777}
        .bar{background:#cfe3d2;height:1rem;border-radius:3px}
        """;
}
