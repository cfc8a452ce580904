namespace Ciem.Core.Aws.Catalog;

/// <summary>The value type of a condition key, as the Service Authorization Reference names it.</summary>
public enum ConditionKeyType : byte
{
    /// <summary>A type this version of OpenCIEM does not know; <see cref="ConditionKeyInfo.TypeName"/> keeps the text.</summary>
    Unknown,
    String,
    ArrayOfString,
    Arn,
    ArrayOfArn,
    Bool,
    ArrayOfBool,
    Numeric,
    ArrayOfNumeric,
    Date,
    ArrayOfDate,
    IPAddress,
    ArrayOfIPAddress,
    Binary,
    ArrayOfBinary,
}

/// <summary>A condition key (canonical case, e.g. `s3:TlsVersion`, `aws:ResourceTag/${TagKey}`) and its type.</summary>
public sealed record ConditionKeyInfo(string Key, ConditionKeyType Type, string TypeName)
{
    /// <summary>Maps the reference's type text (`ARN`, `ArrayOfString`, …) to <see cref="ConditionKeyType"/>.</summary>
    public static ConditionKeyType ParseType(string typeName) => typeName.ToUpperInvariant() switch
    {
        "STRING" => ConditionKeyType.String,
        "ARRAYOFSTRING" => ConditionKeyType.ArrayOfString,
        "ARN" => ConditionKeyType.Arn,
        "ARRAYOFARN" => ConditionKeyType.ArrayOfArn,
        "BOOL" or "BOOLEAN" => ConditionKeyType.Bool,
        "ARRAYOFBOOL" => ConditionKeyType.ArrayOfBool,
        "NUMERIC" => ConditionKeyType.Numeric,
        "ARRAYOFNUMERIC" => ConditionKeyType.ArrayOfNumeric,
        "DATE" => ConditionKeyType.Date,
        "ARRAYOFDATE" => ConditionKeyType.ArrayOfDate,
        "IPADDRESS" => ConditionKeyType.IPAddress,
        "ARRAYOFIPADDRESS" => ConditionKeyType.ArrayOfIPAddress,
        "BINARY" => ConditionKeyType.Binary,
        "ARRAYOFBINARY" => ConditionKeyType.ArrayOfBinary,
        _ => ConditionKeyType.Unknown,
    };
}
