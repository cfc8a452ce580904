using System.Collections.Immutable;
using Ciem.Core.Aws.Gate;
using Ciem.Core.Diagnostics;

namespace Ciem.Import.Iac;

/// <summary>
/// A string value of a Terraform attribute: literal text, or text whose references are kept as `{…}`
/// (<see cref="Symbolic"/>): `"${var.x}-y"` → `{var.x}-y`, `azurerm_resource_group.rg.id` → `{azurerm_resource_group.rg.id}`.
/// </summary>
internal readonly record struct TfString(string Text, bool Symbolic)
{
    /// <summary>The first reference in the text (`azurerm_role_definition.x.role_definition_resource_id`), or null for a literal.</summary>
    public string? Reference
    {
        get
        {
            if (!Symbolic) { return null; }
            var open = Text.IndexOf('{', StringComparison.Ordinal);
            var close = open < 0 ? -1 : Text.IndexOf('}', open);
            return close > open ? Text[(open + 1)..close] : null;
        }
    }

    /// <summary>True when the whole value is one reference.</summary>
    public bool IsReference => Symbolic && Text.StartsWith('{') && Text.EndsWith('}') && Text.IndexOf('{', 1) < 0;

    /// <summary>The resource a reference names: `type.label` or `data.type.label` (after any `module.x.` prefix), or null.</summary>
    public string? ReferencedAddress
    {
        get
        {
            if (Reference is not { } r) { return null; }
            var parts = r.Split('.');
            var i = 0;
            while (i + 1 < parts.Length && parts[i] == "module") { i += 2; }
            var n = parts.Length > i && parts[i] == "data" ? 3 : 2;
            if (parts.Length - i < n) { return null; }
            var address = string.Join('.', parts.Take(i + n));
            var bracket = address.IndexOf('[', StringComparison.Ordinal);
            return bracket < 0 ? address : address[..bracket];
        }
    }
}

/// <summary>
/// One side of one Terraform resource as attribute values, whatever the input: a plan's `before`/`after` (values known
/// only after apply resolved through `configuration` references) or the HCL source. The readers of Azure, GCP and AWS
/// resource-policy resources read through it, so plan and source are read by the same code.
/// </summary>
internal abstract class TfValues
{
    /// <summary>A string attribute; null when absent or null.</summary>
    public abstract TfString? String(string name);

    /// <summary>A list of strings; null when absent; a list known only after apply is one symbolic item.</summary>
    public abstract ImmutableArray<TfString>? List(string name);

    /// <summary>Nested blocks (`permissions { … }`, `condition { … }`, `binding { … }`).</summary>
    public abstract IEnumerable<TfValues> Blocks(string name);

    /// <summary>Where an attribute (or the resource, for null) is: a JSON path in a plan, a file and line in source.</summary>
    public abstract SourceLocation At(string? name);

    /// <summary>An AWS policy document attribute: parsed, or a policy of unknown content (never skipped); null when absent.</summary>
    public abstract GatePolicy? Policy(string name, string policyName);

    /// <summary>Whether the configuration sets the attribute (a plan without the resource's `configuration`: whether it has a value, known or not).</summary>
    public abstract bool Configured(string name);

    /// <summary>The raw text of an attribute, to tell whether it changed; null when absent.</summary>
    public abstract string? Raw(string name);

    /// <summary>The values of the data source an attribute references (`data.google_iam_policy.x.policy_data`), when the input has it.</summary>
    public abstract TfValues? Referenced(string name);
}
