using System.Text;
using Ciem.Tests;

namespace Ciem.Cli.Tests.Packaging;

/// <summary>
/// Issue #19: README's examples are runnable as printed once `ciem` is installed. Every `ciem …` command of README's
/// `sh` blocks (after a pipe, inside `source &lt;(…)`, before a comment) is read as the shell splits it and parsed by the
/// real command tree: a renamed option or command in the code, or a typo in README, fails here.
/// </summary>
public sealed class ReadmeExamplesTests
{
    /// <summary>The `ciem` commands of README's `sh` blocks, as argument lists (without `ciem`).</summary>
    private static List<string[]> Examples()
    {
        var examples = new List<string[]>();
        var inBlock = false;
        foreach (var line in File.ReadAllLines(TestPaths.Repo("README.md")))
        {
            if (line.StartsWith("```", StringComparison.Ordinal)) { inBlock = line == "```sh"; continue; }
            if (!inBlock) { continue; }
            var words = Words(line);
            foreach (var command in Commands(words))
            {
                if (command is ["ciem", .. var args]) { examples.Add(args); }
            }
        }
        return examples;
    }

    /// <summary>The commands of a line: split at `|`, `&amp;&amp;` and `;`, with `&lt;(` … `)` a command of its own.</summary>
    private static IEnumerable<string[]> Commands(List<string> words)
    {
        var current = new List<string>();
        foreach (var word in words)
        {
            if (word is "|" or "&&" or ";" or "<(" or ")")
            {
                yield return [.. current];
                current.Clear();
            }
            else { current.Add(word); }
        }
        yield return [.. current];
    }

    /// <summary>A line split into words as sh does for these examples: quotes, `#` comments, `&lt;(`, `)` and `|` apart.</summary>
    private static List<string> Words(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        char? quote = null;
        void End()
        {
            if (word.Length > 0) { words.Add(word.ToString()); word.Clear(); }
        }
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote is { } q)
            {
                if (c == q) { quote = null; } else { word.Append(c); }
            }
            else if (c is '\'' or '"') { quote = c; }
            else if (c == '#' && word.Length == 0) { break; }
            else if (char.IsWhiteSpace(c)) { End(); }
            else if (c == '<' && i + 1 < line.Length && line[i + 1] == '(') { End(); words.Add("<("); i++; }
            else if (c is ')' or '|' or ';') { End(); words.Add(c.ToString()); }
            else if (c == '&' && i + 1 < line.Length && line[i + 1] == '&') { End(); words.Add("&&"); i++; }
            else { word.Append(c); }
        }
        End();
        return words;
    }

    [Fact]
    public void Readme_EveryCiemExample_ParsesWithoutErrors()
    {
        // Given README's examples
        var examples = Examples();
        Assert.True(examples.Count >= 10, $"only {examples.Count} `ciem` examples found in README's sh blocks");
        Assert.Contains(examples, e => e is ["completion", "bash"]);
        Assert.Contains(examples, e => e is ["users", "add", "ana", ..]);

        // When each is parsed by the command tree `ciem` runs / Then none has an error or an unknown option
        using var cli = new CliRunner();
        foreach (var args in examples)
        {
            var parse = CiemApp.Build(cli.Host(TextWriter.Null, TextWriter.Null)).Parse(args);
            // The files an example names are the reader's own (`exports/`, `ciem-server.yml`): their absence is no error here.
            var errors = string.Join("; ", parse.Errors.Select(e => e.Message)
                .Where(m => !m.Contains("` does not exist: expected a ", StringComparison.Ordinal)));
            var example = $"`ciem {string.Join(' ', args)}`";
            Assert.True(errors.Length == 0, $"{example}: {errors}");
            Assert.True(ArgumentErrors.UnknownOption(parse) is null, $"{example}: unknown option {ArgumentErrors.UnknownOption(parse)}");
            Assert.False(parse.CommandResult.Command is System.CommandLine.RootCommand, $"{example} names no command");
        }
    }

    [Theory]
    [InlineData("ciem identitys", "identitys")]
    [InlineData("ciem gap --windows 30", "--windows")]
    public void Readme_NearMissExample_IsAnError(string line, string culprit)
    {
        // Given an example with a misspelt command or option / When parsed / Then the parse names the culprit
        using var cli = new CliRunner();
        var args = Commands(Words(line)).Single()[1..];
        var parse = CiemApp.Build(cli.Host(TextWriter.Null, TextWriter.Null)).Parse(args);
        var problems = parse.Errors.Select(e => e.Message).Append(ArgumentErrors.UnknownOption(parse) ?? "");
        Assert.Contains(problems, p => p.Contains(culprit, StringComparison.Ordinal));
    }
}
