using AgriChain.Contracts.Processing;
using AgriChain.Domain.Common;
using AgriChain.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgriChain.Server.Api.Processing;

public static class ProcessDefinitionEndpoints
{
    public static RouteGroupBuilder MapProcessDefinitionEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/process-definitions").WithTags("Process definitions");
        group.MapGet("/{id}", GetDefinition).WithName("GetProcessDefinition")
            .WithSummary("A process definition: steps in order, each parameter's unit and band, output and expected yield (any key; ?version for an older one).");
        group.MapPut("/{id}", PutDefinition).WithName("PutProcessDefinition")
            .WithSummary("Store a new version of a process definition (admin); runs keep the version they started with.")
            .RequireAuthorization(Policies.Admin);
        return group;
    }

    private static async Task<Results<Ok<ProcessDefinitionResponse>, ValidationProblem, ProblemHttpResult>> GetDefinition(
        string id, int? version, IGrainFactory grains)
    {
        if (version is < 1)
        {
            return ApiResults.Invalid("version", "must be 1 or more");
        }

        var definition = ResourceId.IsValid(id) ? await grains.GetGrain<IProcessDefinitionGrain>(id).GetAsync(version) : null;
        if (definition is null)
        {
            return ApiResults.NotFound("process definition", version is { } v ? $"{id}' version '{v}" : id);
        }

        return TypedResults.Ok(ProcessDefinitionResponse.From(definition));
    }

    private static async Task<Results<Created<ProcessDefinitionResponse>, Ok<ProcessDefinitionResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> PutDefinition(
        string id, ProcessDefinitionRequest request, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        errors.RequireId("id", id);
        var definition = request.Validate(id, errors);
        if (definition is null)
        {
            return ApiResults.Invalid(errors);
        }

        var result = await grains.GetGrain<IProcessDefinitionGrain>(id).PutAsync(definition);
        return ApiResults.Upsert(result, ProcessDefinitionResponse.From, $"/api/v1/process-definitions/{id}");
    }
}
