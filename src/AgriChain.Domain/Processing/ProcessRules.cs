using System.Text.RegularExpressions;
using AgriChain.Domain.Common;
using AgriChain.Domain.Traceability;

namespace AgriChain.Domain.Processing;

/// <summary>Whether a step may be recorded now, given the steps a run already has.</summary>
public sealed record StepOrder(IReadOnlyList<string> MissingRequired, string? RecordedAfter)
{
    public bool InOrder => MissingRequired.Count == 0 && RecordedAfter is null;
}

/// <summary>
/// The rules of processing: how a definition must look, the order steps are recorded in, which values deviate,
/// when a run may complete, and how its yield is measured.
/// </summary>
public static partial class ProcessRules
{
    public const int MaxSteps = 50;
    public const int MaxParametersPerStep = 20;
    public const int MaxUnitLength = 20;

    /// <summary>Limits on values a step can carry, far outside any real process, to keep nonsense out.</summary>
    public const decimal MaxMagnitude = 1_000_000_000m;

    /// <summary>Step names: kebab-case, as in <c>main-fermentation</c>.</summary>
    public static bool IsStepName(string? name) => name is { Length: <= 64 } && StepName().IsMatch(name);

    /// <summary>Parameter names: camelCase, the unit as a suffix where natural, as in <c>temperatureC</c>.</summary>
    public static bool IsParameterName(string? name) => name is { Length: <= 40 } && ParameterName().IsMatch(name);

    /// <summary>Checks a definition's content, naming fields as the HTTP body does (<c>steps[2].parameters.ph.min</c>).</summary>
    public static void Validate(ProcessDefinition definition, FieldErrors errors)
    {
        if (!ResourceId.IsValid(definition.Product))
        {
            errors.Add("product", ResourceId.Rule);
        }

        if (!BatchUnits.All.Contains(definition.OutputUnit))
        {
            errors.Add("outputUnit", $"must be one of {string.Join(", ", BatchUnits.All.Order(StringComparer.Ordinal))}");
        }

        if (definition.InputProduct is { } input && !ResourceId.IsValid(input))
        {
            errors.Add("inputProduct", ResourceId.Rule);
        }

        if (definition.ExpectedYieldPerKg <= 0 || definition.ExpectedYieldPerKg > 1_000m)
        {
            errors.Add("expectedYieldPerKg", "must be greater than 0 and at most 1000");
        }

        if (definition.YieldTolerance <= 0 || definition.YieldTolerance > 1m)
        {
            errors.Add("yieldTolerance", "must be greater than 0 and at most 1 (a fraction of the expectation)");
        }

        if (definition.Steps.Count is 0 or > MaxSteps)
        {
            errors.Add("steps", $"must list between 1 and {MaxSteps} steps");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < definition.Steps.Count; i++)
        {
            var step = definition.Steps[i];
            var field = $"steps[{i}]";
            if (!IsStepName(step.Name))
            {
                errors.Add($"{field}.name", "must be kebab-case: lower-case words joined by '-', at most 64 characters");
            }
            else if (!names.Add(step.Name))
            {
                errors.Add($"{field}.name", $"step '{step.Name}' appears twice");
            }

            if (step.Parameters.Count > MaxParametersPerStep)
            {
                errors.Add($"{field}.parameters", $"must have at most {MaxParametersPerStep} parameters");
            }

            foreach (var parameter in step.Parameters)
            {
                var p = $"{field}.parameters.{parameter.Name}";
                if (!IsParameterName(parameter.Name))
                {
                    errors.Add(p, "the name must be camelCase letters and digits, at most 40 characters");
                }

                if (string.IsNullOrWhiteSpace(parameter.Unit) || parameter.Unit.Length > MaxUnitLength || parameter.Unit.Any(char.IsControl))
                {
                    errors.Add($"{p}.unit", $"is required, at most {MaxUnitLength} characters");
                }

                foreach (var (bound, value) in new[] { ("min", parameter.Min), ("max", parameter.Max) })
                {
                    if (value is { } v && Math.Abs(v) > MaxMagnitude)
                    {
                        errors.Add($"{p}.{bound}", $"must be between -{MaxMagnitude} and {MaxMagnitude}");
                    }
                }

                if (parameter.Min > parameter.Max)
                {
                    errors.Add($"{p}.min", "must not be above max");
                }
            }

            if (step.Parameters.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count() != step.Parameters.Count)
            {
                errors.Add($"{field}.parameters", "names a parameter twice");
            }
        }
    }

    /// <summary>
    /// Checks recorded values against a step: each is a parameter of the step, given once. A parameter may be left
    /// out (not measured this time); a name the step does not know is refused, so a misspelt one cannot slip past its
    /// band. Answers the values in the definition's order, so the same values always compare equal.
    /// </summary>
    public static IReadOnlyList<ParameterValue> ValidateParameters(ProcessStep step, IReadOnlyList<ParameterValue> given, FieldErrors errors)
    {
        foreach (var value in given)
        {
            if (step.Parameter(value.Name) is null)
            {
                var known = step.Parameters.Count == 0 ? "this step records no parameters" : $"'{step.Name}' records {string.Join(", ", step.Parameters.Select(p => p.Name))}";
                errors.Add($"parameters.{value.Name}", $"is not a parameter of this step; {known}");
            }
            else if (Math.Abs(value.Value) > MaxMagnitude)
            {
                errors.Add($"parameters.{value.Name}", $"must be between -{MaxMagnitude} and {MaxMagnitude}");
            }
        }

        foreach (var name in given.GroupBy(v => v.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            errors.Add($"parameters.{name}", "is given more than once");
        }

        return step.Parameters
            .Select(p => given.FirstOrDefault(v => v.Name == p.Name))
            .OfType<ParameterValue>()
            .ToList();
    }

    /// <summary>
    /// Steps go in the definition's order: every required step before <paramref name="step"/> must be recorded, and
    /// no step after it may be recorded yet (an optional step that was passed over stays passed over).
    /// </summary>
    public static StepOrder CheckOrder(ProcessDefinition definition, IEnumerable<string> recorded, string step)
    {
        var index = definition.IndexOf(step);
        if (index < 0)
        {
            throw new ArgumentException($"'{step}' is not a step of '{definition.Id}'.", nameof(step));
        }

        var done = recorded.ToHashSet(StringComparer.Ordinal);
        var missing = definition.Steps.Take(index).Where(s => s.Required && !done.Contains(s.Name)).Select(s => s.Name).ToList();
        var later = definition.Steps.Skip(index + 1).Select(s => s.Name).LastOrDefault(done.Contains);
        return new StepOrder(missing, later);
    }

    /// <summary>The values of <paramref name="step"/> that lie outside their band.</summary>
    public static IReadOnlyList<Deviation> FindDeviations(ProcessStep step, IEnumerable<ParameterValue> values)
    {
        var deviations = new List<Deviation>();
        foreach (var value in values)
        {
            if (step.Parameter(value.Name) is not { } parameter || parameter.Allows(value.Value))
            {
                continue;
            }

            deviations.Add(value.Value > parameter.Max
                ? new Deviation(step.Name, parameter.Name, value.Value, parameter.Unit, parameter.Min, parameter.Max,
                    DeviationDirection.Above, value.Value - parameter.Max.Value)
                : new Deviation(step.Name, parameter.Name, value.Value, parameter.Unit, parameter.Min, parameter.Max,
                    DeviationDirection.Below, parameter.Min!.Value - value.Value));
        }

        return deviations;
    }

    /// <summary>Required steps not yet recorded: a run completes only when there are none.</summary>
    public static IReadOnlyList<string> MissingForCompletion(ProcessDefinition definition, IEnumerable<string> recorded)
    {
        var done = recorded.ToHashSet(StringComparer.Ordinal);
        return definition.Steps.Where(s => s.Required && !done.Contains(s.Name)).Select(s => s.Name).ToList();
    }

    /// <summary>
    /// Whether the inputs have been worked past recovery: a step at or after the first step that consumes them was
    /// recorded. Until then, abandoning the run gives them back.
    /// </summary>
    public static bool InputsWorked(ProcessDefinition definition, IEnumerable<string> recorded)
    {
        var first = -1;
        for (var i = 0; i < definition.Steps.Count; i++)
        {
            if (definition.Steps[i].ConsumesInputs)
            {
                first = i;
                break;
            }
        }

        return first >= 0 && recorded.Any(s => definition.IndexOf(s) >= first);
    }

    /// <summary>A mass in kg, or null for units that are not a mass.</summary>
    public static decimal? ToKg(decimal quantity, string unit) => unit switch
    {
        "kg" => quantity,
        "t" => quantity * 1000m,
        _ => null,
    };

    /// <summary>
    /// The yield a run achieved: the definition's product, in its output unit, per kg of input, flagged when it
    /// lies further from the expectation than the definition's tolerance (a fraction of the expectation).
    /// </summary>
    public static YieldMeasurement MeasureYield(ProcessDefinition definition, decimal inputKg,
        IEnumerable<(string Product, decimal Quantity, string Unit)> outputs)
    {
        var output = outputs.Where(o => o.Product == definition.Product && o.Unit == definition.OutputUnit).Sum(o => o.Quantity);
        var ratio = inputKg > 0 ? Math.Round(output / inputKg, 4, MidpointRounding.AwayFromZero) : 0m;
        var flagged = Math.Abs(ratio - definition.ExpectedYieldPerKg) > definition.ExpectedYieldPerKg * definition.YieldTolerance;
        return new YieldMeasurement(inputKg, output, definition.OutputUnit, ratio, definition.ExpectedYieldPerKg, flagged);
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex StepName();

    [GeneratedRegex("^[a-z][a-zA-Z0-9]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterName();
}
