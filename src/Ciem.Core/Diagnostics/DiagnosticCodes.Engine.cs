namespace Ciem.Core.Diagnostics;

public static partial class DiagnosticCodes
{
    // Policy documents: JSON the policy language rejects although JSON parsers accept it (CIEM12xx)
    public const string PolicyDuplicateKey = "CIEM1201";

    // Evaluation fidelity (CIEM21xx)
    public const string EvaluationUnresolvedVariable = "CIEM2101";
    public const string EvaluationUnknownContextKey = "CIEM2102";
    public const string EvaluationResourcePattern = "CIEM2103";
    public const string EvaluationBuiltInRule = "CIEM2104";
}
