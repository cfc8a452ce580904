using Ciem.Core.Paths;

namespace Ciem.Cli.Reports;

/// <summary>The administrator category of one identity in a terminal table (Spectre markup), as the attack graphs decided it.</summary>
public static class AdminText
{
    /// <summary>
    /// `yes` (an administrator that used permissions-management actions in the window), `unused` in red (one that did not),
    /// `can become` in yellow (through a path), `privilege` (can make others administrators), or empty.
    /// </summary>
    public static string Cell(AdminCategory category, bool adminActionUsed) => category switch
    {
        AdminCategory.Administrator => adminActionUsed ? "yes" : "[red]unused[/]",
        AdminCategory.CanBecomeAdministrator => "[yellow]can become[/]",
        AdminCategory.PrivilegeAdministrator => "privilege",
        _ => "",
    };
}
