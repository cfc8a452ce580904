namespace Ciem.Cli;

public static class CiemApp
{
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        Console.Error.WriteLine("ciem: commands are being assembled");
        return 1;
    }
}
