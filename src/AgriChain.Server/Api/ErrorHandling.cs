using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;

namespace AgriChain.Server.Api;

public static class ErrorHandling
{
    /// <summary>Every error is an RFC 9457 problem; exceptions never show stack traces to clients.</summary>
    public static IServiceCollection AddAgriChainProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Instance ??= c.HttpContext.Request.Path;
            c.ProblemDetails.Extensions["traceId"] = System.Diagnostics.Activity.Current?.TraceId.ToString()
                ?? c.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<BadRequestExceptionHandler>();

        // Binding failures reach the handler below in every environment, so they all answer the same way.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o =>
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower)));
        return services;
    }

    /// <summary>
    /// Turns a body that is not JSON, or JSON of the wrong shape, into a 400 validation problem naming the field
    /// (<c>areaMu</c> for <c>{"areaMu": "big"}</c>); other exceptions fall through to the generic 500 problem.
    /// </summary>
    private sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not BadHttpRequestException badRequest)
            {
                return false;
            }

            context.Response.StatusCode = badRequest.StatusCode;
            var problem = new HttpValidationProblemDetails
            {
                Status = badRequest.StatusCode,
                Title = "The request is not valid.",
                Detail = badRequest.InnerException is JsonException ? "The body is not valid JSON for this request." : badRequest.Message,
            };
            if (badRequest.InnerException is JsonException { Path: { } path })
            {
                var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
                problem.Errors[field.Length == 0 || field == "$" ? "body" : field] = [badRequest.InnerException.Message];
            }

            return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
        }
    }
}
