resource "aws_iam_policy" "p" {
  policy = jsonencode([[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]])
}
resource "aws_iam_role" "r" {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
inline_policy {
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
