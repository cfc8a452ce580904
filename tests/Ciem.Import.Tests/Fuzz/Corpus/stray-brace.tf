resource "aws_iam_role" "r" {
  name = "r"
}
}
]
)
resource "aws_iam_role_policy" "p" {
  role = "r"
  policy = jsonencode({ Statement = [] })
}
