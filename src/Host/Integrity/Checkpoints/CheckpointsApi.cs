using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Host.Auth;
using VirtualBranch.Host.Problems;

namespace VirtualBranch.Host.Integrity.Checkpoints;

/// <summary>The checkpoint log for those who check the evidence: the latest checkpoint to keep, the log checked since one kept, a checkpoint now.</summary>
public static class CheckpointsApi
{
    /// <summary>The latest checkpoint as a reader keeps it (<c>number:hash</c>) to ask later for the log since.</summary>
    public sealed record LatestCheckpoint(long Number, string Hash, DateTimeOffset CreatedAt, int TreeSize, string Root, string Kind, string Signer, bool TimeStamped, string Keep);

    /// <summary>What a checkpoint written on request anchored, and which cases it refused (their streams no longer extend their anchor).</summary>
    public sealed record WrittenCheckpoint(long? Number, string? Hash, int Anchored, IReadOnlyList<string> Refused);

    public static void MapCheckpointsApi(this WebApplication app)
    {
        var group = app.MapGroup("/api/checkpoints").WithTags("Evidence").RequireAuthorization(Policies.Oversight);
        group.MapGet("/latest", Latest).WithName("LatestCheckpoint").WithSummary("The latest signed checkpoint; keep its number:hash to check the log later.");
        group.MapGet("/verify", Verify).WithName("VerifyCheckpoints")
            .WithSummary("Check the checkpoint log (numbering, links, signatures, tokens, roots), from ?known=<number>:<hash> when you kept one.");
        app.MapPost("/api/checkpoints", Write).WithTags("Evidence").RequireAuthorization(Policies.Supervisor).WithName("WriteCheckpoint")
            .WithSummary("Write a checkpoint now over every case changed since the last one.");
    }

    private static async Task<Results<Ok<LatestCheckpoint>, ProblemHttpResult>> Latest(CheckpointReader reader, CancellationToken cancellation)
    {
        if (await reader.LatestAsync(null, cancellation) is not { } latest)
        {
            return ApiProblems.NotFound("No checkpoint yet", "No checkpoint has been written; one is written every minute while cases change, and after every seal.");
        }
        var c = latest.Checkpoint;
        return TypedResults.Ok(new LatestCheckpoint(c.Number, latest.Hash, c.CreatedAt, c.TreeSize, c.Root, latest.Kind, latest.Signer, latest.TimestampToken is not null,
            string.Create(CultureInfo.InvariantCulture, $"{c.Number}:{latest.Hash}")));
    }

    private static async Task<Results<Ok<CheckpointLogReport>, ProblemHttpResult>> Verify(string? known, CheckpointLog log, CancellationToken cancellation)
    {
        (long, string)? kept = null;
        if (known is not null)
        {
            if (!TryParseKnown(known, out var parsed))
            {
                return ApiProblems.Invalid("The checkpoint you kept is written <number>:<SHA-256 hash>, as /api/checkpoints/latest gives it in 'keep'.",
                    [new("?known", $"'{known}' is not <number>:<64 hex digits>.")]);
            }
            kept = parsed;
        }
        return TypedResults.Ok(await log.VerifyAsync(kept, cancellation));
    }

    private static async Task<Ok<WrittenCheckpoint>> Write(CheckpointWriter writer, CancellationToken cancellation)
    {
        var run = await writer.WriteAsync(null, cancellation);
        return TypedResults.Ok(new WrittenCheckpoint(run.Written?.Checkpoint.Number, run.Written?.Hash, run.Anchored, run.Refused));
    }

    /// <summary>Reads a kept checkpoint written <c>number:hash</c> (the CLI's <c>--known</c> reads the same).</summary>
    public static bool TryParseKnown(string text, out (long Number, string Hash) known)
    {
        known = default;
        if (text.Split(':') is not [var number, var hash] || !long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1
            || hash.Length != 64 || !hash.All(Uri.IsHexDigit))
        {
            return false;
        }
        known = (n, hash.ToLowerInvariant());
        return true;
    }
}
