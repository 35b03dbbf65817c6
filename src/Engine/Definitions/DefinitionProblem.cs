namespace VirtualBranch.Engine.Definitions;

/// <summary>One thing wrong with a definition: where (JSON path), what (a stable code) and why (a sentence).</summary>
public sealed record DefinitionProblem(string Path, string Code, string Message)
{
    /// <summary>
    /// The analyst's Chinese sentence for a problem whose check is not the Engine's (a bank's compliance rule brings its
    /// own); the Engine's own codes have theirs in <see cref="ProblemCatalog"/>.
    /// </summary>
    public string? Chinese { get; init; }

    public override string ToString() => $"{Path}: {Message} [{Code}]";
}

/// <summary>The stable problem codes an analyst can look up in the README.</summary>
public static class ProblemCodes
{
    public const string InvalidJson = "invalid-json";
    public const string MissingField = "missing-field";
    public const string WrongType = "wrong-type";
    public const string UnknownPolicy = "unknown-policy";
    public const string UnknownActivityType = "unknown-activity-type";
    public const string DuplicateActivity = "duplicate-activity";
    public const string MissingInput = "missing-input";
    public const string UnknownInput = "unknown-input";
    public const string InputWrongType = "input-wrong-type";
    public const string UnknownOutcome = "unknown-outcome";
    public const string DanglingConnection = "dangling-connection";
    public const string DuplicateConnection = "duplicate-connection";
    public const string UnreachableActivity = "unreachable-activity";
    public const string NoStart = "no-start";
    public const string MultipleStarts = "multiple-starts";
    public const string LoopWithoutWait = "loop-without-wait";
    public const string ExpressionSyntax = "expression-syntax";
    public const string InvalidSchema = "invalid-schema";
    public const string InvalidDuration = "invalid-duration";
    public const string TooLarge = "too-large";
}
