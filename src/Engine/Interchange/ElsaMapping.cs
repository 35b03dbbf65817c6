using System.Text.RegularExpressions;

namespace VirtualBranch.Engine.Interchange;

/// <summary>How Elsa 3's flowchart activities and ports correspond to ours (documented in the README).</summary>
public static partial class ElsaMapping
{
    public const string CustomPrefix = "VirtualBranch.";

    /// <summary>Elsa type → our type, for the activities that have a counterpart.</summary>
    public static readonly IReadOnlyDictionary<string, string> Types = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Elsa.Start"] = "start",
        ["Elsa.End"] = "end",
        ["Elsa.Complete"] = "end",
        ["Elsa.Finish"] = "end",
        ["Elsa.Fault"] = "end",
        ["Elsa.WriteLine"] = "note",
        ["Elsa.SetVariable"] = "set-variable",
        ["Elsa.FlowDecision"] = "decision",
        ["Elsa.FlowSwitch"] = "switch",
        ["Elsa.FlowFork"] = "fork",
        ["Elsa.FlowJoin"] = "join",
        ["Elsa.Delay"] = "timer",
        ["Elsa.Timer"] = "timer",
        ["Elsa.Event"] = "wait-for-signal",
    };

    /// <summary>Why the well-known Elsa activities without a counterpart cannot be converted.</summary>
    public static readonly IReadOnlyDictionary<string, string> Unsupported = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Elsa.HttpEndpoint"] = "HTTP endpoints have no counterpart: cases start through the case API (POST /api/cases)",
        ["Elsa.SendHttpRequest"] = "HTTP requests from a definition are not allowed: steps that need the outside world are activities with intents",
        ["Elsa.WriteHttpResponse"] = "HTTP responses have no counterpart",
        ["Elsa.RunCSharp"] = "C# scripts are not allowed: expressions are sandboxed JavaScript",
        ["Elsa.RunJavaScript"] = "free-standing scripts are not allowed: use set-variable with an expression",
        ["Elsa.SendEmail"] = "e-mail has no counterpart",
        ["Elsa.Cron"] = "recurring triggers have no counterpart: a case has one start",
    };

    /// <summary>Our outcome name for an Elsa port.</summary>
    public static string Outcome(string ourType, string port) => (ourType, port) switch
    {
        ("timer", "Done") => "elapsed",
        ("wait-for-signal", "Done") => "received",
        (_, "Done") => "done",
        (_, "True") => "true",
        (_, "False") => "false",
        (_, "Default") => "default",
        _ => port,
    };

    /// <summary>The Elsa port for one of our outcomes.</summary>
    public static string Port(string ourType, string outcome) => (ourType, outcome) switch
    {
        ("timer", "elapsed") => "Done",
        ("wait-for-signal", "received") => "Done",
        (_, "done") => "Done",
        ("decision", "true") => "True",
        ("decision", "false") => "False",
        ("switch", "default") => "Default",
        _ => outcome,
    };

    /// <summary>Elsa's JavaScript reads variables and inputs through functions; ours reads vars and data.</summary>
    public static string Expression(string elsa) =>
        InputFunction().Replace(VariableFunction().Replace(elsa.Replace("variables.", "vars.", StringComparison.Ordinal), "vars.$1"), "data.$1");

    [GeneratedRegex("""getVariable\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*\)""")]
    private static partial Regex VariableFunction();

    [GeneratedRegex("""getInput\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*\)""")]
    private static partial Regex InputFunction();
}
