using System.Text;
using System.Text.Json;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;

namespace Ciem.Core.Tests.Aws.Evaluation;

public sealed class CompiledPolicyCacheTests
{
    private const string Document = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";

    private static CompiledPolicy Compile(JsonElement e, string name, PolicyKind kind, SourceLocation location, DiagnosticBag diags)
    {
        var parsed = PolicyParser.Parse(e, name, kind, location);
        diags.AddRange(parsed.Diagnostics);
        return CompiledPolicy.Compile(parsed.Document!, diags);
    }

    [Fact]
    public void GetOrCompile_ThreadsMissingTheSameDocumentAtOnce_CompileItOnce()
    {
        // Given four threads that all miss the same document at the same moment, and a compiler that waits until all
        // four have asked (so a cache that compiles per miss would compile four times)
        var cache = new CompiledPolicyCache();
        var compilations = 0;
        using var allAsked = new CountdownEvent(4);
        CompiledPolicy Slow(JsonElement e, string name, PolicyKind kind, SourceLocation location, DiagnosticBag diags)
        {
            Interlocked.Increment(ref compilations);
            allAsked.Wait(TimeSpan.FromSeconds(5));
            return Compile(e, name, kind, location, diags);
        }
        var utf8 = Encoding.UTF8.GetBytes(Document);

        // When each asks for it
        var results = new CompiledPolicy[4];
        var threads = Enumerable.Range(0, 4).Select(i => new Thread(() =>
        {
            allAsked.Signal();
            var at = new SourceLocation(File: "r.jsonl", Line: i + 1);
            results[i] = cache.GetOrCompile(utf8, "identityPolicies[0]", PolicyKind.Identity, at, Slow, new DiagnosticBag());
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        // Then it was compiled once, every thread got that one policy, and the counts say one miss and three hits
        Assert.Equal(1, compilations);
        Assert.All(results, r => Assert.Same(results[0], r));
        Assert.Equal(1, cache.Misses);
        Assert.Equal(3, cache.Hits);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void GetOrCompile_SameBytesUnderAnotherName_IsASecondEntry()
    {
        // Given one document read as two different policies (the near-miss twin: same bytes, another key)
        var cache = new CompiledPolicyCache();
        var utf8 = Encoding.UTF8.GetBytes(Document);

        // When both are asked for twice
        var a = cache.GetOrCompile(utf8, "identityPolicies[0]", PolicyKind.Identity, SourceLocation.None, Compile, new DiagnosticBag());
        var b = cache.GetOrCompile(utf8, "identityPolicies[1]", PolicyKind.Identity, SourceLocation.None, Compile, new DiagnosticBag());
        var a2 = cache.GetOrCompile(utf8, "identityPolicies[0]", PolicyKind.Identity, SourceLocation.None, Compile, new DiagnosticBag());

        // Then each name compiled once and the repeat is a hit
        Assert.NotSame(a, b);
        Assert.Same(a, a2);
        Assert.Equal(2, cache.Misses);
        Assert.Equal(1, cache.Hits);
    }
}
