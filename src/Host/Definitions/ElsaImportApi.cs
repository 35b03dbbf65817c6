using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Interchange;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Problems;

namespace VirtualBranch.Host.Definitions;

/// <summary>The analyst page's Elsa import: what became of each activity, and the converted definition with its problems. Nothing is stored.</summary>
public static class ElsaImportApi
{
    /// <summary>The import's report; <c>Definition</c> is null when something did not carry over and placeholders were not asked for.</summary>
    public sealed record ElsaImportReport(JsonElement? Definition, IReadOnlyList<ElsaActivityReport> Activities, IReadOnlyList<ElsaImportIssue> Issues, PublishingApi.ValidationReport? Validation);

    public static async Task<Results<Ok<ElsaImportReport>, ProblemHttpResult>> Import(HttpRequest request, DefinitionParser parser, bool? partial, CancellationToken cancellation)
    {
        var text = await PublishingApi.Body(request, cancellation);
        if (text is null)
        {
            return ApiProblems.Invalid($"An Elsa workflow is read up to {DefinitionParser.MaxBytes:N0} bytes.", [new("", "Too large.")]);
        }
        var result = ElsaImporter.Import(text, partial ?? false);
        if (!result.Readable)
        {
            return ApiProblems.Invalid("This is not an Elsa workflow definition; nothing was converted.",
                result.Issues.Select(i => new FieldError(i.Path, i.Reason)));
        }
        if (result.Definition is not { } converted)
        {
            return TypedResults.Ok(new ElsaImportReport(null, result.Activities, result.Issues, null));
        }
        var json = converted.ToJsonString();
        var validation = PublishingApi.Report(parser.Read(json), ProblemCatalog.WantsChinese(request.Headers.AcceptLanguage));
        return TypedResults.Ok(new ElsaImportReport(JsonDocument.Parse(json).RootElement.Clone(), result.Activities, result.Issues, validation));
    }
}
