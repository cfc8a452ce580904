namespace Ciem.Import.Aws;

/// <summary>
/// IAM's documented character sets (IAM API reference, `UserName`, `RoleName`, `GroupName`, `PolicyName`, `Path`):
/// names are 1 to 64 (users, roles) or 128 (groups, policies) of ASCII letters, digits and `_+=,.@-`; a path is `/`
/// or `/`-delimited printable ASCII (U+0021 to U+007E), at most 512 characters. A record outside them did not come
/// from IAM, and its name must not travel on into generated Terraform.
/// </summary>
public static class IamNames
{
    public static bool IsName(string name, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 || name.Length > maxLength) { return false; }
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '+' or '=' or ',' or '.' or '@' or '-')) { return false; }
        }
        return true;
    }

    public static bool IsPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path == "/") { return true; }
        if (path.Length < 3 || path.Length > 512 || path[0] != '/' || path[^1] != '/') { return false; }
        foreach (var c in path)
        {
            if (c is < '\u0021' or > '\u007E') { return false; }
        }
        return true;
    }
}
