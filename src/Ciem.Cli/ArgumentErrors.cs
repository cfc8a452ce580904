using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;
using Ciem.App.Names;

namespace Ciem.Cli;

/// <summary>
/// Turns the command-line library's parse errors into one message that names the option, the value and what is
/// expected, with the closest names for a misspelt command or option (`ciem identitys` → did you mean `identities`?).
/// Every command gets this for nothing: it works on the parse result, not on a command's options.
/// </summary>
public static partial class ArgumentErrors
{
    /// <summary>The one message for a failed parse (the first problem the user should fix), without the `error` prefix.</summary>
    public static string Describe(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var command = parse.CommandResult.Command;
        var path = CommandPath(parse.CommandResult);
        if (UnknownOption(parse) is { } option)
        {
            return $"unknown option `{option}` for `{path}`" + ClosestNames.Hint(ClosestNames.Of(option, OptionNames(parse.CommandResult)));
        }
        if (parse.UnmatchedTokens.Count > 0)
        {
            var token = parse.UnmatchedTokens[0];
            if (command.Subcommands.Count > 0)
            {
                var names = command.Subcommands.Where(c => !c.Hidden).SelectMany(c => c.Aliases.Prepend(c.Name)).ToList();
                var hint = ClosestNames.Hint(ClosestNames.Of(token, names));
                return $"unknown command `{token}` for `{path}`"
                    + (hint.Length > 0 ? hint : $": expected one of {string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => $"`{c.Name}`"))}");
            }
            return $"unexpected argument `{token}` for `{path}`"
                + (command.Arguments.Count == 0 ? ": it takes no arguments" : $": it takes {string.Join(" ", command.Arguments.Select(a => a.Name.ToUpperInvariant()))}");
        }
        var error = parse.Errors[0];
        if (ConversionError().Match(error.Message) is { Success: true } m)
        {
            var value = m.Groups["value"].Value;
            var symbol = m.Groups["symbol"].Value;
            var expected = Expected(m.Groups["type"].Value);
            return m.Groups["kind"].Value == "option"
                ? $"`{symbol}` `{value}` is not {expected}"
                : $"argument `{value}` of `{path}` is not {expected}";
        }
        if (error.Message.Contains("Must be one of:", StringComparison.Ordinal))
        {
            var allowed = Quoted().Matches(error.Message).Select(q => q.Groups[1].Value).ToList();
            var given = allowed.Count > 0 ? allowed[0] : "";
            var choices = allowed.Skip(1).ToList();
            var name = error.SymbolResult is OptionResult o ? o.Option.Name : error.SymbolResult?.Parent is OptionResult po ? po.Option.Name : path;
            return $"`{name}` `{given}` is not one of {string.Join(", ", choices.Select(c => $"`{c}`"))}" + ClosestNames.Hint(ClosestNames.Of(given, choices, max: 1));
        }
        if (parse.Errors.Any(e => e.Message.StartsWith("Required command was not provided", StringComparison.Ordinal)) && command.Subcommands.Count > 0)
        {
            return $"`{path}` needs a command: one of {string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => $"`{c.Name}`"))}";
        }
        if (RequiredOption().Match(error.Message) is { Success: true } r) { return $"`{r.Groups[1].Value}` is required by `{path}`"; }
        if (error.Message.StartsWith("Required argument missing", StringComparison.Ordinal))
        {
            return $"`{path}` needs {string.Join(" ", command.Arguments.Select(a => a.Name.ToUpperInvariant()))}";
        }
        // Validators written by the commands already follow the message style; the library's own messages are made to.
        var text = error.Message.TrimEnd('.');
        return text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;
    }

    /// <summary>`ciem import aws` for the command a parse ended on.</summary>
    public static string CommandPath(CommandResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var names = new List<string>();
        for (SymbolResult? r = result; r is not null; r = r.Parent)
        {
            if (r is CommandResult c) { names.Add(c.Parent is null ? "ciem" : c.Command.Name); }
        }
        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>The first token that looks like an option but is none the command knows (before `--`).</summary>
    public static string? UnknownOption(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        foreach (var token in parse.Tokens)
        {
            if (token.Type == TokenType.DoubleDash) { return null; }
            if (token.Type != TokenType.Argument || token.Value.Length < 2 || token.Value[0] != '-') { continue; }
            if (double.TryParse(token.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) { continue; }
            var name = token.Value.Split('=', ':')[0];
            return name;
        }
        return null;
    }

    private static IEnumerable<string> OptionNames(CommandResult result)
    {
        var names = result.Command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).ToList();
        for (var parent = result.Parent as CommandResult; parent is not null; parent = parent.Parent as CommandResult)
        {
            names.AddRange(parent.Command.Options.Where(o => o.Recursive).SelectMany(o => o.Aliases.Prepend(o.Name)));
        }
        return names.Where(n => n.StartsWith("--", StringComparison.Ordinal));
    }

    private static string Expected(string type) => type switch
    {
        _ when type.Contains("DateTimeOffset", StringComparison.Ordinal) || type.Contains("DateTime", StringComparison.Ordinal)
            => "a valid date: expected e.g. `2026-11-28` or `2026-11-28T12:00:00Z`",
        _ when type.Contains("Int32", StringComparison.Ordinal) || type.Contains("Int64", StringComparison.Ordinal) => "a whole number",
        _ when type.Contains("Double", StringComparison.Ordinal) || type.Contains("Decimal", StringComparison.Ordinal) => "a number",
        _ when type.Contains("Boolean", StringComparison.Ordinal) => "`true` or `false`",
        _ => "a valid value",
    };

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (?<kind>option|command|argument) '(?<symbol>[^']*)' as expected type '(?<type>[^']*)'", RegexOptions.Singleline)]
    private static partial Regex ConversionError();

    [GeneratedRegex(@"'([^']*)'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"^Option '([^']*)' is required")]
    private static partial Regex RequiredOption();
}
