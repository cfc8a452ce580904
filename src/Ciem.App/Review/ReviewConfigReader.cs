using System.Collections.Immutable;
using System.Globalization;
using Ciem.App.Notify;
using Ciem.Core.Diagnostics;
using Ciem.Core.Review;
using Ciem.Import.Config;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Ciem.App.Review;

/// <summary>
/// Reads ciem-review.yml (docs/review.md). Every unknown key, bad selector, negative or zero window, bad date or
/// address is an error with its file and line, and the keys that exist; nothing is applied when there is one.
/// Never throws on content.
/// </summary>
public static class ReviewConfigReader
{
    public const string DefaultFileName = "ciem-review.yml";

    private static readonly string[] RootKeys =
        ["name", "batch-size", "notice-days", "objection-days", "expire-days", "four-eyes", "programme-admin", "stages", "exclusions", "owners", "notify",
            "iac-repo"];
    private static readonly string[] StageKeys = ["name", "select"];
    private static readonly string[] ExclusionKeys = ["select", "identity", "reason", "until"];
    private static readonly string[] SelectorKeys =
        ["provider", "kind", "environment", "exclude-environment", "scope", "account", "subscription", "project", "tag", "owner", "identity",
         "administrator", "min-confidence", "sensitive-removal"];
    private static readonly string[] OwnerKeys = ["tag-keys", "fallback", "codeowners", "iac-files", "oidc-repositories", "directory-owners", "managers"];
    private static readonly string[] NotifyKeys = ["state", "outbox", "smtp", "webhooks", "retry"];
    private static readonly string[] SmtpKeys = ["host", "port", "from", "tls", "user", "password-env", "default-to", "timeout-seconds"];
    private static readonly string[] WebhookKeys = ["name", "url", "format"];
    private static readonly string[] RetryKeys = ["attempts", "first-delay-seconds"];
    private static readonly string[] Providers = ["aws", "azure", "gcp"];
    private static readonly string[] Kinds = ["service", "human"];

    public static ReviewSettingsResult Read(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reader = new Reader(file);
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlException ex)
        {
            reader.Diags.Error(DiagnosticCodes.ReviewConfigNotYaml, $"not valid yaml: {ex.Message.TrimEnd('.')}", new SourceLocation(File: file, Line: ex.Start.Line));
            return new(ReviewSettings.Default, reader.Diags.ToImmutable());
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return new(ReviewSettings.Default, []);
        }
        var settings = reader.Root(stream.Documents[0].RootNode);
        var diagnostics = reader.Diags.ToImmutable();
        return new(diagnostics.Any(d => d.Severity == Severity.Error) ? ReviewSettings.Default : settings, diagnostics);
    }

    private sealed class Reader(string file)
    {
        public DiagnosticBag Diags { get; } = new();

        public ReviewSettings Root(YamlNode node)
        {
            var config = new ReviewConfig();
            var notify = new ReviewNotifySettings();
            string? codeOwners = null;
            var iac = ImmutableDictionary<string, string>.Empty;
            var oidc = ImmutableDictionary<string, string>.Empty;
            var dirOwners = ImmutableDictionary<string, ImmutableArray<string>>.Empty;
            var managers = ImmutableDictionary<string, string>.Empty;
            foreach (var (key, value) in Map(node, "the review config", RootKeys))
            {
                switch (key)
                {
                    case "name": config = config with { Name = Str(value, key) ?? config.Name }; break;
                    case "batch-size": config = config with { BatchSize = Int(value, key, min: 1) ?? config.BatchSize }; break;
                    case "notice-days": config = config with { NoticeDays = Int(value, key, min: 0) ?? config.NoticeDays }; break;
                    case "objection-days": config = config with { ObjectionDays = Int(value, key, min: 1) ?? config.ObjectionDays }; break;
                    case "expire-days": config = config with { ExpireDays = Int(value, key, min: 1) ?? config.ExpireDays }; break;
                    case "four-eyes": config = config with { FourEyes = Bool(value, key) ?? false }; break;
                    case "programme-admin": config = config with { ProgrammeAdmin = Str(value, key) ?? config.ProgrammeAdmin }; break;
                    case "stages": config = config with { Stages = Stages(value) }; break;
                    case "iac-repo": config = config with { IacRepository = Str(value, key) is { } repo ? InConfigFolder(repo) : null }; break;
                    case "exclusions": config = config with { Exclusions = Exclusions(value) }; break;
                    case "owners":
                        foreach (var (k, v) in Map(value, "owners", OwnerKeys))
                        {
                            switch (k)
                            {
                                case "tag-keys": config = config with { OwnerTagKeys = List(v, "owners.tag-keys") }; break;
                                case "fallback": config = config with { FallbackOwners = Dict(v, "owners.fallback") }; break;
                                case "codeowners": codeOwners = Str(v, "owners.codeowners"); break;
                                case "iac-files": iac = Dict(v, "owners.iac-files"); break;
                                case "oidc-repositories": oidc = Dict(v, "owners.oidc-repositories"); break;
                                case "managers": managers = Dict(v, "owners.managers"); break;
                                default:
                                    dirOwners = Map(v, "owners.directory-owners", null)
                                        .ToImmutableDictionary(e => e.Key, e => List(e.Value, "owners.directory-owners"), StringComparer.Ordinal);
                                    break;
                            }
                        }
                        break;
                    default: notify = Notify(value); break;
                }
            }
            return new ReviewSettings(config, notify, codeOwners, iac, oidc, dirOwners, managers);
        }

        /// <summary>A path in the config is relative to the config file's folder, wherever the command runs.</summary>
        private string InConfigFolder(string path) =>
            Path.GetFullPath(path, Path.GetDirectoryName(Path.GetFullPath(file)) ?? Directory.GetCurrentDirectory());

        private ImmutableArray<ReviewStage> Stages(YamlNode node)
        {
            var stages = ImmutableArray.CreateBuilder<ReviewStage>();
            foreach (var item in Seq(node, "stages"))
            {
                string? name = null;
                var select = new ReviewSelector();
                foreach (var (k, v) in Map(item, "an entry of `stages`", StageKeys))
                {
                    if (k == "name") { name = Str(v, "stages.name"); }
                    else { select = Selector(v, "stages.select"); }
                }
                if (string.IsNullOrEmpty(name)) { Error(DiagnosticCodes.ReviewConfigBadValue, "a stage has no `name`", item); continue; }
                if (stages.Any(s => s.Name == name)) { Error(DiagnosticCodes.ReviewConfigBadValue, $"stage `{name}` is listed twice", item); }
                stages.Add(new ReviewStage(name, select));
            }
            if (stages.Count == 0) { Error(DiagnosticCodes.ReviewConfigBadValue, "`stages` must list at least one stage", node); }
            return stages.ToImmutable();
        }

        private ImmutableArray<ReviewExclusion> Exclusions(YamlNode node)
        {
            var result = ImmutableArray.CreateBuilder<ReviewExclusion>();
            foreach (var item in Seq(node, "exclusions"))
            {
                ReviewSelector? select = null;
                string? reason = null;
                DateTimeOffset? until = null;
                foreach (var (k, v) in Map(item, "an entry of `exclusions`", ExclusionKeys))
                {
                    switch (k)
                    {
                        case "select": select = Selector(v, "exclusions.select"); break;
                        case "identity": select = new ReviewSelector { Identities = List(v, "exclusions.identity") }; break;
                        case "reason": reason = Str(v, "exclusions.reason"); break;
                        default: until = Date(v, "exclusions.until"); break;
                    }
                }
                if (select is null) { Error(DiagnosticCodes.ReviewConfigBadSelector, "an exclusion needs `identity` or `select`", item); continue; }
                if (string.IsNullOrWhiteSpace(reason)) { Error(DiagnosticCodes.ReviewConfigBadValue, "an exclusion needs a `reason`", item); continue; }
                result.Add(new ReviewExclusion(select, reason, until));
            }
            return result.ToImmutable();
        }

        private ReviewSelector Selector(YamlNode node, string where)
        {
            var s = new ReviewSelector();
            foreach (var (k, v) in Map(node, $"`{where}`", SelectorKeys))
            {
                var at = $"{where}.{k}";
                switch (k)
                {
                    case "provider": s = s with { Providers = OneOf(v, at, Providers) }; break;
                    case "kind": s = s with { Kinds = OneOf(v, at, Kinds) }; break;
                    case "environment": s = s with { Environments = List(v, at) }; break;
                    case "exclude-environment": s = s with { ExcludeEnvironments = List(v, at) }; break;
                    case "scope" or "account" or "subscription" or "project": s = s with { Scopes = s.Scopes.AddRange(List(v, at)) }; break;
                    case "tag": s = s with { Tags = List(v, at) }; break;
                    case "owner": s = s with { Owners = List(v, at) }; break;
                    case "identity": s = s with { Identities = List(v, at) }; break;
                    case "administrator": s = s with { Administrator = Bool(v, at) }; break;
                    case "sensitive-removal": s = s with { SensitiveRemoval = Bool(v, at) }; break;
                    default:
                        if (Scalar(v) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var min) && min is >= 0 and <= 1)
                        {
                            s = s with { MinConfidence = min };
                        }
                        else { Error(DiagnosticCodes.ReviewConfigBadSelector, $"`{at}` must be a number from 0 to 1, not `{Scalar(v)}`", v); }
                        break;
                }
            }
            if (node is not YamlMappingNode { Children.Count: > 0 }) { Error(DiagnosticCodes.ReviewConfigBadSelector, $"`{where}` selects nothing: give at least one of {string.Join(", ", SelectorKeys)}", node); }
            return s;
        }

        private ReviewNotifySettings Notify(YamlNode node)
        {
            var n = new ReviewNotifySettings();
            foreach (var (k, v) in Map(node, "notify", NotifyKeys))
            {
                switch (k)
                {
                    case "state": n = n with { StateDirectory = Str(v, "notify.state") }; break;
                    case "outbox": n = n with { OutboxDirectory = Str(v, "notify.outbox") }; break;
                    case "smtp": n = n with { Smtp = Smtp(v) }; break;
                    case "webhooks": n = n with { Webhooks = Webhooks(v) }; break;
                    default:
                        int? attempts = null;
                        double? delay = null;
                        foreach (var (rk, rv) in Map(v, "notify.retry", RetryKeys))
                        {
                            if (rk == "attempts") { attempts = Int(rv, "notify.retry.attempts", min: 1); }
                            else { delay = Int(rv, "notify.retry.first-delay-seconds", min: 0); }
                        }
                        n = n with { Retry = new RetrySettings(attempts ?? 4, delay is { } d ? TimeSpan.FromSeconds(d) : null) };
                        break;
                }
            }
            return n;
        }

        private SmtpSettings? Smtp(YamlNode node)
        {
            string? host = null, from = null, user = null, passwordEnv = null;
            int? port = null, timeout = null;
            var tls = SmtpTls.StartTls;
            ImmutableArray<string> to = [];
            foreach (var (k, v) in Map(node, "notify.smtp", SmtpKeys))
            {
                switch (k)
                {
                    case "host": host = Str(v, "notify.smtp.host"); break;
                    case "port": port = Int(v, "notify.smtp.port", min: 1, max: 65535); break;
                    case "from": from = Address(v, "notify.smtp.from"); break;
                    case "user": user = Str(v, "notify.smtp.user"); break;
                    case "password-env": passwordEnv = Str(v, "notify.smtp.password-env"); break;
                    case "default-to": to = [.. List(v, "notify.smtp.default-to").Where(a => CheckAddress(a, v, "notify.smtp.default-to"))]; break;
                    case "timeout-seconds": timeout = Int(v, "notify.smtp.timeout-seconds", min: 1); break;
                    default:
                        switch (Scalar(v))
                        {
                            case "implicit": tls = SmtpTls.Implicit; break;
                            case "starttls": tls = SmtpTls.StartTls; break;
                            case "starttls-when-available": tls = SmtpTls.StartTlsWhenAvailable; break;
                            case "none": tls = SmtpTls.None; break;
                            default:
                                Error(DiagnosticCodes.ReviewConfigBadValue,
                                    $"`notify.smtp.tls` must be one of implicit, starttls, starttls-when-available, none, not `{Scalar(v)}`", v);
                                break;
                        }
                        break;
                }
            }
            if (host is null || from is null)
            {
                Error(DiagnosticCodes.ReviewConfigBadValue, "`notify.smtp` needs `host` and `from`", node);
                return null;
            }
            if (user is not null && passwordEnv is null)
            {
                Error(DiagnosticCodes.ReviewConfigBadValue, "`notify.smtp.user` needs `password-env`: the name of the environment variable holding the password", node);
            }
            return new SmtpSettings(host, port ?? (tls == SmtpTls.Implicit ? 465 : 587), from, tls, user, passwordEnv, to,
                timeout is { } t ? TimeSpan.FromSeconds(t) : null);
        }

        private ImmutableArray<WebhookSettings> Webhooks(YamlNode node)
        {
            var result = ImmutableArray.CreateBuilder<WebhookSettings>();
            foreach (var item in Seq(node, "notify.webhooks"))
            {
                string? name = null;
                Uri? url = null;
                var badUrl = false;
                var format = WebhookFormat.Json;
                foreach (var (k, v) in Map(item, "an entry of `notify.webhooks`", WebhookKeys))
                {
                    switch (k)
                    {
                        case "name": name = Str(v, "notify.webhooks.name"); break;
                        case "url":
                            if (Uri.TryCreate(Scalar(v), UriKind.Absolute, out var u) && u.Scheme is "https" or "http") { url = u; }
                            // The URL is a secret: the error names the key and line, never the value.
                            else
                            {
                                badUrl = true;
                                Error(DiagnosticCodes.ReviewConfigBadValue, "`notify.webhooks.url` must be an http(s) URL", v);
                            }
                            break;
                        default:
                            switch (Scalar(v))
                            {
                                case "slack": format = WebhookFormat.Slack; break;
                                case "teams": format = WebhookFormat.Teams; break;
                                case "json": format = WebhookFormat.Json; break;
                                default: Error(DiagnosticCodes.ReviewConfigBadValue, $"`notify.webhooks.format` must be slack, teams or json, not `{Scalar(v)}`", v); break;
                            }
                            break;
                    }
                }
                if (badUrl) { continue; }
                if (name is null || url is null) { Error(DiagnosticCodes.ReviewConfigBadValue, "a webhook needs `name` and `url`", item); continue; }
                result.Add(new WebhookSettings(name, url, format));
            }
            return result.ToImmutable();
        }

        private List<(string Key, YamlNode Value)> Map(YamlNode node, string where, string[]? known)
        {
            if (node is YamlScalarNode { Value: null or "" }) { return []; }
            if (node is not YamlMappingNode map)
            {
                Error(DiagnosticCodes.ReviewConfigBadValue, $"{where} must be a mapping", node);
                return [];
            }
            var result = new List<(string, YamlNode)>();
            foreach (var (k, v) in map.Children)
            {
                var key = Scalar(k) ?? "";
                if (known is not null && !known.Contains(key))
                {
                    Error(DiagnosticCodes.ReviewConfigUnknownKey, $"unknown key `{key}` in {where}{Suggest(key, known)}; known keys: {string.Join(", ", known)}", k);
                    continue;
                }
                result.Add((key, v));
            }
            return result;
        }

        private IEnumerable<YamlNode> Seq(YamlNode node, string where)
        {
            if (node is YamlSequenceNode seq) { return seq.Children; }
            if (node is YamlScalarNode { Value: null or "" }) { return []; }
            Error(DiagnosticCodes.ReviewConfigBadValue, $"`{where}` must be a list", node);
            return [];
        }

        private ImmutableArray<string> List(YamlNode node, string where)
        {
            if (node is YamlScalarNode { Value: { Length: > 0 } one }) { return [one]; }
            var items = ImmutableArray.CreateBuilder<string>();
            foreach (var item in Seq(node, where))
            {
                if (Scalar(item) is { Length: > 0 } s) { items.Add(s); }
                else { Error(DiagnosticCodes.ReviewConfigBadSelector, $"an entry of `{where}` must be a non-empty string", item); }
            }
            return items.ToImmutable();
        }

        private ImmutableArray<string> OneOf(YamlNode node, string where, string[] allowed)
        {
            var values = List(node, where);
            foreach (var bad in values.Where(v => !allowed.Contains(v, StringComparer.OrdinalIgnoreCase)))
            {
                Error(DiagnosticCodes.ReviewConfigBadSelector, $"`{where}` has `{bad}`{Suggest(bad, allowed)}; use one of {string.Join(", ", allowed)}", node);
            }
            return values;
        }

        private ImmutableDictionary<string, string> Dict(YamlNode node, string where) =>
            Map(node, $"`{where}`", null).Where(e => Str(e.Value, where) is not null)
                .ToImmutableDictionary(e => e.Key, e => Scalar(e.Value)!, StringComparer.Ordinal);

        private string? Str(YamlNode node, string where)
        {
            if (Scalar(node) is { Length: > 0 } s) { return s; }
            Error(DiagnosticCodes.ReviewConfigBadValue, $"`{where}` must be a non-empty string", node);
            return null;
        }

        private int? Int(YamlNode node, string where, int min, int max = int.MaxValue)
        {
            if (int.TryParse(Scalar(node), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max) { return n; }
            Error(DiagnosticCodes.ReviewConfigBadValue, $"`{where}` must be a whole number from {min}{(max == int.MaxValue ? " up" : $" to {max}")}, not `{Scalar(node)}`", node);
            return null;
        }

        private bool? Bool(YamlNode node, string where)
        {
            switch (Scalar(node))
            {
                case "true": return true;
                case "false": return false;
                default:
                    Error(DiagnosticCodes.ReviewConfigBadValue, $"`{where}` must be `true` or `false`, not `{Scalar(node)}`", node);
                    return null;
            }
        }

        private DateTimeOffset? Date(YamlNode node, string where)
        {
            if (DateTimeOffset.TryParse(Scalar(node), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)) { return d; }
            Error(DiagnosticCodes.ReviewConfigBadValue, $"`{where}` must be a date such as `2027-03-31`, not `{Scalar(node)}`", node);
            return null;
        }

        private string? Address(YamlNode node, string where) => Str(node, where) is { } s && CheckAddress(s, node, where) ? s : null;

        private bool CheckAddress(string address, YamlNode node, string where)
        {
            if (MimeKit.MailboxAddress.TryParse(address, out _)) { return true; }
            Error(DiagnosticCodes.ReviewConfigBadValue, $"`{where}` has `{address}`, which is not an e-mail address", node);
            return false;
        }

        private void Error(string code, string message, YamlNode node) =>
            Diags.Error(code, message, new SourceLocation(File: file, Line: node.Start.Line));

        private static string? Scalar(YamlNode node) => (node as YamlScalarNode)?.Value;
    }

    private static string Suggest(string key, string[] known) => CiemConfigReader.Suggest(key, known);
}
