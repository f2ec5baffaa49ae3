using System.Security.Cryptography;
using System.Text;
using AgriChain.Contracts.Access;
using AgriChain.Domain.Access;

namespace AgriChain.Grains.Access;

/// <summary>
/// Holds one API key's grant and the PBKDF2 hash of its secret. The slow hash is paid once per activation:
/// after a successful check the grain remembers a SHA-256 digest of the secret in memory only, and later
/// requests compare against that in constant time.
/// </summary>
[GrainType("api-key")]
public sealed class ApiKeyGrain(
    [PersistentState("api-key")] IPersistentState<ApiKeyState> state,
    TimeProvider time) : Grain, IApiKeyGrain
{
    private const int Iterations = 100_000;
    private const int HashBytes = 32;
    private const int SaltBytes = 16;

    /// <summary>Wrong secrets tolerated per minute before the grain stops hashing them.</summary>
    private const int MaxFailuresPerMinute = 20;

    private byte[]? _verifiedDigest;
    private DateTimeOffset _failureWindowStart;
    private int _failuresInWindow;

    public async Task<bool> IssueAsync(KeyGrant grant, string secret, string issuedBy)
    {
        if (state.RecordExists)
        {
            return false;
        }

        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        state.State.Grant = grant;
        state.State.Salt = salt;
        state.State.Iterations = Iterations;
        state.State.Hash = Hash(secret, salt, Iterations);
        state.State.CreatedAt = time.GetUtcNow();
        state.State.CreatedBy = issuedBy;
        await state.WriteStateAsync();
        return true;
    }

    public Task<KeyGrant?> VerifyAsync(string secret)
    {
        if (state.State.Grant is not { } grant || state.State.RevokedAt is not null)
        {
            return Task.FromResult<KeyGrant?>(null);
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        if (_verifiedDigest is not null && CryptographicOperations.FixedTimeEquals(digest, _verifiedDigest))
        {
            return Task.FromResult<KeyGrant?>(grant);
        }

        if (TooManyFailures())
        {
            return Task.FromResult<KeyGrant?>(null);
        }

        var candidate = Hash(secret, state.State.Salt, state.State.Iterations);
        if (!CryptographicOperations.FixedTimeEquals(candidate, state.State.Hash))
        {
            _failuresInWindow++;
            return Task.FromResult<KeyGrant?>(null);
        }

        _verifiedDigest = digest;
        return Task.FromResult<KeyGrant?>(grant);
    }

    public async Task<bool> RevokeAsync(string revokedBy)
    {
        if (state.State.Grant is null)
        {
            return false;
        }

        _verifiedDigest = null;
        if (state.State.RevokedAt is null)
        {
            state.State.RevokedAt = time.GetUtcNow();
            state.State.RevokedBy = revokedBy;
            await state.WriteStateAsync();
        }

        return true;
    }

    public Task<ApiKeyView?> GetAsync() => Task.FromResult(state.State.Grant is { } grant
        ? new ApiKeyView(this.GetPrimaryKeyString(), grant, state.State.CreatedAt, state.State.CreatedBy,
            state.State.RevokedAt)
        : null);

    private bool TooManyFailures()
    {
        var now = time.GetUtcNow();
        if (now - _failureWindowStart > TimeSpan.FromMinutes(1))
        {
            _failureWindowStart = now;
            _failuresInWindow = 0;
        }

        return _failuresInWindow >= MaxFailuresPerMinute;
    }

    private static byte[] Hash(string secret, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
}

[GenerateSerializer, Alias("agrichain.api-key-state")]
public sealed class ApiKeyState
{
    [Id(0)] public KeyGrant? Grant { get; set; }
    [Id(1)] public byte[] Salt { get; set; } = [];
    [Id(2)] public byte[] Hash { get; set; } = [];
    [Id(3)] public int Iterations { get; set; }
    [Id(4)] public DateTimeOffset CreatedAt { get; set; }
    [Id(5)] public string CreatedBy { get; set; } = string.Empty;
    [Id(6)] public DateTimeOffset? RevokedAt { get; set; }
    [Id(7)] public string? RevokedBy { get; set; }
}
