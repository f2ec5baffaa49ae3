using AgriChain.Domain.Access;
using AgriChain.Server.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;

namespace AgriChain.Server.Web.Components;

/// <summary>
/// What every signed-in page has: the request, the caller's role and scope (the same <see cref="Caller"/> rules as the
/// API), the strings, and a way to answer 403 or 404 with a page instead of the resource.
/// </summary>
public abstract class WebPage : ComponentBase
{
    [CascadingParameter]
    public HttpContext? HttpContext { get; set; }

    [Inject]
    protected IStringLocalizer<WebText> L { get; set; } = default!;

    [Inject]
    protected NavigationManager Navigation { get; set; } = default!;

    [Inject]
    protected TimeProvider Time { get; set; } = default!;

    protected HttpContext Http => HttpContext ?? throw new InvalidOperationException("The pages render on the server only.");

    protected Caller Caller => Http.User.ToCaller();

    /// <summary>Who did it, for audit fields: the key id, as the API records it.</summary>
    protected string Actor => Http.User.Actor();

    protected LookupState State { get; private set; } = LookupState.Found;

    protected bool Failed => State != LookupState.Found;

    protected DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>Answers 404 or 403 and shows the matching message instead of the page's content.</summary>
    protected void Fail(LookupState state)
    {
        State = state;
        if (state == LookupState.NotFound)
        {
            // Renders the router's not-found page with a 404, as for an unknown address.
            Navigation.NotFound();
            return;
        }

        Http.Response.StatusCode = StatusCodes.Status403Forbidden;
    }

    /// <summary>After a successful post: back to a page of ours with a plain GET (post, redirect, get).</summary>
    protected void Redirect(string localPath) => Navigation.NavigateTo(WebSetup.LocalPath(localPath));
}
