using System.Collections.Immutable;
using Ciem.Core.Aws.Gate;
using Ciem.Core.Diagnostics;

namespace Ciem.Import.Iac;

/// <summary>The principals a change touches, with located diagnostics and the number of IAM resources read.</summary>
public sealed record IacReadResult(ImmutableArray<PrincipalChange> Changes, int IamResources, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);

    /// <summary>Azure and GCP IAM resources and AWS resource policies of the change (see <see cref="CloudChanges"/>).</summary>
    public CloudChanges Clouds { get; init; } = CloudChanges.Empty;
}
