using System.Net.Http.Json;
using System.Text.Json;

namespace VirtualBranch.Benchmarks;

/// <summary>
/// The teller's bearer token for the HTTP runs. An access token lives fifteen minutes and a benchmark longer, so it is
/// refreshed a little before it runs out, by one caller at a time (a refresh token presented twice ends the session).
/// </summary>
public sealed class TellerToken(Uri baseAddress, string user, string password) : IDisposable
{
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(2);

    private sealed record Tokens(string Access, DateTimeOffset ExpiresAt, string Refresh);

    private readonly HttpClient _http = new() { BaseAddress = baseAddress };
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Tokens? _tokens;

    public async Task<string> CurrentAsync()
    {
        if (Fresh(_tokens) is { } fresh)
        {
            return fresh;
        }
        await _gate.WaitAsync();
        try
        {
            if (Fresh(_tokens) is { } refreshed)
            {
                return refreshed;
            }
            using var response = _tokens is { } old
                ? await _http.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = old.Refresh })
                : await _http.PostAsJsonAsync("/api/auth/token", new { username = user, password });
            response.EnsureSuccessStatusCode();
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var root = body.RootElement;
            _tokens = new Tokens(root.GetProperty("accessToken").GetString()!, root.GetProperty("expiresAt").GetDateTimeOffset(), root.GetProperty("refreshToken").GetString()!);
            return _tokens.Access;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static string? Fresh(Tokens? tokens) => tokens is not null && DateTimeOffset.UtcNow < tokens.ExpiresAt - Margin ? tokens.Access : null;

    public void Dispose()
    {
        _http.Dispose();
        _gate.Dispose();
    }
}
