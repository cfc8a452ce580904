namespace Ciem.Core.LeastPrivilege;

/// <summary>Why an action is in a proposal.</summary>
public enum KeepReason
{
    /// <summary>Observed in the window.</summary>
    Used,
    /// <summary>Not seen in the window but in the longer lookback: a periodic job (quarterly, yearly).</summary>
    Seasonal,
    /// <summary>Configured to be kept.</summary>
    Exception,
    /// <summary>CloudTrail does not record it (data event off or never logged): unknown, so kept.</summary>
    NotRecorded,
}
