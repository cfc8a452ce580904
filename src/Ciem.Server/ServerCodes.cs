namespace Ciem.Server;

/// <summary>The server's diagnostic codes (CIEM72xx): configuration, request input and sign-in problems.</summary>
public static class ServerCodes
{
    public const string BadConfig = "CIEM7201";
    public const string BadQuery = "CIEM7202";
    public const string BadForm = "CIEM7203";
    public const string BadBody = "CIEM7204";
    public const string NotFound = "CIEM7205";
    public const string Forbidden = "CIEM7206";
    public const string SignInFailed = "CIEM7207";
    public const string ReviewRefused = "CIEM7208";
    public const string BadUser = "CIEM7209";
    public const string BadUpload = "CIEM7210";
}
