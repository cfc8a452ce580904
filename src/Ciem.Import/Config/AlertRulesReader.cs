using System.Collections.Immutable;
using System.Globalization;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gate;
using Ciem.Core.Metrics;
using Ciem.Import.Iac;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Ciem.Import.Config;

/// <summary>The alert rules read from a rules file, with diagnostics located by line.</summary>
public sealed record AlertRulesReadResult(AlertConfig Config, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);
}

/// <summary>
/// Reads the alert rules file (docs/metrics.md describes it):
/// <code>
/// fail-on: high
/// smtp: { host: smtp.example.com, port: 587, from: ciem@example.com, user: ciem, password-env: CIEM_SMTP_PASSWORD }
/// channels:
///   security: { type: email, to: [security@example.com] }
///   ops: { type: slack, url-env: CIEM_SLACK_WEBHOOK }
/// rules:
///   - { id: gap-weekly, type: gap-growth, percent: 10, period-days: 7, by: provider, severity: high, channels: [security] }
/// </code>
/// Never throws on content: every bad key, value or reference is a located error, and a file with errors yields no rule.
/// </summary>
public static class AlertRulesReader
{
    private static readonly ImmutableHashSet<string> CommonRuleKeys = ["id", "type", "severity", "channels", "providers"];

    private static readonly ImmutableDictionary<string, ImmutableHashSet<string>> TypeKeys = new Dictionary<string, ImmutableHashSet<string>>
    {
        [AlertRuleTypes.GapGrowth] = ["percent", "permissions", "period-days", "by"],
        [AlertRuleTypes.NewAdministrator] = [],
        [AlertRuleTypes.NewUnusedAdministrator] = [],
        [AlertRuleTypes.RegrownReduction] = [],
        [AlertRuleTypes.ServiceWithoutOwner] = [],
        [AlertRuleTypes.CredentialAge] = ["days"],
        [AlertRuleTypes.NewAdministratorOutsideIac] = ["iac-repo", "iac-tags"],
    }.ToImmutableDictionary();

    public static AlertRulesReadResult Read(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var diags = new DiagnosticBag();
        YamlStream stream;
        try { stream = YamlBounds.Load(text); }
        catch (YamlException ex)
        {
            diags.Error(DiagnosticCodes.AlertBadRules, $"not valid yaml: {ex.Message.TrimEnd('.')}", new SourceLocation(File: file, Line: ex.Start.Line));
            return new AlertRulesReadResult(AlertConfig.Empty, diags.ToImmutable());
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            var line = stream.Documents.Count == 0 ? 1 : stream.Documents[0].RootNode.Start.Line;
            diags.Error(DiagnosticCodes.AlertBadRules, "the rules file must be a mapping with `rules`, `channels` and optionally `fail-on` and `smtp`",
                new SourceLocation(File: file, Line: line));
            return new AlertRulesReadResult(AlertConfig.Empty, diags.ToImmutable());
        }
        var reader = new Reader(file, diags);
        var config = reader.Root(root);
        return diags.Any(d => d.Severity == Severity.Error)
            ? new AlertRulesReadResult(AlertConfig.Empty, diags.ToImmutable())
            : new AlertRulesReadResult(config, diags.ToImmutable());
    }

    private sealed class Reader(string file, DiagnosticBag diags)
    {
        private SourceLocation At(YamlNode node) => new(File: file, Line: node.Start.Line);

        private void Error(YamlNode node, string message) => diags.Error(DiagnosticCodes.AlertBadRules, message, At(node));

        public AlertConfig Root(YamlMappingNode root)
        {
            var failOn = FindingSeverity.High;
            AlertSmtp? smtp = null;
            var channels = ImmutableArray<AlertChannel>.Empty;
            var rules = ImmutableArray<AlertRule>.Empty;
            YamlNode? rulesNode = null;
            foreach (var (keyNode, value) in root.Children)
            {
                switch (Scalar(keyNode))
                {
                    case "fail-on": failOn = Severity(value) ?? failOn; break;
                    case "smtp": smtp = Smtp(value); break;
                    case "channels": channels = Channels(value); break;
                    case "rules": rulesNode = value; break;
                    case var other: Error(keyNode, $"unknown key `{other}`: use `fail-on`, `smtp`, `channels` or `rules`"); break;
                }
            }
            if (rulesNode is null) { Error(root, "no `rules`: list at least one rule"); }
            else { rules = Rules(rulesNode, channels, smtp); }
            return new AlertConfig(rules, channels, failOn, smtp);
        }

        private AlertSmtp? Smtp(YamlNode node)
        {
            if (node is not YamlMappingNode map)
            {
                Error(node, "`smtp` must be a mapping with `host`, `port`, `from` and optionally `tls`, `user`, `password-env`");
                return null;
            }
            string? host = null, from = null, user = null, password = null, tls = "starttls";
            var port = 587;
            foreach (var (k, v) in map.Children)
            {
                switch (Scalar(k))
                {
                    case "host": host = Text(v, "smtp.host"); break;
                    case "port": port = Number(v, "smtp.port", 1, 65535) ?? port; break;
                    case "from": from = Text(v, "smtp.from"); break;
                    case "user": user = Text(v, "smtp.user"); break;
                    case "password-env": password = Text(v, "smtp.password-env"); break;
                    case "password": Error(k, "`smtp.password` is not read from the file: name the environment variable that holds it with `password-env`"); break;
                    case "tls":
                        tls = Text(v, "smtp.tls");
                        if (tls is not ("starttls" or "implicit" or "starttls-when-available" or "none"))
                        {
                            Error(v, $"unknown `smtp.tls` `{tls}`: use starttls, implicit, starttls-when-available or none");
                        }
                        break;
                    case var other: Error(k, $"unknown key `smtp.{other}`: use host, port, from, tls, user or password-env"); break;
                }
            }
            if (host is null) { Error(map, "`smtp.host` is missing"); }
            if (from is null || !from.Contains('@', StringComparison.Ordinal)) { Error(map, $"`smtp.from` must be an e-mail address, not `{from}`"); }
            return host is null || from is null ? null : new AlertSmtp(host, port, from, tls ?? "starttls", user, password);
        }

        private ImmutableArray<AlertChannel> Channels(YamlNode node)
        {
            if (node is not YamlMappingNode map)
            {
                Error(node, "`channels` must map a channel name to its settings, e.g. `security: { type: email, to: [a@example.com] }`");
                return [];
            }
            var result = ImmutableArray.CreateBuilder<AlertChannel>();
            foreach (var (nameNode, value) in map.Children)
            {
                var name = Scalar(nameNode) ?? "";
                if (value is not YamlMappingNode settings) { Error(value, $"channel `{name}` must be a mapping with `type`"); continue; }
                string? type = null, url = null, urlEnv = null, folder = null;
                var to = ImmutableArray<string>.Empty;
                foreach (var (k, v) in settings.Children)
                {
                    switch (Scalar(k))
                    {
                        case "type": type = Text(v, $"channels.{name}.type"); break;
                        case "to": to = List(v, $"channels.{name}.to"); break;
                        case "url": url = Text(v, $"channels.{name}.url"); break;
                        case "url-env": urlEnv = Text(v, $"channels.{name}.url-env"); break;
                        case "folder": folder = Text(v, $"channels.{name}.folder"); break;
                        case var other: Error(k, $"unknown key `{other}` in channel `{name}`: use type, to, url, url-env or folder"); break;
                    }
                }
                switch (type)
                {
                    case "email":
                        if (to.IsEmpty || to.Any(a => !a.Contains('@', StringComparison.Ordinal))) { Error(settings, $"channel `{name}`: `to` must list e-mail addresses"); }
                        break;
                    case "slack" or "teams" or "webhook":
                        if (url is null == (urlEnv is null)) { Error(settings, $"channel `{name}`: give exactly one of `url` and `url-env`"); }
                        else if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
                        {
                            Error(settings, $"channel `{name}`: `url` must be an absolute http or https address");
                        }
                        break;
                    case "outbox":
                        if (string.IsNullOrWhiteSpace(folder)) { Error(settings, $"channel `{name}`: `folder` is missing"); }
                        break;
                    default:
                        Error(settings, $"channel `{name}`: unknown type `{type}`: use {string.Join(", ", AlertChannel.Types)}");
                        break;
                }
                result.Add(new AlertChannel(name, type ?? "") { To = to, Url = url, UrlVariable = urlEnv, Folder = folder });
            }
            return result.ToImmutable();
        }

        private ImmutableArray<AlertRule> Rules(YamlNode node, ImmutableArray<AlertChannel> channels, AlertSmtp? smtp)
        {
            if (node is not YamlSequenceNode list)
            {
                Error(node, "`rules` must be a list of rules, each with `id`, `type`, `severity` and `channels`");
                return [];
            }
            var result = ImmutableArray.CreateBuilder<AlertRule>();
            var ids = new HashSet<string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var item in list.Children)
            {
                index++;
                if (item is not YamlMappingNode map) { Error(item, $"rule {index} must be a mapping with `id` and `type`"); continue; }
                var values = map.Children.ToDictionary(c => Scalar(c.Key) ?? "", c => (Key: c.Key, Value: c.Value), StringComparer.Ordinal);
                var id = values.TryGetValue("id", out var idNode) ? Text(idNode.Value, $"rules[{index}].id") : null;
                var label = id is null ? $"rule {index}" : $"rule `{id}`";
                if (id is null) { Error(map, $"rule {index} has no `id`"); }
                else if (!ids.Add(id)) { Error(idNode.Key, $"rule id `{id}` is used twice"); }
                var type = values.TryGetValue("type", out var typeNode) ? Text(typeNode.Value, $"{label}.type") : null;
                if (type is null || !TypeKeys.TryGetValue(type, out var allowed))
                {
                    Error(typeNode.Value ?? map, $"{label}: unknown type `{type}`: use {string.Join(", ", AlertRuleTypes.All)}");
                    continue;
                }
                var rule = new AlertRule(id ?? "", type, FindingSeverity.Medium, []);
                foreach (var (key, (keyNode, value)) in values)
                {
                    switch (key)
                    {
                        case "id" or "type": break;
                        case "severity": rule = rule with { Severity = Severity(value) ?? rule.Severity }; break;
                        case "channels":
                            var named = List(value, $"{label}.channels");
                            foreach (var c in named.Where(c => !channels.Any(x => x.Name == c)))
                            {
                                Error(value, $"{label}: channel `{c}` is not defined under `channels`");
                            }
                            foreach (var c in named.Where(c => channels.Any(x => x.Name == c && x.Type == "email")).Where(_ => smtp is null))
                            {
                                Error(value, $"{label}: channel `{c}` sends e-mail but the file has no `smtp` section");
                            }
                            rule = rule with { Channels = named };
                            break;
                        case "providers":
                            var providers = List(value, $"{label}.providers");
                            foreach (var p in providers.Where(p => p is not ("aws" or "azure" or "gcp"))) { Error(value, $"{label}: unknown provider `{p}`: use aws, azure or gcp"); }
                            rule = rule with { Providers = providers };
                            break;
                        case "percent":
                            rule = rule with { Percent = Decimal(value, $"{label}.percent") };
                            break;
                        case "permissions":
                            rule = rule with { Permissions = Number(value, $"{label}.permissions", 1, int.MaxValue) };
                            break;
                        case "period-days":
                            rule = rule with { PeriodDays = Number(value, $"{label}.period-days", 1, 3660) ?? rule.PeriodDays };
                            break;
                        case "days":
                            rule = rule with { Days = Number(value, $"{label}.days", 1, 36600) ?? rule.Days };
                            break;
                        case "by":
                            var by = Scalar(value);
                            if (MetricTrend.ParseDimension(by) is { } dimension) { rule = rule with { By = dimension }; }
                            else { Error(value, $"{label}: unknown `by` `{by}`: use all, provider, account, kind or env"); }
                            break;
                        case "iac-repo": rule = rule with { IacRepository = Text(value, $"{label}.iac-repo") }; break;
                        case "iac-tags": rule = rule with { IacTags = List(value, $"{label}.iac-tags") }; break;
                        default:
                            Error(keyNode, $"{label}: unknown key `{key}` for type `{type}`: use {string.Join(", ", CommonRuleKeys.Union(allowed).Order(StringComparer.Ordinal))}");
                            break;
                    }
                    if (!CommonRuleKeys.Contains(key) && TypeKeys.Values.Any(k => k.Contains(key)) && !allowed.Contains(key))
                    {
                        Error(keyNode, $"{label}: `{key}` does not apply to type `{type}`");
                    }
                }
                if (!values.ContainsKey("severity")) { Error(map, $"{label} has no `severity`: use low, medium, high or critical"); }
                if (type == AlertRuleTypes.GapGrowth && rule.Percent is null && rule.Permissions is null)
                {
                    Error(map, $"{label}: a `gap-growth` rule needs `percent` or `permissions` (or both)");
                }
                if (type == AlertRuleTypes.NewAdministratorOutsideIac && rule.IacRepository is null && rule.IacTags.IsEmpty)
                {
                    Error(map, $"{label}: a `new-admin-outside-iac` rule needs `iac-repo` (a Terraform folder) or `iac-tags` (`key=value`)");
                }
                result.Add(rule);
            }
            return result.ToImmutable();
        }

        private FindingSeverity? Severity(YamlNode node)
        {
            var value = Scalar(node);
            if (FindingSeverities.TryParse(value, out var s)) { return s; }
            Error(node, $"unknown severity `{value}`: use low, medium, high or critical");
            return null;
        }

        private string? Text(YamlNode node, string what)
        {
            if (node is YamlScalarNode { Value: { Length: > 0 } v }) { return v; }
            Error(node, $"`{what}` must be a non-empty text");
            return null;
        }

        private int? Number(YamlNode node, string what, int min, int max)
        {
            var text = Scalar(node);
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max) { return n; }
            Error(node, $"`{what}` must be a whole number from {min} to {max}, not `{text}`");
            return null;
        }

        private double? Decimal(YamlNode node, string what)
        {
            var text = Scalar(node);
            if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) && d > 0) { return d; }
            Error(node, $"`{what}` must be a number above 0, not `{text}`");
            return null;
        }

        private ImmutableArray<string> List(YamlNode node, string what)
        {
            if (node is YamlSequenceNode seq && seq.Children.All(c => c is YamlScalarNode { Value.Length: > 0 }))
            {
                return [.. seq.Children.Select(c => ((YamlScalarNode)c).Value!)];
            }
            Error(node, $"`{what}` must be a list of texts, e.g. `[a, b]`");
            return [];
        }

        private static string? Scalar(YamlNode node) => (node as YamlScalarNode)?.Value;
    }
}
