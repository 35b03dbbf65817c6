using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
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

    /// <summary>Lifts the append-only triggers, as the owner of the schema can.</summary>
    public static Task DropCheckpointGuardsAsync(TestDatabase database) => database.ExecuteAsync("""
        drop trigger if exists vb_checkpoints_append_only on vb.vb_checkpoints;
        drop trigger if exists vb_checkpoint_leaves_append_only on vb.vb_checkpoint_leaves;
        """);

    /// <summary>A signing key of the insider's own (not the bank's): a self-signed certificate with the bank's name.</summary>
    public static X509Certificate2 OwnKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=VirtualBranch demo bank, O=VirtualBranch, C=CN", key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    /// <summary>A detached CMS signature with the insider's key, as the bank's signer makes them.</summary>
    public static byte[] Sign(byte[] content, X509Certificate2 certificate)
    {
        var cms = new SignedCms(new ContentInfo(content), detached: true);
        cms.ComputeSignature(new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, certificate) { IncludeOption = X509IncludeOption.EndCertOnly });
        return cms.Encode();
    }
}
