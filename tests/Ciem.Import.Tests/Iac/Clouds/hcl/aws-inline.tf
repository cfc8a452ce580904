resource "aws_s3_bucket" "site" {
  bucket = "acme-site"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "PublicRead"
        Effect    = "Allow"
        Principal = "*"
        Action    = "s3:GetObject"
        Resource  = "arn:aws:s3:::acme-site/*"
      },
    ]
  })
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}

resource "aws_sns_topic" "alerts" {
  name = "alerts"
}

resource "aws_sqs_queue" "orders" {
  name   = "orders"
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Partner",
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::444455556666:root" },
      "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage"],
      "Resource": "arn:aws:sqs:eu-west-1:111122223333:orders"
    }
  ]
}
EOF
}

resource "aws_secretsmanager_secret" "db" {
  name   = "db"
  policy = data.aws_iam_policy_document.db.json
}

data "aws_iam_policy_document" "db" {
  statement {
    sid = "App"

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:role/app"]
    }

    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["*"]
  }
}

resource "aws_ecr_repository" "builds" {
  name = "builds"
}
