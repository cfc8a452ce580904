using Ciem.Core.Aws.Gate;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;

namespace Ciem.Import.Iac;

/// <summary>Plain policy files: a before/after pair of one policy, or a single new policy (before = nothing).</summary>
public static class PolicyFileReader
{
    /// <param name="before">the policy text before the change, or null for a new policy.</param>
    /// <param name="after">the policy text after the change.</param>
    public static IacReadResult Read(string? before, string? beforeFile, string after, string afterFile)
    {
        ArgumentNullException.ThrowIfNull(after);
        var diags = new DiagnosticBag();
        var name = Path.GetFileNameWithoutExtension(afterFile);
        GatePolicy? Parse(string text, string file)
        {
            var parsed = PolicyParser.Parse(text, name, PolicyKind.Identity, new SourceLocation(File: file, JsonPath: "$"));
            diags.AddRange(parsed.Diagnostics);
            return parsed.Document is null ? null : new GatePolicy(name, parsed.Document, new SourceLocation(File: file, JsonPath: "$"));
        }
        var b = before is null ? null : Parse(before, beforeFile ?? "before");
        var a = Parse(after, afterFile);
        if (a is null || (before is not null && b is null)) { return new IacReadResult([], 0, diags.ToImmutable()); }
        var change = new PrincipalChange(GatePrincipalKind.Policy, name, null, b is null ? [] : [b], [a], null, null, null, null, new SourceLocation(File: afterFile));
        return new IacReadResult([change], 1, diags.ToImmutable());
    }
}
