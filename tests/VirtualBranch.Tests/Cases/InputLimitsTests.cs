using System.Net;
using System.Net.Http.Json;
using System.Text;
using Shouldly;
using VirtualBranch.Engine.Schemas;
using VirtualBranch.Host.Limits;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Cases;

/// <summary>Input has limits: an oversize body or field is refused with its limit, and nothing is stored.</summary>
public sealed class InputLimitsTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static readonly object SmallRequest = new { customerName = "张三", amount = 500 };

    [Fact]
    public async Task a_25_MB_customer_name_gets_413_naming_the_limit_and_opens_no_case()
    {
        var teller = await host.ClientFor("teller");
        var streams = await host.Database.ScalarAsync<long>("select count(*) from vb.mt_streams");

        var refused = await (await teller.PostAsJsonAsync("/api/cases",
            new { definitionId = "service-request", data = new { customerName = new string('x', 25_000_000), amount = 1 } }))
            .Problem(HttpStatusCode.RequestEntityTooLarge);

        refused.GetProperty("detail").GetString()!.ShouldContain(JsonBodyLimit.DefaultBytes.ToString("N0"));
        (await host.Database.ScalarAsync<long>("select count(*) from vb.mt_streams")).ShouldBe(streams);
    }

    [Fact]
    public async Task a_chunked_body_over_the_cap_gets_413_and_leaves_the_stream_unchanged()
    {
        var teller = await host.ClientFor("teller");
        var opened = await teller.OpenCase("service-request", SmallRequest);
        var before = await StreamSnapshot.Of(host.Database, opened.Id());
        var body = "{\"input\":{\"confirmed\":true,\"urgent\":true,\"note\":\"" + new string('x', (int)JsonBodyLimit.DefaultBytes) + "\"}}";

        var response = await teller.PostAsync($"/api/cases/{opened.Id()}/bookmarks/{opened.Bookmark("intake")}", new UnknownLength(body));

        (await response.Problem(HttpStatusCode.RequestEntityTooLarge)).GetProperty("title").GetString().ShouldBe("The body is too large");
        (await StreamSnapshot.Of(host.Database, opened.Id())).ShouldBe(before);
    }

    [Fact]
    public async Task a_chunked_body_under_the_cap_is_read_as_usual()
    {
        var teller = await host.ClientFor("teller");
        var opened = await teller.OpenCase("service-request", SmallRequest);

        var response = await teller.PostAsync($"/api/cases/{opened.Id()}/bookmarks/{opened.Bookmark("intake")}",
            new UnknownLength("""{"input":{"confirmed":true,"urgent":false}}"""));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task a_2000_character_customer_name_gets_400_at_the_field_with_the_limit_and_opens_no_case()
    {
        var teller = await host.ClientFor("teller");
        var streams = await host.Database.ScalarAsync<long>("select count(*) from vb.mt_streams");

        var refused = await (await teller.PostAsJsonAsync("/api/cases",
            new { definitionId = "service-request", data = new { customerName = new string('x', 2_000), amount = 1 } })).Problem(HttpStatusCode.BadRequest);

        var error = refused.GetProperty("errors").EnumerateArray().ShouldHaveSingleItem();
        error.GetProperty("path").GetString().ShouldBe("/customerName");
        error.GetProperty("message").GetString()!.ShouldContain(SchemaLimits.MaxLength.ToString());
        (await host.Database.ScalarAsync<long>("select count(*) from vb.mt_streams")).ShouldBe(streams);
    }

    [Fact]
    public async Task undeclared_properties_in_step_input_get_400_each_at_its_place_and_leave_the_stream_unchanged()
    {
        var teller = await host.ClientFor("teller");
        var opened = await teller.OpenCase("service-request", SmallRequest);
        var before = await StreamSnapshot.Of(host.Database, opened.Id());
        var input = Enumerable.Range(0, 200).ToDictionary(i => $"extra{i}", i => (object)i);
        input["confirmed"] = true;
        input["urgent"] = false;

        var refused = await (await teller.Resume(opened.Id(), opened.Bookmark("intake"), input)).Problem(HttpStatusCode.BadRequest);

        refused.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()).ShouldContain("/extra199");
        refused.GetProperty("errors").GetArrayLength().ShouldBe(200);
        (await StreamSnapshot.Of(host.Database, opened.Id())).ShouldBe(before);
    }

    /// <summary>JSON sent without a Content-Length, as a streaming client would.</summary>
    private sealed class UnknownLength : HttpContent
    {
        private readonly byte[] _bytes;

        public UnknownLength(string json)
        {
            _bytes = Encoding.UTF8.GetBytes(json);
            Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(_bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
