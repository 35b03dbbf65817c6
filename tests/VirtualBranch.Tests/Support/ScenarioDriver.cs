using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Shouldly;

namespace VirtualBranch.Tests.Support;

/// <summary>
/// Drives a banking case the way its people would: reads what the case waits for and answers as the teller,
/// the customer (through the customer link) or a supervisor, uploading a generated recording and documents.
/// </summary>
public sealed class ScenarioDriver
{
    private readonly HttpClient _teller;
    private readonly HttpClient _approver;
    private readonly HttpClient _customer;

    private readonly CustomerPhone _phone;

    private ScenarioDriver(HostFixture host, HttpClient teller, HttpClient approver, HttpClient customer, Guid caseId, JsonElement data, JsonElement definition)
    {
        _phone = new CustomerPhone(host);
        Definition = definition;
        _teller = teller;
        _approver = approver;
        _customer = customer;
        CaseId = caseId;
        Data = data;
    }

    public Guid CaseId { get; }

    /// <summary>The exact definition version the case runs on.</summary>
    public JsonElement Definition { get; }

    public JsonElement Data { get; }

    public byte[] Recording { get; } = TestMedia.Webm(seconds: 3);

    public Guid? RecordingId { get; private set; }

    public List<string> Documents { get; } = [];

    /// <summary>Whether the teller's recorder uploads the recording when the customer consents (false: a camera that sent nothing).</summary>
    public bool UploadsRecording { get; set; } = true;

    /// <summary>Human answers per step id that override the defaults (e.g. a willingness answer that declines).</summary>
    public Dictionary<string, object> Overrides { get; } = [];

    public static async Task<ScenarioDriver> OpenAsync(HostFixture host, string definitionId, object data, string opener = "teller", string approver = "supervisor2")
    {
        var teller = await host.ClientFor(opener);
        var opened = await teller.OpenCase(definitionId, data);
        var customer = await CustomerAsync(host, teller, opened.Id());
        var definition = await teller.GetFromJsonAsync<JsonElement>(
            $"/api/definitions/{definitionId}/versions/{opened.GetProperty("definitionVersion").GetInt32()}");
        var worker = opener == "teller" ? teller : await host.ClientFor("teller");
        return new ScenarioDriver(host, worker, await host.ClientFor(approver), customer, opened.Id(), opened.GetProperty("data").Clone(), definition);
    }

    /// <summary>The teller sends the case's customer link; the customer's phone opens it with the one-time code.</summary>
    public static async Task<HttpClient> CustomerAsync(HostFixture host, HttpClient teller, Guid caseId)
    {
        var sent = await teller.PostAsync($"/api/cases/{caseId}/customer-link", null);
        sent.StatusCode.ShouldBe(HttpStatusCode.OK, await sent.Content.ReadAsStringAsync());
        return await new CustomerPhone(host).OpenLinkAsync(caseId);
    }

    /// <summary>Answers every waiting step until the case closes; steps only a system can resume are left to the Host.</summary>
    public async Task<JsonElement> RunToEndAsync(string? stopBeforeStep = null)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (DateTime.UtcNow < until)
        {
            var body = await _teller.GetCase(CaseId);
            if (body.GetProperty("status").GetString() is not "running")
            {
                return body;
            }
            var acted = false;
            foreach (var waiting in body.GetProperty("waiting").EnumerateArray().ToList())
            {
                var step = waiting.GetProperty("stepId").GetString()!;
                if (step == stopBeforeStep)
                {
                    return body;
                }
                acted |= await ActAsync(waiting);
            }
            if (!acted)
            {
                await Task.Delay(150);
            }
        }
        throw new ShouldAssertException($"Case {CaseId} did not finish: {await _teller.GetCase(CaseId)}");
    }

    private async Task<bool> ActAsync(JsonElement waiting)
    {
        var bookmark = waiting.GetProperty("bookmarkId").GetString()!;
        var step = waiting.GetProperty("stepId").GetString()!;
        var type = waiting.GetProperty("activityType").GetString()!;
        if (Overrides.TryGetValue(step, out var given))
        {
            Overrides.Remove(step);
            await Resume(ClientFor(waiting), bookmark, given);
            return true;
        }
        switch (type)
        {
            case "video-session":
                object[] people = Data.TryGetProperty("assisted", out var a) && a.GetBoolean()
                    ? [new { role = "teller", name = "柜员李" }, new { role = "customer", name = Name }, new { role = "relative", name = "王小明" }]
                    : [new { role = "teller", name = "柜员李" }, new { role = "customer", name = Name }];
                await Resume(_teller, bookmark, new { participants = people });
                return true;
            case "start-recording":
                await Resume(_customer, bookmark, new { consent = true });
                if (UploadsRecording)
                {
                    await UploadRecordingAsync();
                }
                return true;
            case "identity-check":
                await Resume(_teller, bookmark, new { name = Name, idNumber = Data.GetProperty("idNumber").GetString(), idExpiry = "2036-01-01", faceMatch = true });
                return true;
            case "willingness-confirmation":
                await Resume(_teller, bookmark, new { answers = await ScriptAnswersAsync(step) });
                return true;
            case "document-collection":
                await UploadDocumentsAsync(step);
                return true;
            case "due-diligence":
                await Resume(_teller, bookmark, new { answers = Fill(waiting.GetProperty("inputSchema").GetProperty("properties").GetProperty("answers")), findings = "无异常 / Nothing unusual", riskRating = "low" });
                return true;
            case "approval":
                await Resume(_approver, bookmark, new { decision = "approve", reason = "资料齐全 / Complete file" });
                return true;
            case "e-signature" when waiting.GetProperty("role").GetString() == "customer":
                await Resume(_customer, bookmark, new { consent = true });
                return true;
            case "human-task":
                await Resume(_teller, bookmark, Fill(waiting.GetProperty("inputSchema")));
                return true;
            default:
                return false; // a timer or a step the Host answers (sealing)
        }
    }

    public async Task UploadRecordingAsync()
    {
        var view = await _teller.GetFromJsonAsync<JsonElement>($"/api/cases/{CaseId}/workbench");
        RecordingId = view.GetProperty("recording").GetProperty("recordingId").GetGuid();
        var chunks = Recording.Chunk(1000).ToList();
        for (var i = 0; i < chunks.Count; i++)
        {
            var response = await _customer.SendAsync(TestMedia.ChunkRequest(RecordingId.Value, i, chunks[i]));
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }
    }

    public async Task<HttpResponseMessage> UploadAsync(HttpClient client, string kind, byte[] bytes, string mediaType, string fileName)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(kind), "kind");
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        form.Add(file, "file", fileName);
        return await client.PostAsync($"/api/cases/{CaseId}/documents", form);
    }

    public HttpClient Customer => _customer;

    public HttpClient Teller => _teller;

    public HttpClient Approver => _approver;

    private async Task UploadDocumentsAsync(string step)
    {
        var activity = Definition.GetProperty("activities").EnumerateArray().Single(a => a.GetProperty("id").GetString() == step);
        byte seed = 1;
        foreach (var item in activity.GetProperty("inputs").GetProperty("checklist").EnumerateArray())
        {
            var kind = item.GetProperty("kind").GetString()!;
            var types = item.GetProperty("mediaTypes").EnumerateArray().Select(t => t.GetString()!).ToList();
            var (bytes, type, name) = types.Contains("image/png") ? (TestMedia.Png(seed++), "image/png", $"{kind}.png") : (TestMedia.Pdf(kind), "application/pdf", $"{kind}.pdf");
            var response = await UploadAsync(type.StartsWith("image", StringComparison.Ordinal) ? _customer : _teller, kind, bytes, type, name);
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            Documents.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sha256").GetString()!);
        }
    }

    private async Task<object[]> ScriptAnswersAsync(string step)
    {
        var view = await _teller.GetFromJsonAsync<JsonElement>($"/api/cases/{CaseId}/workbench");
        var script = view.GetProperty("scripts").EnumerateArray().Single(s => s.GetProperty("stepId").GetString() == step);
        return [.. script.GetProperty("questions").EnumerateArray().Select((q, i) => (object)new
        {
            questionId = q.GetProperty("id").GetString(), answer = q.GetProperty("expected").GetString(), offsetMs = 5_000 + i * 7_000,
        })];
    }

    private HttpClient ClientFor(JsonElement waiting) => waiting.GetProperty("role").GetString() switch
    {
        "customer" => _customer,
        "supervisor" => _approver,
        _ => _teller,
    };

    private string Name => Data.GetProperty("customerName").GetString()!;

    private async Task Resume(HttpClient client, string bookmark, object input)
    {
        var response = client == _customer ? await _phone.ConfirmAsync(client, CaseId, bookmark, input) : await client.Resume(CaseId, bookmark, input);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{bookmark}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A value for each required property of a form: true for booleans, the largest allowed integer, text otherwise.</summary>
    public static Dictionary<string, object> Fill(JsonElement schema)
    {
        var values = new Dictionary<string, object>();
        var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()!).ToHashSet() : [];
        foreach (var property in schema.GetProperty("properties").EnumerateObject().Where(p => required.Contains(p.Name)))
        {
            var type = property.Value.TryGetProperty("type", out var t) ? t.GetString() : "string";
            values[property.Name] = type switch
            {
                "boolean" => true,
                "integer" => property.Value.TryGetProperty("maximum", out var max) ? max.GetInt32() : 1,
                "number" => 10_000,
                _ => "示例 / example",
            };
        }
        return values;
    }
}
