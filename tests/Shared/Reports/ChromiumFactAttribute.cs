namespace Ciem.Tests;

/// <summary>
/// A fact that needs headless Debian chromium at <see cref="Path"/>: skipped with a message when it is absent on a
/// developer machine, but run (and failing) when `CI=true`, where `.ci/run` installs it.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Path = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(Path) && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = $"{Path} is not installed (apt-get install -y chromium); required when CI=true";
        }
    }
}
