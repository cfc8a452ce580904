resource "google_project_iam_member" "ci_editor" {
  project = var.project_id
  role    = "roles/editor"
  member  = "serviceAccount:${google_service_account.ci.email}"
}

resource "google_project_iam_binding" "log_viewers" {
  project = "acme-prod"
  role    = "roles/logging.viewer"
  members = [
    "group:sre@acme.example",
    "user:dana@acme.example",
  ]

  condition {
    title       = "expires_after_2026_12_31"
    description = "Expiring at midnight of 2026-12-31"
    expression  = "request.time < timestamp(\"2027-01-01T00:00:00Z\")"
  }
}

resource "google_storage_bucket_iam_member" "public" {
  bucket = "acme-public-assets"
  role   = "roles/storage.objectViewer"
  member = "allUsers"
}

data "google_iam_policy" "folder_admins" {
  binding {
    role = "roles/resourcemanager.folderAdmin"
    members = [
      "group:platform@acme.example",
    ]
  }

  binding {
    role    = "roles/viewer"
    members = ["domain:acme.example"]
  }
}

resource "google_folder_iam_policy" "prod" {
  folder      = "folders/345678901234"
  policy_data = data.google_iam_policy.folder_admins.policy_data
}

resource "google_project_iam_custom_role" "deployer" {
  role_id     = "appDeployer"
  title       = "App deployer"
  project     = "acme-prod"
  permissions = ["compute.instances.create", "iam.serviceAccounts.actAs"]
}

resource "google_project_iam_member" "deployer" {
  project = "acme-prod"
  role    = google_project_iam_custom_role.deployer.id
  member  = "serviceAccount:deployer@acme-prod.iam.gserviceaccount.com"
}
