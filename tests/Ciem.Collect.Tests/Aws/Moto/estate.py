"""Populates a moto server with an AWS organization and exports it the way the `aws` CLI prints it.

Used by the collector tests (and the collection benchmark): `populate` creates the estate through boto3, `export`
writes what `aws iam get-account-authorization-details`, `aws iam get-credential-report`, the `aws organizations`
calls of docs/import-formats.md and the services' get-*-policy calls print (boto3 parses the answers exactly as the
CLI does; the CLI then prints them as JSON with ISO 8601 dates and base64 blobs).

usage: estate.py populate ENDPOINT [--accounts N] [--users N] [--trail-objects N]
       estate.py export ENDPOINT DIR
       estate.py put-trail-object ENDPOINT NAME
       estate.py collector-user ENDPOINT
"""
import base64, datetime, gzip, io, json, sys, time
import boto3

REGION = "us-east-1"
ROLE = "OpenCiemReadOnly"
MANAGEMENT = "123456789012"


def client(service, endpoint, creds=None):
    kwargs = dict(endpoint_url=endpoint, region_name=REGION)
    if creds:
        kwargs.update(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                      aws_session_token=creds["SessionToken"])
    return boto3.client(service, **kwargs)


def assume(endpoint, account):
    sts = client("sts", endpoint)
    return sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/{ROLE}", RoleSessionName="estate")["Credentials"]


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def populate_account(endpoint, account, creds, users, index):
    iam = client("iam", endpoint, creds)
    iam.create_role(RoleName=ROLE, AssumeRolePolicyDocument=doc(
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{MANAGEMENT}:root"}, "Action": "sts:AssumeRole"}))
    iam.put_role_policy(RoleName=ROLE, PolicyName="read-iam", PolicyDocument=doc(
        {"Effect": "Allow", "Action": ["iam:GetAccountAuthorizationDetails", "iam:GetCredentialReport",
                                       "iam:GenerateCredentialReport"], "Resource": "*"}))
    iam.create_group(GroupName="developers", Path="/teams/")
    iam.put_group_policy(GroupName="developers", PolicyName="dev-s3", PolicyDocument=doc(
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"arn:aws:s3:::data-{account}/*"}))
    for u in range(users):
        name = f"user{u:04d}"
        iam.create_user(UserName=name, Path="/people/", Tags=[{"Key": "team", "Value": f"team{u % 7}"}])
        iam.add_user_to_group(GroupName="developers", UserName=name)
        if u % 3 == 0:
            iam.put_user_policy(UserName=name, PolicyName="own-keys", PolicyDocument=doc(
                {"Effect": "Allow", "Action": "iam:CreateAccessKey",
                 "Resource": f"arn:aws:iam::{account}:user/people/{name}"}))
        if u % 5 == 0:
            iam.create_access_key(UserName=name)
    iam.create_role(RoleName="app-worker", Path="/service/", Description="runs the app", MaxSessionDuration=7200,
                    AssumeRolePolicyDocument=doc({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                                                  "Action": "sts:AssumeRole"}),
                    Tags=[{"Key": "owner", "Value": "platform"}])
    iam.put_role_policy(RoleName="app-worker", PolicyName="queue", PolicyDocument=doc(
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": f"arn:aws:sqs:{REGION}:{account}:jobs",
         "Condition": {"StringEquals": {"aws:RequestedRegion": REGION}}}))
    iam.create_instance_profile(InstanceProfileName="app-worker")
    iam.add_role_to_instance_profile(InstanceProfileName="app-worker", RoleName="app-worker")
    s3 = client("s3", endpoint, creds)
    bucket = f"data-{account}"
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_policy(Bucket=bucket, Policy=doc(
        {"Sid": "ReadFromWorker", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:role/service/app-worker"},
         "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}))
    s3.create_bucket(Bucket=f"nopolicy-{account}")
    if index == 0:
        populate_regional(endpoint, account, creds)


def populate_regional(endpoint, account, creds):
    kms = client("kms", endpoint, creds)
    key = kms.create_key(Description="data key")["KeyMetadata"]["KeyId"]
    kms.put_key_policy(KeyId=key, PolicyName="default", Policy=doc(
        {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "kms:*",
         "Resource": "*"}))
    sqs = client("sqs", endpoint, creds)
    url = sqs.create_queue(QueueName="jobs")["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": doc(
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:role/service/app-worker"},
         "Action": "sqs:SendMessage", "Resource": f"arn:aws:sqs:{REGION}:{account}:jobs"})})
    sqs.create_queue(QueueName="no-policy")
    sns = client("sns", endpoint, creds)
    topic = sns.create_topic(Name="alerts")["TopicArn"]
    sns.set_topic_attributes(TopicArn=topic, AttributeName="Policy", AttributeValue=doc(
        {"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sns:Publish",
         "Resource": topic}))
    sm = client("secretsmanager", endpoint, creds)
    secret = sm.create_secret(Name="db-password", SecretString="not-a-real-secret")["ARN"]
    sm.put_resource_policy(SecretId=secret, ResourcePolicy=doc(
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:role/service/app-worker"},
         "Action": "secretsmanager:GetSecretValue", "Resource": "*"}))
    ecr = client("ecr", endpoint, creds)
    ecr.create_repository(repositoryName="app")
    ecr.set_repository_policy(repositoryName="app", policyText=doc(
        {"Sid": "Pull", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
         "Action": ["ecr:BatchGetImage"]}))
    ecr.create_repository(repositoryName="no-policy")


def trail_object(endpoint, name, when):
    records = {"Records": [
        {"eventVersion": "1.08", "eventTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "eventSource": "s3.amazonaws.com",
         "eventName": "ListBuckets", "awsRegion": REGION, "sourceIPAddress": "192.0.2.10",
         "userAgent": "aws-cli/2.15.0", "requestParameters": None, "responseElements": None,
         "eventID": f"{name}-1", "readOnly": True, "eventType": "AwsApiCall", "managementEvent": True,
         "recipientAccountId": MANAGEMENT, "eventCategory": "Management",
         "userIdentity": {"type": "IAMUser", "principalId": "AIDAEXAMPLE", "arn": f"arn:aws:iam::{MANAGEMENT}:user/people/user0000",
                          "accountId": MANAGEMENT, "userName": "user0000"}},
        {"eventVersion": "1.08", "eventTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "eventSource": "iam.amazonaws.com",
         "eventName": "GetUser", "awsRegion": REGION, "sourceIPAddress": "192.0.2.10",
         "userAgent": "aws-cli/2.15.0", "requestParameters": {"userName": "user0001"}, "responseElements": None,
         "eventID": f"{name}-2", "readOnly": True, "eventType": "AwsApiCall", "managementEvent": True,
         "recipientAccountId": MANAGEMENT, "eventCategory": "Management",
         "userIdentity": {"type": "IAMUser", "principalId": "AIDAEXAMPLE", "arn": f"arn:aws:iam::{MANAGEMENT}:user/people/user0000",
                          "accountId": MANAGEMENT, "userName": "user0000"}}]}
    body = io.BytesIO()
    with gzip.GzipFile(fileobj=body, mode="wb", mtime=0) as f:
        f.write(json.dumps(records).encode())
    key = (f"org/AWSLogs/{MANAGEMENT}/CloudTrail/{REGION}/{when:%Y/%m/%d}/"
           f"{MANAGEMENT}_CloudTrail_{REGION}_{when:%Y%m%dT%H%MZ}_{name}.json.gz")
    client("s3", endpoint).put_object(Bucket="org-trail-logs", Key=key, Body=body.getvalue())


def populate(endpoint, accounts, users, trail_objects):
    org = client("organizations", endpoint)
    org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]["Id"]
    workloads = org.create_organizational_unit(ParentId=root, Name="workloads")["OrganizationalUnit"]["Id"]
    prod = org.create_organizational_unit(ParentId=workloads, Name="prod")["OrganizationalUnit"]["Id"]
    org.tag_resource(ResourceId=prod, Tags=[{"Key": "env", "Value": "prod"}])
    scp = org.create_policy(Name="deny-leave", Type="SERVICE_CONTROL_POLICY", Description="guardrail", Content=doc(
        {"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}))["Policy"]["PolicySummary"]["Id"]
    org.attach_policy(PolicyId=scp, TargetId=workloads)
    rcp = org.create_policy(Name="s3-tls", Type="RESOURCE_CONTROL_POLICY", Description="tls only", Content=doc(
        {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}}))["Policy"]["PolicySummary"]["Id"]
    org.attach_policy(PolicyId=rcp, TargetId=root)
    members = []
    for i in range(accounts):
        account = org.create_account(AccountName=f"member-{i}", Email=f"member-{i}@example.com")["CreateAccountStatus"]["AccountId"]
        org.move_account(AccountId=account, SourceParentId=root, DestinationParentId=prod if i % 2 == 0 else workloads)
        org.tag_resource(ResourceId=account, Tags=[{"Key": "cost-centre", "Value": f"cc{i}"}])
        members.append(account)
    populate_account(endpoint, MANAGEMENT, None, users, 0)
    for i, account in enumerate(members):
        populate_account(endpoint, account, assume(endpoint, account), users, i + 1)
    s3 = client("s3", endpoint)
    s3.create_bucket(Bucket="org-trail-logs")
    client("cloudtrail", endpoint).create_trail(Name="org-trail", S3BucketName="org-trail-logs", S3KeyPrefix="org",
                                                IsMultiRegionTrail=True)
    start = datetime.datetime(2026, 11, 1, tzinfo=datetime.timezone.utc)
    for n in range(trail_objects):
        trail_object(endpoint, f"obj{n:04d}", start + datetime.timedelta(hours=n))
    print(json.dumps({"management": MANAGEMENT, "members": members}))


def cli_json(value):
    def default(o):
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        if isinstance(o, bytes):
            return base64.b64encode(o).decode()
        raise TypeError(type(o))
    for meta in ("ResponseMetadata",):
        if isinstance(value, dict):
            value.pop(meta, None)
    return json.dumps(value, indent=4, default=default)


def full(c, operation, key=None, **kwargs):
    """A paginated call merged as the CLI prints it."""
    result = c.get_paginator(operation).paginate(**kwargs).build_full_result()
    result.pop("ResponseMetadata", None)
    return result


def export(endpoint, folder):
    org = client("organizations", endpoint)
    bundle = {"Format": "openciem-aws-organizations/1"}
    bundle["describe-organization"] = json.loads(cli_json(org.describe_organization()))
    bundle["list-roots"] = json.loads(cli_json(full(org, "list_roots")))
    parents = [r["Id"] for r in bundle["list-roots"]["Roots"]]
    resources = list(parents)
    bundle["list-organizational-units-for-parent"] = {}
    bundle["list-accounts-for-parent"] = {}
    accounts = []
    while parents:
        parent = parents.pop(0)
        ous = json.loads(cli_json(full(org, "list_organizational_units_for_parent", ParentId=parent)))
        bundle["list-organizational-units-for-parent"][parent] = ous
        parents += [o["Id"] for o in ous["OrganizationalUnits"]]
        resources += [o["Id"] for o in ous["OrganizationalUnits"]]
        members = json.loads(cli_json(full(org, "list_accounts_for_parent", ParentId=parent)))
        bundle["list-accounts-for-parent"][parent] = members
        accounts += [a["Id"] for a in members["Accounts"]]
        resources += [a["Id"] for a in members["Accounts"]]
    bundle["list-policies"], bundle["describe-policy"], bundle["list-targets-for-policy"] = {}, {}, {}
    for kind in ("SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"):
        listed = json.loads(cli_json(full(org, "list_policies", Filter=kind)))
        bundle["list-policies"][kind] = listed
        for p in listed["Policies"]:
            bundle["describe-policy"][p["Id"]] = json.loads(cli_json(org.describe_policy(PolicyId=p["Id"])))
            bundle["list-targets-for-policy"][p["Id"]] = json.loads(cli_json(full(org, "list_targets_for_policy", PolicyId=p["Id"])))
    bundle["list-tags-for-resource"] = {r: json.loads(cli_json(full(org, "list_tags_for_resource", ResourceId=r))) for r in resources}
    with open(f"{folder}/organization.json", "w") as f:
        f.write(json.dumps(bundle, indent=4))
    policies = {}
    for account in sorted(accounts):
        creds = None if account == MANAGEMENT else assume(endpoint, account)
        iam = client("iam", endpoint, creds)
        with open(f"{folder}/gaad-{account}.json", "w") as f:
            f.write(cli_json(full(iam, "get_account_authorization_details")))
        iam.generate_credential_report()
        with open(f"{folder}/credential-report-{account}.json", "w") as f:
            f.write(cli_json(iam.get_credential_report()))
        s3 = client("s3", endpoint, creds)
        for b in s3.list_buckets()["Buckets"]:
            try:
                policies[f"arn:aws:s3:::{b['Name']}"] = {"Policy": s3.get_bucket_policy(Bucket=b["Name"])["Policy"]}
            except s3.exceptions.ClientError as e:
                if e.response["Error"]["Code"] != "NoSuchBucketPolicy":
                    raise
        kms = client("kms", endpoint, creds)
        for k in full(kms, "list_keys")["Keys"]:
            policies[k["KeyArn"]] = {"Policy": kms.get_key_policy(KeyId=k["KeyId"], PolicyName="default")["Policy"]}
        sqs = client("sqs", endpoint, creds)
        for url in sqs.list_queues().get("QueueUrls", []):
            attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy", "QueueArn"])["Attributes"]
            if "Policy" in attributes:
                policies[attributes["QueueArn"]] = {"Attributes": {"Policy": attributes["Policy"]}}
        sns = client("sns", endpoint, creds)
        for t in full(sns, "list_topics")["Topics"]:
            attributes = sns.get_topic_attributes(TopicArn=t["TopicArn"])["Attributes"]
            if attributes.get("Policy"):
                policies[t["TopicArn"]] = {"Attributes": {"Policy": attributes["Policy"]}}
        sm = client("secretsmanager", endpoint, creds)
        for s in full(sm, "list_secrets")["SecretList"]:
            policy = sm.get_resource_policy(SecretId=s["ARN"]).get("ResourcePolicy")
            if policy:
                policies[s["ARN"]] = {"ResourcePolicy": policy}
        ecr = client("ecr", endpoint, creds)
        for r in full(ecr, "describe_repositories")["repositories"]:
            try:
                policies[r["repositoryArn"]] = {"policyText": ecr.get_repository_policy(repositoryName=r["repositoryName"])["policyText"]}
            except ecr.exceptions.RepositoryPolicyNotFoundException:
                pass
    with open(f"{folder}/resource-policies.json", "w") as f:
        f.write(json.dumps(policies, indent=4))


if __name__ == "__main__":
    command, endpoint = sys.argv[1], sys.argv[2]
    if command == "populate":
        args = dict(zip(sys.argv[3::2], sys.argv[4::2]))
        populate(endpoint, int(args.get("--accounts", "2")), int(args.get("--users", "3")), int(args.get("--trail-objects", "3")))
    elif command == "export":
        export(endpoint, sys.argv[3])
    elif command == "collector-user":
        # On a server started with INITIAL_NO_AUTH_ACTION_COUNT=3: these three calls are the unauthenticated ones.
        iam = client("iam", endpoint)
        iam.create_user(UserName="collector")
        key = iam.create_access_key(UserName="collector")["AccessKey"]
        iam.put_user_policy(UserName="collector", PolicyName="read", PolicyDocument=doc(
            {"Effect": "Allow", "Action": ["sts:GetCallerIdentity", "organizations:Describe*", "organizations:List*",
                                           "iam:GetAccountAuthorizationDetails", "iam:GenerateCredentialReport",
                                           "iam:GetCredentialReport", "s3:ListAllMyBuckets"], "Resource": "*"}))
        print(json.dumps({"AccessKeyId": key["AccessKeyId"], "SecretAccessKey": key["SecretAccessKey"]}))
    elif command == "put-trail-object":
        trail_object(endpoint, sys.argv[3], datetime.datetime(2026, 11, 20, tzinfo=datetime.timezone.utc))
    else:
        sys.exit(f"unknown command {command}")
