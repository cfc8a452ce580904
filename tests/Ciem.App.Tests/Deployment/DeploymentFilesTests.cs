using System.Text.RegularExpressions;
using Ciem.Storage;
using YamlDotNet.RepresentationModel;

namespace Ciem.App.Tests.Deployment;

/// <summary>
/// compose.yaml and the Dockerfile's server target, checked for the shape a deployment relies on. The machine that
/// runs the tests has no container engine, so the image is not built here: these tests read the files.
/// </summary>
public sealed partial class DeploymentFilesTests
{
    private static readonly string Root = FindRoot(AppContext.BaseDirectory);

    private static YamlMappingNode Compose()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Root, "compose.yaml"))));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlNode At(YamlNode node, params string[] path) =>
        path.Aggregate(node, (n, key) => ((YamlMappingNode)n).Children[new YamlScalarNode(key)]);

    private static string Text(YamlNode node, params string[] path) => ((YamlScalarNode)At(node, path)).Value!;

    [Fact]
    public void Compose_Database_HealthcheckedWithItsOwnVolume()
    {
        // Given the compose file
        var compose = Compose();

        // When its database service is read
        var db = At(compose, "services", "db");

        // Then PostgreSQL keeps its data in a declared named volume and reports ready with pg_isready
        Assert.StartsWith("postgres:", Text(db, "image"), StringComparison.Ordinal);
        var mount = ((YamlSequenceNode)At(db, "volumes")).Children.Select(v => ((YamlScalarNode)v).Value!).Single();
        var volume = mount.Split(':')[0];
        Assert.Equal("/var/lib/postgresql/data", mount.Split(':')[1]);
        Assert.True(((YamlMappingNode)At(compose, "volumes")).Children.ContainsKey(new YamlScalarNode(volume)));
        var test = ((YamlSequenceNode)At(db, "healthcheck", "test")).Children.Select(c => ((YamlScalarNode)c).Value).ToList();
        Assert.Equal("CMD-SHELL", test[0]);
        Assert.Contains("pg_isready -U ciem -d ciem", test[1], StringComparison.Ordinal);
        Assert.Equal("ciem", Text(db, "environment", "POSTGRES_USER"));
        Assert.Equal("ciem", Text(db, "environment", "POSTGRES_DB"));
    }

    [Fact]
    public void Compose_Server_WaitsForHealthyDatabaseAndItsCiemDbOpensPostgres()
    {
        // Given the compose file and a password as .env would give it
        var ciem = At(Compose(), "services", "ciem");
        var connection = Text(ciem, "environment", "CIEM_DB");

        // When the CIEM_DB value is interpolated as compose does
        var interpolated = Interpolation().Replace(connection, "s3cret");

        // Then the server starts after the database is healthy, on the image's server target, and its store is PostgreSQL
        Assert.Equal("service_healthy", Text(ciem, "depends_on", "db", "condition"));
        Assert.Equal("server", Text(ciem, "build", "target"));
        Assert.Equal(StoreBackend.Postgres, StoreLocation.Parse(interpolated).Backend);
        Assert.Contains("Host=db;", interpolated, StringComparison.Ordinal);
        Assert.DoesNotContain("${", interpolated, StringComparison.Ordinal);
        Assert.Equal("./ciem-server.yml:/etc/ciem/ciem-server.yml:ro", ((YamlSequenceNode)At(ciem, "volumes")).Children
            .Select(v => ((YamlScalarNode)v).Value).First(v => v!.Contains("ciem-server.yml", StringComparison.Ordinal)));
        // The port is published on loopback only: a reverse proxy with TLS stands in front (docs/server.md).
        Assert.All(((YamlSequenceNode)At(ciem, "ports")).Children, p => Assert.StartsWith("127.0.0.1:", ((YamlScalarNode)p).Value, StringComparison.Ordinal));
    }

    [Fact]
    public void Dockerfile_ServerTarget_RunsServeWithTheComposeConfigPathAndTheCliStaysDefault()
    {
        // Given the Dockerfile
        var lines = File.ReadAllLines(Path.Combine(Root, "Dockerfile"));
        var stages = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();

        // When its stages are read
        var server = Array.FindIndex(lines, l => l.EndsWith(" AS server", StringComparison.Ordinal));

        // Then a `server` stage runs `ciem serve` as an unprivileged user with the path compose mounts, and the last
        // stage (what a plain `docker build` makes) is still the CLI
        Assert.True(server > 0);
        var body = lines.Skip(server + 1).TakeWhile(l => !l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Contains(body, l => l.StartsWith("USER ciem", StringComparison.Ordinal));
        Assert.Contains(body, l => l.Contains("\"serve\"", StringComparison.Ordinal) && l.Contains("/etc/ciem/ciem-server.yml", StringComparison.Ordinal));
        Assert.Contains(body, l => l == "EXPOSE 8080");
        Assert.EndsWith(" AS cli", stages[^1], StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\$\{[A-Z_]+(:\?[^}]*)?\}")]
    private static partial Regex Interpolation();

    private static string FindRoot(string from)
    {
        for (var dir = new DirectoryInfo(from); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ciem.slnx"))) { return dir.FullName; }
        }
        throw new DirectoryNotFoundException($"no Ciem.slnx above `{from}`");
    }
}
