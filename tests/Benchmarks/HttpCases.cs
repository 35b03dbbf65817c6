using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Cases;
using VirtualBranch.Workflows.Willingness;

namespace VirtualBranch.Benchmarks;

/// <summary>
/// Carries out the loan case's commands through the HTTP API over loopback TCP, as the pages do: the teller opens
/// and works the case with a bearer token, the customer joins through a single-use link sent to their phone, with a
/// one-time code, and confirms their consents with a fresh code, documents are uploaded as multipart files, and the willingness script is read from the workbench view
/// as the teller page reads it. The answers of systems (e-sign provider, media seal) never come over HTTP in the
/// Host either: they are resumed in process, as the intent handlers do.
/// </summary>
/// With two Hosts (<paramref name="hosts"/>), each case is spread as a load balancer would: the teller's requests to one,
/// the customer's (codes, session, consents) and the uploads to the other, taking turns case by case.
public sealed class HttpCases(IReadOnlyList<Uri> hosts, TellerToken teller, CaseCommandService inProcess, BenchmarkPhone phone)
{
    private readonly HttpClient[] _hosts = [.. hosts.Select(address => new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
    {
        BaseAddress = address,
    })];

    /// <summary>Per case the driver runs: the id the API gave it and the customer's token.</summary>
    private readonly ConcurrentDictionary<Guid, (Guid ApiId, string? CustomerToken)> _cases = new();

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public CommandExecutor Executor => ExecuteAsync;

    /// <summary>Cases the API opened for the driver's ids (to check they completed).</summary>
    public IEnumerable<Guid> Opened => _cases.Values.Select(c => c.ApiId);

    private HttpClient TellerHost(Guid caseId) => _hosts[(caseId.GetHashCode() & int.MaxValue) % _hosts.Length];

    private HttpClient CustomerHost(Guid caseId) => _hosts[((caseId.GetHashCode() & int.MaxValue) + 1) % _hosts.Length];

    private async Task<CommandOutcome> ExecuteAsync(Guid caseId, CaseCommand command, RequestContext request, WorkflowDefinition? open)
    {
        var (tellerHost, customerHost) = (TellerHost(caseId), CustomerHost(caseId));
        switch (command)
        {
            case OpenCase opening:
            {
                var body = await SendAsync<JsonElement>(tellerHost, HttpMethod.Post, "/api/cases", await teller.CurrentAsync(),
                    JsonContent.Create(new { definitionId = open!.Id, data = opening.Data }));
                var apiId = body.GetProperty("id").GetGuid();
                await SendAsync<JsonElement>(tellerHost, HttpMethod.Post, $"/api/cases/{apiId}/customer-link", await teller.CurrentAsync(), null);
                var code = phone.LinkCode(apiId);
                await SendAsync<JsonElement>(customerHost, HttpMethod.Post, "/api/customer/code", null, JsonContent.Create(new { caseId = apiId, code }));
                var session = await SendAsync<JsonElement>(customerHost, HttpMethod.Post, "/api/customer/session", null,
                    JsonContent.Create(new { caseId = apiId, code, otp = phone.Code(apiId) }));
                _cases[caseId] = (apiId, session.GetProperty("token").GetString());
                return Done([]);
            }
            case IssueCustomerLink or RecordLinkDelivery or RedeemCustomerLink:
                return Done([]); // the customer-link endpoints sent, delivered and opened the link with the case
            case ResumeBookmark { Actor.Id: "document-upload" } signal:
            {
                var (apiId, _) = _cases[caseId];
                var kind = signal.Input.GetProperty("kind").GetString()!;
                using var form = new MultipartFormDataContent();
                form.Add(new StringContent(kind), "kind");
                // The Host checks the content's first bytes against the claimed type: a real signature, then random bytes so every file is new.
                byte[] magic = kind == "id-card" ? [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] : "%PDF-"u8.ToArray();
                var file = new ByteArrayContent([.. magic, .. global::System.Security.Cryptography.RandomNumberGenerator.GetBytes(2048)]);
                file.Headers.ContentType = new MediaTypeHeaderValue(kind == "id-card" ? "image/png" : "application/pdf");
                form.Add(file, "file", kind == "id-card" ? "id-card.png" : $"{kind}.pdf");
                await SendAsync<JsonElement>(customerHost, HttpMethod.Post, $"/api/cases/{apiId}/documents", await teller.CurrentAsync(), form);
                return Done([]);
            }
            case ResumeBookmark resume when resume.Actor.Role == "system":
            {
                var outcome = await inProcess.ExecuteAsync(_cases[caseId].ApiId, resume, request, CancellationToken.None);
                return outcome;
            }
            case ResumeBookmark resume:
            {
                var (apiId, customerToken) = _cases[caseId];
                var customer = resume.Actor.Role == "customer";
                var token = customer ? customerToken : await teller.CurrentAsync();
                string? confirmation = null;
                if (customer)
                {
                    // The customer's consent carries a fresh code sent to their phone.
                    await SendAsync<JsonElement>(customerHost, HttpMethod.Post, $"/api/cases/{apiId}/bookmarks/{resume.BookmarkId}/confirmation", token, null);
                    confirmation = phone.Code(apiId);
                }
                var body = await SendAsync<JsonElement>(customer ? customerHost : tellerHost, HttpMethod.Post, $"/api/cases/{apiId}/bookmarks/{resume.BookmarkId}", token,
                    JsonContent.Create(new { input = resume.Input, confirmation }));
                var waitsForScript = body.GetProperty("waiting").EnumerateArray().Any(w => w.GetProperty("activityType").GetString() == "willingness-confirmation");
                return Done(waitsForScript ? [await ScriptAsync(tellerHost, apiId)] : []);
            }
            default:
                throw new NotSupportedException($"The HTTP driver does not send {command.GetType().Name}.");
        }
    }

    /// <summary>The willingness script the teller reads out, from the workbench view (as the teller page finds it; the read is access-logged).</summary>
    private async Task<object> ScriptAsync(HttpClient tellerHost, Guid apiId)
    {
        var view = await SendAsync<JsonElement>(tellerHost, HttpMethod.Get, $"/api/cases/{apiId}/workbench", await teller.CurrentAsync(), null);
        var script = view.GetProperty("scripts").EnumerateArray().Last();
        return new WillingnessScriptPresented(script.GetProperty("stepId").GetString()!,
            [.. script.GetProperty("questions").EnumerateArray().Select(q => q.Deserialize<WillingnessQuestion>(Web)!)], default);
    }

    private static async Task<T> SendAsync<T>(HttpClient host, HttpMethod method, string path, string? token, HttpContent? content)
    {
        using var message = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await host.SendAsync(message);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        return (await response.Content.ReadFromJsonAsync<T>(Web))!;
    }

    private static CommandOutcome Done(IReadOnlyList<object> events) => new(null, events, null);
}
