using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Workflows.Media;

namespace VirtualBranch.Workflows.ESign;

/// <summary>
/// Renders the contract from the definition's template with the case data, shows it to the customer, takes the
/// customer's consent in their session, then the bank seals it: PDF SHA-256 plus a detached CMS signature.
/// </summary>
public sealed partial class ESignature : IActivity
{
    public const string TypeName = "e-signature";
    public const string Signed = "signed";
    public const string Declined = "declined";

    private static readonly JsonElement ConsentForm = ActivityContextExtensions.Schema("""
        { "type": "object", "required": ["consent"], "properties": { "consent": { "type": "boolean", "title": "我已阅读并同意签署 / I have read the contract and sign it" } } }
        """);

    public static readonly JsonElement SealForm = ActivityContextExtensions.Schema("""
        { "type": "object", "required": ["pdfSha256", "pdfSize", "signatureSha256", "signatureSize", "signer", "signerCertificate"], "properties": {
          "pdfSha256": { "type": "string", "pattern": "^[0-9a-f]{64}$" }, "pdfSize": { "type": "integer", "minimum": 1 },
          "signatureSha256": { "type": "string", "pattern": "^[0-9a-f]{64}$" }, "signatureSize": { "type": "integer", "minimum": 1 },
          "signer": { "type": "string", "x-personal": true }, "signerCertificate": { "type": "string" } } }
        """);

    public ActivityDescriptor Descriptor { get; } = new(TypeName, "E-signature", "Shows the contract rendered from a template, takes the customer's consent and seals the signed PDF.",
        [new("title", InputKind.Text, true, "The contract's title."), new("template", InputKind.Text, true, "Contract text; {{data.field}} inserts case data."), Recorded.Input],
        [Signed, Declined], Waits: true, DefaultRole: Roles.Customer);

    public ActivityResult Execute(ActivityContext context)
    {
        var text = Render(context);
        return ActivityResult.Wait(new BookmarkRequest(Roles.Customer, ConsentForm),
            new ContractPresented(context.StepId, context.Node.Text("title")!, text, Sha(text), context.Now));
    }

    public ActivityResult Resume(ActivityContext context, ResumeInput input)
    {
        var text = Render(context);
        if (context.State.Fact($"contractConsent:{context.StepId}") is null)
        {
            if (Recorded.Require(context, byDefault: true) is { } refused)
            {
                return refused;
            }
            var errors = context.Schemas.Validate(ConsentForm, input.Input);
            if (errors.Count > 0)
            {
                return new ActivityResult.Rejected(errors);
            }
            return input.Input.GetProperty("consent").GetBoolean()
                ? new ActivityResult.Waiting(new BookmarkRequest(Roles.System, SealForm),
                    [new ContractConsentGiven(context.StepId, input.Actor.Id, Sha(text), context.Now),
                     new ContractSigningRequested(context.State.Id, context.BookmarkId(), context.Node.Text("title")!, text, input.Actor.Id, context.Now)])
                : ActivityResult.Complete(Declined, null, new ContractDeclined(context.StepId, Sha(text), context.Now));
        }
        var sealErrors = context.Schemas.Validate(SealForm, input.Input);
        if (sealErrors.Count > 0)
        {
            return new ActivityResult.Rejected(sealErrors);
        }
        var seal = input.Input;
        return ActivityResult.Complete(Signed, null, new ContractSigned(context.StepId,
            [new EvidenceFile("contract", seal.Text("pdfSha256")!, seal.GetProperty("pdfSize").GetInt64(), "application/pdf"),
             new EvidenceFile("contract-signature", seal.Text("signatureSha256")!, seal.GetProperty("signatureSize").GetInt64(), "application/pkcs7-signature")],
            seal.Text("signer")!, seal.Text("signerCertificate")!, Sha(text), context.Now));
    }

    /// <summary>The template with <c>{{data.field}}</c> and <c>{{vars.name}}</c> replaced; unknown fields stay visible as they are.</summary>
    public static string Render(ActivityContext context) =>
        Placeholder().Replace(context.Node.Text("template")!, match =>
        {
            var source = match.Groups[1].Value == "data" ? context.State.Data
                : context.State.Variables.Count > 0 ? JsonSerializer.SerializeToElement(context.State.Variables) : default;
            return source.ValueKind == JsonValueKind.Object && source.TryGetProperty(match.Groups[2].Value, out var value)
                ? value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()
                : match.Value;
        });

    private static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [GeneratedRegex(@"\{\{\s*(data|vars)\.([A-Za-z0-9_]+)\s*\}\}")]
    private static partial Regex Placeholder();
}
