namespace AgriChain.Server.Web;

/// <summary>The pages' strings: Resources/Web.WebText.resx (English) and Resources/Web.WebText.zh-CN.resx.</summary>
public sealed class WebText;
