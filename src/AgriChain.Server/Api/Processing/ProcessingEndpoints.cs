namespace AgriChain.Server.Api.Processing;

/// <summary>Processing: process definitions and the runs made of them.</summary>
public static class ProcessingEndpoints
{
    public static IEndpointRouteBuilder MapProcessingEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapProcessDefinitionEndpoints();
        routes.MapProcessingRunEndpoints();
        return routes;
    }
}
