using System.Text.Json;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Workflows.Documents;

/// <summary>
/// A checklist of documents (kind, required, allowed media types, maximum size). Uploads arrive only through
/// <c>POST /api/cases/{id}/documents</c>, which checks the media type from the content (<see cref="FileSignature"/>),
/// stores the file and resumes the step as the Host (role system) with the hash of what it stored, so a document fact
/// names a file uploaded to this case; no HTTP signal reaches this step. A type the kind does not accept, an empty or
/// oversized file, an unknown kind or a duplicate is refused. The step completes when every required kind is in.
/// </summary>
public sealed class DocumentCollection : IActivity
{
    public const string TypeName = "document-collection";

    /// <summary>What a kind accepts when its item names no media types: the usual scans and photos of papers.</summary>
    public static readonly IReadOnlyList<string> DefaultMediaTypes = ["image/jpeg", "image/png", "application/pdf"];

    public sealed record ChecklistItem(string Kind, bool Required, IReadOnlyList<string> MediaTypes, long MaxBytes);

    public static readonly JsonElement UploadForm = ActivityContextExtensions.Schema("""
        { "type": "object", "required": ["documentId", "kind", "sha256", "size", "mediaType", "fileName", "uploadedBy"], "properties": {
          "documentId": { "type": "string", "format": "uuid" }, "kind": { "type": "string" }, "sha256": { "type": "string", "pattern": "^[0-9a-f]{64}$" },
          "size": { "type": "integer" }, "mediaType": { "type": "string" }, "fileName": { "type": "string", "x-personal": true }, "uploadedBy": { "type": "string" } } }
        """);

    public ActivityDescriptor Descriptor { get; } = new(TypeName, "Documents", "Collects the listed documents; completes when every required kind is in.",
        [new("checklist", InputKind.Array, true, "[{ \"kind\", \"required\", \"mediaTypes\": [..], \"maxBytes\" }]; mediaTypes, checked against "
            + $"the content, from {string.Join(", ", FileSignature.MediaTypes)} (default {string.Join(", ", DefaultMediaTypes)})")],
        [Outcomes.Done], Waits: true, DefaultRole: Roles.System);

    public ActivityResult Execute(ActivityContext context) =>
        Missing(context).Count == 0 ? ActivityResult.Complete(Outcomes.Done) : Wait();

    public ActivityResult Resume(ActivityContext context, ResumeInput input)
    {
        var errors = context.Schemas.Validate(UploadForm, input.Input);
        if (errors.Count > 0)
        {
            return new ActivityResult.Rejected(errors);
        }
        var upload = input.Input;
        var kind = upload.Text("kind")!;
        var item = Checklist(context.Node).FirstOrDefault(i => i.Kind == kind);
        var size = upload.GetProperty("size").GetInt64();
        var sha = upload.Text("sha256")!;
        var refusal = item is null ? $"'{kind}' is not on this step's checklist ({string.Join(", ", Checklist(context.Node).Select(i => i.Kind))})."
            : size == 0 ? "The file is empty."
            : size > item.MaxBytes ? $"The file is {size:N0} bytes; at most {item.MaxBytes:N0} are accepted for {kind}."
            : !item.MediaTypes.Contains(upload.Text("mediaType")!) ? $"A {kind} must be {string.Join(" or ", item.MediaTypes)}; this file's content is {upload.Text("mediaType")}."
            : context.State.Fact($"document:{sha}") is not null ? "This exact file was already collected for the case."
            : null;
        if (refusal is not null)
        {
            return ActivityResult.Refuse(item is null ? "/kind" : "/file", refusal);
        }
        var collected = new DocumentCollected(context.StepId, Guid.Parse(upload.Text("documentId")!), kind, upload.Text("fileName")!, upload.Text("uploadedBy")!,
            [new EvidenceFile(kind, sha, size, upload.Text("mediaType"))], context.Now);
        var remaining = Missing(context).Where(k => k != kind).ToList();
        return remaining.Count == 0
            ? new ActivityResult.Completed([Outcomes.Done], null, [collected, new DocumentsComplete(context.StepId, [.. Checklist(context.Node).Select(i => i.Kind)], context.Now)])
            : new ActivityResult.Waiting(new BookmarkRequest(Roles.System, UploadForm), [collected]);
    }

    public IEnumerable<DefinitionProblem> Validate(ActivityNode node, string path, DefinitionChecks checks) =>
        Checklist(node) is { Count: > 0 } checklist
            ? checklist.SelectMany(i => i.MediaTypes.Except(FileSignature.MediaTypes).Select(t => new DefinitionProblem($"{path}.inputs.checklist", ProblemCodes.InputWrongType,
                $"'{i.Kind}' accepts {t}, which cannot be checked from a file's content; use {string.Join(", ", FileSignature.MediaTypes)}.")))
            : [new DefinitionProblem($"{path}.inputs.checklist", ProblemCodes.InputWrongType, "Give at least one item as { \"kind\", \"required\", \"mediaTypes\", \"maxBytes\" }.")];

    private static ActivityResult Wait() => ActivityResult.Wait(new BookmarkRequest(Roles.System, UploadForm));

    /// <summary>The document-collection step the case waits on, if any: where an upload goes.</summary>
    public static StepWaiting? Waiting(CaseState state) => state.Bookmarks.Values.FirstOrDefault(b => b.ActivityType == TypeName);

    private static List<string> Missing(ActivityContext context)
    {
        var collected = context.State.Facts.Where(f => f.Key.StartsWith("document:", StringComparison.Ordinal))
            .Select(f => f.Value.Text("Kind")).ToHashSet();
        return [.. Checklist(context.Node).Where(i => i.Required && !collected.Contains(i.Kind)).Select(i => i.Kind)];
    }

    public static IReadOnlyList<ChecklistItem> Checklist(ActivityNode node) =>
        node.Input("checklist") is { ValueKind: JsonValueKind.Array } list
            ? [.. list.EnumerateArray().Where(i => i.Text("kind") is not null).Select(i => new ChecklistItem(
                i.Text("kind")!,
                !i.TryGetProperty("required", out var r) || r.ValueKind != JsonValueKind.False,
                i.TryGetProperty("mediaTypes", out var m) && m.ValueKind == JsonValueKind.Array && m.GetArrayLength() > 0
                    ? [.. m.EnumerateArray().Select(t => t.ValueKind == JsonValueKind.String ? t.GetString()! : t.GetRawText())] : DefaultMediaTypes,
                i.TryGetProperty("maxBytes", out var b) && b.TryGetInt64(out var max) ? max : 10_000_000))]
            : [];
}
