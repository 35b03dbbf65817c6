using System.Text;
using System.Text.Json;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Host.Integrity;

/// <summary>
/// Checks the seals of a stream whose chain is intact: each seal signs the hash of the event it seals, with a key the
/// trust store pins, valid when the seal was made; and a closed case carries its seal. An insider who rewrites a sealed
/// case and recomputes the chain cannot make the seal sign the new head without the bank's key.
/// </summary>
public static class SealVerifier
{
    private static readonly string SealType = CaseStreams.EventTypeName(typeof(CaseSealed));

    private static readonly HashSet<string> ClosingTypes =
        [.. new[] { typeof(CaseCompleted), typeof(CaseCancelled), typeof(CaseExpired) }.Select(CaseStreams.EventTypeName)];

    /// <summary>
    /// What the decider lets happen to a sealed case: a legal hold placed or released, its personal data erased at the end
    /// of its retention. Anything else after a seal was put there.
    /// </summary>
    private static readonly HashSet<string> AfterSeal =
        [.. new[] { typeof(LegalHoldPlaced), typeof(LegalHoldReleased), typeof(PersonalDataErased) }.Select(CaseStreams.EventTypeName)];

    /// <summary>An erasure says which evidence files may be missing: the bank seals it, so no one else can write one.</summary>
    private static readonly string ErasureType = CaseStreams.EventTypeName(typeof(PersonalDataErased));

    /// <summary>The first problem with the stream's seals as (version, why); null when every seal holds.</summary>
    public static (long Version, string Problem)? Check(IReadOnlyList<ChainedRow> rows, TrustStore trust)
    {
        long? closedAt = null;
        long? sealedAt = null;
        long? erasedAt = null;
        foreach (var row in rows)
        {
            if (row.EventType == SealType)
            {
                if (Problem(row, rows, trust) is { } problem)
                {
                    return (row.Version, $"seal at version {row.Version}: {problem}");
                }
                (closedAt, sealedAt, erasedAt) = (null, row.Version, null);
            }
            else if (row.EventType == ErasureType && erasedAt is null)
            {
                erasedAt = row.Version;
                if (sealedAt is null)
                {
                    return (row.Version, $"unsealed erasure: version {row.Version} erases personal data of a case that was never sealed");
                }
            }
            else if (sealedAt is { } seal && !AfterSeal.Contains(row.EventType))
            {
                return (row.Version, $"appended after the seal: version {row.Version} ({row.EventType}) follows the seal at version {seal}");
            }
            else if (ClosingTypes.Contains(row.EventType))
            {
                closedAt ??= row.Version;
            }
        }
        return erasedAt is { } erased ? (erased, $"unsealed erasure: version {erased} erases personal data and no seal by the bank follows it")
            : closedAt is { } version ? (version, $"unsealed: version {version} closes the case and no seal follows it") : null;
    }

    private static string? Problem(ChainedRow row, IReadOnlyList<ChainedRow> rows, TrustStore trust)
    {
        CaseSealed? seal;
        try
        {
            seal = JsonSerializer.Deserialize<CaseSealed>(row.Utf8Data);
        }
        catch (JsonException ex)
        {
            return $"unreadable: {ex.Message}";
        }
        if (seal is null || seal.SealedVersion != row.Version - 1)
        {
            return $"it names version {seal?.SealedVersion}, not the event just before it (events were inserted between the close and the seal)";
        }
        var sealedRow = rows[(int)seal.SealedVersion - 1];
        if (sealedRow.Hash != seal.ChainHead)
        {
            return $"it signed chain head {seal.ChainHead} for version {seal.SealedVersion}, but that event's hash is now {sealedRow.Hash}";
        }
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(seal.Signature);
        }
        catch (FormatException)
        {
            return "its signature is not base64";
        }
        var check = trust.Check(Encoding.UTF8.GetBytes(seal.ChainHead), signature, seal.SealedAt);
        return check.Valid ? null : check.Detail;
    }
}
