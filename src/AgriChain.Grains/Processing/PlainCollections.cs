using AgriChain.Domain.Processing;

namespace AgriChain.Grains.Processing;

/// <summary>
/// Copies with every collection a plain list. Grain state is stored as JSON with type names, and the compiler's own
/// collection types (from collection expressions, as in the built-in definitions) do not read back.
/// </summary>
internal static class PlainCollections
{
    public static ProcessDefinition Plain(this ProcessDefinition definition) =>
        definition with { Steps = definition.Steps.Select(s => s with { Parameters = s.Parameters.ToList() }).ToList() };
}
