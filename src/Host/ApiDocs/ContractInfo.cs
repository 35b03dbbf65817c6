using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace VirtualBranch.Host.ApiDocs;

/// <summary>
/// What the contract is and under which terms. The server is "/", the Host that serves the document: each bank runs it
/// at its own address, and a document that named the address it was fetched from would differ from one Host to the next.
/// </summary>
public sealed class ContractInfo : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "VirtualBranch API",
            Version = "v1",
            Description = "Remote video banking cases: open a case on a published definition, answer what it waits for, read its evidence. " +
                "Every refusal is `application/problem+json`. Sign in with `POST /api/auth/token` and send `Authorization: Bearer <accessToken>`.",
            // Not open source: SPDX names a license of one's own LicenseRef-<id>.
            License = new OpenApiLicense { Name = "Proprietary", Identifier = "LicenseRef-Proprietary" },
        };
        document.Servers = [new OpenApiServer { Url = "/", Description = "The Host that serves this document." }];
        return Task.CompletedTask;
    }
}
