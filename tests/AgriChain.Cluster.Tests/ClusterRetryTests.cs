using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using AgriChain.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;

namespace AgriChain.Cluster.Tests;

/// <summary>
/// The retry middleware on its own, in front of endpoints that fail the way grain calls fail while a silo dies:
/// idempotent requests are run again with their body until they succeed or the deadline passes (then 503 with
/// Retry-After as a problem document); other failures and endpoints that opt out fail at once.
/// </summary>
public sealed class ClusterRetryTests : IAsyncLifetime
{
    /// <summary>Short, so that the test of giving up is quick; the others allow for a busy machine.</summary>
    private static readonly TimeSpan ShortDeadline = TimeSpan.FromMilliseconds(1500);

    private readonly ClusterRetryOptions _retry = new() { Deadline = TimeSpan.FromSeconds(20), RetryAfter = TimeSpan.FromSeconds(7) };
    private readonly List<string> _bodies = [];
    private WebApplication? _app;
    private HttpClient? _client;
    private int _failuresLeft;
    private Exception _failure = new SiloUnavailableException();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddAgriChainClusterRetry();
        builder.Services.Configure<AgriChainClusterOptions>(o => o.Retry = _retry);
        _app = builder.Build();
        _app.UseAgriChainClusterRetry();

        _app.MapPost("/flaky", async (HttpRequest request) =>
        {
            var body = await request.ReadFromJsonAsync<JsonElement>();
            lock (_bodies)
            {
                _bodies.Add(body.GetRawText());
            }

            if (Interlocked.Decrement(ref _failuresLeft) >= 0)
            {
                throw _failure;
            }

            return Results.Ok(new { echoed = body.GetProperty("id").GetString() });
        });
        _app.MapGet("/flaky", () =>
        {
            lock (_bodies)
            {
                _bodies.Add("GET");
            }

            return Interlocked.Decrement(ref _failuresLeft) >= 0 ? throw _failure : Results.Ok("fine");
        });
        _app.MapPost("/not-idempotent", () =>
        {
            lock (_bodies)
            {
                _bodies.Add("issued");
            }

            return Interlocked.Decrement(ref _failuresLeft) >= 0 ? throw _failure : Results.Ok("issued");
        }).WithoutClusterRetry(HttpMethods.Post);

        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task PostWhoseGrainCallFailsTwice_IsRunAgainWithTheSameBody_AndSucceeds()
    {
        _failuresLeft = 2;

        var response = await _client!.PostAsJsonAsync("/flaky", new { id = "split-7", parts = "a;b;c" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("split-7", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("echoed").GetString());
        Assert.Equal(3, _bodies.Count);
        Assert.All(_bodies, body => Assert.Equal(_bodies[0], body));
    }

    [Theory]
    [InlineData(typeof(OrleansMessageRejectionException))]
    [InlineData(typeof(TimeoutException))]
    [InlineData(typeof(InconsistentStateException))]
    public async Task EachClusterFailure_IsRetried(Type failure)
    {
        _failure = Create(failure);
        _failuresLeft = 1;

        var response = await _client!.GetAsync(new Uri("/flaky", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _bodies.Count);
    }

    [Fact]
    public async Task FailureWrappedInAnAggregate_IsRetried()
    {
        _failure = new AggregateException(new InvalidOperationException("other"), new SiloUnavailableException());
        _failuresLeft = 1;

        var response = await _client!.GetAsync(new Uri("/flaky", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ClusterThatCannotServeBeforeTheDeadline_Answers503WithRetryAfterAsAProblem()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client!.PostAsJsonAsync("/flaky", new { id = "warm-up" })).StatusCode);
        _bodies.Clear();
        _failuresLeft = int.MaxValue;
        _retry.Deadline = ShortDeadline;

        var response = await _client!.PostAsJsonAsync("/flaky", new { id = "merge-1" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
        Assert.True(_bodies.Count >= 3, $"Only {_bodies.Count} attempts before giving up.");
    }

    [Fact]
    public async Task OtherFailures_AreNotRetried()
    {
        _failure = new InvalidOperationException("a bug, not a silo failure");
        _failuresLeft = 1;

        await Assert.ThrowsAsync<InvalidOperationException>(() => _client!.GetAsync(new Uri("/flaky", UriKind.Relative)));
        Assert.Single(_bodies);
    }

    [Fact]
    public async Task EndpointThatOptsOut_IsNotRetried()
    {
        _failuresLeft = 1;

        await Assert.ThrowsAsync<SiloUnavailableException>(() => _client!.PostAsync(new Uri("/not-idempotent", UriKind.Relative), null));
        Assert.Equal(["issued"], _bodies);
    }

    [Theory]
    [InlineData(typeof(SiloUnavailableException), true)]
    [InlineData(typeof(OrleansMessageRejectionException), true)]
    [InlineData(typeof(TimeoutException), true)]
    [InlineData(typeof(InconsistentStateException), true)]
    [InlineData(typeof(OrleansException), false)]
    [InlineData(typeof(OperationCanceledException), false)]
    [InlineData(typeof(ArgumentException), false)]
    public void ClusterFailures_AreToldApartFromOthers(Type type, bool retried)
    {
        var exception = Create(type);

        Assert.Equal(retried, ClusterRetryMiddleware.IsClusterFailure(exception));
        Assert.Equal(retried, ClusterRetryMiddleware.IsClusterFailure(new InvalidOperationException("wrapped", exception)));
    }

    [Fact]
    public void TransientDatabaseErrors_AreRetried_OthersAreNot()
    {
        Assert.True(ClusterRetryMiddleware.IsClusterFailure(new OrleansException("storage", new Npgsql.NpgsqlException("connection refused", new System.Net.Sockets.SocketException()))));
        Assert.False(ClusterRetryMiddleware.IsClusterFailure(new OrleansException("storage", new Npgsql.PostgresException("syntax", "ERROR", "ERROR", "42601"))));
    }

    /// <summary>An instance of an exception type; Orleans keeps some constructors internal.</summary>
    private static Exception Create(Type type) =>
        type.GetConstructor(Type.EmptyTypes) is { } parameterless
            ? (Exception)parameterless.Invoke(null)
            : (Exception)Activator.CreateInstance(type, BindingFlags.Instance | BindingFlags.NonPublic, null, ["made by a test"], CultureInfo.InvariantCulture)!;
}
