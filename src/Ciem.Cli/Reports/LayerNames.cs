using Ciem.Core.Aws.Evaluation;

namespace Ciem.Cli.Reports;

/// <summary>The readable name of each AWS evaluation layer, as `can`, `paths` and the reports print it.</summary>
public static class LayerNames
{
    public static string Of(AwsLayer layer) => layer switch
    {
        AwsLayer.Rcp => "resource control policy",
        AwsLayer.Scp => "service control policy",
        AwsLayer.Resource => "resource-based policy",
        AwsLayer.Identity => "identity-based policy",
        AwsLayer.Boundary => "permissions boundary",
        AwsLayer.Session => "session policy",
        AwsLayer.Endpoint => "VPC endpoint policy",
        AwsLayer.Protected => "resource AWS protects",
        _ => layer.ToString(),
    };
}
