namespace Ciem.Core.Diagnostics;

public static partial class DiagnosticCodes
{
    // Delivering proposals (`ciem propose --pull-request`): the GitHub / GitLab API (CIEM644x, within CLI input)
    public const string PullRequestOptions = "CIEM6440";
    public const string PullRequestRejected = "CIEM6441";
    public const string PullRequestUnreachable = "CIEM6442";
    public const string PullRequestRateLimited = "CIEM6443";

    // Recorded reductions (`ciem reductions`, the `regrown-reduction` gate rule) (CIEM645x)
    public const string ReductionRegrown = "CIEM6450";
    public const string ReductionIdentityGone = "CIEM6451";

    // Terraform values without a plan (`ciem check --hcl`): variables, locals, tfvars, local modules (CIEM646x)
    public const string HclBadTfvars = "CIEM6460";
    public const string HclModuleNotFollowed = "CIEM6461";
    public const string HclModuleFollowed = "CIEM6462";
}
