using Ciem.Core.Azure.Conditions;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Model;

namespace Ciem.App.Questions;

/// <summary>
/// How `can` and `who-can` (and any host) name what decided an Azure or GCP answer, in text and JSON: Azure role and deny assignments
/// (role, scope, matched `Actions` entry, group, condition), GCP bindings (resource, role, member, condition) and deny rules.
/// </summary>
public static class CloudExplanations
{
    /// <summary>
    /// ``role assignment `Owner` at `/…` (matched `*`) via group `…` [condition …]`` or ``deny assignment `…` at `/…`
    /// (matched `*/delete`)``.
    /// </summary>
    public static string Describe(AzureDecidingAssignment d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var what = d.Kind == AzureAssignmentKind.DenyAssignment ? "deny assignment" : "role assignment";
        var via = d.ViaGroup is null ? "" : $" via group `{d.ViaGroup}`";
        var condition = d.Condition switch
        {
            ConditionResult.True => "",
            ConditionResult.False => " (condition false)",
            _ => " (condition undecided)",
        };
        return $"{what} `{d.Name}` at `{d.Scope}` (matched `{d.MatchedPattern}`){via}{condition}";
    }

    public static object Json(AzureDecidingAssignment d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new
        {
            kind = d.Kind == AzureAssignmentKind.DenyAssignment ? "denyAssignment" : "roleAssignment",
            assignment = d.AssignmentId,
            name = d.Name,
            scope = d.Scope,
            matched = d.MatchedPattern,
            viaGroup = d.ViaGroup,
            condition = d.Condition.ToString(),
        };
    }

    /// <summary>``binding 0 on `//…/projects/1`: `roles/editor` to `group:devs@…` when `title: expr` ``.</summary>
    public static string Describe(BindingRef b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return $"binding {b.Binding} on `{b.Resource}`: `{b.Role}` to `{b.Member}`{(b.Condition is null ? "" : $" when `{b.Condition}`")}";
    }

    public static string Describe(DenyRuleRef r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return $"deny rule {r.Rule} of `{r.Policy}` on `{r.AttachmentPoint}`{(r.Condition is null ? "" : $" when `{r.Condition}`")}";
    }

    public static object Json(BindingRef b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return new
        {
            resource = b.Resource, binding = b.Binding, role = b.Role, member = b.Member, condition = b.Condition?.Expression,
            conditionTitle = b.Condition?.Title,
        };
    }

    public static object Json(DenyRuleRef r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new { policy = r.Policy, attachmentPoint = r.AttachmentPoint, rule = r.Rule, condition = r.Condition?.Expression };
    }
}
