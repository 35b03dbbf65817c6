using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace VirtualBranch.Host.ApiDocs;

/// <summary>One sentence per tag, so a reader of the reference (and of a generated client) knows what each group is for.</summary>
public sealed class TagDescriptions : IOpenApiDocumentTransformer
{
    /// <summary>Every tag an endpoint uses; a tag missing here fails the contract's lint test.</summary>
    public static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Auth"] = "Signing in and out: tokens for programs, a session cookie for the pages, password changes.",
        ["Definitions"] = "The published scenarios (workflow definitions): listing, validating, publishing, diffs and diagrams.",
        ["Cases"] = "Opening a case, reading it and its queue, and the commands that move it on: resume, signal, cancel, retry.",
        ["Evidence"] = "What regulators and supervisors check: events, state at a version, hash chains, exports, checkpoints, legal holds.",
        ["Timestamps"] = "The Host's RFC 3161 timestamp authority.",
        ["Documents"] = "Documents the customer hands in for a case, stored content-addressed.",
        ["Media"] = "The video session: WebRTC configuration, recording uploads and playback, disruptions.",
        ["Customers"] = "The customer's link, one-time codes and session, and invited participants.",
        ["Workbench"] = "Views made for the pages: the teller's and the customer's view of a case, and taking the next case.",
        ["Security"] = "Reports browsers send when a page breaks its Content-Security-Policy.",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            if (tag.Name is { } name && Descriptions.TryGetValue(name, out var description))
            {
                tag.Description = description;
            }
        }
        return Task.CompletedTask;
    }
}
