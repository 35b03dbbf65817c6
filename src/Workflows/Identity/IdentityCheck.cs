using System.Globalization;
using System.Text.Json;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Workflows.Media;

namespace VirtualBranch.Workflows.Identity;

/// <summary>
/// Financial-grade identity check on camera: the customer's resident id (GB 11643 check digit, birth date), the
/// document's expiry, and the face match (the teller's attestation by default). Outcomes verified, retry, rejected.
/// </summary>
public sealed class IdentityCheck(IIdentityVerifier verifier) : IActivity
{
    public const string TypeName = "identity-check";
    public const string Verified = "verified";
    public const string Retry = "retry";
    public const string Rejected = "rejected";

    private static readonly JsonElement Form = ActivityContextExtensions.Schema("""
        { "type": "object", "required": ["name", "idNumber", "idExpiry", "faceMatch"], "properties": {
          "name": { "type": "string", "minLength": 1, "title": "姓名 / Name", "examples": ["张三"], "x-personal": true },
          "idNumber": { "type": "string", "format": "cn-resident-id", "title": "身份证号 / Resident id number", "examples": ["11010519491231002X"] },
          "idExpiry": { "type": "string", "format": "iso-date", "title": "证件有效期至 / Valid until", "examples": ["2036-01-01"] },
          "faceMatch": { "type": "boolean", "title": "人脸与证件一致 / Face matches the document" } } }
        """);

    public ActivityDescriptor Descriptor { get; } = new(TypeName, "Identity", "Checks the customer's identity document and face on camera.",
        [Recorded.Input, new("maxAttempts", InputKind.Integer, false, "How many failed attempts before the outcome is rejected (default 3)."),
         new("deadline", InputKind.Duration, false, "How long the step may wait.")],
        [Verified, Retry, Rejected, Outcomes.Expired], Waits: true, DefaultRole: Roles.Teller);

    public ActivityResult Execute(ActivityContext context) =>
        ActivityResult.Wait(new BookmarkRequest(Roles.Teller, Form, context.Deadline("deadline"), Outcomes.Expired));

    public ActivityResult Resume(ActivityContext context, ResumeInput input)
    {
        if (Recorded.Require(context, byDefault: true) is { } refused)
        {
            return refused;
        }
        var errors = context.Schemas.Validate(Form, input.Input);
        if (errors.Count > 0)
        {
            return new ActivityResult.Rejected(errors);
        }
        var data = input.Input;
        var claim = new IdentityClaim(data.Text("name")!, data.Text("idNumber")!,
            DateOnly.ParseExact(data.Text("idExpiry")!, "yyyy-MM-dd", CultureInfo.InvariantCulture), data.GetProperty("faceMatch").GetBoolean(),
            DateOnly.FromDateTime(context.Now.UtcDateTime));
        var verdict = verifier.Verify(claim);
        if (verdict.Verified)
        {
            return ActivityResult.Complete(Verified, null, new IdentityVerified(context.StepId, claim.Name, claim.IdNumber, data.Text("idExpiry")!,
                verdict.Method, input.Actor.Id, Recorded.Current(context), context.Now));
        }
        var attempt = (context.State.Fact($"identityAttempts:{context.StepId}")?.GetInt32() ?? 0) + 1;
        return attempt < context.Integer("maxAttempts", 3)
            ? ActivityResult.Complete(Retry, null, new IdentityRetryRequested(context.StepId, attempt, verdict.Reason!, context.Now))
            : ActivityResult.Complete(Rejected, null, new IdentityRejected(context.StepId, verdict.Reason!, attempt, context.Now));
    }
}
