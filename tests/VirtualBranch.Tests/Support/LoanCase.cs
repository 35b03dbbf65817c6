using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Workflows.Willingness;

namespace VirtualBranch.Tests.Support;

/// <summary>
/// A loan-face-signing case that needs a supervisor's approval, command by command, with fixed ids, times, answers and
/// files: every run decides the same events. Documents, the contract and the recording are real bytes, so a store that
/// holds them verifies the case with its files.
/// </summary>
public static class LoanCase
{
    public static readonly Guid CaseId = Guid.Parse("0195f3a0-0000-7000-8000-0000000010a0");
    public const string Number = "LFS-2026-000417";
    public const string DefinitionId = "loan-face-signing";
    public const string LinkId = "0195f3a000007000800000000010a0";
    public static readonly DateTimeOffset T0 = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
    public static readonly Actor Teller = new("teller", "teller");
    public static readonly Actor Supervisor = new("supervisor2", "supervisor");
    public static readonly Actor Customer = new($"customer:{CaseId:N}", "customer");
    public static readonly Actor Media = new("media", "system");

    /// <summary>The files the case vouches for: kind → bytes.</summary>
    public static readonly IReadOnlyDictionary<string, byte[]> Files = new Dictionary<string, byte[]>
    {
        ["id-card"] = Encoding.UTF8.GetBytes("id card of 张三, front and back"),
        ["income-proof"] = Encoding.UTF8.GetBytes("%PDF-1.7 income proof of 张三"),
        ["contract"] = Encoding.UTF8.GetBytes("%PDF-1.7 loan contract LFS-2026-000417"),
        ["contract-signature"] = Encoding.UTF8.GetBytes("signature over the loan contract"),
        ["recording"] = Encoding.UTF8.GetBytes("webm segment 0 of the session"),
    };

    public static string Sha256(string kind) => Convert.ToHexStringLower(SHA256.HashData(Files[kind]));

    private static long Size(string kind) => Files[kind].Length;

    private static JsonElement Json(object value) => JsonSerializer.SerializeToElement(value);

    /// <summary>The case's data: a loan large enough to need a supervisor's approval.</summary>
    public static readonly JsonElement Data = Json(new { customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000", loanAmount = 500000, termMonths = 36 });

    /// <summary>Runs the case through <paramref name="execute"/>, which carries out one command and returns the events it appended.</summary>
    public static async Task RunAsync(Func<CaseCommand, Task<IReadOnlyList<object>>> execute)
    {
        var minute = 0;
        DateTimeOffset Next() => T0.AddMinutes(minute++);
        ResumeBookmark Resume(string bookmark, object input, Actor actor) => new(bookmark, Json(input), actor, Next())
        {
            Confirmation = actor == Customer ? new CustomerConfirmation(LinkId, "one-time code via sms") : null,
        };
        ResumeBookmark Document(string kind, string mediaType) => new("documents.1", Json(new
        {
            documentId = new Guid(SHA256.HashData(Files[kind])[..16]), kind, sha256 = Sha256(kind), size = Size(kind), mediaType, fileName = kind, uploadedBy = Teller.Id,
        }), new Actor("document-upload", "system"), Next());

        await execute(new OpenCase(CaseId, Number, Data, Teller, Next()));
        await execute(new IssueCustomerLink(LinkId, "sms", "138****8000", T0.AddHours(2), Teller, Next()));
        await execute(new RecordLinkDelivery(LinkId, "sms", "ref-417", Media, Next()));
        await execute(new RedeemCustomerLink(LinkId, "one-time code via sms", Customer, Next()));
        await execute(Resume("video.1", new { participants = new[] { new { role = "teller", name = "李" }, new { role = "customer", name = "张三" } } }, Teller));
        await execute(Resume("recording.1", new { consent = true }, Customer));
        var identity = await execute(Resume("identity.1", new { name = "张三", idNumber = "11010519491231002X", idExpiry = "2036-01-01", faceMatch = true }, Teller));
        var script = identity.OfType<WillingnessScriptPresented>().Single();
        await execute(Resume("willingness.1", new { answers = script.Questions.Select((q, i) => new { questionId = q.Id, answer = q.Expected, offsetMs = 1000 * (i + 1) }) }, Teller));
        await execute(Document("id-card", "image/png"));
        await execute(Document("income-proof", "application/pdf"));
        await execute(Resume("due-diligence.1", new { answers = new { employer = "示例公司", monthlyIncome = 20000 }, findings = "ok", riskRating = "low" }, Teller));
        await execute(Resume("approval.1", new { decision = "approve", reason = "Income covers the repayments." }, Supervisor));
        await execute(Resume("contract.1", new { consent = true }, Customer));
        await execute(Resume("contract.1", new
        {
            pdfSha256 = Sha256("contract"), pdfSize = Size("contract"), signatureSha256 = Sha256("contract-signature"), signatureSize = Size("contract-signature"),
            signer = Customer.Id, signerCertificate = "test",
        }, Media));
        var end = T0.AddMinutes(minute);
        await execute(Resume("stop-recording.1", new
        {
            mediaType = "video/webm",
            segments = new[] { new { segment = 0, sha256 = Sha256("recording"), size = Size("recording"), chunks = 1, firstChunkAt = T0.AddMinutes(5), lastChunkAt = end } },
        }, Media));
    }
}
