data "azurerm_subscription" "primary" {}

data "azurerm_role_definition" "blob_reader" {
  name = "Storage Blob Data Reader"
}

resource "azurerm_role_definition" "vm_operator" {
  name        = "VM Operator (${var.env})"
  scope       = data.azurerm_subscription.primary.id
  description = "Start, stop and redeploy the app's VMs"

  permissions {
    actions = [
      "Microsoft.Compute/virtualMachines/*",
      "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action",
    ]
    not_actions = []
  }

  assignable_scopes = [
    data.azurerm_subscription.primary.id,
  ]
}

resource "azurerm_role_assignment" "ops" {
  scope              = azurerm_resource_group.app.id
  role_definition_id = azurerm_role_definition.vm_operator.role_definition_resource_id
  principal_id       = var.ops_group_object_id
}

resource "azurerm_role_assignment" "deployer" {
  scope                = data.azurerm_subscription.primary.id
  role_definition_name = "Owner"
  principal_id         = azurerm_user_assigned_identity.deployer.principal_id
}

resource "azurerm_role_assignment" "reports" {
  scope              = azurerm_storage_account.reports.id
  role_definition_id = data.azurerm_role_definition.blob_reader.id
  principal_id       = azuread_service_principal.reports.object_id
  condition_version  = "2.0"
  condition          = <<-EOT
    (
     (
      !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})
     )
     OR
     (
      @Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'reports'
     )
    )
  EOT
}
