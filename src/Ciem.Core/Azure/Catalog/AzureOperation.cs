namespace Ciem.Core.Azure.Catalog;

/// <summary>
/// One Azure resource-provider operation (`Microsoft.Storage/storageAccounts/read`). The same name may exist once as a
/// control-plane action and once as a data action (`Microsoft.KeyVault/vaults/keys/read`): they are two operations.
/// <see cref="Id"/> is dense (0..Count-1) within its catalog and indexes <see cref="AzureOperationSet"/> bits.
/// </summary>
public sealed record AzureOperation(int Id, string Name, bool IsDataAction, string? DisplayName)
{
    /// <summary>The provider namespace, the text before the first `/` (`Microsoft.Storage`).</summary>
    public string Provider => Name.IndexOf('/', StringComparison.Ordinal) is var slash and > 0 ? Name[..slash] : Name;

    public override string ToString() => IsDataAction ? $"{Name} (data)" : Name;
}
