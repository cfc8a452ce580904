namespace Ciem.Cli.Tests.Gate;

/// <summary>Terraform inputs the gate's tests share.</summary>
internal static class TerraformSamples
{
    /// <summary>Writes `trust.tf` into a new folder <paramref name="dir"/>: a role anyone may assume (a critical finding).</summary>
    public static string WriteOpenTrust(string dir)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "trust.tf"), """
            resource "aws_iam_role" "open" {
              name = "open"
              assume_role_policy = jsonencode({
                Version   = "2012-10-17"
                Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "*" } }]
              })
            }
            """);
        return dir;
    }
}
