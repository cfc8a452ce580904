data "aws_iam_policy_document" "reports" {
  statement {
    sid     = "ReadReports"
    actions = ["s3:GetObject", "s3:ListBucket"]
    resources = [
      "arn:aws:s3:::${var.bucket_name}",
      "arn:aws:s3:::${var.bucket_name}/reports/&{aws:username}/*",
    ]
  }

  statement {
    effect    = "Deny"
    actions   = ["s3:DeleteObject"]
    resources = ["*"]

    condition {
      test     = "StringNotEquals"
      variable = "aws:PrincipalTag/team"
      values   = [var.team]
    }
  }
}

data "aws_iam_policy_document" "dynamic" {
  statement {
    actions   = var.actions
    resources = ["*"]
  }
}
