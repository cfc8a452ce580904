namespace Ciem.Collect;

/// <summary>A step of a collection, for a progress display: what is being read, and how many of how many are done.</summary>
public sealed record CollectProgress(string Step, int Done, int Total);
