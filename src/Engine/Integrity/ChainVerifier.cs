namespace VirtualBranch.Engine.Integrity;

/// <summary>Recomputes a stream's hash chain from its stored rows and says where and how it breaks.</summary>
public static class ChainVerifier
{
    /// <param name="caseId">The case the stream belongs to: format-2 links are bound to it.</param>
    /// <param name="rows">The stream's rows ordered by version.</param>
    /// <param name="streamVersion">The version the stream record claims (catches a deleted last event).</param>
    /// <param name="checkFiles">Checks the files an event vouches for: how many it checked, and the first problem (null when all is well).
    /// Without it no file is checked and none is counted.</param>
    public static VerificationResult Verify(Guid caseId, IReadOnlyList<ChainedRow> rows, long? streamVersion,
        Func<ChainedRow, (int Files, string? Problem)>? checkFiles = null)
    {
        if (rows.Count > 0 && OpenedCase(rows[0]) is { } opened && opened != caseId)
        {
            return VerificationResult.Broken(0, 0, rows[0].Version,
                $"transplanted events: version {rows[0].Version} opens case {opened}, not this case {caseId}");
        }
        var previous = HashChain.Genesis;
        var checkedEvents = 0;
        var files = 0;
        // Rows are stored in sequence order; when the versions 1..n are all there but do not follow it, events were moved.
        var bySequence = rows.OrderBy(r => r.SequenceId).ToList();
        var contiguous = rows.Select((r, i) => r.Version == i + 1).All(ok => ok);
        var firstMoved = Enumerable.Range(0, rows.Count).FirstOrDefault(i => bySequence[i].Version != rows[i].Version, -1);
        if (contiguous && firstMoved >= 0)
        {
            return VerificationResult.Broken(firstMoved, 0, rows[firstMoved].Version,
                $"reordered events: version {rows[firstMoved].Version} is not the event that was stored in that place");
        }
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var expectedVersion = i + 1L;
            if (row.Version != expectedVersion)
            {
                return VerificationResult.Broken(checkedEvents, files, expectedVersion,
                    $"missing event: version {expectedVersion} is not in the stream (the next stored version is {row.Version})");
            }
            if (row.Hash is null || row.RecordedAt is null)
            {
                return VerificationResult.Broken(checkedEvents, files, row.Version, "the event carries no hash: it was not written by the engine");
            }
            if (FormatProblem(row, rows, i) is { } formatProblem)
            {
                return VerificationResult.Broken(checkedEvents, files, row.Version, formatProblem);
            }
            if (row.PreviousHash != previous)
            {
                return VerificationResult.Broken(checkedEvents, files, row.Version,
                    "broken link: the event does not follow the one before it (an event was removed, inserted or moved)");
            }
            var recomputed = HashChain.LinkData(row.ChainFormat is null ? null : caseId, previous, row.Version, row.EventType, row.Utf8Data, row.RecordedAt,
                HashChain.Actor(row.ActorId ?? "", row.ActorRole ?? ""));
            if (recomputed != row.Hash)
            {
                var elsewhere = rows.Any(other => other != row && other.Hash == recomputed);
                return VerificationResult.Broken(checkedEvents, files, row.Version, elsewhere
                    ? "reordered events: the event's content belongs elsewhere in the stream"
                    : row.ChainFormat is null
                        ? "changed data: the event's type, data, time or actor differ from what was chained"
                        : "changed data: the event's type, data, time or actor differ from what was chained for this case (or it was chained for another case)");
            }
            if (checkFiles?.Invoke(row) is var (count, fileProblem))
            {
                if (fileProblem is not null)
                {
                    return VerificationResult.Broken(checkedEvents, files, row.Version, fileProblem);
                }
                files += count;
            }
            previous = row.Hash;
            checkedEvents++;
        }
        if (streamVersion is { } claimed && claimed != rows.Count)
        {
            return VerificationResult.Broken(checkedEvents, files, rows.Count + 1L,
                $"missing event: the stream says it has {claimed} events but {rows.Count} are stored");
        }
        return VerificationResult.Ok(checkedEvents, files);
    }

    /// <summary>
    /// Format 1 links (no header) are read only before the first format-2 link: a stream never goes back to the older
    /// format, so an event cannot be unbound from its case by rewriting it in format 1.
    /// </summary>
    private static string? FormatProblem(ChainedRow row, IReadOnlyList<ChainedRow> rows, int index) => row.ChainFormat switch
    {
        null when index > 0 && rows[index - 1].ChainFormat is not null =>
            $"chain format downgraded: version {row.Version} is in format 1 after version {rows[index - 1].Version} was bound to the case",
        null or HashChain.CurrentFormat => null,
        var other => $"unknown chain format '{other}' at version {row.Version}",
    };

    /// <summary>The case id a stream's first event opens, when it is a case being opened.</summary>
    private static Guid? OpenedCase(ChainedRow first)
    {
        if (first.EventType != OpenedType)
        {
            return null;
        }
        var reader = new System.Text.Json.Utf8JsonReader(first.Utf8Data);
        try
        {
            using var document = System.Text.Json.JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && document.RootElement.TryGetProperty("CaseId", out var id) && id.TryGetGuid(out var value) ? value : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // unreadable data is reported by the hash check
        }
    }

    private static readonly string OpenedType = Persistence.CaseStreams.EventTypeName(typeof(Runtime.CaseOpened));
}
