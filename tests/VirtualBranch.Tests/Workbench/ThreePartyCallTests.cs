using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Shouldly;
using VirtualBranch.Tests.Support;
using static VirtualBranch.Tests.Support.PageSteps;

namespace VirtualBranch.Tests.Workbench;

/// <summary>
/// A dormant account reactivated for an elderly customer with a relative assisting, three browsers in one call: the teller
/// invites the relative, whose own phone gets the link; the relative appears in the teller's view, is listed in the video
/// session, and is in the recording (the sealed video, played back in Chromium, has a third picture).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ThreePartyCallTests(BrowserHostFixture host, BrowserFixture browser) : IClassFixture<BrowserHostFixture>
{
    private const string RelativeMobile = "13900139000";

    [Fact]
    public async Task a_relative_invited_into_a_dormant_account_call_is_seen_by_the_teller_and_recorded_with_both()
    {
        BrowserNewContextOptions Phone() => new() { BaseURL = host.BaseAddress!.ToString(), ViewportSize = new() { Width = 420, Height = 900 }, IsMobile = true };
        await using var tellerContext = await browser.Browser.NewContextAsync(new() { BaseURL = host.BaseAddress!.ToString(), ViewportSize = new() { Width = 1400, Height = 1100 } });
        await using var customerContext = await browser.Browser.NewContextAsync(Phone());
        await using var relativeContext = await browser.Browser.NewContextAsync(Phone());
        var (teller, customer, relative) = (await tellerContext.NewPageAsync(), await customerContext.NewPageAsync(), await relativeContext.NewPageAsync());
        var phone = new CustomerPhone(host);

        await teller.GotoAsync("/teller/");
        await SignInAsync(teller, "teller", host.PasswordOf("teller"));
        await teller.Locator("#new-definition option[value=dormant-account-reactivation]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await teller.Locator("#new-definition").SelectOptionAsync("dormant-account-reactivation");
        await teller.Locator("#new-data").FillAsync(JsonSerializer.Serialize(new
        {
            customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000", accountNumber = "6222020200112233445", assisted = true,
        }));
        await teller.GetByRole(AriaRole.Button, new() { Name = "新建 / Open case" }).ClickAsync();
        await Expect(async () => $"{await teller.Locator("#case-title").TextContentAsync()} | {await teller.Locator("#open-error").TextContentAsync()}",
            v => v.StartsWith("DAR-", StringComparison.Ordinal));
        var caseId = Guid.Parse(await teller.EvaluateAsync<string>("() => tellerPage.caseId"));

        await teller.GetByRole(AriaRole.Button, new() { Name = "发送客户链接 / Send the customer link" }).ClickAsync();
        await Expect(() => teller.Locator("#link-status").TextContentAsync(), s => s == "已发送至 / Sent to 138****8000");
        await OpenLinkAsync(customer, phone, caseId, phone.Latest(caseId, "link").Url!, seen: 0, to: "13800138000");
        await customer.GetByRole(AriaRole.Button, new() { Name = "加入视频" }).ClickAsync();

        // The relative's link goes to the relative's own phone; the teller sees only where it went.
        await teller.GetByText("邀请第三方加入视频 / Invite someone into the video").ClickAsync();
        await teller.GetByLabel("身份 / Who").SelectOptionAsync("relative");
        await teller.GetByLabel("姓名 / Name", new() { Exact = true }).FillAsync("李四");
        await teller.GetByLabel("手机号 / Mobile").FillAsync(RelativeMobile);
        await teller.GetByRole(AriaRole.Button, new() { Name = "发送邀请链接 / Send the invitation" }).ClickAsync();
        await Expect(() => teller.Locator("#invite-status").TextContentAsync(), s => s!.Contains("139****9000", StringComparison.Ordinal));
        var invitation = phone.Latest(caseId, "link", RelativeMobile);
        (await teller.ContentAsync()).ShouldNotContain(CustomerPhone.CodeIn(invitation.Url!), Case.Sensitive);
        await OpenLinkAsync(relative, phone, caseId, invitation.Url!, seen: 0, to: RelativeMobile);
        await relative.GetByText("李四，您已受邀以亲属身份加入视频。").WaitForAsync();
        await relative.GetByRole(AriaRole.Button, new() { Name = "加入视频" }).ClickAsync();

        await teller.GetByRole(AriaRole.Button, new() { Name = "开始视频 / Start video" }).ClickAsync();
        await Expect(() => teller.Locator("#video-status").TextContentAsync(), s => s == "connected");
        var relativeTile = teller.GetByRole(AriaRole.Application, new() { Name = "李四 (relative)" }).Or(teller.Locator("video[aria-label='李四 (relative)']"));
        await Expect(() => relativeTile.First.EvaluateAsync<int>("v => v.readyState"), state => state >= 2);
        await Expect(() => relative.EvaluateAsync<string>("() => customerPage.room.peers.map((p) => `${p.role}:${p.state}`).sort().join(',')"),
            s => s == "customer:connected,teller:connected");
        await teller.ScreenshotAsync(new() { Path = Shot("teller-three-party-call"), FullPage = true });
        await relative.ScreenshotAsync(new() { Path = Shot("relative-in-call"), FullPage = true });

        await SubmitStepAsync(teller, "video");
        await customer.GetByRole(AriaRole.Button, new() { Name = "同意录音录像" }).ClickAsync();
        await ConfirmWithCode(customer, phone, caseId, seen: 1, to: "13800138000");
        await teller.Locator("#rec:not(.hidden)").WaitForAsync();
        (await teller.EvaluateAsync<int>("() => tellerPage.tiles")).ShouldBe(3, "teller, customer and relative on the recording's picture");

        var identity = teller.Locator(".step[data-step=identity]");
        await identity.GetByLabel("姓名 / Name *").FillAsync("张三");
        await identity.GetByLabel("身份证号 / Resident id number *").FillAsync("11010519491231002X");
        await identity.GetByLabel("证件有效期至 / Valid until *").FillAsync("2036-01-01");
        await identity.GetByLabel("人脸与证件一致 / Face matches the document").CheckAsync();
        await identity.Locator("button[type=submit]").ClickAsync();
        var willingness = teller.Locator(".step[data-step=willingness]");
        await willingness.WaitForAsync();
        foreach (var (question, answer) in new[] { ("激活账户是否为您本人意愿？ / Is reactivating the account your own wish?", "是"), ("是否有人要求您激活账户后交给他人使用？ / Has anyone asked you to reactivate it for their use?", "否") })
        {
            await willingness.GetByLabel(question, new() { Exact = true }).FillAsync(answer);
            await willingness.GetByRole(AriaRole.Button, new() { Name = $"记录回答 / Record answer: {question}" }).ClickAsync();
        }
        await willingness.Locator("button[type=submit]").ClickAsync();
        var reactivate = teller.Locator(".step[data-step=reactivate]");
        await reactivate.GetByLabel("已激活 / Reactivated *").CheckAsync();
        await reactivate.Locator("button[type=submit]").ClickAsync();
        await Expect(async () => $"{await teller.Locator("#case-status").TextContentAsync()} | {await teller.Locator("#rec-error").TextContentAsync()}",
            s => s.Contains("completed", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

        var supervisor = await host.ClientFor("supervisor");
        var events = (await supervisor.GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}/events", TestContext.Current.CancellationToken)).EnumerateArray().ToList();
        JsonElement Data(string type) => events.Single(e => e.GetProperty("type").GetString() == type).GetProperty("data");
        Data("video_session_started").GetProperty("Participants").EnumerateArray().Select(p => $"{p.GetProperty("Role").GetString()} {p.GetProperty("Name").GetString()}")
            .ShouldContain("relative 李四", "the teller's confirmation lists who was in the call");
        (Data("participant_joined").GetProperty("Role").GetString(), Data("participant_joined").GetProperty("Name").GetString()).ShouldBe(("relative", "李四"));
        var recordingId = Data("recording_sealed").GetProperty("RecordingId").GetGuid();
        var played = await supervisor.GetByteArrayAsync($"/api/recordings/{recordingId}", TestContext.Current.CancellationToken);
        WebmTracks.Read(played).Single(t => t.Type == 1).PixelWidth.ShouldBe(1280);

        // Play the sealed recording back and look at its picture: three people in a 2×2 grid, the fourth place empty.
        var brightness = await teller.EvaluateAsync<double[]>("""
            async (base64) => {
              const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
              const video = document.createElement("video"); video.muted = true; video.src = URL.createObjectURL(new Blob([bytes], { type: "video/webm" }));
              document.body.appendChild(video);
              await video.play();
              await new Promise((resolve) => { const check = () => (video.currentTime >= 1.5 || video.ended ? resolve() : setTimeout(check, 50)); check(); });
              video.pause();
              const canvas = document.createElement("canvas"); canvas.width = video.videoWidth; canvas.height = video.videoHeight;
              const g = canvas.getContext("2d"); g.drawImage(video, 0, 0);
              const w = canvas.width / 2, h = canvas.height / 2;
              return [[0, 0], [w, 0], [0, h], [w, h]].map(([x, y]) => {
                const d = g.getImageData(x, y, w, h).data; let sum = 0;
                for (let i = 0; i < d.length; i += 4) sum += d[i] + d[i + 1] + d[i + 2];
                return sum / (d.length / 4) / 3;
              });
            }
            """, Convert.ToBase64String(played));
        brightness[0].ShouldBeGreaterThan(10, $"the teller's picture is on the recording ({string.Join(", ", brightness)})");
        brightness[1].ShouldBeGreaterThan(10, "the customer's picture is on the recording");
        brightness[2].ShouldBeGreaterThan(10, "the relative's picture is on the recording");
        brightness[3].ShouldBeLessThan(2, "the fourth place of the grid is empty: exactly three people");
    }
}
