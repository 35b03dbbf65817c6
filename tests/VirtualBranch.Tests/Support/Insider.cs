using Npgsql;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Host.Evidence;

namespace VirtualBranch.Tests.Support;

/// <summary>
/// What an insider with SQL access does after editing rows: recompute the hash chain from the first edited version
/// with the project's own (public, keyless) chain code, so that every link is consistent again.
/// </summary>
public static class Insider
{
    /// <summary>Recomputes the links of <paramref name="caseId"/> from <paramref name="fromVersion"/> to its end, in each row's own format.</summary>
    public static async Task RechainAsync(TestDatabase database, Guid caseId, long fromVersion = 1)
    {
        await using var data = NpgsqlDataSource.Create(database.ConnectionString);
        var (rows, _) = await new StoredEvents(data).ReadAsync(caseId, CancellationToken.None);
        var previous = fromVersion == 1 ? HashChain.Genesis : rows.Single(r => r.Version == fromVersion - 1).Hash!;
        foreach (var row in rows.Where(r => r.Version >= fromVersion))
        {
            var hash = HashChain.LinkData(row.ChainFormat is null ? null : caseId, previous, row.Version, row.EventType, row.Utf8Data, row.RecordedAt!,
                HashChain.Actor(row.ActorId ?? "", row.ActorRole ?? ""));
            await database.ExecuteAsync(
                $"update vb.mt_events set headers = headers || jsonb_build_object('prev', '{previous}', 'hash', '{hash}') where stream_id = '{caseId}' and version = {row.Version}");
            previous = hash;
        }
    }
}
