using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using VirtualBranch.Host.Integrity.Timestamps;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Evidence;

public sealed class TimestampTests(HostFixture host) : IClassFixture<HostFixture>, IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 10, 20, 30, 123, TimeSpan.Zero);
    private static readonly byte[] Checkpoint = Encoding.UTF8.GetBytes("checkpoint: 3 cases, root 9f2c...");
    private readonly List<string> _folders = [];

    private LocalTimestampAuthority Authority(out string folder)
    {
        folder = Directory.CreateTempSubdirectory("vb-tsa-").FullName;
        _folders.Add(folder);
        return new LocalTimestampAuthority(folder, new FixedClock(Now));
    }

    private static X509Certificate2[] Pinned(string folder) => [X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(folder, "tsa.pem")))];

    [Fact]
    public async Task a_local_token_verifies_against_the_pinned_certificate_and_carries_the_clock_time()
    {
        var authority = Authority(out var folder);
        var token = await authority.StampAsync(Checkpoint, TestContext.Current.CancellationToken);
        var check = TimestampVerifier.Verify(token, Checkpoint, Pinned(folder));
        check.Valid.ShouldBeTrue(check.Detail);
        check.Time.ShouldBe(Now.AddMilliseconds(-Now.Millisecond)); // genTime is given in whole seconds
        check.AuthoritySubject.ShouldBe(authority.Certificate.Subject);
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(Path.Combine(folder, "tsa.pfx")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        new LocalTimestampAuthority(folder, TimeProvider.System).Certificate.RawData.ShouldBe(authority.Certificate.RawData); // the key survives a restart
    }

    [Fact]
    public async Task a_token_over_other_data_fails_saying_so()
    {
        var authority = Authority(out var folder);
        var token = await authority.StampAsync(Checkpoint, TestContext.Current.CancellationToken);
        var check = TimestampVerifier.Verify(token, Encoding.UTF8.GetBytes("a rewritten checkpoint"), Pinned(folder));
        check.Valid.ShouldBeFalse();
        check.Detail.ShouldContain("other data");
    }

    [Fact]
    public async Task a_token_from_another_authority_fails_naming_its_signer()
    {
        _ = Authority(out var pinned);
        var other = Authority(out _);
        var token = await other.StampAsync(Checkpoint, TestContext.Current.CancellationToken);
        var check = TimestampVerifier.Verify(token, Checkpoint, Pinned(pinned));
        check.Valid.ShouldBeFalse();
        check.Detail.ShouldContain(other.Certificate.GetCertHashString(HashAlgorithmName.SHA256));
        check.Detail.ShouldContain("not a trusted timestamp authority");
    }

    [Fact]
    public async Task a_tampered_token_fails_cleanly()
    {
        var authority = Authority(out var folder);
        var token = await authority.StampAsync(Checkpoint, TestContext.Current.CancellationToken);
        var genTime = token.AsSpan().IndexOf("20260301102030"u8);
        genTime.ShouldBeGreaterThan(0);
        foreach (var at in new[] { 0, genTime + 12, token.Length - 1 }) // the outer tag, the signed time, the signature
        {
            var check = TimestampVerifier.Verify(Flipped(token, at), Checkpoint, Pinned(folder));
            check.Valid.ShouldBeFalse($"byte {at} flipped: {check.Detail}");
        }
        // CMS leaves some bytes unsigned (version numbers, the carried certificate's issuer and serial), and trust comes
        // from the pin, so a flip there still verifies; every byte is only required to fail cleanly or not at all.
        for (var at = 0; at < token.Length; at++)
        {
            Should.NotThrow(() => TimestampVerifier.Verify(Flipped(token, at), Checkpoint, Pinned(folder)));
        }
    }

    [Fact]
    public async Task the_hosts_timestamp_endpoint_gives_tokens_that_dotnet_verifies()
    {
        var client = new HttpClient(host.Factory.Server.CreateHandler());
        var authority = new HttpTimestampAuthority(client, new Uri("http://localhost/api/timestamp"));
        var token = await authority.StampAsync(Checkpoint, TestContext.Current.CancellationToken);
        Rfc3161TimestampToken.TryDecode(token, out var decoded, out _).ShouldBeTrue();
        decoded!.VerifySignatureForData(Checkpoint, out var signer).ShouldBeTrue();
        signer!.RawData.ShouldBe(Pinned(host.DataDirectory)[0].RawData);
        var check = host.Services.GetRequiredService<TimestampTrust>().Verify(token, Checkpoint);
        check.Valid.ShouldBeTrue(check.Detail);
        var docs = JsonDocument.Parse(await host.CreateClient().GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken)).RootElement;
        var operation = docs.GetProperty("paths").GetProperty("/api/timestamp").GetProperty("post");
        operation.GetProperty("operationId").GetString().ShouldBe("Timestamp");
        operation.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/timestamp-query", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task a_body_that_is_no_timestamp_query_gets_a_problem_and_a_sha1_query_a_rejection()
    {
        var client = host.CreateClient();
        var junk = await client.PostAsync("/api/timestamp", Query(Encoding.UTF8.GetBytes("hello")), TestContext.Current.CancellationToken);
        junk.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = JsonDocument.Parse(await junk.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        problem.GetProperty("detail").GetString()!.ShouldContain("not a DER-encoded RFC 3161 TimeStampReq");
        var huge = await client.PostAsync("/api/timestamp", Query(new byte[TimestampApi.MaxQueryBytes + 1]), TestContext.Current.CancellationToken);
        huge.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);

        var sha1 = Rfc3161TimestampRequest.CreateFromData(Checkpoint, HashAlgorithmName.SHA1, requestSignerCertificates: true);
        var refused = await client.PostAsync("/api/timestamp", Query(sha1.Encode()), TestContext.Current.CancellationToken);
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/timestamp-reply");
        var reply = await refused.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        Should.Throw<TimestampAuthorityException>(() => TimestampExchange.Accept(sha1, reply, "the Host")).Message.ShouldContain("rejection (2): badAlg");
    }

    [Fact]
    public async Task the_http_authority_names_the_url_and_a_server_error()
    {
        var answering = new AnsweringHandler(_ => new HttpResponseMessage(HttpStatusCode.InternalServerError));
        var authority = new HttpTimestampAuthority(new HttpClient(answering), new Uri("http://127.0.0.1:9/tsa"));
        var error = await Should.ThrowAsync<TimestampAuthorityException>(() => authority.StampAsync(Checkpoint, TestContext.Current.CancellationToken));
        error.Message.ShouldContain("http://127.0.0.1:9/tsa");
        error.Message.ShouldContain("HTTP 500");
    }

    [Fact]
    public async Task the_http_authority_names_a_rejection_and_a_token_over_other_data()
    {
        var local = Authority(out _);
        var sha1 = Rfc3161TimestampRequest.CreateFromData(Checkpoint, HashAlgorithmName.SHA1, requestSignerCertificates: true);
        var rejecting = new HttpTimestampAuthority(new HttpClient(new AnsweringHandler(_ => Reply(local.Reply(sha1.Encode())!))), new Uri("http://127.0.0.1:9/tsa"));
        var refused = await Should.ThrowAsync<TimestampAuthorityException>(() => rejecting.StampAsync(Checkpoint, TestContext.Current.CancellationToken));
        refused.Message.ShouldContain("refused the timestamp: status rejection (2): badAlg");

        var elsewhere = TimestampExchange.Query("other data"u8);
        var misdirected = new HttpTimestampAuthority(new HttpClient(new AnsweringHandler(_ => Reply(local.Reply(elsewhere.Encode())!))), new Uri("http://127.0.0.1:9/tsa"));
        var wrong = await Should.ThrowAsync<TimestampAuthorityException>(() => misdirected.StampAsync(Checkpoint, TestContext.Current.CancellationToken));
        wrong.Message.ShouldContain("stamped other data");
    }

    private static ByteArrayContent Query(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
        return content;
    }

    private static HttpResponseMessage Reply(byte[] body) =>
        new(HttpStatusCode.OK) { Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/timestamp-reply") } } };

    private static byte[] Flipped(byte[] token, int at)
    {
        var copy = (byte[])token.Clone();
        copy[at] ^= 0xFF;
        return copy;
    }

    public void Dispose()
    {
        foreach (var folder in _folders)
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
