resource "aws_iam_policy" "reports" {
  name   = "reports"
  policy = jsonencode({ Version = "2012-10-17", Statement = [] })
}
resource "aws_iam_policy" "reports" {
  name   = "reports"
  policy = jsonencode({ Version = "2012-10-17", Statement = [] })
}
data "aws_iam_policy_document" "d" {}
data "aws_iam_policy_document" "d" {}
