namespace Ciem.Core.Diagnostics;

public static partial class DiagnosticCodes
{
    // Background jobs (CIEM73xx): the `jobs:` section of ciem-server.yml and `ciem jobs`
    /// <summary>The server configuration is not valid YAML.</summary>
    public const string JobsConfigNotYaml = "CIEM7301";
    /// <summary>A key the `jobs:` section (or a job of that kind) does not know.</summary>
    public const string JobsConfigUnknownKey = "CIEM7302";
    /// <summary>A job's value is missing or wrong (name, schedule, time zone, lease, a setting).</summary>
    public const string JobsConfigBadValue = "CIEM7303";
    /// <summary>A job names a kind this host cannot run.</summary>
    public const string JobsUnknownKind = "CIEM7304";
    /// <summary>`ciem jobs run` names a job the configuration does not define.</summary>
    public const string JobsUnknownJob = "CIEM7305";
    /// <summary>A job could not be run now: another holder has its lease.</summary>
    public const string JobsBusy = "CIEM7306";
}
