using System.Globalization;

namespace Ciem.Demo;

internal sealed record GcpFolder(string Id, string Name)
{
    public string FullName => "//cloudresourcemanager.googleapis.com/folders/" + Id;
}

internal sealed record GcpProject(string ProjectId, string Number, string App, string Env, GcpFolder Folder, string Bucket)
{
    public string FullName => "//cloudresourcemanager.googleapis.com/projects/" + Number;
}

/// <summary>
/// One permission check a member's call makes, as Cloud Audit Logs record it. With <see cref="Impersonating"/>, a
/// person first asks IAM Credentials for a token of that service account, which then makes the call (the audit entry
/// carries the person in `serviceAccountDelegationInfo`).
/// </summary>
internal sealed record GcpCall(string Permission, string Service, string Method, string Resource, GcpProject Project, bool DataAccess, string MonitoredType, GcpMember? Impersonating = null);

/// <summary>A user or service account of the demo organisation.</summary>
internal sealed class GcpMember
{
    public required int Index { get; init; }
    public required string Email { get; init; }
    public required bool IsServiceAccount { get; init; }
    public required string UniqueId { get; init; }
    public DemoPerson? Person { get; init; }
    public GcpProject? Project { get; init; }
    public string? DisplayName { get; init; }
    public List<GcpCall> Calls { get; } = [];
    public DemoCadence Cadence { get; set; } = DemoCadence.Never;

    public string Member => (IsServiceAccount ? "serviceAccount:" : "user:") + Email;
}

internal sealed record GcpGroup(string Email, string Name, string Id)
{
    public List<string> Members { get; } = [];
}

internal sealed record GcpCondition(string Title, string Description, string Expression);

internal sealed record GcpBinding(string Resource, string AssetType, string Role, string Member, GcpCondition? Condition = null);

/// <summary>
/// The demo's GCP organisation `acme.example`: folders `prod`, `nonprod` and `shared`; per application a prod and a
/// dev project (labels `env`, `app`) with a bucket; `acme-shared-ci` for the CI service accounts. Service accounts per
/// workload dominate; people come from <see cref="DemoPeople.Gcp"/> and get their roles through Google groups,
/// nested (`gcp-team-APP` and `gcp-data-eng` inside `gcp-developers`). What is deliberately wrong is listed in
/// docs/demo-estate.md.
/// </summary>
internal sealed class DemoGcp
{
    public const string Domain = "acme.example";
    private static readonly string[] AppNames = ["data", "ml", "events", "maps", "media", "ads", "search", "analytics", "pricing", "growth"];
    private static readonly string[] Components = ["etl", "api", "worker", "ingest", "scheduler", "export", "indexer"];

    private readonly StableRandom _rng;
    private readonly DemoOptions _options;
    private readonly HashSet<string> _numbers = new(StringComparer.Ordinal);

    public DemoGcp(DemoOptions options, DemoPeople people)
    {
        _options = options;
        _rng = StableRandom.For(options.Seed, 60);
        OrganizationId = Number();
        CustomerId = "C0" + _rng.LowerAlnum(7);
        Prod = new GcpFolder(Number(), "prod");
        NonProd = new GcpFolder(Number(), "nonprod");
        Shared = new GcpFolder(Number(), "shared");
        Folders = [Prod, NonProd, Shared];
        SharedCi = new GcpProject("acme-shared-ci", Number(), "ci", "shared", Shared, $"acme-ci-artifacts-{_rng.Hex(4)}");
        Projects.Add(SharedCi);
        ServiceTarget = Math.Clamp((int)Math.Round(options.Identities * 0.03), 14, 4000);
        Build(people);
    }

    public string OrganizationId { get; }
    public string CustomerId { get; }
    public string Organization => "organizations/" + OrganizationId;
    public string OrganizationFullName => "//cloudresourcemanager.googleapis.com/organizations/" + OrganizationId;
    public GcpFolder Prod { get; }
    public GcpFolder NonProd { get; }
    public GcpFolder Shared { get; }
    public IReadOnlyList<GcpFolder> Folders { get; }
    public GcpProject SharedCi { get; }
    public int ServiceTarget { get; }
    public List<GcpProject> Projects { get; } = [];
    public List<GcpMember> Members { get; } = [];
    public List<GcpGroup> Groups { get; } = [];
    public List<GcpBinding> Bindings { get; } = [];

    /// <summary>The bucket anyone on the internet may read.</summary>
    public string PublicBucket { get; private set; } = "";

    /// <summary>A `user:` member bound in IAM that no directory knows (an external contractor): unmatched on purpose.</summary>
    public const string Contractor = "user:contractor@partner.example";

    public string CustomRole(string id) => $"{Organization}/roles/{id}";

    public IEnumerable<GcpMember> ServiceAccounts => Members.Where(m => m.IsServiceAccount);

    private string Number()
    {
        string n;
        do { n = (char)('1' + _rng.Next(9)) + _rng.Digits(11); } while (!_numbers.Add(n));
        return n;
    }

    private GcpMember Account(string name, GcpProject project, string? display = null)
    {
        var m = new GcpMember
        {
            Index = Members.Count,
            Email = $"{name}@{project.ProjectId}.iam.gserviceaccount.com",
            IsServiceAccount = true,
            UniqueId = "1" + _rng.Digits(20),
            Project = project,
            DisplayName = display ?? name,
        };
        Members.Add(m);
        return m;
    }

    private void Bind(string resource, string assetType, string role, string member, GcpCondition? condition = null) =>
        Bindings.Add(new GcpBinding(resource, assetType, role, member, condition));

    private void BindProject(GcpProject p, string role, string member) => Bind(p.FullName, "cloudresourcemanager.googleapis.com/Project", role, member);

    private GcpGroup Group(string local, string name)
    {
        var g = new GcpGroup($"{local}@{Domain}", name, "0" + _rng.LowerAlnum(11));
        Groups.Add(g);
        return g;
    }

    private static GcpCall Storage(string permission, string method, GcpProject p, string obj) =>
        new(permission, "storage.googleapis.com", method, $"projects/_/buckets/{p.Bucket}/objects/{obj}", p, true, "gcs_bucket");

    private static GcpCall BigQuery(string permission, string method, GcpProject p) =>
        new(permission, "bigquery.googleapis.com", method, $"projects/{p.ProjectId}/jobs/bquxjob_{permission.Length:x4}", p, true, "bigquery_project");

    private static GcpCall Run(GcpProject p, string service) =>
        new("run.services.update", "run.googleapis.com", "google.cloud.run.v2.Services.UpdateService", $"projects/{p.ProjectId}/locations/europe-west1/services/{service}", p, false, "cloud_run_revision");

    private static GcpCall SetIamPolicy(GcpProject p) =>
        new("resourcemanager.projects.setIamPolicy", "cloudresourcemanager.googleapis.com", "SetIamPolicy", $"projects/{p.ProjectId}", p, false, "project");

    private static GcpCall Secret(GcpProject p, string app) =>
        new("secretmanager.versions.access", "secretmanager.googleapis.com", "google.cloud.secretmanager.v1.SecretManagerService.AccessSecretVersion",
            $"projects/{p.Number}/secrets/{app}-db-password/versions/latest", p, true, "audited_resource");

    private static GcpCall Publish(GcpProject p, string app) =>
        new("pubsub.topics.publish", "pubsub.googleapis.com", "google.pubsub.v1.Publisher.Publish", $"projects/{p.ProjectId}/topics/{app}-events", p, true, "pubsub_topic");

    private static GcpCall Instance(string permission, string method, GcpProject p, string name) =>
        new(permission, "compute.googleapis.com", method, $"projects/{p.ProjectId}/zones/europe-west1-b/instances/{name}", p, false, "gce_instance");

    private void Build(DemoPeople people)
    {
        var org = OrganizationFullName;
        const string OrgType = "cloudresourcemanager.googleapis.com/Organization";
        const string FolderType = "cloudresourcemanager.googleapis.com/Folder";

        var terraform = Account("terraform", SharedCi, "Terraform (platform)");
        foreach (var f in new[] { Prod, NonProd }) { Bind(f.FullName, FolderType, "roles/owner", terraform.Member); }
        terraform.Cadence = new DemoCadence(true, 2, 11, 0.5);

        var apps = new List<(string App, GcpProject Prod, GcpProject Dev)>();
        var index = 0;
        while (ServiceAccounts.Count() < ServiceTarget)
        {
            var app = AppNames[index % AppNames.Length] + (index >= AppNames.Length ? (index / AppNames.Length + 1).ToString(CultureInfo.InvariantCulture) : "");
            var prod = new GcpProject($"acme-{app}-prod", Number(), app, "prod", Prod, $"acme-{app}-prod-{_rng.Hex(4)}");
            var dev = new GcpProject($"acme-{app}-dev", Number(), app, "dev", NonProd, $"acme-{app}-dev-{_rng.Hex(4)}");
            Projects.Add(prod);
            Projects.Add(dev);
            apps.Add((app, prod, dev));
            AddApplication(app, prod, dev, index);
            terraform.Calls.Add(SetIamPolicy(prod));
            index++;
        }

        // The public bucket.
        var first = apps[0];
        PublicBucket = $"acme-{first.App}-public-assets";
        Bind("//storage.googleapis.com/" + PublicBucket, "storage.googleapis.com/Bucket", "roles/storage.objectViewer", "allUsers");

        // Groups, nested: gcp-developers ⊃ gcp-team-APP, gcp-data-eng.
        var admins = Group("gcp-admins", "GCP organisation admins");
        Bind(org, OrgType, "roles/resourcemanager.organizationAdmin", "group:" + admins.Email);
        var security = Group("gcp-security", "Security reviewers");
        Bind(org, OrgType, "roles/iam.securityReviewer", "group:" + security.Email);
        var developers = Group("gcp-developers", "All GCP developers");
        Bind(NonProd.FullName, FolderType, "roles/viewer", "group:" + developers.Email);
        var dataEng = Group("gcp-data-eng", "Data engineering");
        developers.Members.Add("group:" + dataEng.Email);
        foreach (var (_, prod, _) in apps)
        {
            BindProject(prod, "roles/bigquery.dataViewer", "group:" + dataEng.Email);
            BindProject(prod, "roles/bigquery.jobUser", "group:" + dataEng.Email);
            BindProject(prod, "roles/iam.serviceAccountTokenCreator", "group:" + dataEng.Email);
        }
        var teams = new Dictionary<string, GcpGroup>(StringComparer.Ordinal);
        GcpGroup Team(string app, GcpProject dev)
        {
            if (teams.TryGetValue(app, out var t)) { return t; }
            t = Group($"gcp-team-{app}", $"Team {app}");
            developers.Members.Add("group:" + t.Email);
            BindProject(dev, "roles/editor", "group:" + t.Email);
            return teams[app] = t;
        }

        var gcpPeople = people.Gcp;
        for (var i = 0; i < gcpPeople.Count; i++)
        {
            var person = gcpPeople[i];
            var user = new GcpMember { Index = Members.Count, Email = person.Email, IsServiceAccount = false, UniqueId = person.GoogleId, Person = person };
            Members.Add(user);
            var active = !person.Inactive;
            var (app, prod, dev) = apps[i % apps.Count];
            var etl = ServiceAccounts.First(m => m.Project == prod && m.Email.StartsWith(app + "-etl@", StringComparison.Ordinal));
            if (i == 0 || person.IsAdmin)
            {
                admins.Members.Add(user.Member);
                user.Calls.AddRange([SetIamPolicy(dev), SetIamPolicy(prod)]);
                user.Cadence = active ? new DemoCadence(true, 1.5, 10, 0.5) : DemoCadence.Never;
                if (i == 0)
                {
                    // Also a data engineer: reads production exports by impersonating the ETL service account.
                    dataEng.Members.Add(user.Member);
                    user.Calls.Add(Storage("storage.objects.get", "storage.objects.get", prod, "exports/daily.csv") with { Impersonating = etl });
                    // Break-glass access to production VMs that expires 30 days after the as-of date.
                    var until = _options.AsOf.AddDays(30).ToString("yyyy-MM-dd'T'00:00:00'Z'", CultureInfo.InvariantCulture);
                    BindProject(prod, "roles/compute.instanceAdmin.v1", user.Member);
                    Bindings[^1] = Bindings[^1] with { Condition = new GcpCondition("break-glass", "temporary access for the incident review", $"request.time < timestamp('{until}')") };
                    user.Calls.Add(Instance("compute.instances.stop", "v1.compute.instances.stop", prod, $"{app}-batch-1"));
                }
            }
            else if (i % 4 == 1)
            {
                dataEng.Members.Add(user.Member);
                user.Calls.AddRange([BigQuery("bigquery.jobs.create", "google.cloud.bigquery.v2.JobService.InsertJob", prod),
                    Storage("storage.objects.get", "storage.objects.get", prod, "exports/daily.csv") with { Impersonating = etl }]);
                user.Cadence = active ? new DemoCadence(true, 2.5, 10, 0.6) : DemoCadence.Never;
            }
            else if (i % 4 == 2)
            {
                security.Members.Add(user.Member);
                user.Calls.Add(new("resourcemanager.projects.getIamPolicy", "cloudresourcemanager.googleapis.com", "GetIamPolicy", $"projects/{prod.ProjectId}", prod, true, "project"));
                user.Cadence = active ? new DemoCadence(true, 1, 10, 0.3) : DemoCadence.Never;
            }
            else
            {
                Team(app, dev).Members.Add(user.Member);
                // Editor on the dev project (Editor holds no object permissions: bucket access would come from convenience values).
                user.Calls.AddRange([Run(dev, $"{app}-api"), BigQuery("bigquery.jobs.create", "google.cloud.bigquery.v2.JobService.InsertJob", dev),
                    Instance("compute.instances.start", "v1.compute.instances.start", dev, $"{app}-dev-1")]);
                user.Cadence = active ? new DemoCadence(true, 2, 10, 0.5) : DemoCadence.Never;
            }
            if (i == gcpPeople.Count - 1 && i > 0)
            {
                // The dev lead who owns a dev project directly (owner: an administrator of that project).
                BindProject(dev, "roles/owner", user.Member);
            }
        }
        Bind(apps[^1].Dev.FullName, "cloudresourcemanager.googleapis.com/Project", "roles/viewer", Contractor);
        Bind(Prod.FullName, FolderType, CustomRole("bucketReader"), "group:" + dataEng.Email);
    }

    private void AddApplication(string app, GcpProject prod, GcpProject dev, int index)
    {
        var ci = Account($"ci-{app}", SharedCi, $"CI for {app}");
        Bind(prod.FullName, "cloudresourcemanager.googleapis.com/Project", CustomRole("ciDeployer"), ci.Member);
        Bind(dev.FullName, "cloudresourcemanager.googleapis.com/Project", CustomRole("ciDeployer"), ci.Member);
        // The prod project's default compute service account keeps the Editor role Google granted by default (projects
        // created since the `iam.automaticIamGrantsForDefaultServiceAccounts` constraint do not): never used.
        var compute = new GcpMember { Index = Members.Count, Email = $"{prod.Number}-compute@developer.gserviceaccount.com", IsServiceAccount = true, UniqueId = "1" + _rng.Digits(20), Project = prod, DisplayName = "Compute Engine default service account" };
        Members.Add(compute);
        BindProject(prod, "roles/editor", compute.Member);
        ci.Calls.AddRange([Run(prod, $"{app}-api"), Run(dev, $"{app}-api"),
            new("iam.serviceAccounts.actAs", "iam.googleapis.com", "google.iam.admin.v1.IAM.ActAs", $"projects/-/serviceAccounts/{app}-api@{prod.ProjectId}.iam.gserviceaccount.com", prod, true, "service_account")]);
        ci.Cadence = new DemoCadence(true, 1 + _rng.NextDouble() * 2, 14, 0.7);

        foreach (var p in new[] { prod, dev })
        {
            var components = 2 + _rng.Next(3);
            for (var c = 0; c < components && (c == 0 || ServiceAccounts.Count() < ServiceTarget); c++)
            {
                var component = c == 0 ? "etl" : Components[1 + (index + c) % (Components.Length - 1)];
                var sa = Account($"{app}-{component}", p);
                if (component == "etl")
                {
                    BindProject(p, "roles/storage.objectViewer", sa.Member);
                    BindProject(p, "roles/bigquery.dataEditor", sa.Member);
                    BindProject(p, "roles/bigquery.jobUser", sa.Member);
                    sa.Calls.AddRange([BigQuery("bigquery.jobs.create", "google.cloud.bigquery.v2.JobService.InsertJob", p), Storage("storage.objects.get", "storage.objects.get", p, "raw/events.avro")]);
                    sa.Cadence = new DemoCadence(false, 2, 2);
                }
                else if (c % 2 == 1)
                {
                    BindProject(p, "roles/storage.objectAdmin", sa.Member);
                    BindProject(p, "roles/secretmanager.secretAccessor", sa.Member);
                    BindProject(p, "roles/pubsub.publisher", sa.Member);
                    sa.Calls.AddRange([Storage("storage.objects.create", "storage.objects.create", p, $"{component}/batch.json"), Publish(p, app), Secret(p, app)]);
                    sa.Cadence = new DemoCadence(false, _rng.Pareto(1.5, 20), _rng.Next(24), _rng.Chance(0.15) ? 0 : 1);
                }
                else
                {
                    // Granted more than it needs: Storage Admin on its project (Editor for the first application), uses two permissions of it.
                    var editor = index == 0;
                    BindProject(p, editor ? "roles/editor" : "roles/storage.admin", sa.Member);
                    sa.Calls.AddRange(editor ? [Publish(p, app), BigQuery("bigquery.jobs.create", "google.cloud.bigquery.v2.JobService.InsertJob", p)]
                        : [Storage("storage.objects.get", "storage.objects.get", p, $"{component}/state.json"), Storage("storage.objects.create", "storage.objects.create", p, $"{component}/state.json")]);
                    sa.Cadence = new DemoCadence(false, 2, _rng.Next(24), _rng.Chance(0.2) ? 0 : 1);
                }
            }
        }
    }
}
