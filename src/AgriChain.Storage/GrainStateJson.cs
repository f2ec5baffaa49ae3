using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Serialization;
using Orleans.Serialization;

namespace AgriChain.Storage;

/// <summary>
/// Keeps grain state readable on every silo. Orleans stores state as JSON with the .NET type name of every value.
/// A list written as a C# collection expression (<c>[input]</c> for an <c>IReadOnlyList&lt;T&gt;</c>) has a type that
/// the compiler generates inside the assembly that built it (<c>&lt;&gt;z__ReadOnlySingleElementList`1</c> and its
/// siblings), and Orleans refuses to resolve such a name when the state is read back: after a silo failure or any
/// reactivation the grain could not load its state. Such lists are written as <c>List&lt;T&gt;</c>, and state that
/// already names a generated list is read as one.
/// </summary>
public static partial class GrainStateJson
{
    /// <summary>Applies the rule above to Orleans' JSON grain-state serializer. Calling it again changes nothing.</summary>
    public static IServiceCollection AddCollectionExpressionSafeGrainState(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<OrleansJsonSerializerOptions>().PostConfigure(options =>
        {
            var settings = options.JsonSerializerSettings;
            if (settings.SerializationBinder is not StableCollectionBinder)
            {
                settings.SerializationBinder = new StableCollectionBinder(settings.SerializationBinder ?? new DefaultSerializationBinder());
            }
        });
        return services;
    }

    /// <summary>Whether <paramref name="type"/> is a list type the C# compiler generated for a collection expression.</summary>
    public static bool IsGeneratedCollection(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.IsGenericType && type.GetGenericArguments().Length == 1 && GeneratedName().IsMatch(type.Name);
    }

    [GeneratedRegex(@"^<>z__ReadOnly\w*`1$", RegexOptions.CultureInvariant)]
    private static partial Regex GeneratedName();

    [GeneratedRegex(@"^<>z__ReadOnly\w*`1(?<arguments>\[.*\])$", RegexOptions.CultureInvariant)]
    private static partial Regex GeneratedTypeName();

    /// <summary>Orleans' binder, with generated list types named and resolved as <c>List&lt;T&gt;</c>.</summary>
    private sealed class StableCollectionBinder(ISerializationBinder inner) : ISerializationBinder
    {
        public void BindToName(Type serializedType, out string? assemblyName, out string? typeName) =>
            inner.BindToName(IsGeneratedCollection(serializedType)
                ? typeof(List<>).MakeGenericType(serializedType.GetGenericArguments())
                : serializedType, out assemblyName, out typeName);

        public Type BindToType(string? assemblyName, string typeName)
        {
            var generated = GeneratedTypeName().Match(typeName);
            return generated.Success
                ? inner.BindToType(typeof(List<>).Assembly.GetName().Name, $"{typeof(List<>).FullName}{generated.Groups["arguments"].Value}")
                : inner.BindToType(assemblyName, typeName);
        }
    }
}
