using System.Collections.Concurrent;
using AgriChain.Contracts.Access;

namespace AgriChain.Server.Auth;

/// <summary>
/// References to the grains of the keys this process has seen, so that checking a key on every request does not make
/// Orleans resolve the grain interface by reflection each time. Only references are kept: every request still asks
/// the key's grain, so a revocation takes effect at once on every silo.
/// </summary>
public sealed class ApiKeyGrains(IGrainFactory grains)
{
    /// <summary>Beyond this many keys the references start afresh rather than grow without bound.</summary>
    private const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, IApiKeyGrain> _references = new(StringComparer.Ordinal);

    public IApiKeyGrain For(string keyId)
    {
        if (_references.TryGetValue(keyId, out var known))
        {
            return known;
        }

        if (_references.Count >= Capacity)
        {
            _references.Clear();
        }

        return _references.GetOrAdd(keyId, id => grains.GetGrain<IApiKeyGrain>(id));
    }
}
