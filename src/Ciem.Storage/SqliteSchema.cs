namespace Ciem.Storage;

/// <summary>
/// Schema migrations, applied in order; the database records the number applied in <c>schema_version</c>.
/// Never edit a published migration: add the next one. Nested lists that are only ever read with their owner
/// (tags, attached policy ARNs, group names, instance profiles, policy targets) are JSON text columns. Azure and GCP
/// snapshots keep each inventory record as one JSON document in <c>snapshot_document</c> (kind, position).
/// </summary>
internal static class SqliteSchema
{
    public static readonly string[] Migrations =
    [
        """
        CREATE TABLE snapshot (
            id INTEGER PRIMARY KEY,
            provider TEXT NOT NULL,
            kind TEXT NOT NULL,
            scope TEXT NOT NULL,
            taken_at TEXT NOT NULL,
            taken_at_ms INTEGER NOT NULL,
            imported_at TEXT NOT NULL,
            sources TEXT NOT NULL,
            imported INTEGER NOT NULL,
            skipped INTEGER NOT NULL,
            quarantined INTEGER NOT NULL,
            content_hash TEXT NOT NULL,
            is_current INTEGER NOT NULL
        );
        CREATE INDEX snapshot_scope ON snapshot (provider, kind, scope, is_current);

        CREATE TABLE iam_user (
            snapshot_id INTEGER NOT NULL REFERENCES snapshot (id),
            arn TEXT NOT NULL, name TEXT NOT NULL, user_id TEXT NOT NULL, path TEXT NOT NULL, create_date TEXT,
            group_names TEXT NOT NULL, attached TEXT NOT NULL, boundary_arn TEXT, tags TEXT NOT NULL, password_last_used TEXT,
            PRIMARY KEY (snapshot_id, arn)
        );
        CREATE TABLE iam_group (
            snapshot_id INTEGER NOT NULL REFERENCES snapshot (id),
            arn TEXT NOT NULL, name TEXT NOT NULL, group_id TEXT NOT NULL, path TEXT NOT NULL, create_date TEXT,
            attached TEXT NOT NULL,
            PRIMARY KEY (snapshot_id, arn)
        );
        CREATE TABLE iam_role (
            snapshot_id INTEGER NOT NULL REFERENCES snapshot (id),
            arn TEXT NOT NULL, name TEXT NOT NULL, role_id TEXT NOT NULL, path TEXT NOT NULL, create_date TEXT,
            trust_policy TEXT NOT NULL, attached TEXT NOT NULL, boundary_arn TEXT, tags TEXT NOT NULL,
            instance_profiles TEXT NOT NULL, last_used_date TEXT, last_used_region TEXT, max_session_duration INTEGER,
            description TEXT,
            PRIMARY KEY (snapshot_id, arn)
        );
        CREATE TABLE inline_policy (
            snapshot_id INTEGER NOT NULL REFERENCES snapshot (id),
            principal_arn TEXT NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL, document TEXT NOT NULL,
            PRIMARY KEY (snapshot_id, principal_arn, position)
        );
        CREATE TABLE managed_policy (
            snapshot_id INTEGER NOT NULL REFERENCES snapshot (id),
            arn TEXT NOT NULL, name TEXT NOT NULL, policy_id TEXT NOT NULL, path TEXT NOT NULL,
            default_version_id TEXT NOT NULL, document TEXT NOT NULL, create_date TEXT, update_date TEXT,
            PRIMARY KEY (snapshot_id, arn)
        );
        CREATE TABLE aws_managed_policy (
            arn TEXT NOT NULL, name TEXT NOT NULL, policy_id TEXT NOT NULL, path TEXT NOT NULL,
            default_version_id TEXT NOT NULL, document TEXT NOT NULL, create_date TEXT, update_date TEXT,
            first_snapshot_id INTEGER REFERENCES snapshot (id),
            UNIQUE (arn, default_version_id)
        );
        CREATE TABLE org_unit (
            snapshot_id INTEGER NOT NULL REFERENCES snapshot (id),
            id TEXT NOT NULL, name TEXT NOT NULL, parent_id TEXT, is_root INTEGER NOT NULL,
            PRIMARY KEY (snapshot_id, id)
        );
        CREATE TABLE org_account (
            snapshot_id INTEGER NOT NULL REFERENCES snapshot (id),
            id TEXT NOT NULL, name TEXT NOT NULL, email TEXT, status TEXT, parent_id TEXT,
            PRIMARY KEY (snapshot_id, id)
        );
        CREATE TABLE org_policy (
            snapshot_id INTEGER NOT NULL REFERENCES snapshot (id),
            id TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, document TEXT NOT NULL, aws_managed INTEGER NOT NULL,
            targets TEXT NOT NULL,
            PRIMARY KEY (snapshot_id, id)
        );
        CREATE TABLE org_meta (
            snapshot_id INTEGER PRIMARY KEY REFERENCES snapshot (id),
            management_account_id TEXT NOT NULL, root_id TEXT NOT NULL
        );
        CREATE TABLE resource_policy (
            snapshot_id INTEGER NOT NULL REFERENCES snapshot (id),
            arn TEXT NOT NULL, service TEXT NOT NULL, document TEXT NOT NULL,
            PRIMARY KEY (snapshot_id, arn)
        );
        """,
        """
        CREATE TABLE usage_daily (
            provider TEXT NOT NULL, identity TEXT NOT NULL, person TEXT NOT NULL, action TEXT NOT NULL,
            resource TEXT NOT NULL, day TEXT NOT NULL,
            count INTEGER NOT NULL, first_seen_ms INTEGER NOT NULL, last_seen_ms INTEGER NOT NULL,
            PRIMARY KEY (provider, day, identity, action, resource, person)
        ) WITHOUT ROWID;
        CREATE TABLE attempt_daily (
            provider TEXT NOT NULL, identity TEXT NOT NULL, person TEXT NOT NULL, action TEXT NOT NULL,
            resource TEXT NOT NULL, day TEXT NOT NULL, error_code TEXT NOT NULL,
            count INTEGER NOT NULL, first_seen_ms INTEGER NOT NULL, last_seen_ms INTEGER NOT NULL,
            PRIMARY KEY (provider, day, identity, action, resource, person, error_code)
        ) WITHOUT ROWID;
        CREATE TABLE unmapped_event (
            provider TEXT NOT NULL, source TEXT NOT NULL, name TEXT NOT NULL, count INTEGER NOT NULL,
            PRIMARY KEY (provider, source, name)
        );
        CREATE TABLE ingest_run (
            id INTEGER PRIMARY KEY, provider TEXT NOT NULL, finished_at TEXT NOT NULL,
            files INTEGER NOT NULL, files_skipped INTEGER NOT NULL, events INTEGER NOT NULL, usage_events INTEGER NOT NULL,
            attempts INTEGER NOT NULL, duplicates INTEGER NOT NULL, no_action INTEGER NOT NULL, unmapped INTEGER NOT NULL,
            malformed INTEGER NOT NULL
        );
        CREATE TABLE ingested_file (
            provider TEXT NOT NULL, sha256 TEXT NOT NULL, path TEXT NOT NULL, size INTEGER NOT NULL,
            mtime_ms INTEGER NOT NULL, events INTEGER NOT NULL, run_id INTEGER NOT NULL REFERENCES ingest_run (id),
            PRIMARY KEY (provider, sha256)
        );
        CREATE INDEX ingested_file_path ON ingested_file (provider, path, size, mtime_ms);
        """,
        """
        CREATE TABLE snapshot_document (
            snapshot_id INTEGER NOT NULL REFERENCES snapshot (id),
            kind TEXT NOT NULL, position INTEGER NOT NULL, json TEXT NOT NULL,
            PRIMARY KEY (snapshot_id, kind, position)
        );
        """,
        """
        CREATE TABLE directory_snapshot (
            id INTEGER PRIMARY KEY, source TEXT NOT NULL, tenant TEXT NOT NULL, taken_at TEXT NOT NULL,
            imported_at TEXT NOT NULL, content_hash TEXT NOT NULL, document TEXT NOT NULL, source_files TEXT NOT NULL,
            imported INTEGER NOT NULL, skipped INTEGER NOT NULL, quarantined INTEGER NOT NULL, is_current INTEGER NOT NULL
        );
        CREATE INDEX directory_snapshot_current ON directory_snapshot (source, tenant, is_current);
        """,
        """
        CREATE TABLE aws_credential_report (
            account_id TEXT NOT NULL, user TEXT NOT NULL, arn TEXT NOT NULL, generated_at TEXT, imported_at TEXT NOT NULL,
            user_creation_time TEXT, password_enabled INTEGER, password_last_used TEXT, password_last_changed TEXT,
            password_next_rotation TEXT, mfa_active INTEGER NOT NULL,
            key1_active INTEGER NOT NULL, key1_last_rotated TEXT, key1_last_used TEXT, key1_last_used_region TEXT, key1_last_used_service TEXT,
            key2_active INTEGER NOT NULL, key2_last_rotated TEXT, key2_last_used TEXT, key2_last_used_region TEXT, key2_last_used_service TEXT,
            cert1_active INTEGER NOT NULL, cert1_last_rotated TEXT, cert2_active INTEGER NOT NULL, cert2_last_rotated TEXT,
            PRIMARY KEY (account_id, user)
        );
        """,
        """
        CREATE TABLE log_coverage (
            provider TEXT NOT NULL, log TEXT NOT NULL, service TEXT NOT NULL, day TEXT NOT NULL, entries INTEGER NOT NULL,
            PRIMARY KEY (provider, log, service, day)
        );
        """,
        """
        ALTER TABLE org_account ADD COLUMN tags TEXT;
        ALTER TABLE org_unit ADD COLUMN tags TEXT;
        """,
        """
        CREATE TABLE reduction (
            id INTEGER PRIMARY KEY, provider TEXT NOT NULL, identity TEXT NOT NULL, scope TEXT NOT NULL, name TEXT NOT NULL,
            removed TEXT NOT NULL, granted_before INTEGER NOT NULL, granted_after INTEGER NOT NULL,
            delivered_at TEXT NOT NULL, delivered_at_ms INTEGER NOT NULL, channel TEXT NOT NULL, location TEXT NOT NULL,
            revision TEXT, files TEXT NOT NULL, pull_request TEXT, content_hash TEXT NOT NULL,
            UNIQUE (provider, identity, channel, location, content_hash)
        );
        """,
        """
        CREATE TABLE review_campaign (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, planned_at TEXT NOT NULL, sweep_as_of TEXT NOT NULL, config TEXT NOT NULL,
            set_aside TEXT NOT NULL
        );
        CREATE TABLE review_batch (
            campaign TEXT NOT NULL REFERENCES review_campaign (id), number INTEGER NOT NULL, stage TEXT NOT NULL,
            not_before TEXT NOT NULL, noticed_at TEXT, deadline TEXT,
            PRIMARY KEY (campaign, number)
        );
        CREATE TABLE review_item (
            campaign TEXT NOT NULL REFERENCES review_campaign (id), identity TEXT NOT NULL, batch INTEGER NOT NULL,
            provider TEXT NOT NULL, name TEXT NOT NULL, scope TEXT NOT NULL, state TEXT NOT NULL, owner TEXT NOT NULL,
            owner_source TEXT NOT NULL, owner_evidence TEXT NOT NULL, proposal_hash TEXT NOT NULL, candidate TEXT NOT NULL,
            change TEXT, updated_at TEXT NOT NULL,
            PRIMARY KEY (campaign, identity)
        );
        CREATE TABLE review_exception (
            id INTEGER PRIMARY KEY, campaign TEXT NOT NULL REFERENCES review_campaign (id), identity TEXT NOT NULL,
            actions TEXT NOT NULL, reason TEXT NOT NULL, until TEXT, by TEXT NOT NULL, at TEXT NOT NULL
        );
        CREATE TABLE review_decision (
            campaign TEXT NOT NULL, seq INTEGER NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
            subject TEXT NOT NULL, from_state TEXT, to_state TEXT, reason TEXT NOT NULL, proposal_hash TEXT,
            previous_hash TEXT NOT NULL, hash TEXT NOT NULL,
            PRIMARY KEY (campaign, seq)
        );
        CREATE TRIGGER review_decision_no_update BEFORE UPDATE ON review_decision
            BEGIN SELECT RAISE(ABORT, 'the review decision log is append-only'); END;
        CREATE TRIGGER review_decision_no_delete BEFORE DELETE ON review_decision
            BEGIN SELECT RAISE(ABORT, 'the review decision log is append-only'); END;
        """,
        """
        CREATE TABLE metric_measurement (
            day TEXT PRIMARY KEY, as_of TEXT NOT NULL, window_days INTEGER NOT NULL, source TEXT NOT NULL,
            providers TEXT NOT NULL, recorded_at TEXT NOT NULL, is_baseline INTEGER NOT NULL
        );
        CREATE TABLE metric_identity (
            day TEXT NOT NULL REFERENCES metric_measurement (day), provider TEXT NOT NULL, identity TEXT NOT NULL,
            account TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, environment TEXT NOT NULL, owner TEXT,
            administrator INTEGER NOT NULL, unused_administrator INTEGER NOT NULL, inactive INTEGER NOT NULL,
            granted INTEGER NOT NULL, used INTEGER NOT NULL, unused INTEGER NOT NULL, unknown INTEGER NOT NULL,
            pending INTEGER NOT NULL, applied INTEGER NOT NULL, regrown INTEGER NOT NULL, credential_days INTEGER,
            tags TEXT NOT NULL,
            PRIMARY KEY (day, provider, identity)
        );
        CREATE TABLE alert (
            id INTEGER PRIMARY KEY, rule TEXT NOT NULL, alert_key TEXT NOT NULL, severity TEXT NOT NULL,
            message TEXT NOT NULL, channels TEXT NOT NULL, fired_at TEXT NOT NULL, last_seen_at TEXT NOT NULL,
            resolved_at TEXT
        );
        CREATE INDEX alert_open ON alert (rule, alert_key, resolved_at);
        CREATE TABLE alert_event (
            id INTEGER PRIMARY KEY, alert_id INTEGER NOT NULL REFERENCES alert (id), at TEXT NOT NULL,
            kind TEXT NOT NULL, channel TEXT, detail TEXT NOT NULL
        );
        """,
        """
        CREATE TABLE job_state (
            job TEXT PRIMARY KEY, holder TEXT, lease_token TEXT, lease_until_ms INTEGER NOT NULL,
            last_due TEXT, last_due_ms INTEGER, cursor TEXT
        );
        CREATE TABLE job_run (
            id INTEGER PRIMARY KEY, job TEXT NOT NULL, kind TEXT NOT NULL, cause TEXT NOT NULL, host TEXT NOT NULL,
            due TEXT, started_at TEXT NOT NULL, started_ms INTEGER NOT NULL, finished_at TEXT, outcome TEXT NOT NULL,
            summary TEXT NOT NULL, diagnostics INTEGER NOT NULL
        );
        CREATE INDEX job_run_job ON job_run (job, started_ms);
        """,
        """
        CREATE TABLE server_user (
            name TEXT PRIMARY KEY, email TEXT, role TEXT NOT NULL, owner TEXT, password_hash TEXT,
            created_at TEXT NOT NULL, disabled INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX server_user_email ON server_user (email);
        CREATE TABLE server_token (
            id INTEGER PRIMARY KEY, user_name TEXT NOT NULL REFERENCES server_user (name), label TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, expires_at TEXT, revoked_at TEXT
        );
        CREATE INDEX metric_identity_day_granted ON metric_identity (day, granted);
        CREATE INDEX metric_identity_day_name ON metric_identity (day, name);
        """,
        // The identity listing's sorts: as PostgresSchema.IdentitySorts.
        """
        CREATE INDEX metric_identity_day_used ON metric_identity (day, used);
        CREATE INDEX metric_identity_day_unused ON metric_identity (day, unused);
        """,
    ];
}
