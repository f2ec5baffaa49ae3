using AgriChain.Contracts.Processing;
using AgriChain.Domain.Common;
using AgriChain.Domain.Processing;
using AgriChain.Server.Api.MasterData;

namespace AgriChain.Server.Api.Processing;

public sealed record ParameterRangeDto(string? Unit, decimal? Min, decimal? Max);

public sealed record StepDefinitionDto(string? Name, bool? Required, bool? ConsumesInputs,
    IReadOnlyDictionary<string, ParameterRangeDto?>? Parameters);

public sealed record ProcessDefinitionRequest(string? Product, string? OutputUnit, decimal? ExpectedYieldPerKg, decimal? YieldTolerance,
    string? InputProduct, IReadOnlyList<StepDefinitionDto?>? Steps)
{
    /// <summary>The definition this body describes (id and version are the grain's to assign), or null with the errors.</summary>
    public ProcessDefinition? Validate(string id, FieldErrors errors)
    {
        if (Product is null)
        {
            errors.Add("product", "is required");
        }

        if (OutputUnit is null)
        {
            errors.Add("outputUnit", "is required");
        }

        if (ExpectedYieldPerKg is null)
        {
            errors.Add("expectedYieldPerKg", "is required");
        }

        var steps = new List<ProcessStep>();
        if (Steps is null)
        {
            errors.Add("steps", "is required");
        }
        else
        {
            for (var i = 0; i < Steps.Count; i++)
            {
                var field = $"steps[{i}]";
                if (Steps[i] is not { } step)
                {
                    errors.Add(field, "is required");
                    continue;
                }

                if (step.Name is null)
                {
                    errors.Add($"{field}.name", "is required");
                }

                if (step.Required is null)
                {
                    errors.Add($"{field}.required", "is required");
                }

                var parameters = new List<ProcessParameter>();
                foreach (var (name, range) in step.Parameters ?? new Dictionary<string, ParameterRangeDto?>())
                {
                    if (range is null)
                    {
                        errors.Add($"{field}.parameters.{name}", "is required");
                        continue;
                    }

                    parameters.Add(new ProcessParameter(name, range.Unit?.Trim() ?? string.Empty, range.Min, range.Max));
                }

                steps.Add(new ProcessStep(step.Name ?? string.Empty, step.Required ?? false, parameters, step.ConsumesInputs ?? false));
            }
        }

        var definition = new ProcessDefinition(id, 0, Product ?? string.Empty, OutputUnit ?? string.Empty, ExpectedYieldPerKg ?? 0,
            YieldTolerance ?? DefaultYieldTolerance, InputProduct, steps);
        if (errors.IsEmpty)
        {
            ProcessRules.Validate(definition, errors);
        }

        return errors.IsEmpty ? definition : null;
    }

    /// <summary>A run further than this fraction from the expected yield is flagged, unless the definition says otherwise.</summary>
    public const decimal DefaultYieldTolerance = 0.2m;
}

public sealed record ParameterRangeResponse(string Unit, decimal? Min, decimal? Max);

public sealed record StepDefinitionResponse(string Name, bool Required, bool ConsumesInputs,
    IReadOnlyDictionary<string, ParameterRangeResponse> Parameters);

public sealed record ProcessDefinitionResponse(string Id, int Version, string Product, string OutputUnit, decimal ExpectedYieldPerKg,
    decimal YieldTolerance, string? InputProduct, IReadOnlyList<StepDefinitionResponse> Steps)
{
    public static ProcessDefinitionResponse From(ProcessDefinition d) => new(d.Id, d.Version, d.Product, d.OutputUnit,
        d.ExpectedYieldPerKg, d.YieldTolerance, d.InputProduct,
        d.Steps.Select(s => new StepDefinitionResponse(s.Name, s.Required, s.ConsumesInputs,
            s.Parameters.ToDictionary(p => p.Name, p => new ParameterRangeResponse(p.Unit, p.Min, p.Max), StringComparer.Ordinal))).ToList());
}

public sealed record RunInputDto(string? BatchId, decimal? Quantity);

public sealed record StartRunRequest(string? Id, string? DefinitionId, string? OwnerId, IReadOnlyList<RunInputDto?>? Inputs);

public sealed record RecordStepRequest(string? Step, string? StartedAt, string? EndedAt, IReadOnlyDictionary<string, decimal?>? Parameters);

public sealed record RunOutputDto(string? BatchId, string? Product, decimal? Quantity, string? Unit, string? Grade);

public sealed record CompleteRunRequest(IReadOnlyList<RunOutputDto?>? Outputs);

public sealed record ReasonRequest(string? Reason);

public sealed record RunInputResponse(string BatchId, decimal Quantity, string Unit);

public sealed record DeviationResponse(string Step, string Parameter, decimal Value, string Unit, decimal? Min, decimal? Max,
    string Direction, decimal By)
{
    public static DeviationResponse From(Deviation d) =>
        new(d.Step, d.Parameter, d.Value, d.Unit, d.Min, d.Max, WireNames.Of(d.Direction), d.By);
}

public sealed record RecordedStepResponse(string Step, DateTimeOffset StartedAt, DateTimeOffset EndedAt,
    IReadOnlyDictionary<string, decimal> Parameters, IReadOnlyList<DeviationResponse> Deviations, DateTimeOffset RecordedAt,
    string RecordedBy)
{
    public static RecordedStepResponse From(RecordedStep s) => new(s.Step, s.StartedAt, s.EndedAt,
        s.Parameters.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal),
        s.Deviations.Select(DeviationResponse.From).ToList(), s.RecordedAt, s.RecordedBy);
}

public sealed record HoldResponse(string Id, DateTimeOffset Since, string Reason, DateTimeOffset? ReleasedAt, string? ReleasedBy,
    string? ReleaseReason);

public sealed record RunOutputResponse(string BatchId, string Product, decimal Quantity, string Unit, string? Grade);

/// <summary>A step's answer: the step as recorded, its deviations, and whether the run's outputs are now on hold.</summary>
public sealed record StepResultResponse(string RunId, string Step, IReadOnlyList<DeviationResponse> Deviations, bool OnHold,
    RecordedStepResponse Recorded);

public sealed record RunResponse(
    string Id,
    string DefinitionId,
    int DefinitionVersion,
    string OwnerId,
    string Status,
    bool OnHold,
    IReadOnlyList<RunInputResponse> Inputs,
    IReadOnlyList<RecordedStepResponse> Steps,
    IReadOnlyList<DeviationResponse> Deviations,
    IReadOnlyList<string> MissingSteps,
    IReadOnlyList<HoldResponse> Holds,
    IReadOnlyList<RunOutputResponse> Outputs,
    decimal InputKg,
    decimal? YieldRatio,
    decimal ExpectedYieldPerKg,
    bool YieldFlagged,
    DateTimeOffset StartedAt,
    string StartedBy,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? AbandonedAt,
    string? AbandonReason,
    bool? InputsReturned)
{
    public static RunResponse From(RunView v) => new(
        v.Id,
        v.Definition.Id,
        v.Definition.Version,
        v.OwnerId,
        WireNames.Of(v.Status),
        v.OnHold,
        v.Inputs.Select(i => new RunInputResponse(i.BatchId, i.Quantity, i.Unit)).ToList(),
        v.Steps.Select(RecordedStepResponse.From).ToList(),
        v.Deviations.Select(DeviationResponse.From).ToList(),
        ProcessRules.MissingForCompletion(v.Definition, v.Steps.Select(s => s.Step)),
        v.Holds.Select(h => new HoldResponse(h.Id, h.Since, h.Reason, h.ReleasedAt, h.ReleasedBy, h.ReleaseReason)).ToList(),
        v.Outputs.Select(o => new RunOutputResponse(o.BatchId, o.Product, o.Quantity, o.Unit, o.Grade)).ToList(),
        v.Yield?.InputKg ?? v.Inputs.Sum(i => ProcessRules.ToKg(i.Quantity, i.Unit) ?? 0m),
        v.Yield?.Ratio,
        v.Definition.ExpectedYieldPerKg,
        v.Yield?.Flagged ?? false,
        v.StartedAt,
        v.StartedBy,
        v.Status == RunStatus.Completed ? v.FinishedAt : null,
        v.Status == RunStatus.Abandoned ? v.FinishedAt : null,
        v.AbandonReason,
        v.InputsReturned);
}
