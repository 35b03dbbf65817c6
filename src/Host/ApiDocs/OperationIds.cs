using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace VirtualBranch.Host.ApiDocs;

/// <summary>
/// Every operation has an id, the method name a generated client gets: the endpoint's name (<c>WithName</c>) where it has
/// one, otherwise one made from the method and the path, so it stays the same from build to build.
/// </summary>
public sealed partial class OperationIds : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.OperationId ??= Derived(context.Description.HttpMethod ?? "ANY", context.Description.RelativePath ?? "");
        return Task.CompletedTask;
    }

    /// <summary><c>GET api/cases/{id}/events</c> → <c>GetApiCasesIdEvents</c>.</summary>
    public static string Derived(string method, string path) =>
        CultureInfo.InvariantCulture.TextInfo.ToTitleCase(method.ToLowerInvariant())
        + string.Concat(Words().Matches(Constraint().Replace(path, "")).Select(w => char.ToUpperInvariant(w.Value[0]) + w.Value[1..]));

    [GeneratedRegex(":[^}]*")]
    private static partial Regex Constraint();

    [GeneratedRegex("[A-Za-z0-9]+")]
    private static partial Regex Words();
}
