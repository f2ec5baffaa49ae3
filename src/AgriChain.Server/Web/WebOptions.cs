namespace AgriChain.Server.Web;

/// <summary>Settings of the web pages, section <c>Web</c>.</summary>
public sealed class WebOptions
{
    public const string SectionName = "Web";

    /// <summary>
    /// When the session cookie carries the Secure flag: <c>Always</c> (default; browsers accept it on https and on
    /// http://localhost), <c>SameAsRequest</c> for a plain-HTTP trial on a LAN address, or <c>None</c>.
    /// </summary>
    public CookieSecurePolicy CookieSecure { get; set; } = CookieSecurePolicy.Always;

    /// <summary>The session cookie's SameSite mode: <c>Lax</c> (default, so links from chat messages open signed in) or <c>Strict</c>.</summary>
    public SameSiteMode CookieSameSite { get; set; } = SameSiteMode.Lax;

    /// <summary>How long a session lasts without being used (sliding), in hours.</summary>
    public double SessionHours { get; set; } = 12;

    /// <summary>How often the board's live stream re-reads the tiles when no alert arrives, in seconds.</summary>
    public double BoardRefreshSeconds { get; set; } = 15;
}
