using System.Diagnostics;
using System.Text.Json;
using Ciem.Tests;

namespace Ciem.Server.Tests.Oidc;

/// <summary>
/// A real OpenID provider in its own process: the npm package `oidc-provider` (installed at test time into
/// `CIEM_NPM_CACHE`, default `~/.cache/ciem/npm`, never vendored) run by node from `provider.mjs` on a loopback port
/// the OS picks. Without node or the registry the tests say so and pass, except under `CI=true` (as `.ci/run`), where
/// they fail.
/// </summary>
public sealed class OpenIdProvider : IAsyncDisposable
{
    public const string Package = "oidc-provider@9.13.3";

    private readonly Process _process;
    private readonly Task<string> _errors;

    private OpenIdProvider(Process process, Uri issuer)
    {
        _process = process;
        Issuer = issuer;
        _errors = process.StandardError.ReadToEndAsync();
    }

    public Uri Issuer { get; }

    /// <summary>The folder holding `node_modules/oidc-provider` and the script, or null (with the reason written) when it cannot be installed here.</summary>
    public static string? Install()
    {
        var (folder, code, output) = NpmPackages.Install(Package, "oidc-provider-9.13.3", skipWhenPresent: true);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Oidc", "provider.mjs"), Path.Combine(folder, "provider.mjs"), overwrite: true);
        if (code == 0) { return folder; }
        var why = $"{Package} could not be installed (npm exit {code}): {output}";
        Assert.True(Environment.GetEnvironmentVariable("CI") is null, why);
        Console.Error.WriteLine($"OpenID Connect tests not run: {why}");
        return null;
    }

    /// <summary>Starts the provider and registers one confidential client whose redirect URI is <paramref name="redirectUri"/>.</summary>
    public static async Task<OpenIdProvider> StartAsync(string folder, string clientId, string clientSecret, Func<Uri, Task<Uri>> redirectUri)
    {
        ArgumentNullException.ThrowIfNull(redirectUri);
        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("provider.mjs");
        var process = Process.Start(start)!;
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var first = await process.StandardOutput.ReadLineAsync(bound.Token) ?? "";
        if (!first.StartsWith("port ", StringComparison.Ordinal))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"the provider did not start: {first} {await process.StandardError.ReadToEndAsync(bound.Token)}");
        }
        var provider = new OpenIdProvider(process, new Uri($"http://127.0.0.1:{first[5..]}"));
        var redirect = await redirectUri(provider.Issuer);
        await process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(new { clientId, clientSecret, redirectUri = redirect.ToString() }));
        await process.StandardInput.FlushAsync(bound.Token);
        var ready = await process.StandardOutput.ReadLineAsync(bound.Token);
        if (ready != "ready")
        {
            await provider.DisposeAsync();
            throw new InvalidOperationException($"the provider did not start: {ready} {provider._errors.Result}");
        }
        return provider;
    }

    /// <summary>The next ID token the token endpoint returns is re-signed (same key) with these claims replaced.</summary>
    public async Task TamperNextIdTokenAsync(object claims)
    {
        using var http = new HttpClient { BaseAddress = Issuer };
        using var body = new StringContent(JsonSerializer.Serialize(claims), System.Text.Encoding.UTF8, "application/json");
        (await http.PostAsync("/__test/tamper", body)).EnsureSuccessStatusCode();
    }

    /// <summary>The parameters of the last authorization request the provider accepted (pushed or in the query).</summary>
    public async Task<Dictionary<string, string>> LastAuthorizationAsync()
    {
        using var http = new HttpClient { BaseAddress = Issuer };
        return JsonSerializer.Deserialize<Dictionary<string, string>>(await http.GetStringAsync("/__test/last"))!;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) { _process.Kill(entireProcessTree: true); }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
