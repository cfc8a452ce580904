using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Ciem.Import.Iac;

/// <summary>
/// Limits for YAML from pull requests (CloudFormation templates, `ciem-rules.yml`): the text is scanned as events
/// before it is loaded, and refused when it is larger, nested deeper or uses more aliases than any real template
/// does — a 481-byte "billion laughs" document otherwise expands without bound, and deep nesting overflows the stack
/// of the recursive loader. Refusals are <see cref="YamlException"/>s with a line, which the readers already report.
/// </summary>
internal static class YamlBounds
{
    /// <summary>CloudFormation accepts templates of up to 1 MB (from S3); five times that is no template.</summary>
    public const int MaxChars = 5 * 1024 * 1024;

    public const int MaxDepth = 64;

    /// <summary>CloudFormation's own YAML rarely uses aliases; a few hundred is far beyond any template.</summary>
    public const int MaxAliases = 500;

    /// <summary>Values a document with aliases may expand to once they are replaced by what they name.</summary>
    public const int MaxExpandedNodes = 100_000;

    /// <summary>Loads the stream after checking the bounds.</summary>
    public static YamlStream Load(string text) => Load(text, out _);

    /// <summary>
    /// Loads the stream after checking the bounds; <paramref name="aliases"/> counts its aliases. The YAML library
    /// throws other exceptions than <see cref="YamlException"/> on some malformed input: they become one too.
    /// </summary>
    public static YamlStream Load(string text, out int aliases)
    {
        try
        {
            return LoadChecked(text, out aliases);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException or FormatException)
        {
            throw new YamlException(Mark.Empty, Mark.Empty, $"not readable yaml: {ex.Message.TrimEnd('.').ToLowerInvariant()}", ex);
        }
    }

    private static YamlStream LoadChecked(string text, out int aliases)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxChars)
        {
            throw new YamlException(Mark.Empty, Mark.Empty,
                $"the document has {text.Length} characters, more than the {MaxChars} read");
        }
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        aliases = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case MappingStart or SequenceStart:
                    if (++depth > MaxDepth)
                    {
                        throw new YamlException(parser.Current.Start, parser.Current.End, $"the document is nested deeper than {MaxDepth} levels");
                    }
                    break;
                case MappingEnd or SequenceEnd:
                    depth--;
                    break;
                case AnchorAlias:
                    if (++aliases > MaxAliases)
                    {
                        throw new YamlException(parser.Current.Start, parser.Current.End, $"the document uses more than {MaxAliases} aliases");
                    }
                    break;
                default:
                    break;
            }
        }
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream;
    }

    /// <summary>
    /// Values converted so far, aliases expanded. Without aliases the count is bounded by the text's size already;
    /// with them it is held to <see cref="MaxExpandedNodes"/>.
    /// </summary>
    public sealed class Budget(int aliases)
    {
        private int _expanded;

        /// <summary>Counts one more value of the expansion; throws past <see cref="MaxExpandedNodes"/>.</summary>
        public void Count(YamlNode node)
        {
            ArgumentNullException.ThrowIfNull(node);
            if (++_expanded > MaxExpandedNodes && aliases > 0)
            {
                throw new YamlException(node.Start, node.End,
                    $"the document expands to more than {MaxExpandedNodes} values (aliases repeating aliases)");
            }
        }
    }
}
