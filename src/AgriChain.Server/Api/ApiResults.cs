using AgriChain.Domain.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgriChain.Server.Api;

/// <summary>The one place where domain outcomes become HTTP status codes and RFC 9457 problems.</summary>
public static class ApiResults
{
    /// <summary>400 listing every bad field.</summary>
    public static ValidationProblem Invalid(FieldErrors errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(), title: "The request is not valid.");

    /// <summary>400 naming one bad field.</summary>
    public static ValidationProblem Invalid(string field, string message)
    {
        var errors = new FieldErrors();
        errors.Add(field, message);
        return Invalid(errors);
    }

    /// <summary>404 for an unknown id.</summary>
    public static ProblemHttpResult NotFound(string kind, string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
            detail: $"There is no {kind} '{id}'.");

    /// <summary>409 when the request conflicts with the resource's current state.</summary>
    public static ProblemHttpResult Conflict(string detail, string? field = null)
    {
        var extensions = field is null ? null : new Dictionary<string, object?> { ["field"] = field };
        return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail,
            extensions: extensions);
    }

    /// <summary>
    /// A create-or-update: 201 with its location when created, 200 when unchanged or updated, 409 when it would
    /// change a fixed field, 400 naming the field when it refers to something that does not exist.
    /// </summary>
    public static Results<Created<TResponse>, Ok<TResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult> Upsert<TView, TResponse>(
        UpsertResult<TView> result, Func<TView, TResponse> map, string location)
    {
        return result.Outcome switch
        {
            UpsertOutcome.Created => TypedResults.Created(location, map(result.Value!)),
            UpsertOutcome.Unchanged or UpsertOutcome.Updated => TypedResults.Ok(map(result.Value!)),
            UpsertOutcome.Conflict => Conflict(result.Detail!, result.Field),
            UpsertOutcome.MissingReference => Invalid(result.Field!, result.Detail!),
            _ => throw new InvalidOperationException($"Unexpected outcome {result.Outcome}."),
        };
    }
}
