using Ciem.App.Iac;
using Ciem.App.Tests.Notify;

namespace Ciem.App.Tests.Iac;

/// <summary>A Terraform folder read as App (`ciem check --hcl`, the alert rules' IaC repositories), with real git.</summary>
public sealed class TerraformFolderTests
{
    private const string MainTf = """
        resource "aws_iam_role" "app" {
          name               = "app"
          assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [] })
        }

        resource "aws_iam_role_policy" "admin" {
          name   = "admin"
          role   = aws_iam_role.app.name
          policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })
        }

        """;

    [Fact]
    public void Read_NoFolder_ErrorNamingIt()
    {
        // Given a path with nothing there
        using var temp = new TempFolder();
        var missing = new DirectoryInfo(temp.Sub("absent"));

        // When it is read
        var read = TerraformFolder.Read(missing, null);

        // Then there is no result, and the error names the folder
        Assert.Null(read.Result);
        Assert.Equal($"no folder at `{missing.FullName}`", read.Error);
    }

    [Fact]
    public void Read_BaseRefOutsideGit_RefusedBeforeReading()
    {
        // Given a folder with Terraform that is not in a git work tree
        using var temp = new TempFolder();
        var folder = Directory.CreateDirectory(temp.Sub("infra"));
        File.WriteAllText(Path.Combine(folder.FullName, "main.tf"), MainTf);

        // When it is read against a base ref, and without one
        var against = TerraformFolder.Read(folder, "main");
        var alone = TerraformFolder.Read(folder, null);

        // Then the base ref needs git; alone, the folder's role is read with paths from the folder itself
        Assert.Equal($"`{folder.FullName}` is not in a git work tree: --base-ref needs one", against.Error);
        Assert.Null(alone.Error);
        Assert.Contains(alone.Result!.Changes, c => c.Name == "app");
        Assert.Equal("", TerraformFolder.RepositoryPrefix(folder.FullName));
    }

    [Fact]
    public void Read_FolderInARepositoryAgainstItsFirstCommit_ChangeFromTheBaseAndPathsFromTheRoot()
    {
        // Given a repository whose `infra/` folder gained the admin policy after the first commit
        using var temp = new TempFolder();
        var git = new GitRepository(temp.Path);
        git.Run("init", "-q", "-b", "main");
        var folder = Directory.CreateDirectory(Path.Combine(temp.Path, "infra"));
        var roleOnly = MainTf[..MainTf.IndexOf("resource \"aws_iam_role_policy\"", StringComparison.Ordinal)];
        File.WriteAllText(Path.Combine(folder.FullName, "main.tf"), roleOnly);
        git.Run("add", ".");
        git.Commit("the role");
        File.WriteAllText(Path.Combine(folder.FullName, "main.tf"), MainTf);

        // When the folder is read against main, and its source map built
        var read = TerraformFolder.Read(folder, "main");
        var map = TerraformFolder.SourceMap(folder);

        // Then the role's change is read, the prefix is the folder's path in the repository, and the blocks are mapped
        Assert.Null(read.Error);
        Assert.Contains(read.Result!.Changes, c => c.Name == "app");
        Assert.Equal("infra/", TerraformFolder.RepositoryPrefix(folder.FullName));
        Assert.True(map.Count >= 2);
    }

    [Fact]
    public void Read_UnknownBaseRef_ErrorNamingTheRef()
    {
        // Given a repository with one commit
        using var temp = new TempFolder();
        var git = new GitRepository(temp.Path);
        git.Run("init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(temp.Path, "main.tf"), MainTf);
        git.Run("add", ".");
        git.Commit("the roles");

        // When it is read against a ref that does not exist
        var read = TerraformFolder.Read(new DirectoryInfo(temp.Path), "no-such-branch");

        // Then the error names the ref and the folder
        var folder = new DirectoryInfo(temp.Path).FullName;
        Assert.StartsWith($"cannot read `no-such-branch` in `{folder}`: ", read.Error, StringComparison.Ordinal);
    }
}
