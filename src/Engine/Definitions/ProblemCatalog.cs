namespace VirtualBranch.Engine.Definitions;

/// <summary>
/// The analyst's sentence for each of the Engine's problem codes, in Chinese and English. English keeps the specific
/// sentence the check wrote; Chinese gives the catalogued sentence and the path (the English detail stays alongside).
/// A rule from outside the Engine (the bank's compliance rules in Workflows) gives its sentence with its problem
/// (<see cref="DefinitionProblem.Chinese"/>).
/// </summary>
public static class ProblemCatalog
{
    private static readonly Dictionary<string, string> Chinese = new(StringComparer.Ordinal)
    {
        [ProblemCodes.InvalidJson] = "文本不是有效的 JSON，或嵌套层级过深。",
        [ProblemCodes.TooLarge] = "定义文件过大（上限 1 MB）。",
        [ProblemCodes.MissingField] = "缺少必填字段。",
        [ProblemCodes.WrongType] = "字段的类型或取值不正确。",
        [ProblemCodes.UnknownPolicy] = "没有这个策略（policies）名称。",
        [ProblemCodes.UnknownActivityType] = "未知的活动类型。",
        [ProblemCodes.DuplicateActivity] = "活动编号重复。",
        [ProblemCodes.MissingInput] = "活动缺少必填参数。",
        [ProblemCodes.UnknownInput] = "活动没有这个参数。",
        [ProblemCodes.InputWrongType] = "参数的类型或取值不正确。",
        [ProblemCodes.UnknownOutcome] = "连线引用了该活动没有的结果。",
        [ProblemCodes.DanglingConnection] = "连线指向不存在的活动。",
        [ProblemCodes.DuplicateConnection] = "连线重复。",
        [ProblemCodes.UnreachableActivity] = "从开始节点无法到达该活动。",
        [ProblemCodes.NoStart] = "流程没有开始节点（start）。",
        [ProblemCodes.MultipleStarts] = "流程只能有一个开始节点。",
        [ProblemCodes.LoopWithoutWait] = "循环中没有等待步骤：一条命令内最多执行 maxStepsPerCommand 步（默认 1000），超出则该步失败。",
        [ProblemCodes.ExpressionSyntax] = "表达式无法解析。",
        [ProblemCodes.InvalidSchema] = "JSON Schema 无效。",
        [ProblemCodes.InvalidDuration] = "期限既不是 ISO 8601 时长，也不是表达式。",
    };

    /// <summary>Whether the caller asked for Chinese (an Accept-Language or --lang starting with zh).</summary>
    public static bool WantsChinese(string? language) =>
        language is not null && language.Split(',').FirstOrDefault()?.Trim().StartsWith("zh", StringComparison.OrdinalIgnoreCase) == true;

    public static string Message(DefinitionProblem problem, bool chinese) =>
        chinese && (problem.Chinese ?? Chinese.GetValueOrDefault(problem.Code)) is { } sentence ? $"{problem.Path}：{sentence}" : problem.Message;

    public static IReadOnlyCollection<string> Codes => Chinese.Keys;
}
