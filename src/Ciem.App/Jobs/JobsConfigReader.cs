using System.Collections.Immutable;
using System.Globalization;
using Ciem.Core.Diagnostics;
using Ciem.Import.Config;
using Cronos;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Ciem.App.Jobs;

/// <summary>The jobs read and what was wrong with them; with any error, no job is kept.</summary>
public sealed record JobsConfigReadResult(JobsConfig Config, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);
}

/// <summary>
/// Reads the `jobs:` section of ciem-server.yml (docs/jobs.md) and nothing else of that file: the other sections
/// belong to the server. Each job needs a unique `name`, a `kind` the host has a handler for, and a cron `schedule`;
/// `time-zone` (default UTC) and `lease-minutes` are optional; every other key is a setting of the job's kind. An
/// unknown key, a bad expression or a missing setting is an error with its file and line; nothing is kept when there
/// is one. Never throws on content.
/// </summary>
public static class JobsConfigReader
{
    public const string DefaultFileName = "ciem-server.yml";

    private static readonly string[] CommonKeys = ["name", "kind", "schedule", "time-zone", "lease-minutes"];

    public static JobsConfigReadResult Read(string text, string file, JobHandlers handlers)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(handlers);
        var diags = new DiagnosticBag();
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlException ex)
        {
            diags.Error(DiagnosticCodes.JobsConfigNotYaml, $"not valid yaml: {ex.Message.TrimEnd('.')}", new SourceLocation(File: file, Line: ex.Start.Line));
            return new(JobsConfig.Empty, diags.ToImmutable());
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return new(JobsConfig.Empty, []);
        }
        var reader = new Reader(file, diags, handlers);
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            reader.Error(DiagnosticCodes.JobsConfigBadValue, "the server configuration must be a mapping of sections (e.g. `jobs:`)", stream.Documents[0].RootNode);
            return new(JobsConfig.Empty, diags.ToImmutable());
        }
        var jobs = ImmutableArray<JobDefinition>.Empty;
        foreach (var (key, value) in root.Children)
        {
            if ((key as YamlScalarNode)?.Value == "jobs") { jobs = reader.Jobs(value); }
        }
        var diagnostics = diags.ToImmutable();
        return new(diagnostics.Any(d => d.Severity == Severity.Error) ? JobsConfig.Empty : new JobsConfig(jobs), diagnostics);
    }

    /// <summary>Reads the file; a missing or unreadable file is an environment error and throws.</summary>
    public static JobsConfigReadResult ReadFile(string path, JobHandlers handlers) => Read(File.ReadAllText(path), path, handlers);

    private sealed class Reader(string file, DiagnosticBag diags, JobHandlers handlers)
    {
        public void Error(string code, string message, YamlNode node) =>
            diags.Error(code, message, new SourceLocation(File: file, Line: node.Start.Line));

        public ImmutableArray<JobDefinition> Jobs(YamlNode node)
        {
            if (node is YamlScalarNode { Value: null or "" }) { return []; }
            if (node is not YamlSequenceNode list)
            {
                Error(DiagnosticCodes.JobsConfigBadValue, "`jobs` must be a list of jobs, each with `name`, `kind` and `schedule`", node);
                return [];
            }
            var jobs = ImmutableArray.CreateBuilder<JobDefinition>();
            foreach (var item in list.Children)
            {
                if (Job(item) is not { } job) { continue; }
                if (jobs.Any(j => j.Name == job.Name))
                {
                    Error(DiagnosticCodes.JobsConfigBadValue, $"job `{job.Name}` is defined twice (first on line {jobs.First(j => j.Name == job.Name).Line})", item);
                    continue;
                }
                jobs.Add(job);
            }
            return jobs.ToImmutable();
        }

        private JobDefinition? Job(YamlNode node)
        {
            if (node is not YamlMappingNode map)
            {
                Error(DiagnosticCodes.JobsConfigBadValue, "an entry of `jobs` must be a mapping with `name`, `kind` and `schedule`", node);
                return null;
            }
            var values = new Dictionary<string, (YamlNode Key, YamlNode Value)>(StringComparer.Ordinal);
            foreach (var (k, v) in map.Children)
            {
                var key = Scalar(k) ?? "";
                if (!values.TryAdd(key, (k, v))) { Error(DiagnosticCodes.JobsConfigBadValue, $"key `{key}` is set twice", k); }
            }
            var name = Required(values, "name", node);
            if (name is not null && !IsName(name))
            {
                Error(DiagnosticCodes.JobsConfigBadValue,
                    $"job name `{name}` must be 1 to 64 letters, digits, `-`, `_` or `.`, starting with a letter or digit", values["name"].Value);
                name = null;
            }
            var where = name is null ? "a job" : $"job `{name}`";
            var kindText = Required(values, "kind", node);
            var handler = kindText is null ? null : handlers.Find(kindText);
            if (kindText is not null && handler is null)
            {
                var kinds = handlers.Kinds.ToArray();
                Error(DiagnosticCodes.JobsUnknownKind,
                    $"{where} has kind `{kindText}`{CiemConfigReader.Suggest(kindText, kinds)}, which this host cannot run; kinds: {string.Join(", ", kinds)}",
                    values["kind"].Value);
            }
            var schedule = Schedule(values, where, node);
            var zone = Zone(values, where);
            var lease = Lease(values, where);
            var settings = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            if (handler is not null)
            {
                var known = handler.Settings.Select(s => s.Name).ToArray();
                foreach (var (key, (keyNode, value)) in values.Where(e => !CommonKeys.Contains(e.Key)))
                {
                    var setting = handler.Settings.FirstOrDefault(s => s.Name == key);
                    if (setting is null)
                    {
                        var allowed = CommonKeys.Concat(known).ToArray();
                        Error(DiagnosticCodes.JobsConfigUnknownKey,
                            $"unknown key `{key}` in {where} (kind `{handler.Kind}`){CiemConfigReader.Suggest(key, allowed)}; known keys: {string.Join(", ", allowed)}",
                            keyNode);
                        continue;
                    }
                    if (Scalar(value) is not { Length: > 0 } text)
                    {
                        Error(DiagnosticCodes.JobsConfigBadValue, $"`{key}` of {where} must be a non-empty string", value);
                        continue;
                    }
                    if (setting.Allowed.Length > 0 && !setting.Allowed.Contains(text, StringComparer.Ordinal))
                    {
                        Error(DiagnosticCodes.JobsConfigBadValue,
                            $"`{key}` of {where} is `{text}`{CiemConfigReader.Suggest(text, setting.Allowed)}; use one of {string.Join(", ", setting.Allowed)}", value);
                        continue;
                    }
                    settings[key] = setting.IsPath ? InConfigFolder(text) : text;
                }
                foreach (var missing in handler.Settings.Where(s => s.Required && !values.ContainsKey(s.Name)))
                {
                    Error(DiagnosticCodes.JobsConfigBadValue, $"{where} (kind `{handler.Kind}`) needs `{missing.Name}`: {missing.Description}", node);
                }
            }
            if (name is null || handler is null || schedule is null || zone is null || lease is null) { return null; }
            return new JobDefinition(name, handler.Kind, Scalar(values["schedule"].Value)!, schedule, zone, lease.Value, settings.ToImmutable(),
                checked((int)node.Start.Line));
        }

        private string? Required(Dictionary<string, (YamlNode Key, YamlNode Value)> values, string key, YamlNode job)
        {
            if (!values.TryGetValue(key, out var entry))
            {
                Error(DiagnosticCodes.JobsConfigBadValue, $"a job needs `{key}`", job);
                return null;
            }
            if (Scalar(entry.Value) is { Length: > 0 } text) { return text; }
            Error(DiagnosticCodes.JobsConfigBadValue, $"`{key}` must be a non-empty string", entry.Value);
            return null;
        }

        private CronExpression? Schedule(Dictionary<string, (YamlNode Key, YamlNode Value)> values, string where, YamlNode job)
        {
            if (!values.TryGetValue("schedule", out var entry))
            {
                Error(DiagnosticCodes.JobsConfigBadValue, $"{where} needs `schedule`: a cron expression such as `0 2 * * *` (02:00 every day)", job);
                return null;
            }
            var text = Scalar(entry.Value) ?? "";
            try
            {
                // Five fields (minute hour day month weekday) or a macro such as `@daily`; seconds are not scheduled.
                return CronExpression.Parse(text, CronFormat.Standard);
            }
            catch (CronFormatException ex)
            {
                Error(DiagnosticCodes.JobsConfigBadValue,
                    $"`schedule` of {where} is `{text}`, which is not a cron expression (minute hour day month weekday): {ex.Message.TrimEnd('.')}",
                    entry.Value);
                return null;
            }
        }

        private TimeZoneInfo? Zone(Dictionary<string, (YamlNode Key, YamlNode Value)> values, string where)
        {
            if (!values.TryGetValue("time-zone", out var entry)) { return TimeZoneInfo.Utc; }
            var text = Scalar(entry.Value) ?? "";
            if (TimeZoneInfo.TryFindSystemTimeZoneById(text, out var zone)) { return zone; }
            Error(DiagnosticCodes.JobsConfigBadValue, $"`time-zone` of {where} is `{text}`, which is not a known time zone (e.g. `UTC`, `Europe/Paris`)", entry.Value);
            return null;
        }

        private TimeSpan? Lease(Dictionary<string, (YamlNode Key, YamlNode Value)> values, string where)
        {
            if (!values.TryGetValue("lease-minutes", out var entry)) { return JobDefinition.DefaultLease; }
            var text = Scalar(entry.Value);
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) && minutes is >= 1 and <= 1440)
            {
                return TimeSpan.FromMinutes(minutes);
            }
            Error(DiagnosticCodes.JobsConfigBadValue, $"`lease-minutes` of {where} must be a whole number from 1 to 1440, not `{text}`", entry.Value);
            return null;
        }

        /// <summary>A path in the configuration is relative to the configuration file's folder, wherever the host runs.</summary>
        private string InConfigFolder(string path) =>
            Path.GetFullPath(path, Path.GetDirectoryName(Path.GetFullPath(file)) ?? Directory.GetCurrentDirectory());

        private static bool IsName(string name) =>
            name.Length <= 64 && char.IsAsciiLetterOrDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

        private static string? Scalar(YamlNode node) => (node as YamlScalarNode)?.Value;
    }
}
