#!/usr/bin/env python3
"""Write a `ciem aws simulate` request file (JSON Lines) from an IAM authorization-details export.

Usage: gen_simulate_requests.py AUTHZ.json COUNT OUTPUT.jsonl

AUTHZ.json is an `aws iam get-account-authorization-details` file, typically the shared cloudsplaining example
replicated by ../shared/tools/replicate_authz.py (x129: 10,062 roles). Each request is made by a session of one
role of the export and carries, as real simulate files do, every policy that bears on it:
  - the role's identity policies: its inline policies and the default version of each attached managed policy
    (documents over 8 KB, a handful of AWS-managed ones such as ReadOnlyAccess, are left out to keep the file to a
    few hundred MB; they would only repeat the same text more),
  - a three-level SCP chain (root: FullAWSAccess; OU: a region guard; account: guardrails),
  - one RCP level (a data perimeter), a permissions boundary, the resource's own policy,
  - eight context keys (source IP, region, time, TLS, MFA, organization, a principal tag, user id).
Roles are visited in order and each makes requests from a fixed pool of realistic actions until COUNT requests are
written. Deterministic: the same input and COUNT give the same file.
"""
import json
import sys

MAX_DOC = 8 * 1024

POOL = [
    ("s3:GetObject", "arn:aws:s3:::data-{acct}/reports/2026/q{n}.csv", "s3"),
    ("s3:PutObject", "arn:aws:s3:::data-{acct}/uploads/{n}.json", "s3"),
    ("s3:DeleteObject", "arn:aws:s3:::data-{acct}/tmp/{n}.bin", "s3"),
    ("s3:ListBucket", "arn:aws:s3:::data-{acct}", "s3"),
    ("sqs:SendMessage", "arn:aws:sqs:eu-west-1:{acct}:orders-{n}", "sqs"),
    ("sqs:ReceiveMessage", "arn:aws:sqs:eu-west-1:{acct}:orders-{n}", "sqs"),
    ("kms:Decrypt", "arn:aws:kms:eu-west-1:{acct}:key/1234abcd-12ab-34cd-56ef-12345678900{n}", "kms"),
    ("kms:Encrypt", "arn:aws:kms:eu-west-1:{acct}:key/1234abcd-12ab-34cd-56ef-12345678900{n}", "kms"),
    ("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-west-1:{acct}:secret:app/db-{n}-AbCdEf", "secretsmanager"),
    ("sns:Publish", "arn:aws:sns:eu-west-1:{acct}:alerts-{n}", "sns"),
    ("lambda:InvokeFunction", "arn:aws:lambda:eu-west-1:{acct}:function:worker-{n}", "lambda"),
    ("dynamodb:GetItem", "arn:aws:dynamodb:eu-west-1:{acct}:table/orders-{n}", None),
    ("ec2:TerminateInstances", "arn:aws:ec2:eu-west-1:{acct}:instance/i-0abc{n}def", None),
    ("iam:PassRole", "arn:aws:iam::{acct}:role/app-role-{n}", None),
    ("logs:PutLogEvents", "arn:aws:logs:eu-west-1:{acct}:log-group:/app/{n}:log-stream:main", None),
    ("cloudtrail:StopLogging", "arn:aws:cloudtrail:eu-west-1:{acct}:trail/org-trail", None),
]

ORG = "o-a1b2c3d4e5"

FULL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
REGION_GUARD = {"Version": "2012-10-17", "Statement": [{
    "Sid": "DenyOutsideApprovedRegions", "Effect": "Deny",
    "NotAction": ["iam:*", "sts:*", "organizations:*", "cloudfront:*", "route53:*", "support:*"],
    "Resource": "*",
    "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}}}]}
GUARDRAILS = {"Version": "2012-10-17", "Statement": [
    {"Sid": "ProtectAuditTrail", "Effect": "Deny", "Action": ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail"], "Resource": "*"},
    {"Sid": "StayInOrganization", "Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"},
    {"Sid": "RequireTls", "Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
PERIMETER = {"Version": "2012-10-17", "Statement": [{
    "Sid": "EnforceOrgIdentities", "Effect": "Deny", "Principal": "*",
    "Action": ["s3:*", "sqs:*", "kms:*", "secretsmanager:*", "sts:AssumeRole"], "Resource": "*",
    "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": ORG}, "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}}]}
BOUNDARY = {"Version": "2012-10-17", "Statement": [
    {"Sid": "Workloads", "Effect": "Allow", "NotAction": ["iam:*User*", "iam:*AccessKey*", "organizations:*", "account:*"], "Resource": "*"},
    {"Sid": "PassOnlyAppRoles", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::*:role/app-*"}]}


def resource_policy(kind, acct):
    same_org = {"StringEquals": {"aws:PrincipalOrgID": ORG}}
    if kind == "s3":
        return {"Version": "2012-10-17", "Statement": [
            {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
             "Resource": [f"arn:aws:s3:::data-{acct}", f"arn:aws:s3:::data-{acct}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
            {"Sid": "OrgRead", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["s3:GetObject", "s3:ListBucket"],
             "Resource": [f"arn:aws:s3:::data-{acct}", f"arn:aws:s3:::data-{acct}/*"], "Condition": same_org}]}
    if kind == "kms":
        return {"Version": "2012-10-17", "Statement": [
            {"Sid": "EnableIamPolicies", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{acct}:root"}, "Action": "kms:*", "Resource": "*"}]}
    service = {"sqs": "sqs:*", "secretsmanager": "secretsmanager:GetSecretValue", "sns": "sns:Publish", "lambda": "lambda:InvokeFunction"}[kind]
    return {"Version": "2012-10-17", "Statement": [
        {"Sid": "Account", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{acct}:root"}, "Action": service, "Resource": "*"}]}


def default_doc(policy):
    for v in policy.get("PolicyVersionList", []):
        if v.get("IsDefaultVersion"):
            return v["Document"]
    return None


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    source, count, output = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(source) as f:
        authz = json.load(f)
    managed = {p["Arn"]: default_doc(p) for p in authz.get("Policies", [])}
    roles = []
    for r in authz["RoleDetailList"]:
        docs = [p["PolicyDocument"] for p in r.get("RolePolicyList", [])]
        docs += [managed.get(a["PolicyArn"]) for a in r.get("AttachedManagedPolicies", [])]
        docs = [d for d in docs if d is not None and len(json.dumps(d, separators=(",", ":"))) <= MAX_DOC]
        if docs:
            roles.append((r, docs))
    if not roles:
        sys.exit("no role with identity policies in " + source)
    written = 0
    with open(output, "w") as out:
        while written < count:
            for i, (role, docs) in enumerate(roles):
                if written >= count:
                    break
                acct = role["Arn"].split(":")[4]
                action, template, kind = POOL[(written * 7 + i) % len(POOL)]
                resource = template.format(acct=acct, n=written % 5)
                ip = f"10.{(written >> 8) % 256}.{written % 256}.{(i % 250) + 1}"
                region = "eu-west-1" if written % 11 else "us-east-1"
                request = {
                    "id": f"r{written}",
                    "request": {
                        "principal": f"arn:aws:sts::{acct}:assumed-role/{role['RoleName']}/session-{written % 97}",
                        "action": action,
                        "resource": resource,
                        "context": {
                            "aws:SourceIp": ip,
                            "aws:RequestedRegion": region,
                            "aws:CurrentTime": f"2026-06-{1 + written % 28:02d}T{written % 24:02d}:00:00Z",
                            "aws:SecureTransport": "true" if written % 13 else "false",
                            "aws:MultiFactorAuthPresent": "true" if written % 3 else "false",
                            "aws:PrincipalOrgID": ORG,
                            "aws:PrincipalTag/team": ["payments", "search", "platform"][written % 3],
                            "aws:userid": f"{role['RoleId']}:session-{written % 97}",
                        },
                    },
                    "identityPolicies": docs,
                    "permissionBoundaries": [BOUNDARY],
                    "scps": [
                        {"target": "r-a1b2", "policies": [FULL]},
                        {"target": "ou-a1b2-workloads", "policies": [FULL, REGION_GUARD]},
                        {"target": acct, "policies": [FULL, GUARDRAILS]},
                    ],
                    "rcps": [{"target": "r-a1b2", "policies": [PERIMETER]}],
                }
                if kind is not None:
                    request["resourcePolicy"] = resource_policy(kind, acct)
                out.write(json.dumps(request, separators=(",", ":")))
                out.write("\n")
                written += 1
    print(f"{written} requests from {len(roles)} roles written to {output}", file=sys.stderr)


if __name__ == "__main__":
    main()
