using System.Net.Http.Json;
using System.Text.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Shouldly;
using VirtualBranch.Tests.Support;
using static VirtualBranch.Tests.Support.PageSteps;

namespace VirtualBranch.Tests.Workbench;

/// <summary>A teller and a customer, in two browser contexts, complete a loan face signing by clicking through the pages.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WorkbenchTests(BrowserHostFixture host, BrowserFixture browser) : IClassFixture<BrowserHostFixture>
{
    private static async Task NoSeriousViolations(IPage page)
    {
        var axe = await page.RunAxe();
        axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Html).Take(2))})").ShouldBeEmpty();
    }

    [Fact]
    public async Task a_forms_fields_keep_their_order_whatever_order_the_stored_schema_has()
    {
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = host.BaseAddress!.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/teller/");
        // The identity form as PostgreSQL's jsonb gives it back: keys by length, then bytes; arrays as they were.
        var paths = await page.EvaluateAsync<string[]>("""
            () => {
              const div = document.createElement("div");
              vbForms.render(div, { type: "object", required: ["name", "idNumber", "idExpiry", "faceMatch", "extra"], properties: {
                note: { type: "string" }, name: { type: "string" }, extra: { type: "object", required: ["b", "a"], properties: { a: { type: "string" }, b: { type: "string" } } },
                idExpiry: { type: "string" }, idNumber: { type: "string" }, faceMatch: { type: "boolean" } } });
              return [...div.querySelectorAll("[data-path]")].map((i) => i.dataset.path);
            }
            """);
        paths.ShouldBe(["/name", "/idNumber", "/idExpiry", "/faceMatch", "/extra/b", "/extra/a", "/note"]);
    }

    [Fact]
    public async Task a_page_refresh_asked_for_while_one_runs_never_overlaps_it_and_runs_once_more_after_it()
    {
        // Two overlapping refreshes can finish out of order: the older view then replaces the newer one, and a page that
        // asks "changed since the version shown?" is told no and keeps the stale steps.
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = host.BaseAddress!.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/teller/");
        var log = await page.EvaluateAsync<string[]>("""
            async () => {
              const log = [], gates = []; let running = 0;
              const refresh = vb.serial(async () => {
                running++; log.push(`start ${running}`);
                await new Promise((open) => gates.push(open));
                log.push("end"); running--;
              });
              const reached = async (n) => { while (gates.length < n) await new Promise((r) => setTimeout(r, 0)); };
              const first = refresh(), second = refresh(), third = refresh();
              await reached(1); gates[0](); await reached(2); gates[1]();
              await Promise.all([first, second, third]);
              log.push(`one promise: ${first === second && second === third}`);
              const later = refresh(); await reached(3); gates[2](); await later;
              return log;
            }
            """);
        log.ShouldBe(["start 1", "end", "start 1", "end", "one promise: true", "start 1", "end"]);
    }

    /// <summary>A loan case opened through the API by the teller, and the teller's client.</summary>
    private async Task<(HttpClient Api, System.Text.Json.JsonElement Opened)> OpenLoanCaseAsync()
    {
        var api = await host.ClientFor("teller");
        return (api, await api.OpenCase("loan-face-signing", new { customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000", loanAmount = 200000, termMonths = 36 }));
    }

    private Task<IBrowserContext> NewTellerContextAsync() =>
        browser.Browser.NewContextAsync(new() { BaseURL = host.BaseAddress!.ToString(), ViewportSize = new() { Width = 1400, Height = 1000 } });

    /// <summary>The teller page in <paramref name="context"/>, signed in as the teller.</summary>
    private async Task<IPage> TellerPageAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/teller/");
        await SignInAsync(page, "teller", host.PasswordOf("teller"));
        return page;
    }

    [Fact]
    public async Task a_step_submitted_from_a_page_the_case_moved_past_is_refused_and_the_page_says_so_until_the_teller_submits_again()
    {
        var (api, opened) = await OpenLoanCaseAsync();
        await using var context = await NewTellerContextAsync();
        var page = await TellerPageAsync(context);
        await page.GetByRole(AriaRole.Button, new() { Name = opened.GetProperty("number").GetString()! }).ClickAsync();
        var video = page.Locator(".step[data-step=video]");
        await video.WaitForAsync();

        // The page cannot read the case for now, and the case moves on meanwhile (the link goes out).
        var released = new TaskCompletionSource();
        await page.RouteAsync("**/api/cases/*/workbench", async route =>
        {
            await released.Task;
            await route.ContinueAsync();
        });
        (await api.PostAsync($"/api/cases/{opened.Id()}/customer-link", null, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        await video.Locator("button[type=submit]").ClickAsync();
        await Expect(() => video.Locator(".error").TextContentAsync(), e => e!.Contains("Refreshed", StringComparison.Ordinal));

        // Read again, the page keeps the step's form and says why it was not taken; submitted again, it is.
        await page.RunAndWaitForResponseAsync(() => { released.SetResult(); return Task.CompletedTask; }, r => r.Url.EndsWith("/workbench", StringComparison.Ordinal));
        await Expect(() => page.EvaluateAsync<int>("() => document.querySelectorAll('#steps .step').length"), n => n > 0);
        (await video.Locator(".error").TextContentAsync())!.ShouldContain("Refreshed", Case.Sensitive, "the message stays until the teller acts");
        await SubmitStepAsync(page, "video");
        (await api.GetCase(opened.Id())).GetProperty("waiting").EnumerateArray().Select(w => w.GetProperty("stepId").GetString()).ShouldNotContain("video");
    }

    [Fact]
    public async Task the_teller_page_says_when_it_cannot_follow_the_case_and_shows_changes_pushed_once_it_can()
    {
        var (api, opened) = await OpenLoanCaseAsync();
        await using var context = await NewTellerContextAsync();
        var page = await TellerPageAsync(context);

        // The network drops the pushed changes: the page says so instead of showing the case as if it were current.
        await page.RouteAsync("**/changes", route => route.AbortAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = opened.GetProperty("number").GetString()! }).ClickAsync();
        var video = page.Locator(".step[data-step=video]");
        await video.WaitForAsync();
        await Expect(() => page.Locator("#live").TextContentAsync(), t => t!.Contains("Connection lost", StringComparison.Ordinal));
        await page.ScreenshotAsync(new() { Path = Shot("teller-connection-lost"), FullPage = true });

        // Back again, it follows the case: a step taken elsewhere leaves the page without the page asking (it no longer polls).
        await page.UnrouteAsync("**/changes");
        await Expect(() => page.Locator("#live").TextContentAsync(), t => t == "实时 / Live");
        await api.ResumeOk(opened.Id(), opened.Bookmark("video"), new { participants = new[] { new { role = "teller", name = "李" }, new { role = "customer", name = "张三" } } });
        await Expect(() => video.CountAsync(), n => n == 0);

        // A case opened elsewhere comes into the queue the same way.
        var another = await api.OpenCase("loan-face-signing", new { customerName = "李四", idNumber = "11010519491231002X", mobile = "13800138001", loanAmount = 1000, termMonths = 12 });
        await page.GetByRole(AriaRole.Button, new() { Name = another.GetProperty("number").GetString()! }).WaitForAsync();
    }

    [Fact]
    public async Task teller_and_customer_complete_a_loan_face_signing_in_the_browser()
    {
        var options = new BrowserNewContextOptions { BaseURL = host.BaseAddress!.ToString(), ViewportSize = new() { Width = 1400, Height = 1000 } };
        await using var tellerContext = await browser.Browser.NewContextAsync(options);
        await using var customerContext = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = host.BaseAddress!.ToString(), ViewportSize = new() { Width = 420, Height = 900 }, IsMobile = true });
        var teller = await tellerContext.NewPageAsync();
        var customer = await customerContext.NewPageAsync();

        await teller.GotoAsync("/teller/");
        await SignInAsync(teller, "teller", host.PasswordOf("teller"));
        await teller.Locator("#new-definition option[value=loan-face-signing]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await teller.Locator("#new-definition").SelectOptionAsync("loan-face-signing");
        await Expect(() => teller.Locator("#new-data").InputValueAsync(), v => v.Contains("loanAmount", StringComparison.Ordinal));
        await teller.GetByRole(AriaRole.Button, new() { Name = "新建 / Open case" }).ClickAsync();
        await Expect(async () => $"{await teller.Locator("#case-title").TextContentAsync()} | {await teller.Locator("#open-error").TextContentAsync()}",
            v => v.StartsWith("LFS-", StringComparison.Ordinal));
        var caseId = Guid.Parse(await teller.EvaluateAsync<string>("() => tellerPage.caseId"));

        // The link goes to the customer's phone (the local outbox); the teller's page only says where it went.
        var phone = new CustomerPhone(host);
        await teller.GetByRole(AriaRole.Button, new() { Name = "发送客户链接 / Send the customer link" }).ClickAsync();
        await Expect(() => teller.Locator("#link-status").TextContentAsync(), s => s == "已发送至 / Sent to 138****8000");
        (await teller.ContentAsync()).ShouldNotContain(phone.LinkCode(caseId), Case.Sensitive, "the teller never sees the code in the link");

        await customer.GotoAsync(phone.Latest(caseId, "link").Url!);
        await customer.GetByLabel("短信验证码").FillAsync(await NextCode(phone, caseId, seen: 0));
        await customer.ScreenshotAsync(new() { Path = Shot("customer-verify"), FullPage = true });
        await customer.GetByRole(AriaRole.Button, new() { Name = "确认" }).ClickAsync();
        await customer.GetByRole(AriaRole.Button, new() { Name = "加入视频" }).ClickAsync();
        await teller.GetByRole(AriaRole.Button, new() { Name = "开始视频 / Start video" }).ClickAsync();
        await Expect(() => teller.Locator("#video-status").TextContentAsync(), s => s == "connected");
        await teller.ScreenshotAsync(new() { Path = Shot("teller-video"), FullPage = true });

        await SubmitStepAsync(teller, "video");
        await customer.GetByRole(AriaRole.Button, new() { Name = "同意录音录像" }).ClickAsync();
        await ConfirmWithCode(customer, phone, caseId, seen: 1);
        await teller.Locator("#rec:not(.hidden)").WaitForAsync();

        var identity = teller.Locator(".step[data-step=identity]");
        await identity.GetByLabel("姓名 / Name *").FillAsync("张三");
        await identity.GetByLabel("身份证号 / Resident id number *").FillAsync("110105194912310021");
        await identity.GetByLabel("证件有效期至 / Valid until *").FillAsync("2036-01-01");
        await identity.GetByLabel("人脸与证件一致 / Face matches the document").CheckAsync();
        await identity.Locator("button[type=submit]").ClickAsync();
        await identity.Locator(".field-error").Filter(new() { HasText = "GB 11643" }).WaitForAsync();
        await teller.ScreenshotAsync(new() { Path = Shot("teller-field-error"), FullPage = true });
        // One error summary for the form, its one live region, with a link that takes the teller to the field at fault.
        (await identity.Locator("[role=alert]").CountAsync()).ShouldBe(1, "the form has one live region: its error summary");
        var idNumber = identity.GetByLabel("身份证号 / Resident id number *");
        (await idNumber.GetAttributeAsync("aria-invalid")).ShouldBe("true");
        await identity.Locator(".error-summary a").Filter(new() { HasText = "GB 11643" }).ClickAsync();
        (await teller.EvaluateAsync<string>("() => document.activeElement.id")).ShouldBe(await idNumber.GetAttributeAsync("id"));
        await identity.GetByLabel("身份证号 / Resident id number *").FillAsync("11010519491231002X");
        await identity.Locator("button[type=submit]").ClickAsync();

        var willingness = teller.Locator(".step[data-step=willingness]");
        await willingness.WaitForAsync();
        (await teller.EvaluateAsync<int>($"async () => (await fetch('/api/cases/{caseId}/events')).status")).ShouldBe(403, "a teller works from the workbench view, not the raw events");
        var script = (await Api(teller, $"/api/cases/{caseId}/workbench")).GetProperty("scripts").EnumerateArray().Single(s => s.GetProperty("stepId").GetString() == "willingness")
            .GetProperty("questions").EnumerateArray().ToList();
        foreach (var question in script)
        {
            await willingness.GetByLabel(question.GetProperty("text").GetString()!, new() { Exact = true }).FillAsync(question.GetProperty("expected").GetString()!);
            await willingness.GetByRole(AriaRole.Button, new() { Name = $"记录回答 / Record answer: {question.GetProperty("text").GetString()}" }).ClickAsync();
        }
        await willingness.Locator("button[type=submit]").ClickAsync();

        await customer.Locator("#doc-id-card").SetInputFilesAsync(new FilePayload { Name = "id.png", MimeType = "image/png", Buffer = TestMedia.Png(4) });
        await customer.Locator("#doc-income-proof").SetInputFilesAsync(new FilePayload { Name = "income.pdf", MimeType = "application/pdf", Buffer = TestMedia.Pdf("salary") });
        await customer.ScreenshotAsync(new() { Path = Shot("customer-documents"), FullPage = true });

        var diligence = teller.Locator(".step[data-step=due-diligence]");
        await diligence.WaitForAsync();
        await diligence.GetByLabel("工作单位 / Employer *").FillAsync("示例公司");
        await diligence.GetByLabel("月收入 / Monthly income *").FillAsync("20000");
        await diligence.GetByLabel("调查结论 / Findings *").FillAsync("收入稳定 / Stable income");
        await diligence.GetByLabel("风险等级 / Risk rating *").SelectOptionAsync("low");
        await diligence.Locator("button[type=submit]").ClickAsync();

        await customer.GetByRole(AriaRole.Button, new() { Name = "我已阅读，同意并签署" }).WaitForAsync();
        await teller.Locator(".step[data-step=contract] .contract").Filter(new() { HasText = "借款人" }).WaitForAsync();
        await customer.ScreenshotAsync(new() { Path = Shot("customer-contract"), FullPage = true });
        await NoSeriousViolations(customer);
        await customer.GetByRole(AriaRole.Button, new() { Name = "我已阅读，同意并签署" }).ClickAsync();
        await ConfirmWithCode(customer, phone, caseId, seen: 2);

        await Expect(async () => $"{await teller.Locator("#case-status").TextContentAsync()} | {await teller.Locator("#rec-error").TextContentAsync()} | {await teller.Locator("#rec-state").TextContentAsync()} | {(await Api(teller, $"/api/cases/{caseId}/workbench")).GetProperty("case").GetProperty("fault")}",
            s => s.Contains("completed", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        await customer.GetByText("业务已办结，谢谢！").WaitForAsync();
        await teller.ScreenshotAsync(new() { Path = Shot("teller-completed"), FullPage = true });
        var pdfLink = await teller.Locator("a.signed-contract").GetAttributeAsync("href");
        var pdf = await teller.EvaluateAsync<string>($"async () => {{ const r = await fetch('{pdfLink}'); return r.headers.get('content-type') + ' ' + (await r.text()).slice(0, 8); }}");
        pdf.ShouldBe("application/pdf %PDF-1.7");
        await NoSeriousViolations(teller);

        var supervisor = await host.ClientFor("supervisor");
        var verify = await supervisor.GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}/verify");
        verify.GetProperty("intact").GetBoolean().ShouldBeTrue(verify.ToString());
        var events = (await supervisor.GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}/events")).EnumerateArray().ToList();
        var sealedRecording = events.Single(e => e.GetProperty("type").GetString() == "recording_sealed").GetProperty("data");
        sealedRecording.GetProperty("Chunks").GetInt32().ShouldBeGreaterThan(0, "the browser uploaded the recording as it went");
        var sent = await teller.EvaluateAsync<int>("() => tellerPage.stoppedRecording.sent");
        sealedRecording.GetProperty("Segments")[0].GetProperty("Chunks").GetInt32().ShouldBe(sent, "the seal waited for the page's last chunks: the end of the session is on record");
        var recordingId = sealedRecording.GetProperty("RecordingId").GetGuid();
        var played = await supervisor.GetByteArrayAsync($"/api/recordings/{recordingId}");
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(played)).ShouldBe(sealedRecording.GetProperty("Evidence")[0].GetProperty("Sha256").GetString());
        played.Take(4).ShouldBe(new byte[] { 0x1A, 0x45, 0xDF, 0xA3 }, "a WebM (EBML) file");
        var tracks = WebmTracks.Read(played);
        tracks.Single(t => t.Type == 1).PixelWidth.ShouldBe(1280, "teller and customer side by side: wider than one 640-pixel camera");
        tracks.Count(t => t.Type == 2).ShouldBe(1, "one audio track, the mix of both sides");
    }

    [Fact]
    public async Task the_teller_page_reloaded_mid_recording_continues_it_as_a_second_segment_and_the_seal_lists_the_gap()
    {
        var driver = await ScenarioDriver.OpenAsync(host, "password-reset", new { customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000" });
        driver.UploadsRecording = false; // the teller's page records
        await driver.RunToEndAsync(stopBeforeStep: "identity");
        var number = (await driver.Teller.GetCase(driver.CaseId)).GetProperty("number").GetString()!;
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = host.BaseAddress!.ToString(), ViewportSize = new() { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/teller/");
        await SignInAsync(page, "teller", host.PasswordOf("teller"));
        async Task<(int Segment, int Uploaded)> RecordAsync()
        {
            await page.GetByRole(AriaRole.Button, new() { Name = number }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "开始视频 / Start video" }).ClickAsync();
            await Expect(() => page.EvaluateAsync<string>("() => `${tellerPage.recorder ? tellerPage.recorder.state.uploaded : 0} | ${document.getElementById('rec-error').textContent} | ${document.getElementById('video-status').textContent}`"),
                s => int.Parse(s!.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) >= 3);
            return (await page.EvaluateAsync<int>("() => tellerPage.recorder.state.segment"), await page.EvaluateAsync<int>("() => tellerPage.recorder.state.uploaded"));
        }

        var first = await RecordAsync();
        await page.ReloadAsync();
        var second = await RecordAsync();
        await Expect(() => page.Locator("#rec-state").TextContentAsync(), s => s!.Contains("segment 2", StringComparison.Ordinal));
        await page.ScreenshotAsync(new() { Path = Shot("teller-recording-segment-2"), FullPage = true });
        (first.Segment, second.Segment).ShouldBe((0, 1));

        (await driver.RunToEndAsync()).GetProperty("status").GetString().ShouldBe("completed");
        var events = (await (await host.ClientFor("supervisor")).GetFromJsonAsync<JsonElement>($"/api/cases/{driver.CaseId}/events")).EnumerateArray();
        var segments = events.Single(e => e.GetProperty("type").GetString() == "recording_sealed").GetProperty("data").GetProperty("Segments").EnumerateArray().ToList();
        segments.Select(s => s.GetProperty("Segment").GetInt32()).ShouldBe([0, 1]);
        segments[0].GetProperty("Chunks").GetInt32().ShouldBeGreaterThanOrEqualTo(first.Uploaded, "every chunk acknowledged before the reload is in the seal");
        segments[1].GetProperty("Chunks").GetInt32().ShouldBeGreaterThanOrEqualTo(second.Uploaded);
        segments[1].GetProperty("GapBeforeMs").GetInt64().ShouldBeGreaterThan(0, "the reload left a gap, and the seal says how long");
    }

    [Fact]
    public async Task the_customer_page_rejoins_after_a_drop_and_a_link_cannot_open_another_case()
    {
        var teller = await host.ClientFor("teller");
        var mine = await teller.OpenCase("password-reset", new { customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000" });
        var other = await teller.OpenCase("password-reset", new { customerName = "李四", idNumber = "11010519491231002X", mobile = "13800138000" });
        (await teller.PostAsync($"/api/cases/{mine.Id()}/customer-link", null)).EnsureSuccessStatusCode();
        var phone = new CustomerPhone(host);
        var url = phone.Latest(mine.Id(), "link").Url!;
        var code = CustomerPhone.CodeIn(url);

        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = host.BaseAddress!.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/customer/?case={other.Id()}&code={code}");
        await page.GetByText("链接无效").WaitForAsync();
        await page.GotoAsync("/customer/");
        await page.GetByText("请打开柜员发送给您的链接").WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Shot("customer-no-link"), FullPage = true });
        await NoSeriousViolations(page);

        await page.GotoAsync(url);
        await page.GetByLabel("短信验证码").FillAsync(await NextCode(phone, mine.Id(), seen: 0));
        await page.GetByRole(AriaRole.Button, new() { Name = "确认" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "加入视频" }).ClickAsync();
        await using (var second = await browser.Browser.NewContextAsync(new() { BaseURL = host.BaseAddress!.ToString() }))
        {
            var again = await second.NewPageAsync();
            await again.GotoAsync(url);
            await again.GetByText("This link was already used. Please ask your teller for a new one.").WaitForAsync();
        }
        await Expect(() => page.Locator("#connection").TextContentAsync(), s => s == "正在等待柜员…");
        await page.EvaluateAsync("() => customerPage.room.drop()");
        await Expect(() => page.Locator("#connection").TextContentAsync(), s => s == "正在等待柜员…" || s!.Contains("重新连接", StringComparison.Ordinal));
        await Expect(() => page.Locator("#connection").TextContentAsync(), s => s == "正在等待柜员…");
        await page.GetByRole(AriaRole.Combobox, new() { Name = "语言 / Language" }).SelectOptionAsync("en");
        await page.GetByText("Please wait, the teller is working on your case.").WaitForAsync();
    }

    [Fact]
    public async Task a_supervisor_approves_a_large_loan_in_the_browser_and_nobody_approves_a_case_they_worked_on()
    {
        // The supervisor opens the case, so the four-eyes rule bars them from approving it; the rest runs through the API.
        var driver = await ScenarioDriver.OpenAsync(host, "loan-face-signing",
            new { customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000", loanAmount = 500_000, termMonths = 36 }, opener: "supervisor");
        var waiting = await driver.RunToEndAsync(stopBeforeStep: "approval");
        waiting.GetProperty("waiting").EnumerateArray().Select(w => w.GetProperty("stepId").GetString()).ShouldBe(["approval"]);
        var number = waiting.GetProperty("number").GetString()!;

        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = host.BaseAddress!.ToString(), ViewportSize = new() { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/teller/");
        async Task<ILocator> OpenAs(string user)
        {
            if (await page.Locator("#signout").IsVisibleAsync())
            {
                await page.Locator("#signout").ClickAsync();
            }
            await SignInAsync(page, user, host.PasswordOf(user));
            await page.Locator("#filter").SelectOptionAsync("supervisor");
            await page.GetByRole(AriaRole.Button, new() { Name = number }).ClickAsync();
            await Expect(() => page.Locator("#who").TextContentAsync(), w => w!.StartsWith(user + " ", StringComparison.Ordinal));
            var step = page.Locator(".step[data-step=approval]");
            await step.WaitForAsync();
            return step;
        }

        var asTeller = await OpenAs("teller");
        await asTeller.GetByText("等待 supervisor / Waiting for supervisor").WaitForAsync();
        (await asTeller.Locator("form").CountAsync()).ShouldBe(0, "a teller cannot decide a supervisor's step");

        var asOpener = await OpenAs("supervisor");
        await asOpener.GetByLabel("审批 / Decision *").SelectOptionAsync("approve");
        await asOpener.GetByLabel("理由 / Reason *").FillAsync("资料齐全 / Complete file");
        await asOpener.Locator("button[type=submit]").ClickAsync();
        await asOpener.GetByRole(AriaRole.Alert).Filter(new() { HasText = "four eyes" }).WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Shot("supervisor-four-eyes"), FullPage = true });

        var asOther = await OpenAs("supervisor2");
        await asOther.GetByLabel("审批 / Decision *").SelectOptionAsync("approve");
        await asOther.GetByLabel("理由 / Reason *").FillAsync("收入稳定，风险可控 / Stable income, acceptable risk");
        await asOther.Locator("button[type=submit]").ClickAsync();
        await page.Locator(".step[data-step=contract]").WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Shot("supervisor-approved"), FullPage = true });
        await NoSeriousViolations(page);

        var events = (await Api(page, $"/api/cases/{driver.CaseId}/events")).EnumerateArray().ToList();
        var granted = events.Single(e => e.GetProperty("type").GetString() == "approval_granted");
        granted.GetProperty("data").GetProperty("ApprovedBy").GetString().ShouldBe("supervisor2");
        granted.GetProperty("actor").GetProperty("role").GetString().ShouldBe("supervisor");
        events.Count(e => e.GetProperty("type").GetString() is "approval_granted" or "approval_refused").ShouldBe(1, "the refused attempt wrote nothing");
    }

    private static async Task<JsonElement> Api(IPage page, string path) =>
        JsonDocument.Parse(await page.EvaluateAsync<string>($"async () => JSON.stringify(await vb.call('GET', '{path}'))")).RootElement.Clone();

}
