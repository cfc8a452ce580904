namespace Ciem.Core.Aws.Catalog;

/// <summary>The access level the AWS Service Authorization Reference gives an action.</summary>
public enum AwsAccessLevel : byte
{
    List,
    Read,
    Write,
    PermissionsManagement,
    Tagging,
}
