# The orders service: a role with a jsonencode trust policy, an inline_policy block,
# a heredoc inline policy and two customer policies.
variable "bucket_name" {
  type = string
}

resource "aws_iam_role" "orders" {
  name = "orders-service"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })

  inline_policy {
    name = "queue"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        {
          Effect   = "Allow"
          Action   = ["sqs:SendMessage", "sqs:ReceiveMessage"]
          Resource = aws_sqs_queue.orders.arn
        },
      ]
    })
  }
}

resource "aws_iam_role_policy" "data" {
  name = "data"
  role = aws_iam_role.orders.id
  policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": ["s3:GetObject", "s3:PutObject"],
          "Resource": "arn:aws:s3:::${var.bucket_name}/$${aws:username}/*"
        }
      ]
    }
  EOF
}

resource "aws_iam_policy" "reports" {
  name   = "orders-reports"
  policy = data.aws_iam_policy_document.reports.json
}

resource "aws_iam_role_policy_attachment" "reports" {
  role       = aws_iam_role.orders.name
  policy_arn = aws_iam_policy.reports.arn
}

resource "aws_iam_policy" "logs" {
  name   = "orders-logs"
  policy = file("${path.module}/policies/logs.json")
}

resource "aws_iam_policy" "dynamic" {
  name   = "orders-dynamic"
  policy = data.aws_iam_policy_document.dynamic.json
}
