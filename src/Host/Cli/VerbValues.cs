using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace VirtualBranch.Host.Cli;

/// <summary>The values the verbs share, each read with a sentence that says what was expected when it is malformed.</summary>
internal static class VerbValues
{
    public static Argument<Guid> CaseId(string description) => new("caseId")
    {
        Description = description,
        CustomParser = result => ParseCaseId(result) ?? default,
    };

    /// <summary>A case id that may be left out (for a verb with another way to name its cases).</summary>
    public static Argument<Guid?> OptionalCaseId(string description) => new("caseId")
    {
        Description = description,
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = ParseCaseId,
    };

    public static Argument<string> File(string name, string description) => new(name) { Description = description };

    public static Option<string?> Out(string description) => new("--out") { Description = description, HelpName = "file" };

    public static Option<long?> Version(string description) => new("--version")
    {
        Description = description,
        HelpName = "N",
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version >= 1)
            {
                return version;
            }
            result.AddError($"--version takes a whole number from 1, not '{text}'.");
            return null;
        },
    };

    public static Option<(long Number, string Hash)?> KnownCheckpoint(string description) => new("--known")
    {
        Description = description,
        HelpName = "N:hash",
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (Integrity.Checkpoints.CheckpointsApi.TryParseKnown(text, out var known))
            {
                return known;
            }
            result.AddError($"--known takes the checkpoint you kept as <number>:<SHA-256 hash>, e.g. 12:9f86d0…, not '{text}'.");
            return null;
        },
    };

    private static Guid? ParseCaseId(ArgumentResult result)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }
        var text = result.Tokens[0].Value;
        if (Guid.TryParse(text, out var id))
        {
            return id;
        }
        result.AddError($"'{text}' is not a case id (a GUID such as 01a215c3-716f-7eb4-8342-82bc49dd948e).");
        return null;
    }
}
