using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using VirtualBranch.Host.Media;
using VirtualBranch.Tests.Support;
using VirtualBranch.Workflows.Media;

namespace VirtualBranch.Tests.Banking;

/// <summary>Every call to the media adapter is audited, also when calls on one recording overlap.</summary>
public sealed class MediaAuditTests(HostFixture host) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task overlapping_calls_on_one_recording_are_each_audited_and_none_fails_for_the_audit()
    {
        var media = host.Services.GetRequiredService<IMediaAdapter>();
        var recording = Guid.NewGuid();
        await media.StartRecordingAsync(recording, Guid.NewGuid(), "video/webm", TestContext.Current.CancellationToken);
        var chunks = Enumerable.Range(0, 12).Select(i => new byte[] { 0x1A, 0x45, 0xDF, 0xA3, (byte)i }).ToList();

        // Chunks arriving together, as a browser's 500 ms uploads do under load: some are taken, some refused (a gap),
        // and every call lands in the recording's audit stream.
        var results = await Task.WhenAll(chunks.Select((bytes, i) => media.AppendChunkAsync(recording, 0, i, bytes,
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), long.MaxValue, TestContext.Current.CancellationToken)));

        results.ShouldContain(r => r.Ok);
        var audited = await host.Database.ScalarAsync<long>(
            $"select count(*) from vb.mt_events where stream_id = '{AuditedMediaAdapter.StreamFor(recording)}' and data ->> 'Operation' like 'chunk-%'");
        audited.ShouldBe(chunks.Count);
        (await host.Database.ScalarAsync<long>($"select max(version) from vb.mt_events where stream_id = '{AuditedMediaAdapter.StreamFor(recording)}'"))
            .ShouldBe(chunks.Count + 1, "start-recording and one entry per chunk call, numbered without gaps");
    }
}
